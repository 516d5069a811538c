"""Own data: milliseconds to read a CSV's columns, read it whole, build a network on it, write it.

    python benchmarks/csv_files.py [--repeats 3]

A file of 5 number columns (4 inputs, 1 target) and 1,000 to 100,000 rows, as a learner
might paste or upload. The "Your data" panel reads the columns and the data when the text
changes, reads the data again and builds the network twice on "Use this data" (first on a
copy of the settings), and writes it on "Download CSV". Prints medians over repeats, with
the machine and the Python that ran it. Not a test: figures, for the record.
"""
import argparse
import platform
import statistics
import sys
import time
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nn_core import Experiment, csv_columns, parse_csv, to_csv
from nn_core.data import Dataset

ROWS = (1_000, 10_000, 100_000)


def sample_text(n_rows):
    """CSV text of n_rows random rows: inputs a to d, target y."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n_rows, 4)).round(4)
    y = X @ np.array([[1.0], [-2.0], [0.5], [0.0]])
    return to_csv(Dataset("sample", X, y, ("a", "b", "c", "d"), ("y",), "regression"))


def milliseconds(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    print(f"{platform.machine()} {platform.system()}, Python {platform.python_version()} ({sys.platform}), "
          f"median of {repeats}")
    print(f"{'rows':>8} {'kB':>7} {'columns ms':>11} {'read ms':>8} {'build ms':>9} {'write ms':>9}")
    for n_rows in ROWS:
        text = sample_text(n_rows)
        dataset = parse_csv(text)
        experiment = Experiment.build(dataset, test_ratio=0.2)
        timings = [milliseconds(function, repeats) for function in (
            partial(csv_columns, text), partial(parse_csv, text),
            partial(Experiment.build, dataset, test_ratio=0.2), experiment.to_csv,
        )]
        print(f"{n_rows:>8,} {len(text) / 1000:>7,.0f} {timings[0]:>11.1f} {timings[1]:>8.1f} {timings[2]:>9.1f} "
              f"{timings[3]:>9.1f}")


if __name__ == "__main__":
    main()
