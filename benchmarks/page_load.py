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


PLAY_CASES = {"exam (the tutorial)": "", "circle, 2-4-2-1 tanh, batch 10": "?dataset=circle"}
# Counts frames and collects main-thread tasks over 50 ms, from the first script on.
PROBES = """
window.frames_drawn = 0;
(function count() { window.frames_drawn++; requestAnimationFrame(count); })();
window.long_tasks = [];
new PerformanceObserver((list) => list.getEntries().forEach((e) => window.long_tasks.push(e.duration)))
  .observe({type: "longtask", buffered: true});
"""


def play(page, url, seconds=3.0):
    """(epochs per second, frames per second, longest main-thread task in ms) while playing."""
    page.goto(url)
    page.wait_for_function(INTERACTIVE, timeout=120_000)
    page.get_by_role("button", name="▶ Play").click()
    page.wait_for_timeout(500)
    read = "[window.frames_drawn, window.long_tasks.length]"
    first_epoch = int(page.locator(".epoch").first.inner_text().replace(",", ""))
    frames, tasks_before = page.evaluate(read)
    page.wait_for_timeout(seconds * 1000)
    last_epoch = int(page.locator(".epoch").first.inner_text().replace(",", ""))
    frames_after, _ = page.evaluate(read)
    longest = page.evaluate(f"Math.max(0, ...window.long_tasks.slice({tasks_before}))")
    page.get_by_role("button", name="❚❚ Pause").click()
    return (last_epoch - first_epoch) / seconds, (frames_after - frames) / seconds, longest


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
            page.add_init_script(PROBES)
            warm.append(load(page, url, traffic)[:2])
            if len(cold) == args.runs:
                playing = {name: play(page, url + query) for name, query in PLAY_CASES.items()}
            context.close()
            shutil.rmtree(profile, ignore_errors=True)
    median = lambda values: statistics.median(values)  # noqa: E731
    files = [p for p in build.OUT.rglob("*") if p.is_file()]
    print(f"site: {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB on disk")
    print(f"cold load: {median([b for b, _ in traffic]) / 1e6:.1f} MB in {median([n for _, n in traffic]):.0f} requests")
    print(f"network visible: cold {median([v for v, _ in cold]):.2f} s, warm {median([v for v, _ in warm]):.2f} s")
    print(f"interactive:     cold {median([i for _, i in cold]):.2f} s, warm {median([i for _, i in warm]):.2f} s")
    print(f"import numpy, bokeh, panel in the page: {median(imports) / 1000:.2f} s")
    for name, (epochs, frames, longest) in playing.items():
        print(f"playing {name}: {epochs:,.0f} epochs/s at {frames:.0f} frames/s; longest main-thread task {longest:.0f} ms")
    print(f"(median of {args.runs} runs, headless Chromium)")


if __name__ == "__main__":
    main()
