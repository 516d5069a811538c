"""Build Backprop Playground as a self-contained static site, serve it, or test it.

    python3 build.py [build]            build the site into site/_build/ (skipped if nothing changed)
    python3 build.py serve [--port N]   build if needed, then serve it on http://127.0.0.1:N/
    python3 build.py test [PYTEST ARGS] set everything up on a fresh machine, build, run pytest

The site fetches nothing from the internet when it runs: Pyodide, NumPy, Bokeh, Panel and our
own packages are all files of the site (site_builder.py downloads, verifies and shapes them).
Panel's converter renders the app once in CPython, so the page shows it at once; a Web Worker
(site/worker.js) then loads Python in named stages that the page shows (site/loader.js).
Downloads are cached in ~/.cache/backprop-playground ($BACKPROP_PLAYGROUND_CACHE, --cache-dir),
so a second build works offline. Only the standard library is needed to start: this script
creates .venv with the project's [test] extras and re-runs itself there.
"""
import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

from generated_data import ensure_digits
from site_builder import (
    APP_DISTRIBUTION, PURE_WHEELS, ROOT, SOURCES, app_wheel, canonical, make_lock, npm_package, package_files,
    precompile, pure_wheels, pyodide_core, remote_addresses, rewrite_wheel, rewrite_zip, run, sha256, static_files,
    static_folder, usable_in_a_page, wasm_wheels, without_build_tools, without_unread_files,
)
from site_patches import patch_static_files, patch_wheel
from site_security import WORKER_SCRIPT_SOURCES, policy_text, with_policy

OUT = SOURCES / "_build"
VENV = ROOT / ".venv"
BUILD_KEY = ".inputs-sha256"  # in the built site: the hash of everything it was built from
# What the page loads (with their dependencies), in one call: downloads overlap with unpacking,
# which took a second more as three stages, one after the other.
PACKAGES = ["numpy", "panel", APP_DISTRIBUTION]
CDN_ROOTS = {"https://cdn.bokeh.org/bokeh/release/": static_folder("bokeh"),
             f"https://cdn.holoviz.org/panel/{PURE_WHEELS['panel'][0]}/dist/": static_folder("panel")}
PAGE_FILES = ("worker.js", "loader.js", "page.js", "own_data.js", "loader.css")
# Files that shrink under gzip (the WebAssembly runtime, scripts, pages, styles) get a .gz copy
# beside them, which our server sends to browsers that accept gzip; wheels and zips are
# compressed already. Static hosts compress by themselves.
COMPRESSIBLE = (".wasm", ".js", ".mjs", ".css", ".html", ".json", ".svg")
MIN_COMPRESSED_BYTES = 1024
# Headless Debian chromium for the tests and benchmarks. --host-resolver-rules keeps Chromium
# itself from looking up its update and account services: only 127.0.0.1 resolves.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


# axe-core checks the page for accessibility in the browser tests; it is never part of the site.
AXE_CORE = ("axe-core", "4.14.1", "e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745")


def axe_script(cache):
    """axe-core's script for the browser tests, from the download cache (``test`` fetches it first)."""
    name, version, _ = AXE_CORE
    return cache / f"{name}-{version}" / "package" / "axe.min.js"


def is_local_url(url):
    """True for the addresses a page of the site may request: 127.0.0.1, or data and blob URLs."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("data", "blob") or (parts.scheme == "http" and parts.hostname == "127.0.0.1")


# ----- the page ------------------------------------------------------------------------------
# Panel's generated worker runs each patch from the page with runPythonAsync, not awaited: of
# two patches arriving back to back, the first is lost and the second applied twice. Our
# site/worker.js speaks the same messages but applies patches with runPython. If Panel's worker
# changes, site/worker.js must be compared with it again, so the build stops.
PANEL_PATCH_HANDLER = re.compile(r"msg\.type === 'patch'\) \{\s*self\.pyodide\.globals\.set\('patch', msg\.patch\)"
                                 r"\s*self\.pyodide\.runPythonAsync\(")
PANEL_WORKER_MESSAGES = ("msg.type === 'rendered'", "msg.type === 'location'", "type: 'render'", "docs_json: docs_json",
                         "_link_docs_worker(state.curdoc, sendPatch")
# es-module-shims (and its options): only Panel's ReactiveESM components import through it, and
# this page has none; at start it runs a blob: script, which the page's policy would refuse.
MODULE_SHIMS = re.compile(r'<script type="esms-options">[^<]*</script>\n?\s*'
                          r'<script type="text/javascript" src="[^"]*/es-module-shims[^"]*"></script>\n?')
WEBGL_SCRIPT = re.compile(r'<script type="text/javascript" src="[^"]*/bokeh-gl-[0-9.]+\.min\.js"></script>\n?')
BODY = re.compile(r"<body[^>]*>")
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\b")


def convert_page():
    """Panel's converter renders the app once in CPython, so the page shows it before Python loads."""
    from panel.io.convert import convert_apps

    with tempfile.TemporaryDirectory() as target:
        convert_apps([str(ROOT / "pyscript_app" / "main.py")], dest_path=target, runtime="pyodide-worker",
                     requirements=[], prerender=True, build_index=False, build_pwa=False, panel_version="local",
                     http_patch=False, max_workers=1, verbose=False, title="Backprop Playground")
        if not (Path(target) / "main.html").exists():
            sys.exit("build.py: Panel could not render pyscript_app/main.py (its message is above).")
        page, panel_worker = (Path(target) / "main.html").read_text(), (Path(target) / "main.js").read_text()
    if not PANEL_PATCH_HANDLER.search(panel_worker) or not all(m in panel_worker for m in PANEL_WORKER_MESSAGES):
        sys.exit("build.py: Panel's generated worker no longer looks like the one site/worker.js replaces "
                 "(messages rendered/patch/location, patches run by runPythonAsync); compare the two and update both.")
    worker_line = 'new Worker("./main.js")'
    if worker_line not in page or "<head>" not in page:
        sys.exit("build.py: the converted page has no worker line to rewrite; was Panel upgraded?")
    for url, local in CDN_ROOTS.items():
        page = page.replace(url, local)
    # BokehJS's WebGL backend (60 kB compressed, parsed before the page is drawn): no figure uses it.
    page, found = WEBGL_SCRIPT.subn("", page)
    if found != 1:
        sys.exit("build.py: the converted page no longer loads bokeh-gl as one script tag; was Bokeh upgraded?")
    page, found = MODULE_SHIMS.subn("", page)
    if found != 1:
        sys.exit("build.py: the converted page no longer loads es-module-shims as expected; was Panel upgraded?")
    page = page.replace(worker_line, "window.playgroundWorker")  # started early by loader.js
    # A phone lays the page out at its own width, not as a shrunken desktop page.
    loader = ('<meta name="viewport" content="width=device-width, initial-scale=1">\n'
              '<link rel="icon" href="data:,">\n<link rel="stylesheet" href="loader.css">\n'
              '<script src="loader.js"></script>\n<script src="page.js"></script>\n<script src="own_data.js"></script>\n')
    # The converter names elements with random UUIDs; number them instead: same inputs, same page.
    names = {}
    page = UUID.sub(lambda match: names.setdefault(match.group(), str(uuid.UUID(int=len(names) + 1))), page)
    page = page.replace("<head>", "<head>\n" + loader, 1)  # first, so Python starts before BokehJS loads
    # The network's picture comes before the page's script that draws the app, so it shows while
    # BokehJS works; loader.js takes it away once the app is drawn.
    page, found = BODY.subn(lambda match: f'{match.group()}\n<div id="playground-preview">{preview()}</div>', page, 1)
    if found != 1:
        sys.exit("build.py: the converted page has no <body> tag to put the network's picture after.")
    return page


def preview():
    """The page's heading and the default network's picture (SVG), drawn by the app's own code."""
    from pyscript_app.playground import Playground
    from pyscript_app.preview import preview_html

    return preview_html(Playground())


def worker_script():
    """site/worker.js with its packages filled in; it must apply patches synchronously (see above)."""
    worker = (SOURCES / "worker.js").read_text().replace("/*PACKAGES*/[]", json.dumps(PACKAGES))
    handler = re.search(r'msg\.type === "patch"\) \{(.*?)\n  \}', worker, re.DOTALL)
    if not handler or "runPython(" not in handler.group(1) or "runPythonAsync" in handler.group(1):
        sys.exit("build.py: site/worker.js must apply each patch with runPython (synchronously).")
    return worker


def own_data_script():
    """site/own_data.js with nn_core's size limit for a learner's CSV filled in."""
    from nn_core.csv_data import MAX_CSV_BYTES

    script = (SOURCES / "own_data.js").read_text()
    if "/*MAX_CSV_BYTES*/0" not in script:
        sys.exit("build.py: site/own_data.js must take its limit from nn_core (/*MAX_CSV_BYTES*/0).")
    return script.replace("/*MAX_CSV_BYTES*/0", str(MAX_CSV_BYTES))


# ----- the site ------------------------------------------------------------------------------
def inputs_key():
    """The hash of everything the site is built from: the build scripts and their pins, the
    page's sources, our packages and pyproject.toml (which pins the Panel that renders the page)."""
    files = {"build.py": ROOT / "build.py", "site_builder.py": ROOT / "site_builder.py",
             "site_patches.py": ROOT / "site_patches.py", "site_security.py": ROOT / "site_security.py",
             "pyproject.toml": ROOT / "pyproject.toml", **package_files(),
             **{f"site/{path.name}": path for path in sorted(SOURCES.iterdir()) if path.is_file()}}
    return sha256("".join(f"{name} {sha256(path)}\n" for name, path in sorted(files.items())).encode())


def is_current(out=OUT):
    return (out / BUILD_KEY).exists() and (out / BUILD_KEY).read_text() == inputs_key()


@contextlib.contextmanager
def step(name):
    """Print how long the build step ``name`` took."""
    started = time.perf_counter()
    yield
    print(f"  {name}: {time.perf_counter() - started:.1f} s", flush=True)


def assemble(cache, out):
    """Everything the site needs, into ``out``; stops with a clear message on any mismatch."""
    with step("downloads (cached) verified"):
        core = pyodide_core(cache)
        official_lock = json.loads((core / "pyodide-lock.json").read_text())
        pure = pure_wheels(cache)
        shipped = {**wasm_wheels(cache, official_lock), **pure}
    with step("wheels trimmed and compiled to bytecode (cached)"):
        static = patch_static_files(static_files(pure))
        for name in ("bokeh", "panel"):
            shipped[name] = (shipped[name][0], patch_wheel(name, shipped[name][1], without_unread_files))
        shipped["numpy"] = (shipped["numpy"][0], rewrite_wheel(shipped["numpy"][1], without_build_tools))
        stdlib = rewrite_zip((core / "python_stdlib.zip").read_bytes(), usable_in_a_page)
        third_party = {**shipped, "stdlib": ("python_stdlib.zip", stdlib)}
        compiled = precompile(cache, core, third_party)
        stdlib = compiled.pop("stdlib")[1]
        # Compiling left the RECORDs naming .py files: redo them.
        shipped = {name: (file_name, rewrite_wheel(data)) for name, (file_name, data) in compiled.items()}
        # Our own code keeps its source, for tracebacks that show our lines, and gains its bytecode.
        app = {canonical(APP_DISTRIBUTION): app_wheel()}
        shipped.update(precompile(cache, core, app, keep_source=True))
    with step("files written"):
        (out / "pyodide").mkdir(parents=True)
        (out / "pyodide" / "python_stdlib.zip").write_bytes(stdlib)
        for name in ("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm"):
            shutil.copy(core / name, out / "pyodide" / name)
        for file_name, data in shipped.values():
            (out / "pyodide" / file_name).write_bytes(data)
        lock = make_lock(official_lock, shipped)
        (out / "pyodide" / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))
        for relative, data in static.items():
            (out / relative).parent.mkdir(parents=True, exist_ok=True)
            (out / relative).write_bytes(data)
        for name in PAGE_FILES:
            shutil.copy(SOURCES / name, out / name)
        (out / "worker.js").write_text(worker_script())
        (out / "own_data.js").write_text(own_data_script())
    with step("page rendered by Panel's converter"):
        (out / "index.html").write_text(with_policy(convert_page()))
    with step("gzip copies written"):
        write_gzip_copies(out)
    with step("checked for addresses of other hosts"):
        offenders = remote_addresses(out)
    if offenders:
        sys.exit(f"build.py: the site would fetch from other hosts:\n{json.dumps(offenders, indent=1)[:3000]}")


def write_gzip_copies(folder):
    """A deterministic NAME.gz (no name, mtime 0) beside every compressible file of ``folder``."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in COMPRESSIBLE and path.stat().st_size >= MIN_COMPRESSED_BYTES:
            path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes(), 9, mtime=0))


def build_site(cache, out=OUT):
    """Build into a fresh folder, then swap it in: a server of ``out`` never sees half a site."""
    key = inputs_key()
    staging = Path(tempfile.mkdtemp(prefix=out.name + ".", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp's 0700 would follow the site to wherever it is copied
    try:
        assemble(cache, staging)
        (staging / BUILD_KEY).write_text(key)
        previous = staging.with_name(staging.name + ".old")
        if out.exists():
            out.rename(previous)
        staging.rename(out)
        shutil.rmtree(previous, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    files = [path for path in out.rglob("*") if path.is_file()]
    print(f"  site/_build: {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB", flush=True)


def ensure_site(cache, out=OUT):
    """Build the site unless it was built from exactly the current inputs (the generated data first)."""
    started = time.perf_counter()
    ensure_digits(cache)
    if is_current(out):
        print("site/_build is up to date.", flush=True)
    else:
        print("Building site/_build ...", flush=True)
        build_site(cache, out)
        print(f"Built site/_build in {time.perf_counter() - started:.1f} s", flush=True)


def default_cache(override=None):
    """Where downloads are kept: --cache-dir, $BACKPROP_PLAYGROUND_CACHE or ~/.cache/backprop-playground."""
    cache = Path(override or os.environ.get("BACKPROP_PLAYGROUND_CACHE")
                 or Path.home() / ".cache" / "backprop-playground")
    cache.mkdir(parents=True, exist_ok=True)
    return cache


# ----- serve and test ------------------------------------------------------------------------
class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site; a file with a .gz copy goes out compressed to a browser that accepts gzip
    (with the original's Content-Type: streaming WebAssembly compilation needs application/wasm)."""
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript"}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urllib.parse.urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        compressed = path.with_name(path.name + ".gz")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and compressed.is_file()):
            return super().send_head()
        body = compressed.open("rb")
        stat = os.fstat(body.fileno())
        if self.headers.get("If-Modified-Since") == self.date_time_string(int(stat.st_mtime)):
            body.close()
            self.send_response(304)
            self.end_headers()
            return None
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        return body

    def end_headers(self):
        # Browsers keep the files and ask each time whether they changed (a rebuilt site is seen at once).
        self.send_header("Cache-Control", "no-cache")
        # A Web Worker takes its Content-Security-Policy from its script's headers, never from
        # the page's <meta>: the worker's policy goes with every script (see site_security.py).
        if urllib.parse.urlsplit(self.path).path.endswith(".js"):
            self.send_header("Content-Security-Policy", policy_text(WORKER_SCRIPT_SOURCES))
        super().end_headers()

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a closed tab is not an error
            super().handle_error(request, client_address)


def make_server(folder, port=0):
    """An HTTP server for ``folder`` on 127.0.0.1 (port 0: any free port)."""
    return _Server(("127.0.0.1", port), functools.partial(_Handler, directory=str(folder)))


def serve(folder, port):
    try:
        server = make_server(folder, port)
    except OSError as error:
        sys.exit(f"build.py: cannot serve on 127.0.0.1:{port} ({error.strerror}); try another --port.")
    print(f"Serving Backprop Playground at http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


def ensure_venv():
    """Create .venv holding the project with its [test] extras, then re-run this script inside it."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".installed-from"
    started = time.perf_counter()
    if not python.exists():
        print("Creating .venv ...", flush=True)
        if subprocess.call([sys.executable, "-m", "venv", VENV]) != 0:
            sys.exit("build.py: could not create .venv; on Debian or Ubuntu, `apt-get install python3-venv` first.")
    if not stamp.exists() or stamp.read_text() != sha256(ROOT / "pyproject.toml"):
        print("Installing the project and its [test] tools into .venv ...", flush=True)
        run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", ".[test]"], cwd=ROOT)
        stamp.write_text(sha256(ROOT / "pyproject.toml"))
        print(f"Set up .venv in {time.perf_counter() - started:.1f} s", flush=True)
    if Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(str(python), [str(python), str(ROOT / "build.py"), *sys.argv[1:]])


def ensure_chromium():
    """Debian's chromium for the browser tests: installed with apt-get when we may, else a clear message."""
    if shutil.which("chromium"):
        return
    if os.geteuid() != 0:
        sys.exit("build.py: the browser tests need Debian's chromium: sudo apt-get install chromium")
    print("Installing Debian's chromium for the browser tests ...", flush=True)
    started = time.perf_counter()
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=environment)
    run(["apt-get", "install", "-y", "-qq", "chromium"], env=environment)
    print(f"Installed chromium in {time.perf_counter() - started:.1f} s", flush=True)


def test(cache, pytest_args):
    """pytest over tests/ with this (the venv's) Python; no test collected counts as a failure."""
    started = time.perf_counter()
    if not any(arg.startswith(("-m", "--markexpr")) for arg in pytest_args):
        # pyproject's addopts leave the browser tests out of a bare `pytest`; this command runs all.
        pytest_args = ["-m", "browser or not browser", *pytest_args]
    code = subprocess.call([sys.executable, "-m", "pytest", *pytest_args], cwd=ROOT,
                           env={**os.environ, "BACKPROP_PLAYGROUND_CACHE": str(cache)})
    print(f"Tests ran in {time.perf_counter() - started:.1f} s (pytest exit code {code})", flush=True)
    if code == 5:
        print("build.py: pytest collected no tests; that is a failure.", flush=True)
        return 1
    return code


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", default="build", choices=["build", "serve", "test"])
    parser.add_argument("--port", type=int, default=8000, help="serve: the port (default 8000)")
    parser.add_argument("--cache-dir", help="where downloads are kept (default ~/.cache/backprop-playground)")
    args, pytest_args = parser.parse_known_args(argv)
    if pytest_args and args.command != "test":
        parser.error(f"unrecognized arguments: {' '.join(pytest_args)}")
    ensure_venv()
    cache = default_cache(args.cache_dir)
    if args.command == "test":
        ensure_chromium()
        npm_package(cache, *AXE_CORE)
    ensure_site(cache)
    if args.command == "serve":
        serve(OUT, args.port)
    elif args.command == "test":
        return test(cache, pytest_args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
