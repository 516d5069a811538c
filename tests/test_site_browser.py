"""The built site in headless Chromium, offline: it loads, computes with NumPy, shows its stages."""
import json

import numpy as np
import pytest
from playwright.sync_api import expect

from conftest import Guard, bokeh_data, run_in_worker, serve_folder, wait_until_interactive
from nn_core import Experiment

pytestmark = pytest.mark.browser

STAGES = ("Python runtime", "Packages", "Importing", "Building the app", "Drawing the app", "Ready")


def test_numpy_in_the_page_is_pyodides_and_computes_what_cpython_does(open_page):
    page = open_page()
    code = "rng = np.random.default_rng(7); A = rng.standard_normal((40, 40)); b = rng.standard_normal(40)"
    in_page = run_in_worker(page, f"""
import sys, json, numpy as np
{code}
json.dumps([sys.platform, np.__version__, float(np.linalg.det(A)), np.linalg.solve(A, b).tolist()])
""")
    platform, version, determinant, solution = json.loads(in_page)
    assert (platform, version) == ("emscripten", "2.0.2")
    namespace = {"np": np}
    exec(code, namespace)
    assert determinant == pytest.approx(np.linalg.det(namespace["A"]), rel=1e-9)
    np.testing.assert_allclose(solution, np.linalg.solve(namespace["A"], namespace["b"]), rtol=1e-9)


def test_a_click_trains_the_network_in_the_page_and_matches_cpython(open_page):
    page = open_page()
    page.get_by_role("button", name="Step 100").click()
    expect(page.locator(".epoch").first).to_have_text("100")
    run = Experiment.tutorial(seed=0).train(epochs=100)
    assert page.locator(".loss").first.inner_text() == f"{run.loss[-1]:.3e}"
    assert len(bokeh_data(page, "loss-history", "epoch")) == 1 + 100  # the loss before training, too


def test_every_package_the_site_ships_is_imported_once_the_app_runs(open_page, served_site):
    page = open_page()
    page.get_by_role("button", name="Step 10", exact=True).click()
    expect(page.locator(".epoch").first).to_have_text("10")
    modules = run_in_worker(page, "import sys, json; json.dumps([m.split('.')[0] for m in sys.modules])")
    imported = set(json.loads(modules))
    lock = json.loads((served_site / "pyodide" / "pyodide-lock.json").read_text())
    never = [name for name, entry in lock["packages"].items() if not imported & set(entry["imports"])]
    assert never == [], "shipped but never imported: add them to site_builder.UNUSED, with the feature that needs them"


def test_no_module_the_site_ships_needs_one_of_the_standard_library_modules_left_out(open_page, served_site):
    import zipfile

    from site_builder import STDLIB_UNUSABLE

    with zipfile.ZipFile(served_site / "pyodide" / "python_stdlib.zip") as stdlib:
        shipped = [name for name in stdlib.namelist() if name.endswith(".pyc")]
    assert not [name for name in shipped if name.startswith(("multiprocessing/", "xmlrpc/", "smtplib"))]
    modules = sorted({name.removesuffix(".pyc").removesuffix("/__init__").replace("/", ".") for name in shipped
                      if not name.endswith("__main__.pyc") and name.split("/")[0].removesuffix(".pyc")
                      not in ("this", "__hello__", "__phello__", "idlelib", "tkinter", "turtle", "turtledemo")})
    left_out = sorted(name.replace("/", ".") for name in STDLIB_UNUSABLE)
    page = open_page()
    result = run_in_worker(page, f"""
import importlib, json, warnings
needs = []
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    for module in {modules!r}:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if any(error.name == name or error.name.startswith(name + ".") for name in {left_out!r}):
                needs.append([module, error.name])
        except Exception:
            pass  # fails in any browser (a terminal, a window, Windows): not what is checked here
json.dumps(needs)
""")
    assert len(modules) > 400 and json.loads(result) == []
    # The app's own and its libraries' modules were imported too, with the app running: it still answers.
    page.get_by_role("button", name="Step 10", exact=True).click()
    expect(page.locator(".epoch").first).to_have_text("10")


def test_our_modules_run_from_their_shipped_bytecode_which_matches_their_source(open_page):
    page = open_page()
    checked = run_in_worker(page, """
import importlib.util, json, sys
modules = [module for name, module in sys.modules.items() if name.split(".")[0] in ("nn_core", "pyscript_app")]
def current(module):
    with open(module.__cached__, "rb") as bytecode, open(module.__file__, "rb") as source:
        return bytecode.read(16)[8:] == importlib.util.source_hash(source.read())
json.dumps([len(modules), sys.dont_write_bytecode, [m.__name__ for m in modules if not current(m)]])
""")
    count, writes_none, stale = json.loads(checked)
    # Nothing is written in the page, so what import found beside each module came with the site.
    assert count > 30 and writes_none and stale == []


def test_the_guard_sees_the_workers_requests_and_every_one_is_local(open_page):
    page = open_page()
    wheels = [url for url in page.guard.local if url.endswith(".whl")]
    assert any("/pyodide/numpy-" in url for url in wheels) and any("/pyodide/panel-" in url for url in wheels)
    assert page.guard.blocked == []


def test_the_page_shows_the_app_and_the_loading_stages_before_python_is_ready(browser, site_url):
    page = browser.new_page()
    guard = Guard(page)
    page.goto(site_url)
    card = page.locator("#playground-loader")
    expect(card).to_contain_text("Python runtime")
    assert page.locator("#playground-loader .bar").is_visible()
    page.wait_for_function("Bokeh.index.roots.length > 0")  # the prerendered app is drawn ...
    assert page.evaluate("document.body.classList.contains('pn-loading')")  # ... while Python still loads
    expect(page.locator("#playground-preview")).to_have_count(0)  # and the picture that stood in for it is gone
    wait_until_interactive(page)
    expect(card).to_have_count(0)
    timings = page.evaluate("window.playgroundTimings")
    assert [stage for stage in STAGES if stage in timings["stages"]] == list(STAGES)
    assert list(timings["stages"].values()) == sorted(timings["stages"].values())
    assert timings["import numpy, bokeh, panel"] > 0
    guard.check()
    page.close()


def test_a_link_with_settings_does_not_show_the_default_networks_picture(browser, site_url):
    # The picture lives only until BokehJS draws: ask the page's styles about a stand-in instead.
    probe = """() => { const probe = document.createElement("div"); probe.id = "playground-preview";
        document.body.append(probe); const shown = getComputedStyle(probe).display !== "none"; probe.remove();
        return shown; }"""
    page = browser.new_page()
    page.goto(site_url + "?dataset=circle&embed=1")
    assert page.evaluate(probe) is False
    page.goto(site_url + "?embed=1")
    assert page.evaluate(probe) is True
    page.close()


def test_the_page_works_inside_an_iframe_on_another_origin(browser, site_url, tmp_path):
    (tmp_path / "course.html").write_text(
        f'<h1>Week 3: backpropagation</h1><iframe src="{site_url}?embed=1" width="420" height="640"></iframe>')
    server, course_url = serve_folder(tmp_path)  # another port: another origin
    try:
        page = browser.new_page()
        guard = Guard(page)
        page.goto(course_url + "course.html")
        frame = page.frame_locator("iframe")
        frame.locator(".epoch").first.wait_for(timeout=120_000)
        embedded = next(f for f in page.frames if f.url.startswith(site_url))
        wait_until_interactive(embedded)
        frame.get_by_role("button", name="Step 10", exact=True).click()
        expect(frame.locator(".epoch").first).to_have_text("10")
        guard.check()
        page.close()
    finally:
        server.shutdown()


def test_a_package_that_is_not_what_the_lock_says_stops_the_page_with_a_message(browser, site_url):
    page = browser.new_page()
    guard = Guard(page)
    page.route("**/pyodide/numpy-*.whl", lambda route: route.fulfill(body=b"not the numpy the lock names"))
    page.goto(site_url)
    expect(page.locator("#playground-loader")).to_contain_text("Python could not start", timeout=60_000)
    expect(page.locator("#playground-loader .error")).to_contain_text("Could not load numpy")
    assert guard.blocked == []
    page.close()


@pytest.mark.parametrize("missing", ["WebAssembly", "Worker"])
def test_a_browser_without_webassembly_or_workers_gets_a_plain_message(browser, site_url, missing):
    page = browser.new_page()
    page.add_init_script(f"delete window.{missing}")
    page.goto(site_url)
    expect(page.locator("#playground-loader")).to_contain_text("needs WebAssembly and Web Workers")
    page.close()
