"""The digits in headless Chromium: a link opens them, training runs, and a digit drawn with the mouse is read."""
import pytest
from playwright.sync_api import expect

from conftest import save_screenshot
from test_app_browser import TO_PIXELS

pytestmark = pytest.mark.browser

SUM_OF_INK = "Array.from(pyodideWorker.jsdoc.get_model_by_name('digit-cells').data.image[0]).reduce((a, b) => a + b, 0)"


def drag(page, name, points, steps=8):
    """Press the mouse at the first point of a Bokeh figure (data coordinates), move through the others, release."""
    page.wait_for_function("pyodideWorker.jsdoc.is_idle")
    pixels = [page.evaluate(TO_PIXELS, [name, x, y]) for x, y in points]
    page.mouse.move(*pixels[0])
    page.mouse.down()
    for x, y in pixels[1:]:
        page.mouse.move(x, y, steps=steps)
    page.mouse.up()


def test_a_digit_drawn_with_the_mouse_is_read_after_a_little_training(open_page):
    page = open_page("?dataset=digits", height=1700)
    pad = page.locator(".digits")
    expect(pad.get_by_role("button", name="Clear")).to_be_visible()  # the link opened the Digits tab
    expect(page.locator(".digit-prediction")).to_contain_text("Draw a digit")
    for epoch in (10, 20):
        page.get_by_role("button", name="Step 10", exact=True).click()
        expect(page.locator(".epoch").first).to_have_text(str(epoch))
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('weight-images').data.image.length == 16")
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('digit-examples').data.label.length == 10")
    page.locator(".digits").scroll_into_view_if_needed()
    drag(page, "digit-pad", [(4.2, 7.4), (4.1, 4.0), (4.0, 0.6)])  # a one, top to bottom
    expect(page.locator(".digit-prediction")).to_contain_text("The network reads a 1", timeout=20_000)
    assert page.evaluate(SUM_OF_INK) > 4  # the cells under the stroke are inked
    probabilities = page.evaluate(
        "Array.from(pyodideWorker.jsdoc.get_model_by_name('digit-probabilities').data.probability)")
    assert len(probabilities) == 10 and abs(sum(probabilities) - 1) < 1e-6
    assert max(range(10), key=probabilities.__getitem__) == 1
    save_screenshot(page, "digits-drawn-one.png")
    pad.get_by_role("button", name="Clear").click()
    expect(page.locator(".digit-prediction")).to_contain_text("Draw a digit")
    assert page.evaluate(SUM_OF_INK) == 0
