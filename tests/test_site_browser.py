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
