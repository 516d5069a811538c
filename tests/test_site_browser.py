"""The built site in headless Chromium, offline: it loads, computes with NumPy, shows its stages."""
import pytest
from playwright.sync_api import expect

from conftest import bokeh_data
from nn_core import Experiment

pytestmark = pytest.mark.browser


def test_the_page_runs_numpy_in_the_browser_and_matches_cpython(open_page):
    page = open_page()
    page.get_by_role("button", name="Step 100").click()
    expect(page.locator(".epoch").first).to_have_text("100")
    experiment = Experiment.tutorial(seed=0)
    run = experiment.train(epochs=100)
    expected = f"{run.loss[-1]:.3e}"
    assert page.locator(".loss").first.inner_text() == expected
    assert len(bokeh_data(page, "loss-history", "epoch")) == 100


def test_loading_reports_each_stage_and_the_import_time(open_page):
    page = open_page()
    timings = page.evaluate("window.playgroundTimings")
    for stage in ("Python runtime", "NumPy", "Panel and Bokeh", "Importing", "Starting the app", "Ready"):
        assert stage in timings["stages"], stage
    assert timings["import numpy, bokeh, panel"] > 0
    assert page.locator("#playground-loader").count() == 0  # the card is gone once the app answers


def test_the_page_works_inside_an_iframe_on_another_origin(browser, site_url, tmp_path):
    from conftest import Guard, serve_folder, wait_until_interactive

    (tmp_path / "course.html").write_text(
        f'<h1>Week 3: backpropagation</h1><iframe src="{site_url}?embed=1" width="420" height="640"></iframe>')
    server, course_url = serve_folder(tmp_path)
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


def test_a_browser_without_webassembly_gets_a_plain_message(browser, site_url):
    page = browser.new_page()
    page.add_init_script("delete window.WebAssembly")
    page.goto(site_url)
    expect(page.locator("#playground-loader")).to_contain_text("needs WebAssembly and Web Workers")
    page.close()
