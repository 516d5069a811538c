"""The built site, read as files: nothing fetched from elsewhere, every package what the lock says."""
import hashlib
import json
import zipfile

import pytest

import build


def test_no_page_stylesheet_or_script_of_ours_points_to_another_host(built_site):
    offenders = {str(path.relative_to(built_site)): build.remote_urls(path)
                 for path in built_site.rglob("*") if path.suffix in (".html", ".css", ".js")}
    assert {path: urls for path, urls in offenders.items() if urls} == {}


def test_the_url_check_catches_a_remote_script_and_stylesheet(tmp_path):
    page = tmp_path / "index.html"
    page.write_text('<script src="https://cdn.example.org/x.js"></script><link href="//cdn.example.org/a.css">'
                    '<img src="static/ok.png">')
    sheet = tmp_path / "style.css"
    sheet.write_text("a { background: url('http://cdn.example.org/b.png') } b { background: url(../ok.png) }")
    assert build.remote_urls(page) == ["https://cdn.example.org/x.js", "//cdn.example.org/a.css"]
    assert build.remote_urls(sheet) == ["http://cdn.example.org/b.png"]


def test_every_shipped_package_has_the_hash_our_lock_records(built_site):
    lock = json.loads((built_site / "pyodide" / "pyodide-lock.json").read_text())
    for name, entry in lock["packages"].items():
        data = (built_site / "pyodide" / entry["file_name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        assert all(dependency in lock["packages"] for dependency in entry["depends"]), name


def test_every_package_the_page_loads_is_in_the_lock(built_site):
    lock = json.loads((built_site / "pyodide" / "pyodide-lock.json").read_text())
    for packages in build.STAGES.values():
        for name in packages:
            assert build.canonical(name) in lock["packages"]


def test_a_bundled_package_whose_hash_differs_from_the_official_lock_stops_the_build(built_site):
    official = {"packages": {name: {"file_name": entry["file_name"], "sha256": "0" * 64}
                             for name, entry in _lock(built_site)["packages"].items() if name in build.WASM_PACKAGES}}
    with pytest.raises(SystemExit, match="does not match the official Pyodide lock"):
        build.wasm_wheels(build.default_cache(), official)


def _lock(built_site):
    return json.loads((built_site / "pyodide" / "pyodide-lock.json").read_text())


def test_third_party_python_ships_as_bytecode_and_ours_as_source(built_site):
    folder = built_site / "pyodide"
    with zipfile.ZipFile(next(folder.glob("panel-*.whl"))) as wheel:
        names = wheel.namelist()
        assert "panel/__init__.pyc" in names and "panel/__init__.py" not in names
    with zipfile.ZipFile(next(folder.glob("backprop_playground-*.whl"))) as wheel:
        assert "nn_core/network.py" in wheel.namelist()


def test_bokeh_and_panel_wheels_leave_their_javascript_to_the_site(built_site):
    with zipfile.ZipFile(next((built_site / "pyodide").glob("panel-*.whl"))) as wheel:
        assert not [name for name in wheel.namelist() if name.endswith(".js") and "/dist/" in name]
    assert (built_site / "static" / "bokeh" / f"bokeh-{build.PURE_WHEELS['bokeh']}.min.js").exists()
    assert (built_site / "static" / "panel" / "panel.min.js").exists()


def test_the_worker_applies_patches_synchronously(built_site):
    worker = (built_site / "worker.js").read_text()
    handler = worker[worker.index('msg.type === "patch"'):worker.index('msg.type === "location"')]
    assert "runPython(" in handler and "runPythonAsync" not in handler
