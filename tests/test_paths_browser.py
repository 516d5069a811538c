"""The paths a teacher takes, in headless Chromium: a link opens exactly the page the teacher saw,
the teacher panel copies it and embeds it at its own height, the layer editor says no clearly."""
import json

import pytest
from playwright.sync_api import expect

from conftest import Guard, bokeh_data, run_in_worker, wait_until_interactive
from pyscript_app.lessons import LESSONS

pytestmark = pytest.mark.browser

DATASET_PICTURES = ("exam", "xor", "circle", "gaussians", "spiral", "three_clouds", "plane", "gaussian_bump", "digits")

# Every setting, the visible controls and the lesson's text, as the page shows them now.
SETTINGS = ("import json\nfrom pyscript_app.state import URL_SETTINGS\n"
            "_s = pyscript_app.main.page.playground.settings\n"
            "json.dumps({name: getattr(_s, name) for name in URL_SETTINGS})")


def page_state(page):
    page.wait_for_function("pyodideWorker.jsdoc.is_idle")
    run_in_worker(page, "import pyscript_app.main")
    settings = json.loads(run_in_worker(page, SETTINGS))
    heading = page.locator(".page-heading").inner_text()
    shown = page.evaluate("""() => {
      const shown = [];
      (function walk(root) {
        for (const el of root.querySelectorAll("*")) {
          const setting = [...(el.classList || [])].find((name) => name.startsWith("setting-"));
          if (setting && el.getBoundingClientRect().height > 0) shown.push(setting);
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      })(document);
      return shown.sort();
    }""")
    return settings, heading, shown


def open_fresh(browser, url):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.guard = Guard(page)
    page.goto(url)
    wait_until_interactive(page)
    return context, page


def assert_link_reopens_the_same_page(browser, page):
    """Open the page's own address in a fresh page: every setting, the visible controls and the heading agree."""
    page.wait_for_function("pyodideWorker.jsdoc.is_idle")
    page.wait_for_timeout(200)  # the address follows the last change
    expected = page_state(page)
    context, fresh = open_fresh(browser, page.url)
    try:
        assert page_state(fresh) == expected, page.url
        fresh.guard.check()
    finally:
        context.close()


@pytest.mark.parametrize("lesson", list(LESSONS))
def test_a_lesson_picked_from_the_menu_is_in_the_link_and_the_link_opens_it(browser, open_page, lesson):
    page = open_page()
    title = LESSONS[lesson][0]
    page.locator(".setting-lesson select").select_option(label=title)
    expect(page.locator(".page-heading h1")).to_have_text(title)
    page.wait_for_function(f"location.search.includes('lesson={lesson}')")
    assert_link_reopens_the_same_page(browser, page)


def test_a_lesson_with_changes_on_top_reopens_with_the_changes(browser, open_page):
    page = open_page()
    page.locator(".setting-lesson select").select_option(label=LESSONS["xor"][0])
    expect(page.locator(".page-heading h1")).to_have_text(LESSONS["xor"][0])
    page.get_by_role("button", name="+ layer").click()
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('neurons').data.x.length == 5")
    page.locator(".setting-learning_rate input").fill("0.3")
    page.locator(".setting-learning_rate input").press("Enter")
    page.wait_for_function("location.search.includes('learning_rate=0.3')")
    assert "lesson=xor" in page.url
    assert_link_reopens_the_same_page(browser, page)


@pytest.mark.parametrize("dataset", DATASET_PICTURES)
def test_each_dataset_picked_by_its_picture_reopens_from_the_link(browser, open_page, dataset):
    page = open_page("?dataset=circle" if dataset == "exam" else "")
    page.locator(f".dataset-{dataset} button").click()
    page.wait_for_function(f"location.search.includes('dataset={dataset}')")
    assert_link_reopens_the_same_page(browser, page)


def test_the_teacher_copies_the_link_and_the_snippet(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    guard = Guard(page)
    page.goto(site_url + "?dataset=circle")
    wait_until_interactive(page)
    page.get_by_text("Teacher: share or embed").click()
    link = page.locator(".classroom-link input")
    expect(link).not_to_have_value("")
    page.get_by_role("button", name="Copy the link").click()
    expect(page.get_by_role("button", name="Copied ✓")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link.input_value()
    page.get_by_role("button", name="Copy the snippet").click()
    snippet = page.evaluate("navigator.clipboard.readText()")
    assert snippet.startswith("<iframe") and "embed=1" in snippet and "dataset=circle" in snippet
    guard.check()
    context.close()


def test_the_embed_snippet_sizes_its_iframe_to_the_content(browser, site_url):
    context = browser.new_context(viewport={"width": 900, "height": 900})
    page = context.new_page()
    guard = Guard(page)
    page.goto(site_url)
    wait_until_interactive(page)
    page.get_by_text("Teacher: share or embed").click()
    snippet = page.locator(".classroom-snippet textarea")
    expect(snippet).not_to_have_value("")
    course = context.new_page()
    course_guard = Guard(course)
    course.set_content(f"<html><body style='margin:0'><h1>A course page</h1>{snippet.input_value()}</body></html>")
    frame = course.frame_locator("iframe[data-backprop-playground]")
    expect(frame.get_by_role("button", name="▶ Play")).to_be_visible(timeout=120_000)
    wait_until_interactive(course.frames[1])  # Python's compact page replaces the first picture
    course.wait_for_timeout(2500)  # the embedded page reports its height once it is drawn
    heights = course.evaluate("""() => {
      const frame = document.querySelector("iframe[data-backprop-playground]");
      return [frame.getBoundingClientRect().height, frame.getAttribute("height")];
    }""")
    inner = course.frames[1]
    content = inner.locator(".playground").first.evaluate("(app) => app.getBoundingClientRect().bottom")
    scroll = inner.evaluate("[document.documentElement.scrollHeight, document.documentElement.clientHeight]")
    assert abs(heights[0] - content) <= 2, (heights, content)
    assert scroll[0] <= scroll[1] + 1, f"the iframe scrolls inside: {scroll}"
    guard.check()
    course_guard.check()
    context.close()


def test_all_eight_layers_can_be_sized_and_a_size_out_of_range_is_refused_and_put_back(open_page):
    page = open_page("?dataset=circle")
    for _ in range(6):
        page.get_by_role("button", name="+ layer").click()
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('neurons').data.x.length == 2 + 4 + 2 + 6 * 2 + 1")
    box = page.locator(".layer-size-8 input")
    expect(box).to_be_visible()
    assert box.bounding_box()["x"] + box.bounding_box()["width"] <= 1280
    box.fill("5")
    box.press("Enter")
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('neurons').data.x.length == 2 + 4 + 2 + 5 * 2 + 5 + 1")
    for typed in ("100", "0"):
        box.fill(typed)
        box.press("Enter")
        expect(page.locator(".status .message")).to_contain_text(f"layer 8 can have 1 to 16 neurons, not {typed}")
        expect(box).to_have_value("5")
    assert len(bokeh_data(page, "neurons", "x")) == 2 + 4 + 2 + 5 * 2 + 5 + 1
