"""Take the page's pictures at the widths people open it at: phone, course-page iframe, tablet,
laptop, projector.

    .venv/bin/python docs/screenshots.py                       the five widths, into tests/artifacts/screens/
    .venv/bin/python docs/screenshots.py --docs                the README's pictures, into docs/
    .venv/bin/python docs/screenshots.py --query "?dataset=spiral" --out /some/folder

It serves the built site (``python3 build.py`` first) on 127.0.0.1 and drives Debian's
chromium with every other host blocked, as the browser tests do.
"""
import argparse
import shutil
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build  # noqa: E402

# (file name, width, height, query): what a teacher and a learner see first.
WIDTHS = [
    ("phone-390", 390, 844, ""),
    ("embed-420", 420, 640, "?embed=1"),
    ("tablet-768", 768, 1024, ""),
    ("laptop-1280", 1280, 720, ""),
    ("projector-1920", 1920, 1080, ""),
]


def into_the_backward_pass(page, phases=4):
    """Open "Show the backward pass", pause it, and walk to its ``phases``-th phase."""
    page.get_by_role("button", name="Show the backward pass").click()
    page.get_by_role("button", name="❚❚ Pause step").click()
    for _ in range(phases):
        page.get_by_role("button", name="Next ▶").click()
        page.wait_for_timeout(300)
    page.wait_for_timeout(1000)


# (file name, width, height, query, whole page, epochs stepped first, then what to do)
DOCS = [
    ("screenshot", 1280, 720, "", False, 100, None),
    ("phone", 390, 844, "", False, 100, None),
    ("presenter", 1920, 1080, "?present=1", False, 100, None),
    ("tour", 1280, 720, "?tour=tutorial&step=3", False, 0, None),
    ("compare", 1280, 1360, "?compare=learning_rate:0.1", False, 100, None),
    ("backward", 1280, 960, "", False, 0, into_the_backward_pass),
]
# Arrow functions, not bare expressions: Playwright polls a bare one with eval, which the page's
# Content-Security-Policy refuses.
INTERACTIVE = ("() => !document.body.classList.contains('pn-loading') && typeof pyodideWorker !== 'undefined'"
               " && pyodideWorker.jsdoc !== undefined && window.playgroundTimings !== undefined"
               " && window.playgroundTimings.settled !== undefined")


def shoot(browser, url, path, width, height, full_page, steps=0, then=None):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if build.is_local_url(route.request.url) else route.abort())
    page.goto(url)
    page.wait_for_function(INTERACTIVE, timeout=180_000)
    if steps:
        button = page.get_by_role("button", name=f"Step {steps}").first
        if button.is_visible():
            button.click()
        else:  # the presenter's bar has Step 1 only: its key, as a teacher would press it
            for _ in range(steps):
                page.keyboard.press("s")
        page.locator(".epoch").first.filter(has_text=f"{steps:,}").wait_for()
    if then:
        then(page)
    page.wait_for_timeout(500)  # BokehJS paints on the next frames
    page.screenshot(path=str(path), full_page=full_page)
    context.close()
    print(path, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "artifacts" / "screens")
    parser.add_argument("--query", default="", help="settings for every picture, e.g. ?dataset=spiral")
    parser.add_argument("--docs", action="store_true", help="write the README's pictures into docs/")
    parser.add_argument("--only", nargs="*", help="with --docs: only these pictures (e.g. compare backward)")
    parser.add_argument("--full", action="store_true", help="the whole page, not only the first screen")
    args = parser.parse_args()
    if not build.is_current():
        sys.exit("screenshots.py: site/_build is missing or stale; run `python3 build.py` first.")
    from playwright.sync_api import sync_playwright

    server = build.make_server(build.OUT)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=build.CHROMIUM_FLAGS)
        if args.docs:
            for name, width, height, query, full, steps, then in DOCS:
                if args.only and name not in args.only:
                    continue
                shoot(browser, base + query, ROOT / "docs" / f"{name}.png", width, height, full, steps, then)
        else:
            args.out.mkdir(parents=True, exist_ok=True)
            for name, width, height, query in WIDTHS:
                joined = query + ("&" if query else "?") + args.query.lstrip("?") if args.query else query
                shoot(browser, base + joined, args.out / f"{name}.png", width, height, args.full)
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
