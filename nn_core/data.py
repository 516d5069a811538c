"""Datasets: the tutorial's exam scores, TF Playground's 2-D problems, splits, and CSV files.

Every dataset is a ``Dataset``: inputs and targets in original units, with names and the
kind of task. Generated sets follow TF Playground's generators (src/dataset.ts) with
labels 0/1 instead of -1/+1; ``noise`` means what its slider means, as a fraction 0..0.5.
CSV parsing checks every cell and says which line and column is wrong.
Randomness comes only from ``np.random.default_rng(seed)``. Imports nothing but NumPy and
the standard library.
"""
import csv
import io
import math
from typing import NamedTuple

import numpy as np

MAX_SAMPLES = 100_000
MAX_COLUMNS = 64
MAX_CLASSES = 10
TASKS = ("regression", "binary", "multiclass")


class Dataset(NamedTuple):
    name: str
    X: np.ndarray  # (n_samples, n_features) float64, original units
    y: np.ndarray  # (n_samples, n_targets) float64; classes 0/1 (binary) or one-hot (multiclass)
    feature_names: tuple
    target_names: tuple
    task: str  # "regression", "binary" or "multiclass"


def exam(n_samples=3, noise=0.0, seed=0):
    """The tutorial's data: hours studied and slept → test score. Ignores the other arguments."""
    return Dataset(
        "exam",
        np.array([[2.0, 9.0], [1.0, 5.0], [3.0, 6.0]]),
        np.array([[92.0], [86.0], [89.0]]),
        ("hours studied", "hours slept"),
        ("test score",),
        "regression",
    )


def _classes(name, X, labels):
    return Dataset(name, X, labels.astype(float)[:, None], ("x1", "x2"), ("class",), "binary")


def xor(n_samples=500, noise=0.0, seed=0):
    """Four quadrants: class 1 where x1·x2 ≥ 0. Points keep 0.3 away from the axes."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-5.0, 5.0, (n_samples, 2))
    X += np.where(X > 0, 0.3, -0.3) * np.array([1.0, 0.0])  # TF pads x only
    noisy = X + rng.uniform(-5.0, 5.0, X.shape) * noise
    return _classes("xor", X, noisy[:, 0] * noisy[:, 1] >= 0)


def circle(n_samples=500, noise=0.0, seed=0):
    """A disc of class 1 (radius 2.5) inside a ring of class 0 (radius 3.5 to 5)."""
    rng = np.random.default_rng(seed)
    half = n_samples // 2
    radius = np.concatenate([rng.uniform(0.0, 2.5, half), rng.uniform(3.5, 5.0, n_samples - half)])
    angle = rng.uniform(0.0, 2 * np.pi, n_samples)
    X = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    noisy = X + rng.uniform(-5.0, 5.0, X.shape) * noise
    return _classes("circle", X, np.hypot(noisy[:, 0], noisy[:, 1]) < 2.5)


def gaussians(n_samples=500, noise=0.0, seed=0):
    """Two round clouds: class 1 around (2, 2), class 0 around (-2, -2); noise widens them."""
    rng = np.random.default_rng(seed)
    half = n_samples // 2
    spread = math.sqrt(0.5 + noise * 7.0)  # TF: variance from 0.5 (no noise) to 4 (noise 0.5)
    centres = np.repeat([[2.0, 2.0], [-2.0, -2.0]], [half, n_samples - half], axis=0)
    X = centres + rng.normal(0.0, spread, (n_samples, 2))
    return _classes("gaussians", X, np.arange(n_samples) < half)


def spiral(n_samples=500, noise=0.0, seed=0):
    """Two interleaved spirals, 1.75 turns each."""
    rng = np.random.default_rng(seed)
    half = n_samples // 2
    arms = []
    for count, delta in ((half, 0.0), (n_samples - half, np.pi)):
        step = np.arange(count) / max(count, 1)
        radius, turn = step * 5.0, 1.75 * step * 2 * np.pi + delta
        arms.append(np.column_stack([radius * np.sin(turn), radius * np.cos(turn)]))
    X = np.concatenate(arms) + rng.uniform(-1.0, 1.0, (n_samples, 2)) * noise
    return _classes("spiral", X, np.arange(n_samples) < half)


def _regression(name, rng, n_samples, noise, label):
    X = rng.uniform(-6.0, 6.0, (n_samples, 2))
    noisy = X + rng.uniform(-6.0, 6.0, X.shape) * noise
    return Dataset(name, X, label(noisy)[:, None], ("x1", "x2"), ("value",), "regression")


def plane(n_samples=500, noise=0.0, seed=0):
    """A tilted plane: value = (x1 + x2) / 10."""
    return _regression("plane", np.random.default_rng(seed), n_samples, noise, lambda X: X.sum(axis=1) / 10.0)


_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]], float)


def gaussian_bump(n_samples=500, noise=0.0, seed=0):
    """Six bumps up and down; the value is the strongest bump's, falling to 0 at distance 2."""

    def label(X):
        distance = np.hypot(X[:, None, 0] - _BUMPS[:, 0], X[:, None, 1] - _BUMPS[:, 1])  # (n, 6)
        strength = _BUMPS[:, 2] * np.clip(1.0 - distance / 2.0, 0.0, 1.0)
        return strength[np.arange(len(X)), np.abs(strength).argmax(axis=1)]

    return _regression("gaussian_bump", np.random.default_rng(seed), n_samples, noise, label)


DATASETS = {
    "exam": exam, "xor": xor, "circle": circle, "gaussians": gaussians, "spiral": spiral,
    "plane": plane, "gaussian_bump": gaussian_bump,
}


def make_dataset(name, n_samples=500, noise=0.0, seed=0):
    """The dataset ``name`` with ``n_samples`` points (exam has its own 3), ``noise`` in [0, 0.5]."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of: {', '.join(DATASETS)}.")
    if not isinstance(n_samples, (int, np.integer)) or not 2 <= n_samples <= MAX_SAMPLES:
        raise ValueError(f"n_samples must be a whole number from 2 to {MAX_SAMPLES}, got {n_samples!r}.")
    if not isinstance(noise, (int, float)) or not 0.0 <= noise <= 0.5:
        raise ValueError(f"noise must be from 0 to 0.5 (0 % to 50 %), got {noise!r}.")
    return DATASETS[name](n_samples, float(noise), seed)


def train_test_split(dataset, test_ratio, seed=0):
    """Shuffle with ``seed`` and hold out ``test_ratio`` of the rows (0 to 0.9) as a test set.

    The training set keeps at least one row; the test set may be empty (0 rows).
    """
    if not isinstance(test_ratio, (int, float)) or not 0.0 <= test_ratio <= 0.9:
        raise ValueError(f"test_ratio must be from 0 to 0.9, got {test_ratio!r}.")
    n_samples = len(dataset.X)
    n_test = min(int(round(n_samples * test_ratio)), n_samples - 1)
    order = np.random.default_rng(seed).permutation(n_samples) if n_test else np.arange(n_samples)
    test, train = order[:n_test], order[n_test:]
    return (
        dataset._replace(name=f"{dataset.name} (train)", X=dataset.X[train], y=dataset.y[train]),
        dataset._replace(name=f"{dataset.name} (test)", X=dataset.X[test], y=dataset.y[test]),
    )


# ----- CSV -------------------------------------------------------------------------------
def _cell_number(text, line, column):
    try:
        value = float(text)
    except ValueError:
        shown = repr(text if len(text) <= 20 else text[:20] + "…")
        raise ValueError(f"line {line}, column {column!r}: {shown} is not a number.") from None
    if not math.isfinite(value):
        raise ValueError(f"line {line}, column {column!r}: {text.strip()!r} is not a finite number.")
    return value


def _read_rows(text):
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines or not lines[0].strip():
        raise ValueError("the file is empty: it needs a header row and at least 2 rows of numbers.")
    header_line = lines[0]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    header = [name.strip() for name in rows[0]]
    if len(header) > MAX_COLUMNS:
        raise ValueError(f"too many columns: {len(header)}; at most {MAX_COLUMNS}.")
    if any(not name for name in header):
        raise ValueError(f"line 1: column {header.index('') + 1} has no name; every column needs one.")
    if len(set(header)) != len(header):
        duplicate = next(name for name in header if header.count(name) > 1)
        raise ValueError(f"line 1: the column name {duplicate!r} appears twice.")
    return header, rows[1:]


def _choose_columns(header, input_columns, target_columns):
    targets = list(target_columns) if target_columns else [header[-1]]
    inputs = list(input_columns) if input_columns else [name for name in header if name not in targets]
    for name in inputs + targets:
        if name not in header:
            raise ValueError(f"there is no column {name!r}; the columns are: {', '.join(header)}.")
    both = set(inputs) & set(targets)
    if both:
        raise ValueError(f"column {sorted(both)[0]!r} cannot be both an input and a target.")
    if not inputs:
        raise ValueError("choose at least one input column besides the target.")
    return inputs, targets


def parse_csv(text, input_columns=None, target_columns=None, task=None, name="csv"):
    """A Dataset from CSV text with a header row; the target is the last column by default.

    Raises ValueError naming the line and the column of the first bad cell. With ``task``
    None it is inferred: one target column of whole numbers with 2 to 10 distinct values,
    each appearing twice on average, is classification (2 values: "binary", mapped to 0/1 in sorted order; more: "multiclass",
    one-hot), anything else is regression.
    """
    if task is not None and task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of: {', '.join(TASKS)}.")
    header, rows = _read_rows(text)
    inputs, targets = _choose_columns(header, input_columns, target_columns)
    if len(rows) > MAX_SAMPLES:
        raise ValueError(f"too many rows: {len(rows)}; at most {MAX_SAMPLES}.")
    if len(rows) < 2:
        raise ValueError(f"too few rows: {len(rows)} row of data; at least 2 are needed.")
    table = np.empty((len(rows), len(header)))
    for index, row in enumerate(rows):
        line = index + 2
        if len(row) != len(header):
            raise ValueError(f"line {line} has {len(row)} cells, the header has {len(header)}.")
        for column, cell in enumerate(row):
            if not cell.strip():
                raise ValueError(f"line {line}, column {header[column]!r}: the cell is empty.")
            table[index, column] = _cell_number(cell, line, header[column])
    X = table[:, [header.index(c) for c in inputs]]
    y = table[:, [header.index(c) for c in targets]]
    classes = np.unique(y) if len(targets) == 1 else np.array([])
    # Whole numbers that repeat (each value twice on average) look like class labels;
    # all-different scores such as the exam's do not.
    is_classes = (len(targets) == 1 and np.all(y == np.round(y)) and 2 <= len(classes) <= MAX_CLASSES
                  and len(classes) <= len(y) / 2)
    if task is None:
        task = "regression" if not is_classes else ("binary" if len(classes) == 2 else "multiclass")
    elif task != "regression" and not is_classes:
        raise ValueError(
            f"a {task} target must be one column of whole-number classes (2 to {MAX_CLASSES} of them)."
        )
    if task == "binary" and len(classes) != 2:
        raise ValueError(f"a binary target needs exactly 2 classes, column {targets[0]!r} has {len(classes)}.")
    target_names = tuple(targets)
    if task == "binary":
        y = (y == classes[1]).astype(float)
    elif task == "multiclass":
        y = (y == classes).astype(float)  # one-hot, (n_samples, n_classes)
        target_names = tuple(f"{targets[0]}={value:g}" for value in classes)
    return Dataset(name, X, y, tuple(inputs), target_names, task)


def to_csv(dataset):
    """CSV text that parse_csv reads back to the same data (classes as one column of labels)."""
    if dataset.task == "multiclass":
        column = dataset.target_names[0].split("=")[0]
        values = np.array([float(name.split("=", 1)[1]) for name in dataset.target_names])
        targets, names = values[dataset.y.argmax(axis=1)][:, None], [column]
    else:
        targets, names = dataset.y, list(dataset.target_names)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*dataset.feature_names, *names])
    writer.writerows([[f"{v:.17g}" for v in row] for row in np.hstack([dataset.X, targets])])
    return buffer.getvalue()
