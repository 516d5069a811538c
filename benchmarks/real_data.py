"""Own data: test scores on tables like the ones learners bring, beside scikit-learn's MLP.

    python benchmarks/real_data.py [--seconds 20] [--seeds 3]

Four generated look-alikes of real tables, each column in its own unit of measure (from
hundredths to thousands), read through the page's CSV reader as an upload would be:

- well-separated classes: 150 rows, 4 columns, 3 classes (like the iris flowers);
- noisy classes: 178 rows, 13 columns, 3 classes that overlap (like the wine samples);
- two noisy classes: 569 rows, 30 columns, many of them alike (like the breast scans);
- a number with noise: 442 rows, 10 columns, a linear target whose noise caps R² near 0.5
  (like the diabetes progression).

Each table is trained three ways on the same split (the page holds out 30 %):

- "tutorial": the tutorial's settings, which the page kept for own data before;
- "page": the settings the page now chooses on "Use this data" (nn_core's
  ``own_data_settings``), trained for ``--seconds`` as a press of Play would, and for a tenth
  of that (a slow phone in the browser trains several times slower than CPython here);
- "scikit-learn": ``MLPClassifier`` / ``MLPRegressor`` with default settings after a
  ``StandardScaler`` (scikit-learn's own advice for its MLP).

Prints test accuracy (%) or R² (× 100), the mean over ``--seeds`` tables and splits. Needs
scikit-learn (``pip install scikit-learn``); not a test: figures, for docs/benchmarks.md.
"""
import argparse
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nn_core import Experiment, parse_csv, to_csv, train_test_split
from nn_core.data import Dataset
from nn_core.experiment import OWN_DATA_SETTINGS, TUTORIAL_SETTINGS, own_data_settings


def _units(rng, X):
    """Every column in its own unit: scaled by 0.01 to 1,000 and moved off zero."""
    scale = 10.0 ** rng.uniform(-2, 3, X.shape[1])
    return (X * scale + rng.uniform(0, 5, X.shape[1]) * scale).round(4)


def classes(rng, n_rows, n_columns, n_classes, spread, n_informative):
    """Class centres on the first ``n_informative`` columns, the rest noise correlated with them."""
    centres = rng.normal(0, 1, (n_classes, n_informative))
    labels = rng.integers(0, n_classes, n_rows)
    informative = centres[labels] + rng.normal(0, spread, (n_rows, n_informative))
    mixing = rng.normal(0, 1, (n_informative, n_columns - n_informative))
    alike = informative @ mixing / np.sqrt(n_informative) + rng.normal(0, 1, (n_rows, n_columns - n_informative))
    X = _units(rng, np.hstack([informative, alike]))
    return X, labels


def number(rng, n_rows, n_columns):
    """y = X w + noise, with as much noise as signal: the best R² is about 0.5."""
    X = rng.normal(0, 1, (n_rows, n_columns))
    signal = X @ rng.normal(0, 1, n_columns)
    y = 150 + 40 * (signal + rng.normal(0, signal.std(), n_rows)) / signal.std()
    return _units(rng, X), y.round(1)


TABLES = {
    "well-separated classes (150 × 4, 3 classes)": lambda rng: classes(rng, 150, 4, 3, 0.35, 4),
    "noisy classes (178 × 13, 3 classes)": lambda rng: classes(rng, 178, 13, 3, 0.6, 6),
    "two noisy classes (569 × 30)": lambda rng: classes(rng, 569, 30, 2, 0.9, 10),
    "a number with noise (442 × 10)": lambda rng: number(rng, 442, 10),
}


def as_upload(name, X, target):
    """The table as the page reads it: CSV text through nn_core's reader, the task as the page infers it."""
    names = tuple(f"c{index + 1}" for index in range(X.shape[1]))
    table = Dataset(name, X, target.reshape(-1, 1).astype(float), names, ("target",), "regression")
    return parse_csv(to_csv(table), target_columns=["target"], name=name)


def score(experiment):
    test = experiment.metrics()["test"]
    return 100 * (test["r2"] if "r2" in test else test["accuracy"])


def tutorial(dataset, seed, seconds):
    settings = {**TUTORIAL_SETTINGS, "target_scaling": None, "target_scale": None, "test_ratio": 0.3}
    if dataset.task != "regression":
        loss = "binary_cross_entropy" if dataset.task == "binary" else "cross_entropy"
        settings.update(output_activation=None, loss=loss)
    experiment = Experiment.build(dataset, seed=seed, split_seed=seed, **settings)
    experiment.train(seconds=seconds)
    return score(experiment)


def page(dataset, seed, seconds):
    experiment = Experiment.build(dataset, seed=seed, split_seed=seed, **own_data_settings(dataset.task))
    run = experiment.train(seconds=seconds)
    return score(experiment), experiment.network.epoch, run.stop_reason


def scikit_learn(dataset, seed, scale_target=False):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    train, test = train_test_split(dataset, OWN_DATA_SETTINGS["test_ratio"], seed)  # the page's split, rows for rows
    if dataset.task == "regression":
        model = make_pipeline(StandardScaler(), MLPRegressor(random_state=seed))
        if scale_target:  # not a default: scikit-learn leaves the target in its own unit
            from sklearn.compose import TransformedTargetRegressor
            model = TransformedTargetRegressor(model, transformer=StandardScaler())
        target = train.y.ravel()
    else:
        model = make_pipeline(StandardScaler(), MLPClassifier(random_state=seed))
        target = train.y.argmax(axis=1) if train.y.shape[1] > 1 else train.y.ravel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(train.X, target)
    if dataset.task == "regression":
        return 100 * model.score(test.X, test.y.ravel())
    expected = test.y.argmax(axis=1) if test.y.shape[1] > 1 else test.y.ravel()
    return 100 * model.score(test.X, expected)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="training time of the page's settings")
    parser.add_argument("--seeds", type=int, default=3, help="tables and splits per look-alike")
    arguments = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, NumPy {np.__version__}")
    short = arguments.seconds / 10
    print(f"| table | tutorial's settings | page, {short:g} s | page, {arguments.seconds:g} s (epochs) "
          f"| scikit-learn MLP | page − scikit-learn |")
    print("|---|---|---|---|---|---|")
    scaled_target = []
    for name, make in TABLES.items():
        rows = []
        for seed in range(arguments.seeds):
            X, labels = make(np.random.default_rng(seed))
            dataset = as_upload(name, X, labels)
            started = time.perf_counter()
            quick, _, _ = page(dataset, seed, short)
            full, epochs, reason = page(dataset, seed, arguments.seconds)
            rows.append((tutorial(dataset, seed, short), quick, full, epochs, scikit_learn(dataset, seed)))
            if dataset.task == "regression":
                scaled_target.append(scikit_learn(dataset, seed, scale_target=True))
            print(f"  {name}, seed {seed}: {time.perf_counter() - started:.0f} s, page stopped on {reason}",
                  file=sys.stderr)
        old, quick, full, epochs, theirs = np.mean(rows, axis=0)
        print(f"| {name} | {old:.0f} | {quick:.0f} | {full:.0f} ({epochs:,.0f}) | {theirs:.0f} "
              f"| {full - theirs:+.0f} |")
    print("Accuracy on the test rows in %; for the number, R² × 100. Means over", arguments.seeds, "seeds.")
    if scaled_target:
        print(f"scikit-learn's MLPRegressor with its target scaled to mean 0 and spread 1 as well: "
              f"R² × 100 = {np.mean(scaled_target):.0f}.")


if __name__ == "__main__":
    main()
