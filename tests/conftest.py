"""Shared fixtures: the built site, a local server for it, and Chromium pages that may not
reach any host but 127.0.0.1 and must not log a console error or warning.

    built_site              the site's folder, built first if missing or stale
    served_site             a snapshot of it, which no rebuild changes during the session
    site_url                the snapshot served on a free 127.0.0.1 port for the session
    browser                 Debian's chromium, headless, unable to resolve any other host
    open_page(query="")     an interactive page of the site, guarded (checked after the test)
    Guard(page)             records and aborts requests to other hosts, collects console errors and warnings
                            and the Content-Security-Policy violations of the page and its worker
    wait_until_interactive  until Python has rendered the app and linked it to the page
    run_coroutine           asyncio.run, in a thread of its own
    no_custom_code          nn_core's tables hold no learner's code after the test
"""
import asyncio
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build  # noqa: E402
import generated_data  # noqa: E402

# nn_core's generated data (the digits), made from the download cache if this checkout has none yet.
generated_data.ensure_digits(build.default_cache())

ARTIFACTS = ROOT / "tests" / "artifacts"

try:  # a page's answer waits for Python in its worker: on a busy two-core machine, allow it time
    from playwright.sync_api import expect
    expect.set_options(timeout=20_000)
except ImportError:  # the engine and app tests run without the browser's tools
    pass


def run_coroutine(coroutine):
    """Run an app test's coroutine to its end, as asyncio.run does, in a thread of its own.

    Once a browser test has started Playwright, its driver keeps an event loop running in this
    thread for the rest of the session, and asyncio.run refuses to start a second one here.
    """
    outcome = {}

    def run():
        try:
            outcome["result"] = asyncio.run(coroutine)
        except BaseException as error:  # handed back to the test's own thread
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


def _as_function(wait_for_function):
    """Playwright polls a bare expression ("x == 1") by eval, which the site's Content-Security-
    Policy refuses (no 'unsafe-eval' in the page); an arrow function it calls as it is."""
    def wait(self, expression, *args, **kwargs):
        text = expression.strip()
        if not (text.startswith(("function", "async")) or "=>" in text.split("\n")[0][:80]):
            expression = f"() => ({expression})"
        return wait_for_function(self, expression, *args, **kwargs)
    return wait


try:
    from playwright.sync_api import Frame, Page
except ImportError:  # the fast suite runs without Playwright too
    pass
else:
    Page.wait_for_function = _as_function(Page.wait_for_function)
    Frame.wait_for_function = _as_function(Frame.wait_for_function)
INTERACTIVE_SECONDS = 120


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark every test that needs the built site as a browser test, before -m selects: building
    the site takes the download cache and seconds, so a bare `pytest` leaves these out."""
    for item in items:
        if "built_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def no_custom_code():
    """Take the learner's code registered by a test out of nn_core's tables again."""
    from nn_core import custom
    from nn_core.activations import HIDDEN_ACTIVATIONS

    yield
    for kind in custom.KINDS:
        custom.unregister(kind)
        assert custom.CUSTOM not in custom.TABLES[kind]
    assert custom.CUSTOM not in HIDDEN_ACTIVATIONS


@pytest.fixture(scope="session")
def built_site():
    """The built site's folder; built here if it is missing or was built from other inputs."""
    if not build.is_current():
        try:
            build.ensure_site(build.default_cache())
        except SystemExit as error:  # build.py stops with a message, which is the failure to show
            pytest.fail(f"building the site failed: {error}")
    return build.OUT


def serve_folder(folder):
    """(server, url) of ``folder`` served on a free 127.0.0.1 port in a background thread."""
    server = build.make_server(folder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _link_or_copy(source, target):
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@pytest.fixture(scope="session")
def served_site(built_site, tmp_path_factory):
    """A snapshot of the built site (hard links where possible) for this session to serve:
    a rebuild in the same checkout swaps site/_build, and must not change a page mid-load."""
    snapshot = tmp_path_factory.mktemp("served") / "site"
    shutil.copytree(built_site, snapshot, copy_function=_link_or_copy)
    return snapshot


@pytest.fixture(scope="session")
def site_url(served_site):
    server, url = serve_folder(served_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed; `python3 build.py test` installs it.")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=build.CHROMIUM_FLAGS)
        yield browser
        browser.close()


# Console warnings that are not ours and cannot be fixed here, each with the reason; none so far.
# Every other warning, from the page or from Python in its worker, fails the test that caused it.
FOREIGN_WARNINGS = {}


# Listens in the page (and in each frame) or in a worker for what its Content-Security-Policy refused.
CSP_LISTENER = """(report) => self.addEventListener("securitypolicyviolation", (event) =>
    report(`${event.effectiveDirective} refused ${event.blockedURI} (${event.sourceFile || "?"}:${event.lineNumber})`))"""


class Guard:
    """What a page tried that it must not: requests to other hosts (aborted), anything its
    Content-Security-Policy refused (in the page, its frames and its Web Worker), console errors
    and warnings (the page's and its Web Worker's, where Python's warnings and tracebacks go).

    It sees the Web Worker's requests too: ``local`` lists every request it let through.
    """

    def __init__(self, page):
        self.local, self.blocked, self.errors, self.warnings, self.refused = [], [], [], [], []
        self.page = page
        page.on("console", self._on_console)  # the worker's messages come here too
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.route("**/*", self._route)
        page.expose_function("reportRefusedByPolicy", lambda text: self.refused.append(text))
        page.add_init_script(f"({CSP_LISTENER})((text) => window.reportRefusedByPolicy(text));")
        page.on("worker", self._watch_worker)

    # Warnings a test expects from what it does (a test sets it, and says why).
    expected_warnings = ()

    def _watch_worker(self, worker):
        """The worker keeps what its policy refused (it cannot call the page's function); read by ``check``."""
        try:
            worker.evaluate(f"self.refusedByPolicy = []; ({CSP_LISTENER})((text) => self.refusedByPolicy.push(text));")
        except Exception as error:  # a worker that ended at once has nothing to watch
            if worker in self.page.workers:
                raise AssertionError(f"could not watch the worker {worker.url}: {error}") from error

    def worker_refusals(self):
        """What the policy refused in the page's workers so far (and forget it)."""
        found = []
        for worker in self.page.workers:
            found += worker.evaluate("(self.refusedByPolicy || []).splice(0)")
        return found

    def _on_console(self, message):
        if message.type == "error":
            self.errors.append(message.text)
        elif message.type == "warning" and not any(known in message.text
                                                   for known in (*FOREIGN_WARNINGS, *self.expected_warnings)):
            self.warnings.append(message.text)

    def _route(self, route):
        url = route.request.url
        if build.is_local_url(url):
            self.local.append(url)
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def check(self):
        assert self.blocked == [], f"the page tried to reach other hosts: {self.blocked}"
        self.refused += self.worker_refusals()
        assert self.refused == [], f"the Content-Security-Policy refused: {self.refused}"
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.warnings == [], f"console warnings: {self.warnings}"


def wait_until_interactive(page, timeout=INTERACTIVE_SECONDS):
    """Wait until the worker has rendered the app (``pn-loading`` gone) and linked its document
    to the page's, so that a click now reaches Python, and has made what it left until then
    (the tab under the playground). ``page`` may be a frame."""
    page.wait_for_function(
        "!document.body.classList.contains('pn-loading')"
        " && typeof pyodideWorker !== 'undefined' && pyodideWorker.jsdoc !== undefined"
        " && window.playgroundTimings !== undefined && window.playgroundTimings.interactive !== undefined"
        " && window.playgroundTimings.settled !== undefined",
        timeout=timeout * 1000,
    )


@pytest.fixture
def open_page(browser, site_url):
    """open_page(query="") → an interactive page of the site; checked for stray requests and errors after the test."""
    contexts, guards = [], []

    def opener(query="", width=1280, height=720, **context_options):
        context = browser.new_context(viewport={"width": width, "height": height}, **context_options)
        page = context.new_page()
        page.guard = Guard(page)
        guards.append(page.guard)
        contexts.append(context)
        page.goto(site_url + query)
        wait_until_interactive(page)
        return page

    yield opener
    for guard in guards:
        guard.check()
    for context in contexts:
        context.close()


def run_in_worker(page, code):
    """Run Python ``code`` in the page's Pyodide worker; its last expression's value, as JSON-able data."""
    worker = next(worker for worker in page.workers if worker.url.split("?")[0].endswith("/worker.js"))
    return worker.evaluate("code => { const value = self.pyodide.runPython(code);"
                           " return value && value.toJs ? value.toJs({dict_converter: Object.fromEntries}) : value; }",
                           code)


def bokeh_data(page, name, column):
    """A column of a named Bokeh ColumnDataSource as the page has it."""
    return page.evaluate(f"Array.from(pyodideWorker.jsdoc.get_model_by_name({name!r}).data[{column!r}])")


def save_screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path
