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
