"""Page load: time until the network is visible and until the app answers, cold and warm.

    python3 build.py build && .venv/bin/python benchmarks/page_load.py [--runs 3] [--site DIR]
                                                          [--no-play | --play-only | --pause-only]

Serves the built site on 127.0.0.1 and opens it in headless Chromium (Debian's chromium),
which cannot resolve any other host. Cold: a fresh browser profile each time. Warm: the same
profile, loaded a second time (HTTP cache; no request routing, which would disable it).
Prints medians (and the range) of: time until the network's picture is painted, until the
prerendered page is drawn and until the app answers, each loading stage as the worker reports
it, the in-page import time of numpy, bokeh and panel, the bytes and requests of a cold load,
the site's size on disk, epochs and frames per second while playing (one run, and two runs
compared side by side), how soon a click is answered while playing, how long the tutorial's
100,000 epochs take in the page, and how soon Play/Pause answers (its label on the page, and training stopping in Python), on a quiet
machine and with two busy processes beside the browser, as on a school laptop.
Not a test: figures, for the record.
"""
import argparse
import contextlib
import multiprocessing
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

# Arrow functions, not bare expressions: Playwright polls a bare one with eval, which the page's
# Content-Security-Policy refuses.
INTERACTIVE = ("() => !document.body.classList.contains('pn-loading') && typeof pyodideWorker !== 'undefined'"
               " && pyodideWorker.jsdoc !== undefined && window.playgroundTimings.interactive !== undefined")
NETWORK_VISIBLE = "() => window.Bokeh && Bokeh.index && Bokeh.index.roots.length > 0"  # the prerendered page is drawn
SETTLED = "() => window.playgroundTimings.settled !== undefined"  # the tab under the playground is made too
FIRST_PAINT = "performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint').startTime"
PLAY_CASES = {"exam (the tutorial)": "", "circle, 2-4-2-1 tanh, batch 10": "?dataset=circle",
              "circle, two runs compared (learning rate 0.03 and 0.3)": "?dataset=circle&compare=learning_rate:0.3"}
# Run A's model of a name: run B's views, when comparing, carry the same names, after A's.
FIRST_NAMED = "((name) => [...pyodideWorker.jsdoc.all_models].find((model) => model.name === name))"
PAUSE_CASES = {"exam": "", "digits": "?dataset=digits"}
# Counts frames and collects main-thread tasks over 50 ms, from the first script on.
PROBES = """
window.frames_drawn = 0;
(function count() { window.frames_drawn++; requestAnimationFrame(count); })();
window.long_tasks = [];
new PerformanceObserver((list) => list.getEntries().forEach((e) => window.long_tasks.push(e.duration)))
  .observe({type: "longtask", buffered: true});
"""


def load(page, url):
    """(seconds until the prerendered page is drawn, seconds until interactive, the page's own timings).

    The timings gain "picture": seconds until the first contentful paint, which is the page's
    heading and the network's picture, in the page before any script has drawn anything.
    """
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(NETWORK_VISIBLE, polling="raf", timeout=60_000)
    visible = time.perf_counter() - start
    page.wait_for_function(INTERACTIVE, timeout=120_000)
    interactive = time.perf_counter() - start
    page.wait_for_function(SETTLED, timeout=120_000)
    settled = time.perf_counter() - start
    timings = page.evaluate("window.playgroundTimings")
    timings["settled_seconds"] = settled
    timings["picture"] = page.evaluate(FIRST_PAINT) / 1000
    return visible, interactive, timings


def epoch(page):
    return int(page.locator(".epoch").first.inner_text().replace(",", ""))


def click_answer_ms(page, shown):
    """Milliseconds from a click on "show test data" to the page showing Python's answer."""
    page.evaluate("""() => {
        window.clickedAt = null;
        document.addEventListener('click', () => { window.clickedAt = performance.now(); }, {capture: true, once: true});
    }""")
    page.locator(".test-toggle input").first.click(timeout=120_000)
    answered = f"{FIRST_NAMED}('test-renderer').visible === {str(shown).lower()}"
    page.wait_for_function(f"() => {{ if (!({answered})) return false; window.answeredAt = performance.now(); return true; }}",
                           polling="raf", timeout=120_000)
    return page.evaluate("window.answeredAt - window.clickedAt")


def play(page, url, seconds=3.0):
    """(epochs per second, frames per second, redraws of the network per second, longest main-thread task
    in ms, [click answers in ms]) while playing. Frames are the page's; a redraw is new synapse data."""
    page.goto(url)
    page.wait_for_function(SETTLED, timeout=120_000)
    page.evaluate(f"""() => {{ window.redraws = 0;
        {FIRST_NAMED}('edges').change.connect(() => {{ window.redraws++; }}); }}""")
    page.get_by_role("button", name="▶ Play").click()
    page.wait_for_timeout(500)
    read = "[window.frames_drawn, window.long_tasks.length, window.redraws]"
    first_epoch = epoch(page)
    frames, tasks_before, redraws = page.evaluate(read)
    page.wait_for_timeout(seconds * 1000)
    last_epoch = epoch(page)
    frames_after, _, redraws_after = page.evaluate(read)
    longest = page.evaluate(f"Math.max(0, ...window.long_tasks.slice({tasks_before}))")
    clicks = []
    for shown in (False, True, False):
        page.wait_for_timeout(300)
        clicks.append(click_answer_ms(page, shown))
    page.get_by_role("button", name="❚❚ Pause").click(timeout=120_000)
    per_second = [(after - before) / seconds for before, after in
                  ((first_epoch, last_epoch), (frames, frames_after), (redraws, redraws_after))]
    return (*per_second, longest, clicks)


PLAY_BUTTON = """() => {
  let found = null;
  (function walk(root) {
    for (const el of root.querySelectorAll("*")) {
      if (!found && el.classList && el.classList.contains("play") && el.shadowRoot) found = el;
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  })(document);
  window.playHost = found;
}"""
# Clicks Play/Pause and resolves with [ms until the page's label changed, ms until Python's answer
# reached the page (the button's model carries Python's label: training has started or stopped),
# ms until the page's next frame after that answer (the page's drawing of earlier frames included)].
TOGGLE = """(want) => new Promise((resolve) => {
  const model = [...pyodideWorker.jsdoc.all_models].find((m) => m.css_classes && m.css_classes.includes("play")
                                                          && m.label !== undefined);
  const button = window.playHost.shadowRoot.querySelector("button");
  const start = performance.now();
  let labelled = null;
  let answered = null;
  const answer = () => { if (answered === null && model.label.includes(want)) answered = performance.now() - start; };
  model.properties.label.change.connect(answer);
  button.click();
  (function poll() {
    const now = performance.now();
    const shown = window.playHost.shadowRoot.querySelector("button").textContent;
    if (labelled === null && shown.includes(want)) labelled = now - start;
    if (labelled !== null && answered !== null) {
      model.properties.label.change.disconnect(answer);
      resolve([labelled, answered, now - start]);
    } else requestAnimationFrame(poll);
  })();
})"""


def busy(seconds):
    """Keep one core busy for ``seconds`` (the other work of a shared school laptop)."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


@contextlib.contextmanager
def cpu_hog(processes=2, seconds=600):
    """Two processes spinning beside the browser, stopped on leaving."""
    hogs = [multiprocessing.Process(target=busy, args=(seconds,), daemon=True) for _ in range(processes)]
    for hog in hogs:
        hog.start()
    try:
        yield
    finally:
        for hog in hogs:
            hog.terminate()


def play_pause_ms(page, url, clicks=20):
    """95th percentiles, in ms, over ``clicks`` presses of Play/Pause: (the page's label changes,
    Pause reaches Python and its answer is back in the page, the page's next frame after that)."""
    page.goto(url)
    page.wait_for_function(SETTLED, timeout=120_000)
    page.evaluate(PLAY_BUTTON)
    labels, stops, frames = [], [], []
    for index in range(clicks):
        pausing = index % 2 == 1
        labelled, answered, framed = page.evaluate(TOGGLE, "Play" if pausing else "Pause")
        labels.append(labelled)
        if pausing:
            stops.append(answered)
            frames.append(framed)
        page.wait_for_timeout(400)  # some training between the presses
    def p95(values):
        # "inclusive": between the two slowest presses. The default ("exclusive") reaches beyond
        # the slowest one with 10 presses, so one slow press counted about 1.4 times over.
        return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    return p95(labels), p95(stops), p95(frames)


def tutorial_in_page(page):
    """Seconds the page's Python takes for the tutorial's 100,000 epochs (Step, then one redraw)."""
    worker = next(worker for worker in page.workers if worker.url.split("?")[0].endswith("/worker.js"))
    return worker.evaluate("""() => self.pyodide.runPython(`
import time
import pyscript_app.main
playground = pyscript_app.main.page.playground
playground.reset()
started = time.perf_counter()
playground.step(100_000)
time.perf_counter() - started
`)""")


def spread(values, unit="s", scale=1.0):
    """'median (min–max) unit' of ``values``."""
    values = [value * scale for value in values]
    return f"{statistics.median(values):.2f} {unit} ({min(values):.2f}–{max(values):.2f})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, default=build.OUT, help="the built site (default site/_build)")
    parser.add_argument("--no-play", action="store_true", help="skip the playing measurements")
    parser.add_argument("--pause-only", action="store_true", help="only Play/Pause, quiet and busy")
    parser.add_argument("--play-only", action="store_true", help="only the playing measurements, one warm page")
    args = parser.parse_args()
    server = build.make_server(args.site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    cold, warm, traffic, remote, playing, tutorial, pausing = [], [], [], [], {}, [], {}
    with sync_playwright() as playwright:
        if args.play_only:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=build.CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.add_init_script(PROBES)
            playing = {name: play(page, url + query) for name, query in PLAY_CASES.items()}
            browser.close()
        elif not args.no_play:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=build.CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            for machine, load_beside in (("quiet", contextlib.nullcontext), ("two busy processes", cpu_hog)):
                with load_beside():
                    for name, query in PAUSE_CASES.items():
                        pausing[f"{name}, {machine}"] = play_pause_ms(page, url + query)
            browser.close()
        for run in range(0 if args.pause_only or args.play_only else args.runs):
            profile = tempfile.mkdtemp()
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=shutil.which("chromium"), args=build.CHROMIUM_FLAGS,
                viewport={"width": 1280, "height": 720})
            page = context.new_page()
            sizes = []
            page.on("requestfinished", lambda request, sizes=sizes: sizes.append(request.sizes()["responseBodySize"]))
            page.on("request", lambda request: build.is_local_url(request.url) or remote.append(request.url))
            cold.append(load(page, url))
            traffic.append((sum(sizes), len(sizes)))
            page.close()
            page = context.new_page()
            page.add_init_script(PROBES)
            warm.append(load(page, url))
            if run == args.runs - 1 and not args.no_play:
                playing = {name: play(page, url + query) for name, query in PLAY_CASES.items()}
                page.goto(url)
                page.wait_for_function(SETTLED, timeout=120_000)
                tutorial = [tutorial_in_page(page) for _ in range(3)]
            context.close()
            shutil.rmtree(profile, ignore_errors=True)
    files = [path for path in args.site.rglob("*") if path.is_file()]
    print(f"site: {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB on disk")
    if traffic:
        print(f"cold load: {statistics.median(b for b, _ in traffic) / 1e6:.2f} MB in "
              f"{statistics.median(n for _, n in traffic):.0f} requests; requests to other hosts: {len(remote)}")
    for name, loads in (("cold", cold), ("warm", warm)) if cold else ():
        print(f"{name}: network picture painted {spread([t['picture'] for _, _, t in loads])}, "
              f"prerendered page drawn {spread([v for v, _, _ in loads])}, "
              f"interactive {spread([i for _, i, _ in loads])}, "
              f"tab under the playground made {spread([t['settled_seconds'] for _, _, t in loads])}")
        stages = loads[0][2]["stages"]
        print(f"  {name} stages start, ms after the worker did (median): " + ", ".join(
            f"{stage} {statistics.median(t['stages'][stage] for _, _, t in loads):.0f}" for stage in stages))
        print(f"  {name} import numpy, bokeh, panel in the page: "
              f"{spread([t['import numpy, bokeh, panel'] for _, _, t in loads], scale=1e-3)}")
    for name, (epochs, frames, redraws, longest, clicks) in playing.items():
        print(f"playing {name}: {epochs:,.0f} epochs/s at {frames:.0f} frames/s, the network redrawn "
              f"{redraws:.0f} times/s; "
              f"longest main-thread task {longest:.0f} ms; clicks answered in {', '.join(f'{c:.0f}' for c in clicks)} ms")
    if tutorial:
        print(f"the tutorial's 100,000 epochs in the page (Step, one redraw): {spread(tutorial)}")
    for name, (label, stop, frame) in pausing.items():
        print(f"Play/Pause, {name}: 95th percentile of 20 presses: the label changes in {label:.0f} ms, "
              f"Pause stops training (Python's answer in the page) in {stop:.0f} ms, "
              f"the page's next frame after it in {frame:.0f} ms")
    print(f"(median and range of {args.runs} runs, headless Chromium)")


if __name__ == "__main__":
    main()
