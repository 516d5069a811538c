"""No request leaves the machine: the browser itself refuses what is not from the site, in the
page and in its worker, and Panel's stylesheets come from the site on every path."""
import pytest
from conftest import run_in_worker
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ELSEWHERE = "https://cdn.example.org/panel/dist/bundled/theme/default.css"


def wait_for(page, found, timeout=10):
    """What ``found()`` returns once it is something, asking every 100 ms; fails after ``timeout`` s."""
    for _ in range(timeout * 10):
        result = found()
        if result:
            return result
        page.wait_for_timeout(100)
    pytest.fail(f"nothing found in {timeout} s")


def test_a_stylesheet_from_another_host_is_refused_by_the_pages_policy(open_page):
    page = open_page()
    page.evaluate("""(url) => { const link = document.createElement("link");
        link.rel = "stylesheet"; link.href = url; document.head.appendChild(link); }""", ELSEWHERE)
    # A component's stylesheet, as BokehJS puts it into the component's shadow root.
    run_in_worker(page, f"""
import panel as pn
import pyscript_app.main as main
main.page.append(pn.pane.HTML("styled elsewhere", css_classes=["styled-elsewhere"], stylesheets=[{ELSEWHERE!r}]))
""")
    expect(page.locator(".styled-elsewhere")).to_contain_text("styled elsewhere")
    guard = page.guard
    refused = wait_for(page, lambda: [text for text in guard.refused if ELSEWHERE in text][1:] and
                       [text for text in guard.refused if ELSEWHERE in text])
    assert all(text.startswith("style-src") for text in refused)  # the page's <link> and the component's
    assert guard.blocked == []  # refused before any request was made
    guard.refused.clear()
    guard.errors[:] = [error for error in guard.errors if ELSEWHERE not in error]  # the browser's own report


def test_a_fetch_from_the_worker_to_another_host_is_refused_by_the_workers_policy(open_page):
    page = open_page()
    run_in_worker(page, "import js\njs.fetch('https://cdn.example.org/data.json').catch(lambda error: None)\n1")
    refused = wait_for(page, page.guard.worker_refusals)
    assert refused and refused[0].startswith("connect-src refused https://cdn.example.org/data.json")
    assert page.guard.blocked == []


MANY_COLUMNS = ",".join(f"c{i}" for i in range(64)) + ",kind\n" + "".join(
    ",".join(str((row * column) % 7) for column in range(64)) + f",{row % 3}\n" for row in range(30))


def tool(page, title):
    page.get_by_role("button", name=title, exact=True).click()
    expect(page.locator(".bk-tab.bk-active", has_text=title)).to_be_visible()


def step(page, times=1):
    epoch = int(page.locator(".epoch").first.inner_text().replace(",", ""))
    page.get_by_role("button", name=f"Step {times}", exact=True).click()
    expect(page.locator(".epoch").first).not_to_have_text(str(epoch))


def test_a_long_path_through_every_kind_of_component_asks_no_other_host(open_page):
    from nn_core import DATASETS

    page = open_page(height=1000)
    guard = page.guard
    for title in ("The maths of one step", "Gradient check", "Your Python", "Export"):
        tool(page, title)
    page.locator(".classroom").get_by_text("Teacher", exact=False).first.click()  # the teacher panel opens
    for name in DATASETS:  # the digits among them, with their tab
        page.locator(f".dataset-{name} button").click()
        expect(page.locator(f".dataset-{name} button.bk-btn-primary")).to_be_visible()
        step(page)
    tool(page, "Gradient check")
    tool(page, "Your data")  # the gradient check's summary changes while its tab is hidden
    box = page.locator(".csv-text textarea")
    box.fill(MANY_COLUMNS)
    expect(page.locator(".csv-report")).to_contain_text("30 rows: 64 inputs")
    page.get_by_role("button", name="Use this data").click()
    expect(page.locator(".csv-report")).to_contain_text("Training on the text in the box: 30 rows")
    step(page, 10)
    page.locator(".replay-slider").scroll_into_view_if_needed()
    track = page.locator(".replay-slider .noUi-base").bounding_box()
    page.mouse.click(track["x"] + 1, track["y"] + track["height"] / 2)  # replay the first epoch
    expect(page.get_by_role("button", name="Live")).to_be_enabled()
    page.get_by_role("button", name="Live").click()
    for title in ("Gradient check", "The maths of one step", "Digits", "Export"):
        tool(page, title)
    tool(page, "Your Python")
    page.get_by_role("button", name="Check and use").click()
    expect(page.locator(".code-result")).to_contain_text("Checks passed")
    assert guard.blocked == [] and guard.refused + guard.worker_refusals() == []
    themes = [url for url in guard.local if "bundled/theme/" in url]
    assert themes and all(url.startswith(page.url.split("?")[0]) for url in themes)
