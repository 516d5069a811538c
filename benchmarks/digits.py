"""The digits: epoch time in CPython, accuracy along the way, a page frame, and the bytes shipped.

    python benchmarks/digits.py [--epochs 20] [--repeats 5]

Trains the page's digits preset (64-16-10 tanh/softmax, Adam 0.01, batches of 32, 20 % test)
and prints the median epoch time and the test accuracy after each epoch; then the median time
of a playing frame's redraw in the app (graph and Digits tab, no training); then the size of the
shipped data file, as a file and deflated in the app's wheel. Not a test: figures, for the record.
"""
import argparse
import io
import platform
import statistics
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nn_core import Experiment, make_dataset  # noqa: E402
from nn_core.experiment import DIGITS_SETTINGS  # noqa: E402
from nn_core.images import DIGITS_FILE  # noqa: E402


def train(epochs):
    experiment = Experiment.build(make_dataset("digits"), **DIGITS_SETTINGS, test_ratio=0.2, seed=0)
    times = []
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        experiment.train(epochs=1)
        times.append(time.perf_counter() - start)
        accuracy = experiment.metrics()["test"]["accuracy"]
        print(f"  epoch {epoch:3d}: {1000 * times[-1]:6.1f} ms, test accuracy {accuracy:.1%}", flush=True)
    return statistics.median(times)


def redraw_ms(repeats):
    """Median time the graph and the Digits tab take to follow one tick, with a digit on the pad."""
    from pyscript_app.digits_view import DigitsPanel
    from pyscript_app.graph_view import NetworkGraph
    from pyscript_app.playground import Playground

    playground = Playground()
    playground.settings.dataset = "digits"
    graph, digits = NetworkGraph(playground=playground), DigitsPanel(playground=playground)
    digits.draw(4.2, 7.4, new_stroke=True)
    digits.draw(4.0, 0.6)
    times = []
    for _ in range(repeats):
        digits.throttle.force()  # as a frame that is due for the images
        start = time.perf_counter()
        graph.update()
        digits.update()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def shipped_bytes():
    data = DIGITS_FILE.read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:  # as the app's wheel stores it
        wheel.writestr("nn_core/_generated/digits.npy", data)
    return len(data), len(buffer.getvalue())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}")
    print("Training the digits preset:")
    print(f"median epoch: {1000 * train(args.epochs):.1f} ms")
    print(f"redraw of graph and Digits tab per tick: {redraw_ms(args.repeats):.1f} ms (median of {args.repeats})")
    raw, deflated = shipped_bytes()
    print(f"shipped data file {DIGITS_FILE.name}: {raw:,} bytes, {deflated:,} bytes deflated in the wheel")


if __name__ == "__main__":
    main()
