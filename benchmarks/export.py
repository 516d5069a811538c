"""Export and saving: how long each file takes to write (and a saved network to load), and its size.

    python benchmarks/export.py [--repeats 5]

For the tutorial's network and for the largest the page allows (1000 points, 8 hidden layers
of 16 neurons, five input features). Each download is written when its button is clicked, so
these times are part of a click. Prints medians, with the machine and the Python that ran it.
Not a test: figures, for the record.
"""
import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nn_core import Experiment, make_dataset  # noqa: E402
from nn_core.export import to_notebook, to_script  # noqa: E402

NETWORKS = {
    "exam 2-3-1 (the tutorial)": lambda: Experiment.tutorial(seed=0),
    "circle 1000 points, 5 features, 8x16 tanh": lambda: Experiment.build(
        make_dataset("circle", n_samples=1000, noise=0.1, seed=0), (16,) * 8, hidden_activation="tanh",
        use_bias=True, test_ratio=0.5, features=("x1", "x2", "x1²", "x2²", "x1·x2")),
}


def median_ms(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
          f"median of {repeats}")
    for name, make in NETWORKS.items():
        experiment = make()
        experiment.train(epochs=10)
        print(name)
        for what, write in (("script", to_script), ("notebook", to_notebook), ("JSON", Experiment.to_json)):
            milliseconds, text = median_ms(lambda: write(experiment), repeats)
            print(f"  {what:8} {milliseconds:8.1f} ms to write, {len(text.encode()) / 1024:8.1f} KiB")
        saved = experiment.to_json()
        milliseconds, _ = median_ms(lambda: Experiment.from_json(saved), repeats)
        print(f"  {'loading':8} {milliseconds:8.1f} ms to read the JSON back")


if __name__ == "__main__":
    main()
