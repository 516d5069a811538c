"""Two runs side by side in the real page: a comparison link, the chooser, Step and Play."""
import pytest
from playwright.sync_api import expect

from conftest import bokeh_data, save_screenshot

pytestmark = pytest.mark.browser


def epoch(page):
    return int(page.locator(".epoch").first.inner_text().replace(",", ""))


def test_a_comparison_link_trains_both_runs_together_and_says_which_got_there_first(open_page):
    page = open_page("?compare=learning_rate:0.1", width=1280, height=900)
    expect(page.locator(".compare-title")).to_contain_text("Run B: learning rate 0.1")
    expect(page.locator(".compare-verdict")).to_contain_text("both runs train together")
    page.get_by_role("button", name="Step 100").click()
    expect(page.locator(".epoch").first).to_have_text("100")
    expect(page.locator(".compare-verdict")).to_contain_text("Run A reached a loss of")
    epochs_b = bokeh_data(page, "loss-history-b", "epoch")
    assert epochs_b[0] == 0 and epochs_b[-1] == 100
    page.get_by_role("button", name="▶ Play").click()
    page.wait_for_function("() => pyodideWorker.jsdoc.get_model_by_name('loss-history-b').data.epoch.at(-1) > 2000")
    page.get_by_role("button", name="❚❚ Pause").click()
    expect(page.get_by_role("button", name="▶ Play")).to_be_visible()
    # B trained every epoch A did: both histories keep the same epochs of a long run. The paused
    # network is drawn on the play loop's turn after the click, so wait for that frame.
    page.wait_for_function("""() => {
        const last = (name) => pyodideWorker.jsdoc.get_model_by_name(name).data.epoch.at(-1);
        return pyodideWorker.jsdoc.is_idle && last("loss-history-b") === last("loss-history"); }""")
    assert bokeh_data(page, "loss-history-b", "epoch")[-1] > 2000
    assert page.evaluate("() => decodeURIComponent(location.search)").count("compare=learning_rate:0.1") == 1
    save_screenshot(page, "compare-1280.png")
    page.get_by_role("button", name="✕ End the comparison").click()
    expect(page.get_by_role("button", name="⇆ Compare with one change")).to_be_visible()
    page.wait_for_function("() => !location.search.includes('compare')")


def test_the_chooser_starts_run_b_with_biases_on_the_circle(open_page):
    page = open_page("?dataset=circle&use_bias=0", width=390, height=844)
    page.get_by_role("button", name="⇆ Compare with one change").click()
    page.locator(".compare-setting select").select_option(label="Biases")
    expect(page.locator(".compare-value input")).to_have_value("1")
    page.get_by_role("button", name="Start run B").click()
    expect(page.locator(".compare-title")).to_contain_text("Run B: biases on")
    expect(page.locator(".compare-title")).to_contain_text("own starting weights")
    page.get_by_role("button", name="Step 100").click()
    expect(page.locator(".compare-verdict")).to_contain_text("reached a loss of")
    save_screenshot(page, "compare-phone.png")
