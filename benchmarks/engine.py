"""Engine speed: microseconds per epoch on three reference problems.

    python benchmarks/engine.py [--repeats 5]

An epoch is one pass over the training data plus the training loss after it, which is
what the playground does on every epoch. Prints the median over repeats, with the
machine and the Python that ran it. Not a test: figures, for the record.
"""
import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nn_core import Experiment, make_dataset  # noqa: E402

PROBLEMS = {
    "exam 2-3-1 sigmoid, full batch (the tutorial)": (lambda: Experiment.tutorial(seed=0), 20_000),
    "circle 250 points, 2-4-2-1 tanh, batch 10, lr 0.03": (
        lambda: Experiment.build(
            make_dataset("circle", n_samples=500, noise=0.0, seed=0), (4, 2), hidden_activation="tanh",
            learning_rate=0.03, batch_size=10, use_bias=True, test_ratio=0.5, seed=0,
        ),
        300,
    ),
    "spiral 250 points, 6x8 tanh, batch 10, lr 0.03": (
        lambda: Experiment.build(
            make_dataset("spiral", n_samples=500, noise=0.0, seed=0), (8,) * 6, hidden_activation="tanh",
            learning_rate=0.03, batch_size=10, use_bias=True, test_ratio=0.5, seed=0,
        ),
        100,
    ),
}


def microseconds_per_epoch(make, epochs):
    experiment = make()
    experiment.network.set_data(experiment.network.X_train, experiment.network.y_train)  # no test loss
    start = time.perf_counter()
    experiment.train(epochs=epochs)
    return (time.perf_counter() - start) / epochs * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
          f"{platform.system()}; median of {args.repeats} runs")
    for name, (make, epochs) in PROBLEMS.items():
        timings = [microseconds_per_epoch(make, epochs) for _ in range(args.repeats)]
        print(f"{statistics.median(timings):10.1f} µs/epoch  {name}")


if __name__ == "__main__":
    main()
