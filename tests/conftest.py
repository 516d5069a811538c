"""Shared fixtures: the built site, a local server for it, and Chromium pages that may not
reach any host but 127.0.0.1 and must not log a console error."""
import shutil
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build  # noqa: E402

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # Without this Chromium itself looks up its update and account services.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
INTERACTIVE_SECONDS = 120


@pytest.fixture(scope="session")
def built_site():
    """The built site's folder (``python3 build.py`` makes it; the test command always does)."""
    if not (build.OUT / "index.html").exists():
        pytest.fail("site/_build is missing: run `python3 build.py test` (or `python3 build.py build`) first.")
    return build.OUT


def serve_folder(folder):
    server = build.make_server(folder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_url(built_site):
    server, url = serve_folder(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed; `python3 build.py test` installs it.")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class Guard:
    """What a page tried that it must not: requests to other hosts, console errors."""

    def __init__(self, page):
        self.blocked, self.errors = [], []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.route("**/*", self._route)

    def _route(self, route):
        if route.request.url.startswith("http://127.0.0.1"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def check(self):
        assert self.blocked == [], f"the page tried to reach other hosts: {self.blocked}"
        assert self.errors == [], f"console errors: {self.errors}"


def wait_until_interactive(page, timeout=INTERACTIVE_SECONDS):
    """Wait until Python in the worker has rendered the app and linked it to the page."""
    page.wait_for_function(
        "window.playgroundTimings && window.playgroundTimings.interactive"
        " && !document.body.classList.contains('pn-loading')",
        timeout=timeout * 1000,
    )


@pytest.fixture
def open_page(browser, site_url):
    """open_page(query="") → an interactive page of the site; checked for stray requests and errors after the test."""
    contexts, guards = [], []

    def opener(query="", width=1280, height=720):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        guards.append(Guard(page))
        contexts.append(context)
        page.goto(site_url + query)
        wait_until_interactive(page)
        return page

    yield opener
    for guard in guards:
        guard.check()
    for context in contexts:
        context.close()


def bokeh_data(page, name, column):
    """A column of a named Bokeh ColumnDataSource as the page has it."""
    return page.evaluate(f"Array.from(pyodideWorker.jsdoc.get_model_by_name({name!r}).data[{column!r}])")


def save_screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path
