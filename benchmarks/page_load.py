"""Page load: time until the network is visible and until the app answers, cold and warm.

    python3 build.py build && .venv/bin/python benchmarks/page_load.py [--runs 3]

Serves site/_build on 127.0.0.1 and opens it in headless Chromium (Debian's chromium).
Cold: a fresh browser profile each time. Warm: the same profile, loaded a second time.
Prints medians, the bytes and requests of a cold load, the in-page import time of
numpy/bokeh/panel, the site's size on disk, and epochs per second while playing.
Not a test: figures, for the record.
"""
import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import build  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
INTERACTIVE = "window.playgroundTimings && window.playgroundTimings.interactive"
NETWORK_VISIBLE = "window.Bokeh && Bokeh.index && Bokeh.index.roots.length > 0"  # the prerendered page is drawn


def load(page, url, traffic):
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(NETWORK_VISIBLE, polling="raf", timeout=60_000)
    visible = time.perf_counter() - start
    page.wait_for_function(INTERACTIVE, timeout=120_000)
    interactive = time.perf_counter() - start
    timings = page.evaluate("window.playgroundTimings")
    return visible, interactive, timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    server = build.make_server(build.OUT)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    cold, warm, imports, traffic = [], [], [], []
    with sync_playwright() as playwright:
        for _ in range(args.runs):
            profile = tempfile.mkdtemp()
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=shutil.which("chromium"), args=FLAGS, viewport={"width": 1280, "height": 720})
            page = context.new_page()
            sizes = []
            page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
            visible, interactive, timings = load(page, url, traffic)
            cold.append((visible, interactive))
            imports.append(timings["import numpy, bokeh, panel"])
            traffic.append((sum(sizes), len(sizes)))
            page.close()
            page = context.new_page()
            warm.append(load(page, url, traffic)[:2])
            if len(cold) == args.runs:
                page.get_by_role("button", name="▶ Play").click()
                page.wait_for_timeout(500)
                first = int(page.locator(".epoch").first.inner_text().replace(",", ""))
                page.wait_for_timeout(2000)
                last = int(page.locator(".epoch").first.inner_text().replace(",", ""))
                playing = (last - first) / 2.0
            context.close()
            shutil.rmtree(profile, ignore_errors=True)
    median = lambda values: statistics.median(values)  # noqa: E731
    files = [p for p in build.OUT.rglob("*") if p.is_file()]
    print(f"site: {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB on disk")
    print(f"cold load: {median([b for b, _ in traffic]) / 1e6:.1f} MB in {median([n for _, n in traffic]):.0f} requests")
    print(f"network visible: cold {median([v for v, _ in cold]):.2f} s, warm {median([v for v, _ in warm]):.2f} s")
    print(f"interactive:     cold {median([i for _, i in cold]):.2f} s, warm {median([i for _, i in warm]):.2f} s")
    print(f"import numpy, bokeh, panel in the page: {median(imports) / 1000:.2f} s")
    print(f"playing the exam network: {playing:,.0f} epochs/s")
    print(f"(median of {args.runs} runs, headless Chromium)")


if __name__ == "__main__":
    main()
