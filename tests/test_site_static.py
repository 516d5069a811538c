"""The built site, read as files: nothing fetched from elsewhere, every package what the lock says."""
import gzip
import hashlib
import io
import json
import subprocess
import sys
import urllib.request
import zipfile

import pytest

import build
import site_builder
import site_patches
import site_security
from conftest import serve_folder


def _lock(site):
    return json.loads((site / "pyodide" / "pyodide-lock.json").read_text())


# ----- addresses ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ('<script src="https://cdn.example.org/x.js"></script>', ["https://cdn.example.org/x.js"]),
    ('<link rel="stylesheet" href="//cdn.example.org/a.css">', ["//cdn.example.org/a.css"]),
    ("<img src=http://cdn.example.org/b.png>", ["http://cdn.example.org/b.png"]),
    ("a { background: url('http://cdn.example.org/b.png') } b { background: url(../ok.png) }",
     ["http://cdn.example.org/b.png"]),
    ("@import 'https://fonts.example.org/f.css';", ["https://fonts.example.org/f.css"]),
    ('importScripts("https://cdn.example.org/pyodide.js")', ["https://cdn.example.org/pyodide.js"]),
    ("const base = `https://cdn.example.org/v${version}/`;", ["https://cdn.example.org/v${version}/"]),
    ('{"type":"ImportedStyleSheet","url":"https://cdn.example.org/p.css"}', ["https://cdn.example.org/p.css"]),
    ('"text":"&lt;img src=\\"https://cdn.example.org/i.png\\"&gt;"', ["https://cdn.example.org/i.png"]),
])
def test_an_address_the_browser_would_fetch_is_found(text, expected):
    assert site_builder.fetched_addresses(text) == expected


@pytest.mark.parametrize("text", [
    "/* Icons by tabler - https://tabler.io\n * License - https://github.com/x/LICENSE */",
    "// From https://www.shadertoy.com/view/wldXWB (MIT licensed)\nfloat wedge(){}",
    'throw new Error("see https://redux.js.org/Errors?code=" + code)',
    "<!-- built with https://panel.holoviz.org -->",
    '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
    'document.createElementNS("http://www.w3.org/2000/svg", "svg")',
    "url(\"data:image/svg+xml,%3csvg xmlns='http://www.w3.org/2000/svg'%3e\")",
    '<a href="https://en.wikipedia.org/wiki/Backpropagation">read more</a>',
    '"text":"&lt;a target=\\"_blank\\" href=\\"https://example.org/\\"&gt;a link&lt;/a&gt;"',
    '<script src="static/bokeh/bokeh.min.js"></script><link href="static/panel/css/a.css">',
    "const origin = 'http://' + host;",
])
def test_comments_prose_namespaces_links_and_relative_paths_are_not_fetches(text):
    assert site_builder.fetched_addresses(text) == []


def test_no_page_script_or_stylesheet_of_the_site_would_fetch_from_another_host(built_site):
    assert site_builder.remote_addresses(built_site) == {}


def test_each_file_that_would_fetch_is_named_with_its_addresses(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "x.min.js").write_text('fetch("https://cdn.example.org/data.json")')
    reviewed = next(iter(site_builder.REVIEWED_ADDRESSES)) + "x.js"  # an address allowed in bundles only
    (tmp_path / "loader.js").write_text(f'fetch("{reviewed}")')
    assert site_builder.remote_addresses(tmp_path) == {
        "loader.js": [reviewed],  # reviewed ones count only for bundles
        "static/x.min.js": ["https://cdn.example.org/data.json"],
    }


def test_every_reviewed_address_still_occurs_in_the_bundles(built_site):
    found = [address for path in built_site.rglob("*") if path.suffix in (".js", ".css", ".html")
             for address in site_builder.fetched_addresses(path.read_text(errors="replace"))]
    stale = [prefix for prefix in site_builder.REVIEWED_ADDRESSES if not any(a.startswith(prefix) for a in found)]
    assert stale == [], "no longer in any bundle: remove them from REVIEWED_ADDRESSES"


# ----- packages ----------------------------------------------------------------------------
def test_every_shipped_package_has_the_hash_our_lock_records(built_site):
    lock = _lock(built_site)
    for name, entry in lock["packages"].items():
        data = (built_site / "pyodide" / entry["file_name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        assert all(dependency in lock["packages"] for dependency in entry["depends"]), name


def test_every_wheel_in_the_site_is_in_the_lock(built_site):
    listed = {entry["file_name"] for entry in _lock(built_site)["packages"].values()}
    assert {path.name for path in (built_site / "pyodide").glob("*.whl")} == listed


def test_every_package_the_page_loads_is_in_the_lock(built_site):
    lock = _lock(built_site)
    for name in build.PACKAGES:
        assert site_builder.canonical(name) in lock["packages"]


def test_a_bundled_package_whose_hash_differs_from_the_official_lock_stops_the_build(built_site):
    lock = _lock(built_site)
    official = {"packages": {name: {"file_name": lock["packages"][name]["file_name"], "sha256": "0" * 64}
                             for name in site_builder.WASM_PACKAGES}}
    with pytest.raises(SystemExit, match="the official Pyodide lock says 0000"):
        site_builder.wasm_wheels(build.default_cache(), official)


def test_a_cached_download_that_is_not_the_pinned_file_stops_the_build(tmp_path):
    (tmp_path / "param-2.4.2-py3-none-any.whl").write_bytes(b"not the wheel from PyPI")
    with pytest.raises(SystemExit, match="is not the file this build was pinned to"):
        site_builder.pypi_files(tmp_path, {"param": site_builder.PURE_WHEELS["param"]})


def test_third_party_python_ships_as_bytecode_and_ours_as_source_with_its_bytecode_beside_it(built_site):
    folder = built_site / "pyodide"
    with zipfile.ZipFile(next(folder.glob("panel-*.whl"))) as wheel:
        names = wheel.namelist()
        assert "panel/__init__.pyc" in names and "panel/__init__.py" not in names
    with zipfile.ZipFile(next(folder.glob("backprop_playground-*.whl"))) as wheel:
        names = set(wheel.namelist())
        modules = [name for name in site_builder.package_files() if name.endswith(".py")]
        assert set(site_builder.package_files()) <= names
        assert {f"{name.rpartition('/')[0]}/__pycache__/{name.rpartition('/')[2][:-3]}.cpython-312.pyc"
                for name in modules} <= names
        bytecode = wheel.read("nn_core/__pycache__/network.cpython-312.pyc")
        assert int.from_bytes(bytecode[4:8], "little") == 0b01  # hash-based, unchecked: import takes it as it is


def test_a_rewritten_wheel_keeps_its_entries_and_lists_them_in_its_record():
    source = site_builder.app_wheel()[1]
    with zipfile.ZipFile(io.BytesIO(site_builder.rewrite_wheel(source, lambda name: "nn_core/" not in name))) as wheel:
        record = wheel.read(next(n for n in wheel.namelist() if n.endswith("RECORD"))).decode()
        assert not [name for name in wheel.namelist() if name.startswith("nn_core/")]
        assert sorted(line.split(",")[0] for line in record.splitlines()) == sorted(wheel.namelist())
        assert {info.date_time for info in wheel.infolist()} == {site_builder.FIXED_TIME}
    assert site_builder.rewrite_wheel(source) == site_builder.rewrite_wheel(source)  # same inputs, same bytes


def test_the_page_opens_with_the_networks_picture_before_the_script_that_draws_the_app(built_site):
    page = (built_site / "index.html").read_text()
    body = page[page.index("<body"):]
    preview = body.index('<div id="playground-preview">')
    assert preview < body.index("<script")
    picture = body[preview:body.index("</svg>") + len("</svg>")]
    assert picture.count("<line ") == 9 and picture.count("<circle ") == 6  # the tutorial's 2-3-1 network


def test_the_page_leaves_out_bokehs_webgl_backend_which_no_figure_asks_for(built_site):
    page = (built_site / "index.html").read_text()
    assert "bokeh-gl" not in page and not list((built_site / "static" / "bokeh").glob("bokeh-gl*"))
    sources = [path.read_text() for package in site_builder.APP_PACKAGES
               for path in (site_builder.ROOT / package).rglob("*.py")]
    assert not [source for source in sources if "webgl" in source.lower()]


def test_bokeh_and_panel_wheels_leave_their_javascript_to_the_site(built_site):
    with zipfile.ZipFile(next((built_site / "pyodide").glob("panel-*.whl"))) as wheel:
        assert not [name for name in wheel.namelist() if name.endswith(".js") and "/dist/" in name]
    assert (built_site / "static" / "bokeh" / f"bokeh-{site_builder.PURE_WHEELS['bokeh'][0]}.min.js").exists()
    assert (built_site / "static" / "panel" / "panel.min.js").exists()


def test_bokeh_ships_no_type_stubs_and_the_integrity_hashes_of_its_own_release_only(built_site):
    with zipfile.ZipFile(next((built_site / "pyodide").glob("bokeh-*.whl"))) as wheel:
        names = wheel.namelist()
    version = site_builder.PURE_WHEELS["bokeh"][0]
    assert not [name for name in names if name.endswith(".pyi")]
    assert [name for name in names if name.startswith("bokeh/_sri/")] == [f"bokeh/_sri/{version}.json"]


def test_panel_and_bokeh_in_the_site_resolve_their_files_to_the_sites_folders(built_site):
    edits = {path: edit for package in ("panel", "bokeh") for path, edit in site_patches.PATCHES[package].items()}
    assert edits["panel/io/resources.py"][0][1].startswith('CDN_DIST = "./static/panel/"')
    assert '"./static/bokeh/" + mk_filename(' in edits["bokeh/resources.py"][0][1]
    assert (built_site / site_builder.static_folder("panel") / "bundled" / "theme" / "native.css").is_file()
    version = site_builder.PURE_WHEELS["bokeh"][0]
    assert (built_site / site_builder.static_folder("bokeh") / f"bokeh-{version}.min.js").is_file()


def test_the_sites_panel_still_gives_its_templates_and_chat_on_first_use():
    import panel

    namespace = {}
    exec(site_patches.LAZY_PANEL_MODULES, namespace)  # what the site's panel/__init__.py ends with
    lazy = namespace["__getattr__"]
    assert lazy("Template") is panel.Template and lazy("template") is panel.template and lazy("chat") is panel.chat
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        lazy("nothing")


@pytest.mark.parametrize("package, modules", [("panel.widgets", site_patches.LAZY_WIDGETS),
                                              ("panel.pane", site_patches.LAZY_PANES)])
def test_the_sites_panel_still_gives_every_widget_and_pane_it_imports_on_first_use(package, modules):
    import importlib

    real = importlib.import_module(package)
    namespace = {}
    exec(site_patches.lazy_names(package, modules), namespace)  # what the site's __init__.py ends with
    lazy = namespace["__getattr__"]
    names = [name for names in modules.values() for name in names]
    assert names and all(lazy(name) is getattr(real, name) for name in names)
    with pytest.raises(AttributeError, match=f"module '{package}' has no attribute 'Button2'"):
        lazy("Button2")


def test_which_defaults_a_model_makes_afresh_is_fixed_by_its_class_as_the_sites_bokeh_assumes():
    from bokeh.document import Document
    from bokeh.model import Model
    from pyscript_app.app import create_app

    models = list(create_app().get_root(Document()).select({"type": Model}))
    assert len({type(model) for model in models}) > 40
    for model in models:  # the site's HasProps.__init__ asks the class once (site_patches.py)
        names = list(model.properties(_with_props=True))
        by_model = [name for name in names if model.lookup(name).has_unstable_default(model)]
        assert by_model == [name for name in names if model.lookup(name).has_unstable_default(type(model))]


def test_the_lazy_imports_edit_every_line_they_leave_out_once():
    edits = site_patches.lazy_imports("panel.pane", {"vega": ["Vega"], "vtk": ["VTK", "VTKVolume"]})
    assert [old for old, _ in edits] == ["from .vega import Vega  # noqa\n", "from .vtk import VTK, VTKVolume  # noqa\n"]
    assert edits[0][1] == "" and "def __getattr__(name)" in edits[1][1]


# ----- the page ----------------------------------------------------------------------------
def test_the_worker_applies_patches_synchronously(built_site):
    worker = (built_site / "worker.js").read_text()
    handler = worker[worker.index('msg.type === "patch"'):worker.index('msg.type === "location"')]
    assert "runPython(" in handler and "runPythonAsync" not in handler


def test_the_site_records_what_it_was_built_from(built_site):
    assert build.is_current(built_site)


# ----- serving -----------------------------------------------------------------------------
def test_serve_prints_its_address_and_serves_the_site_without_isolation_headers(built_site):
    server = subprocess.Popen([sys.executable, str(site_builder.ROOT / "build.py"), "serve", "--port", "0"],
                              stdout=subprocess.PIPE, text=True)
    try:
        line = next(line for line in server.stdout if "http://127.0.0.1:" in line)
        url = line.split("Serving Backprop Playground at ")[1].split()[0]
        with urllib.request.urlopen(url) as response:
            assert b"<script src=\"loader.js\">" in response.read()
            assert "Cross-Origin-Embedder-Policy" not in response.headers  # an <iframe> anywhere may show it
        with urllib.request.urlopen(url + "pyodide/pyodide.asm.wasm") as response:
            assert response.headers["Content-Type"] == "application/wasm"  # needed to compile while it downloads
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get(url, **headers):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return response.headers, response.read()


def test_the_server_sends_gzip_to_browsers_that_accept_it_and_the_same_bytes_to_others(built_site):
    server, url = serve_folder(built_site)
    try:
        for path in ("pyodide/pyodide.asm.wasm", "pyodide/pyodide.asm.js", ""):
            original = (built_site / (path or "index.html")).read_bytes()
            headers, body = _get(url + path, **{"Accept-Encoding": "gzip, deflate, br"})
            assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == original
            assert headers["Content-Type"] == build._Handler.extensions_map.get(
                "." + (path or "index.html").rsplit(".", 1)[1], "text/html")
            plain_headers, plain = _get(url + path)
            assert plain_headers["Content-Encoding"] is None and plain == original
        headers, body = _get(url + "pyodide/numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl", **{"Accept-Encoding": "gzip"})
        assert headers["Content-Encoding"] is None  # a wheel is compressed already: sent as it is
        assert headers["Cache-Control"] == "no-cache"  # kept by the browser, checked on each visit
    finally:
        server.shutdown()


def test_gzip_copies_are_the_same_for_the_same_files(tmp_path):
    (tmp_path / "a.js").write_text("let x = 1;\n" * 1000)
    build.write_gzip_copies(tmp_path)
    first = (tmp_path / "a.js.gz").read_bytes()
    build.write_gzip_copies(tmp_path)
    assert (tmp_path / "a.js.gz").read_bytes() == first and gzip.decompress(first) == (tmp_path / "a.js").read_bytes()


def test_the_site_ships_no_pandas_and_no_numpy_f2py(built_site):
    lock = _lock(built_site)
    assert not {"pandas", "narwhals", "pytz", "python-dateutil", "six"} & set(lock["packages"])
    with zipfile.ZipFile(next((built_site / "pyodide").glob("numpy-*.whl"))) as wheel:
        assert not [name for name in wheel.namelist() if name.startswith("numpy/f2py/") or name.endswith(".pyi")]


def test_an_edit_that_no_longer_applies_stops_the_build():
    wheel = site_builder.pack_wheel([(site_builder.zip_entry("panel/io/pyodide.py"), b"import pandas\n"),
                                     (site_builder.zip_entry("panel-1.dist-info/RECORD"), b"")])
    with pytest.raises(SystemExit, match="no longer applies"):
        site_patches.patch_wheel("panel", wheel)


def test_bokehjs_tells_the_browser_that_image_canvases_are_read_back_often(built_site):
    bokeh = next((built_site / "static" / "bokeh").glob("bokeh-[0-9]*.min.js")).read_text()
    assert bokeh.count('getContext("2d",{willReadFrequently:!0}),a=s.getImageData(') == 1


def test_bokehjs_does_not_send_python_back_the_models_python_sent(built_site):
    bokeh = next((built_site / "static" / "bokeh").glob("bokeh-[0-9]*.min.js")).read_text()
    assert "(e=>{e.attach_document(this),this._all_models.set(e.id,e)})).decode(e.events,t)" in bokeh
    assert "this._new_models.add(e),this._all_models.set(e.id,e)})).decode(" not in bokeh


def test_an_edit_of_a_served_file_that_no_longer_applies_stops_the_build():
    path = next(iter(site_patches.STATIC_PATCHES))
    with pytest.raises(SystemExit, match="no longer applies"):
        site_patches.patch_static_files({path: b"a newer BokehJS"})
    with pytest.raises(SystemExit, match="not among the site's files"):
        site_patches.patch_static_files({})


# ----- the Content-Security-Policy ---------------------------------------------------------
def test_every_page_the_build_writes_carries_the_policy_with_its_inline_scripts_hashes(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert pages
    for path in pages:
        page = path.read_text()
        head = page[page.index("<head>"):page.index("<script")]
        assert f'<meta http-equiv="Content-Security-Policy" content="{site_security.policy_text(site_security.inline_script_hashes(page))}">' in head
        assert "'unsafe-eval'" not in head and "blob:" not in head.split("script-src")[1].split(";")[0]


def test_the_policy_allows_only_the_site_and_names_no_other_host():
    for sources in site_security.POLICY.values():
        assert all(source.startswith("'") or source in ("data:", "blob:") for source in sources)
    assert site_security.POLICY["style-src"] == ["'self'", "'unsafe-inline'"]
    assert site_security.POLICY["connect-src"] == ["'self'"]


def test_only_inline_scripts_that_run_are_hashed_and_a_changed_script_gets_another_hash():
    page = ('<head><script src="a.js"></script><script type="application/json">{}</script>'
            '<script>run()</script><script type="text/javascript">run()</script></head>')
    assert len(site_security.inline_script_hashes(page)) == 1
    assert site_security.inline_script_hashes(page) != site_security.inline_script_hashes(page.replace("run()", "go()"))


def test_the_page_leaves_out_es_module_shims_which_no_component_needs(built_site):
    page = (built_site / "index.html").read_text()
    assert "es-module-shims" not in page and "esms-options" not in page


def test_scripts_are_served_with_the_workers_policy(built_site):
    server, url = serve_folder(built_site)
    try:
        headers, _ = _get(url + "worker.js")
        assert headers["Content-Security-Policy"] == site_security.policy_text(site_security.WORKER_SCRIPT_SOURCES)
        assert "'wasm-unsafe-eval'" in headers["Content-Security-Policy"]
        page_headers, _ = _get(url)
        assert page_headers["Content-Security-Policy"] is None  # the page's is its <meta>, with its hashes
    finally:
        server.shutdown()
