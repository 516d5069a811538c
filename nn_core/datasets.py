"""Built-in datasets and the train/test split.

``exam`` is the tutorial's three students. The others follow TF Playground's generators
(tensorflow/playground, src/dataset.ts): four classification problems on the plane with
labels 0/1 instead of -1/+1, and two regression surfaces. ``digits`` are 8 × 8 images of
handwritten digits, ten classes (see ``images.py``). ``noise`` means what TF
Playground's noise slider means, as a fraction from 0 to 0.5 (the slider shows 0 to 50 %).
Randomness comes only from ``np.random.default_rng(seed)``, so a seed replays the same data.
Imports nothing but NumPy and the standard library.
"""
import numbers
from typing import Callable, NamedTuple

import numpy as np

from .images import SIDE, digits_table

MAX_SAMPLES = 100_000  # rows; enough for any picture, small enough for the browser
MAX_NOISE = 0.5  # TF Playground's slider stops at 50 %
MAX_TEST_RATIO = 0.9  # the training set keeps at least a tenth of the data
TASKS = ("regression", "binary", "multiclass")


class Dataset(NamedTuple):
    """Inputs and targets in original units, with their names and the kind of task."""

    name: str
    X: np.ndarray  # (n_samples, n_features) float64, original units
    y: np.ndarray  # (n_samples, n_targets) float64; classes as 0/1 (binary: one column) or one-hot
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]  # multiclass: one name per class column, such as "label=3"
    task: str  # one of TASKS


def exam(n_samples=3, noise=0.0, seed=0):
    """The tutorial's data: hours studied and hours slept → test score.

    Always the same 3 rows: ``n_samples``, ``noise`` and ``seed`` are ignored.
    """
    return Dataset(
        "exam",
        np.array([[2.0, 9.0], [1.0, 5.0], [3.0, 6.0]]),
        np.array([[92.0], [86.0], [89.0]]),
        ("hours studied", "hours slept"),
        ("test score",),
        "regression",
    )


def _classes(name, X, is_positive):
    """A binary Dataset on the plane; X has shape (n_samples, 2), is_positive (n_samples,)."""
    y = is_positive.astype(float)[:, None]  # (n_samples, 1)
    return Dataset(name, X, y, ("x1", "x2"), ("class",), "binary")


def _halves(n_samples):
    """The first half of the rows (class 1 in TF) and the second half, as a boolean mask."""
    return np.arange(n_samples) < n_samples // 2


def xor(n_samples=500, noise=0.0, seed=0):
    """Four quadrants: class 1 where x1·x2 ≥ 0. Points keep 0.3 away from both axes.

    Noise moves the point used for the label, not the point drawn, so it flips labels
    near the axes.
    """
    rng = np.random.default_rng(seed)
    X = rng.uniform(-5.0, 5.0, (n_samples, 2))
    X += np.where(X > 0, 0.3, -0.3)  # TF's padding: an empty band along each axis
    shifted = X + rng.uniform(-5.0, 5.0, X.shape) * noise
    return _classes("xor", X, shifted[:, 0] * shifted[:, 1] >= 0)


def circle(n_samples=500, noise=0.0, seed=0):
    """A disc of class 1 (radius 2.5) inside a ring of class 0 (radius 3.5 to 5).

    Noise moves the point used for the label, so some points in the ring become class 1
    and some in the disc class 0.
    """
    rng = np.random.default_rng(seed)
    inner = _halves(n_samples)
    radius = np.where(inner, rng.uniform(0.0, 2.5, n_samples), rng.uniform(3.5, 5.0, n_samples))
    angle = rng.uniform(0.0, 2 * np.pi, n_samples)
    X = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])  # (n_samples, 2)
    shifted = X + rng.uniform(-5.0, 5.0, X.shape) * noise
    return _classes("circle", X, np.hypot(shifted[:, 0], shifted[:, 1]) < 2.5)


def gaussians(n_samples=500, noise=0.0, seed=0):
    """Two round clouds: class 1 around (2, 2), class 0 around (-2, -2).

    Noise widens both clouds until they overlap: the variance grows from 0.5 to 4.
    """
    rng = np.random.default_rng(seed)
    positive = _halves(n_samples)
    variance = 0.5 + 7.0 * noise  # TF maps noise 0..0.5 linearly onto variance 0.5..4
    centres = np.where(positive[:, None], 2.0, -2.0)  # (n_samples, 1), the same on both axes
    X = centres + rng.normal(0.0, np.sqrt(variance), (n_samples, 2))
    return _classes("gaussians", X, positive)


def three_clouds(n_samples=500, noise=0.0, seed=0):
    """Three round clouds, classes 0, 1 and 2, around the corners of a triangle: a softmax problem.

    Targets are one-hot (n_samples, 3); noise widens the clouds as in ``gaussians``.
    """
    rng = np.random.default_rng(seed)
    labels = np.arange(n_samples) % 3
    centres = np.array([[0.0, 3.0], [-2.6, -1.5], [2.6, -1.5]])[labels]
    X = centres + rng.normal(0.0, np.sqrt(0.5 + 7.0 * noise), (n_samples, 2))
    return Dataset("three_clouds", X, np.eye(3)[labels], ("x1", "x2"), ("class=0", "class=1", "class=2"),
                   "multiclass")


def spiral(n_samples=500, noise=0.0, seed=0):
    """Two interleaved spirals of 1.75 turns, radius 0 to 5; noise jitters the points."""
    rng = np.random.default_rng(seed)
    first = _halves(n_samples)
    n_first = n_samples // 2
    arm_size = np.where(first, n_first, n_samples - n_first)
    step = (np.arange(n_samples) - np.where(first, 0, n_first)) / arm_size  # 0 → 1 along each arm
    radius = 5.0 * step
    turn = 1.75 * 2 * np.pi * step + np.where(first, 0.0, np.pi)  # the second arm is turned half way
    X = np.column_stack([radius * np.sin(turn), radius * np.cos(turn)])  # (n_samples, 2)
    X += rng.uniform(-1.0, 1.0, X.shape) * noise
    return _classes("spiral", X, first)


def _surface(name, n_samples, noise, seed, height):
    """A regression Dataset: points uniform on [-6, 6]², the value ``height`` at a shifted point.

    ``height`` maps points of shape (n_samples, 2) to values of shape (n_samples,).
    """
    rng = np.random.default_rng(seed)
    X = rng.uniform(-6.0, 6.0, (n_samples, 2))
    shifted = X + rng.uniform(-6.0, 6.0, X.shape) * noise
    return Dataset(name, X, height(shifted)[:, None], ("x1", "x2"), ("value",), "regression")


def _plane_height(X):
    return X.sum(axis=1) / 10.0  # TF maps x1 + x2 from [-10, 10] onto [-1, 1]


def plane(n_samples=500, noise=0.0, seed=0):
    """A tilted plane: value = (x1 + x2) / 10. Noise blurs the values, not the points."""
    return _surface("plane", n_samples, noise, seed, _plane_height)


# Centre x1, centre x2, sign of each bump (TF's "reg-gauss").
_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]], float)


def _bump_height(X):
    distance = np.hypot(X[:, None, 0] - _BUMPS[:, 0], X[:, None, 1] - _BUMPS[:, 1])  # (n_samples, 6)
    heights = _BUMPS[:, 2] * np.clip(1.0 - distance / 2.0, 0.0, 1.0)  # each cone falls to 0 at distance 2
    strongest = np.abs(heights).argmax(axis=1)  # TF keeps the bump largest in absolute value
    return heights[np.arange(len(X)), strongest]


def gaussian_bump(n_samples=500, noise=0.0, seed=0):
    """Six bumps, three up (+1) and three down (-1); 0 between them. Noise blurs the values."""
    return _surface("gaussian_bump", n_samples, noise, seed, _bump_height)


def digits(n_samples=1797, noise=0.0, seed=0):
    """Handwritten digits: 1,797 images of 8 × 8 pixels, each pixel the share of its block that is
    inked (0 to 1), named "pixel r1c1" (row 1, column 1) to "pixel r8c8"; one-hot classes "digit=0"
    to "digit=9".

    Always the same rows: ``n_samples``, ``noise`` and ``seed`` are ignored (the split shuffles).
    """
    table = digits_table()  # (1797, 65) uint8
    X = table[:, :-1] / 16.0  # (n_samples, 64): ink counted out of the 16 fine pixels of a block
    names = tuple(f"pixel r{row + 1}c{column + 1}" for row in range(SIDE) for column in range(SIDE))
    return Dataset("digits", X, np.eye(10)[table[:, -1]], names, tuple(f"digit={d}" for d in range(10)),
                   "multiclass")


# Keyed by the name users see, in the order the app lists them.
DATASETS: dict[str, Callable[..., Dataset]] = {
    "exam": exam,
    "xor": xor,
    "circle": circle,
    "gaussians": gaussians,
    "spiral": spiral,
    "three_clouds": three_clouds,
    "plane": plane,
    "gaussian_bump": gaussian_bump,
    "digits": digits,
}


def example_input(dataset):
    """An input to ask a trained network about, in original units: the tutorial's question
    (4 hours studied, 8 hours slept) for the exam data, else a typical one, each column's mean
    rounded to a tenth of its spread (so the origin stays 0 for data centred on it).
    Returns a list of n_features floats."""
    if dataset.name.startswith("exam"):
        return [4.0, 8.0]
    X = np.asarray(dataset.X, dtype=float)  # (n_samples, n_features)
    typical = []
    for mean, spread in zip(X.mean(axis=0), X.std(axis=0)):
        digits = 0 if spread == 0 else int(-np.floor(np.log10(spread / 10)))
        typical.append(round(float(mean), digits) + 0.0)  # + 0.0: never "-0"
    return typical


def _is_integer(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _check_seed(seed):
    if not _is_integer(seed) or seed < 0:
        raise ValueError(f"seed must be a whole number 0 or more, got {seed!r}; try 0.")


def make_dataset(name: str, n_samples: int = 500, noise: float = 0.0, seed: int = 0) -> Dataset:
    """The built-in dataset ``name``, generated from ``seed``.

    Parameters
    ----------
    name : str
        A key of ``DATASETS``.
    n_samples : int
        Rows to generate, 2 to 100,000. ``exam`` and ``digits`` always have their own rows.
    noise : float
        0 to 0.5, as TF Playground's noise slider (0 to 50 %). ``exam`` and ``digits`` ignore it.
    seed : int
        Same seed, same data; a non-negative integer.

    Returns
    -------
    Dataset
        X of shape (n_samples, n_features) and y of shape (n_samples, n_targets), float64.

    Raises
    ------
    ValueError
        If any argument is outside the ranges above.
    """
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of: {', '.join(DATASETS)}.")
    if not _is_integer(n_samples) or not 2 <= n_samples <= MAX_SAMPLES:
        raise ValueError(
            f"n_samples must be a whole number from 2 to {MAX_SAMPLES}, got {n_samples!r}; try 500."
        )
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not 0.0 <= noise <= MAX_NOISE:
        raise ValueError(
            f"noise must be from 0 to {MAX_NOISE} (0 to {MAX_NOISE * 100:g} %), got {noise!r}; "
            "for 20 % pass 0.2."
        )
    _check_seed(seed)
    return DATASETS[name](int(n_samples), float(noise), int(seed))


def train_test_split(dataset: Dataset, test_ratio: float, seed: int = 0) -> tuple[Dataset, Dataset]:
    """Shuffle the rows with ``seed`` and hold out ``test_ratio`` of them as a test set.

    Parameters
    ----------
    dataset : Dataset
        X of shape (n_samples, n_features), y of shape (n_samples, n_targets).
    test_ratio : float
        0 to 0.9. The test set gets round(n_samples * test_ratio) rows, but the training
        set always keeps at least one, so the test set may be empty.
    seed : int
        Same seed, same split.

    Returns
    -------
    train, test : Dataset
        Named "<name> (train)" and "<name> (test)". With no test rows nothing is held out
        and the training set keeps the original order; the test set then has 0 rows, with
        X of shape (0, n_features) and y of shape (0, n_targets).

    Raises
    ------
    ValueError
        If test_ratio is outside 0 to 0.9, the seed is not a whole number 0 or more, or
        the dataset has no rows.
    """
    if isinstance(test_ratio, bool) or not isinstance(test_ratio, numbers.Real) or not (
        0.0 <= test_ratio <= MAX_TEST_RATIO
    ):
        raise ValueError(
            f"test_ratio must be from 0 to {MAX_TEST_RATIO}, got {test_ratio!r}; "
            "for a 20 % test set pass 0.2."
        )
    _check_seed(seed)
    n_samples = len(dataset.X)
    if n_samples == 0:
        raise ValueError(f"dataset {dataset.name!r} has no rows, so there is nothing to train on; add data.")
    n_test = min(int(round(n_samples * test_ratio)), n_samples - 1)
    # Without a test set, keep the order so that full-batch sums match the tutorial exactly.
    order = np.random.default_rng(seed).permutation(n_samples) if n_test else np.arange(n_samples)
    test, train = order[:n_test], order[n_test:]
    return (
        dataset._replace(name=f"{dataset.name} (train)", X=dataset.X[train], y=dataset.y[train]),
        dataset._replace(name=f"{dataset.name} (test)", X=dataset.X[test], y=dataset.y[test]),
    )
