"""The learner's own Python: an activation, a loss, an input feature or a dataset, checked, then used.

``check_code(kind, source)`` runs the source in a fresh namespace (``np``, ``numpy`` and
``math`` are there), finds the function(s) the kind asks for, tries them on sample arrays
(shapes, finite values, and for activations and losses the derivative against central
finite differences) and returns a ``CustomCode`` that says what was checked, with figures.
``register(custom)`` then adds it to nn_core's tables under the name ``"custom"`` (one per
kind; a new one replaces the old), so that Config, Network and Experiment use it like a
built-in; ``unregister(kind)`` takes it out again.

Conventions, as the built-ins have them:
    activation(z) -> a, and derivative(a) -> da/dz written with the OUTPUT a (backprop keeps a);
    loss(output, target) -> one cost per sample, and gradient(output, target) -> d cost / d output;
    feature(x1, x2) -> one value per point;
    generate(n_samples, noise, rng) -> (X, y), every random number drawn from rng.

Any error in the learner's code becomes a ValueError whose message is the last line of its
traceback and the line of the code it came from ("NameError: name 'foo' is not defined
(line 3)"), so the caller shows it and goes on (see code_runner). While checking, the code may
run at most ``MAX_CHECK_LINES`` lines: an endless loop is stopped there. Training runs the functions untraced, because tracing would slow every epoch many
times over; a function that loops forever only on the training data still hangs Python,
and the page must then be reloaded. Code can do anything Python can, so it is only ever run
when the learner asks for it, never from a link.
Imports nothing but NumPy and the standard library.
"""
import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, Activation
from .code_runner import LineBudget, call, run_source
from .csv_data import MAX_COLUMNS, _encode_targets
from .datasets import DATASETS, Dataset
from .features import FEATURES
from .losses import LOSSES, Loss

CUSTOM = "custom"  # the name the learner's own function goes by, in every table
MAX_CHECK_LINES = 1_000_000  # lines of the learner's code a check may run: an endless loop stops here
# Central differences step and the relative error a derivative may have against them.
STEP = 1e-5
TOLERANCE = 1e-4
# Below this size a slope counts as zero when errors are made relative.
SLOPE_FLOOR = 1e-3

# Per kind: the functions the code must define, with the arguments they take.
FUNCTIONS = {
    "activation": ("activation(z)", "derivative(a)"),
    "loss": ("loss(output, target)", "gradient(output, target)"),
    "feature": ("feature(x1, x2)",),
    "dataset": ("generate(n_samples, noise, rng)",),
}
KINDS = tuple(FUNCTIONS)
# Per kind: nn_core's table that the code joins.
TABLES = {"activation": ACTIVATIONS, "loss": LOSSES, "feature": FEATURES, "dataset": DATASETS}


class CustomCode(NamedTuple):
    """Checked code of one kind, ready to register."""

    kind: str
    source: str
    entry: object  # what joins the table: an Activation, a Loss, a feature function or a generator
    checks: tuple  # what was checked, one sentence each, with figures


def _array(value, shape, what, hint):
    """``value`` as a float array of ``shape`` (None: any), or a ValueError that says what came back instead."""
    if value is None:
        raise ValueError(f"{what} returned None: it needs a return statement; {hint}.")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} returned {type(value).__name__}, not an array of numbers; {hint}.") from None
    if shape is not None and array.shape != shape:
        raise ValueError(f"{what} returned shape {array.shape}, expected {shape}; {hint}.")
    return array


def _all_finite(array):
    """True when every value is finite: one quick sum, which a NaN or an infinity makes non-finite."""
    return math.isfinite(np.add.reduce(array, axis=None))


def _finite(array, what, where=None):
    """``array`` if every value is finite; else a ValueError naming the first bad one.

    ``where(index)`` says which input gave the value at ``index``, e.g. "z = 3". Call it
    when _all_finite says no: it is the slow, careful look."""
    bad = ~np.isfinite(array)
    if bad.any():
        index = tuple(np.argwhere(bad)[0])
        at = f" at {where(index)}" if where is not None else f" at index {index}"
        raise ValueError(f"{what} returned {array[index]}{at}; every value must be a finite number.")
    return array  # all finite, only so large that their sum overflowed


def _at(name, values):
    """A ``where`` for _finite: the input called ``name`` at the index."""
    return lambda index: f"{name} = {float(values[index]):.6g}"


def _load(kind, source):
    """Run ``source`` and return the functions ``kind`` asks for, in FUNCTIONS order."""
    if kind not in FUNCTIONS:
        raise ValueError(f"unknown kind of code {kind!r}; choose one of: {', '.join(KINDS)}.")
    return run_source(source, FUNCTIONS[kind])


def kind_of(source):
    """The kind whose functions ``source`` defines (read as text, never run), or None."""
    for kind, signatures in FUNCTIONS.items():
        if all(f"def {signature.split('(')[0]}(" in source for signature in signatures):
            return kind
    return None


def check_code(kind, source, seed=0):
    """Run the learner's ``source`` of ``kind`` and check it; a CustomCode, or a ValueError saying what is wrong.

    Parameters
    ----------
    kind : {"activation", "loss", "feature", "dataset"}
    source : str
        Python that defines the functions of FUNCTIONS[kind].
    seed : int
        Seeds the sample arrays the functions are tried on.
    """
    # NaN and infinity are found and named by the checks: NumPy need not warn about them.
    with LineBudget(MAX_CHECK_LINES), np.errstate(all="ignore"):
        functions = _load(kind, source)
        rng = np.random.default_rng(seed)
        entry, checks = _CHECKS[kind](*functions, rng)
    return CustomCode(kind, source, entry, tuple(checks))


# ----- activations ------------------------------------------------------------------------
def _activation_entry(user_activation, user_derivative):
    def function(z):
        a = _array(call(user_activation, z.copy()), z.shape, "activation(z)", "return one output per weighted sum")
        return a if _all_finite(a) else _finite(a, "activation(z)", _at("z", z))

    def derivative(a):
        slope = _array(call(user_derivative, a.copy()), a.shape, "derivative(a)",
                       "return one slope per output, shaped like a (np.ones_like(a) for a constant)")
        return slope if _all_finite(slope) else _finite(slope, "derivative(a)", _at("a", a))

    return Activation(function, derivative, "your activation(z)")


def _worst(analytic, numeric, inputs):
    """Largest relative error of ``analytic`` against ``numeric``, and the input where it is."""
    error = np.abs(analytic - numeric) / np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), SLOPE_FLOOR)
    index = np.unravel_index(int(error.argmax()), error.shape)
    return float(error[index]), index


def _check_activation(user_activation, user_derivative, rng):
    activation = _activation_entry(user_activation, user_derivative)
    wide = np.linspace(-50.0, 50.0, 400).reshape(200, 2)  # (n_samples, n_neurons), as a layer sees it
    a = activation.function(wide)
    activation.derivative(a)
    # Points spread over where weighted sums usually are; none exactly at 0, where kinks sit.
    z = np.linspace(-6.0, 6.0, 400).reshape(200, 2)
    slope = activation.derivative(activation.function(z))
    numeric = (activation.function(z + STEP) - activation.function(z - STEP)) / (2 * STEP)
    error, index = _worst(slope, numeric, z)
    if not error <= TOLERANCE:
        raise ValueError(
            f"gradient check failed: at z = {z[index]:.4g}, derivative(activation(z)) gives {slope[index]:.6g} "
            f"but the slope of activation there is {numeric[index]:.6g} (relative error {error:.2g}, at most "
            f"{TOLERANCE:g} allowed). derivative takes the OUTPUT a = activation(z): for a = tanh(z) write 1 - a**2."
        )
    return activation, [
        (f"activation(z) gives finite outputs of the right shape for z from -50 to 50 "
         f"(400 values; a from {a.min():.4g} to {a.max():.4g})."),
        (f"derivative(a) matches the slope by central differences at 400 points from -6 to 6: "
         f"largest relative error {error:.1e} (at z = {z[index]:.4g}; at most {TOLERANCE:g} allowed)."),
    ]


# ----- losses -----------------------------------------------------------------------------
def _loss_entry(user_loss, user_gradient):
    def cost(output, target):
        costs = _array(call(user_loss, output.copy(), target.copy()), (len(output),), "loss(output, target)",
                       "return one cost per sample, e.g. (...).sum(axis=1)")
        return costs if _all_finite(costs) else _finite(costs, "loss(output, target)", lambda index: f"sample {index[0]}")

    def gradient(output, target):
        slope = _array(call(user_gradient, output.copy(), target.copy()), output.shape, "gradient(output, target)",
                       "return d cost / d output, shaped like output")
        return slope if _all_finite(slope) else _finite(slope, "gradient(output, target)", _at("output", output))

    return Loss(lambda output, target: float(np.mean(cost(output, target))), cost, gradient,
                "your loss(output, target)")


def _check_loss(user_loss, user_gradient, rng):
    loss = _loss_entry(user_loss, user_gradient)
    # Outputs inside (0, 1), so that a loss with log(output) works too; targets 0/1 and between.
    output = rng.uniform(0.05, 0.95, (20, 2))  # (n_samples, n_outputs)
    target = np.where(rng.random((20, 2)) < 0.7, rng.integers(0, 2, (20, 2)), rng.random((20, 2)))
    costs = loss.cost(output, target)
    slope = loss.gradient(output, target)
    # Each sample's cost depends on its own row only: nudge one output column of every row at once.
    numeric = np.empty_like(output)
    for column in range(output.shape[1]):
        nudge = np.zeros_like(output)
        nudge[:, column] = STEP
        numeric[:, column] = (loss.cost(output + nudge, target) - loss.cost(output - nudge, target)) / (2 * STEP)
    error, (row, column) = _worst(slope, numeric, output)
    if not error <= TOLERANCE:
        raise ValueError(
            f"gradient check failed: at output = {output[row, column]:.4g}, target = {target[row, column]:.4g}, "
            f"gradient gives {slope[row, column]:.6g} but the slope of loss there is {numeric[row, column]:.6g} "
            f"(relative error {error:.2g}, at most {TOLERANCE:g} allowed). gradient is d loss / d output: "
            "for loss 0.5 * ((output - target)**2).sum(axis=1) write output - target."
        )
    return loss, [
        (f"loss(output, target) gives one finite cost per sample for 20 samples × 2 outputs "
         f"(from {costs.min():.4g} to {costs.max():.4g})."),
        (f"gradient(output, target) matches the slope by central differences at all 40 outputs: "
         f"largest relative error {error:.1e} (at most {TOLERANCE:g} allowed)."),
    ]


# ----- input features ---------------------------------------------------------------------
def _feature_entry(user_feature):
    def feature(X):
        values = _array(call(user_feature, X[:, 0].copy(), X[:, 1].copy()), (len(X),), "feature(x1, x2)",
                        "return one value per point, shaped like x1")
        if _all_finite(values):
            return values
        return _finite(values, "feature(x1, x2)", lambda index: f"x1 = {X[index[0], 0]:.6g}, x2 = {X[index[0], 1]:.6g}")

    return feature


def _check_feature(user_feature, rng):
    feature = _feature_entry(user_feature)
    X = rng.uniform(-6.0, 6.0, (400, 2))
    values = feature(X)
    return feature, [
        (f"feature(x1, x2) gives one finite value per point for 400 points on [-6, 6]² "
         f"(from {values.min():.4g} to {values.max():.4g}).")
    ]


# ----- datasets ---------------------------------------------------------------------------
def _dataset_entry(user_generate, task=None):
    """A generator like DATASETS' for the learner's function; ``task`` None: inferred from the data."""

    def generate(n_samples, noise, seed):
        what = f"generate({n_samples}, {noise:g}, rng)"
        result = call(user_generate, n_samples, noise, np.random.default_rng(seed))
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise ValueError(f"{what} returned {type(result).__name__}; return a pair: return X, y.")
        X = _array(result[0], None, f"{what}'s X", "return an array of shape (n_samples, n_inputs)")
        y = _array(result[1], None, f"{what}'s y", "return an array of shape (n_samples,)")
        n_inputs = X.shape[1] if X.ndim == 2 else 0
        if X.ndim != 2 or len(X) != n_samples or not 1 <= n_inputs < MAX_COLUMNS:
            raise ValueError(f"{what}'s X has shape {X.shape}; it must be ({n_samples}, n_inputs), "
                             f"with 1 to {MAX_COLUMNS - 1} inputs.")
        if y.ndim == 1:
            y = y[:, None]
        if y.ndim != 2 or len(y) != n_samples or not 1 <= y.shape[1] <= MAX_COLUMNS - n_inputs:
            raise ValueError(f"{what}'s y has shape {y.shape}; it must be ({n_samples},) or ({n_samples}, n_targets).")
        _finite(X, f"{what}'s X")
        _finite(y, f"{what}'s y")
        names = ("y",) if y.shape[1] == 1 else tuple(f"y{k + 1}" for k in range(y.shape[1]))
        try:
            found, targets, target_names = _encode_targets(y, names, task)
        except ValueError as error:
            raise ValueError(f"{what}: {error}") from None
        inputs = tuple(f"x{k + 1}" for k in range(n_inputs))
        return Dataset(CUSTOM, X, targets, inputs, target_names, found)

    return generate


def _check_dataset(user_generate, rng):
    generate = _dataset_entry(user_generate)
    dataset = generate(200, 0.1, 0)
    again = generate(200, 0.1, 0)
    if not (np.array_equal(dataset.X, again.X) and np.array_equal(dataset.y, again.y)):
        raise ValueError(
            "generate gave different data for the same seed: draw every random number from rng "
            "(rng.uniform, rng.normal, …), not from np.random, so that a seed brings the same data back."
        )
    generate = _dataset_entry(user_generate, dataset.task)  # the task stays what this data showed
    small = generate(10, 0.0, 1)
    if dataset.task == "regression":
        kind = f"numbers from {dataset.y.min():.4g} to {dataset.y.max():.4g} (a regression)"
    else:
        counts = (dataset.y.sum(axis=0) if dataset.task == "multiclass"
                  else [len(dataset.y) - dataset.y.sum(), dataset.y.sum()])
        kind = f"{len(counts)} classes of {' + '.join(f'{count:.0f}' for count in counts)} points"
    return generate, [
        f"generate(200, 0.1, rng) gives X of shape {dataset.X.shape} and finite targets: {kind}.",
        "Seed 0 gives the same data twice.",
        f"generate(10, 0, rng) gives data of the same kind (X of shape {small.X.shape}).",
    ]


_CHECKS: dict[str, Callable] = {
    "activation": _check_activation,
    "loss": _check_loss,
    "feature": _check_feature,
    "dataset": _check_dataset,
}


# ----- the tables -------------------------------------------------------------------------
def register(custom):
    """Add checked code to nn_core's table for its kind, as ``"custom"``; it replaces an earlier one.

    Networks built before keep the functions they were built with; build anew to use it.
    """
    TABLES[custom.kind][CUSTOM] = custom.entry
    if custom.kind == "activation" and CUSTOM not in HIDDEN_ACTIVATIONS:
        HIDDEN_ACTIVATIONS.append(CUSTOM)


def unregister(kind):
    """Take the custom code of ``kind`` out of nn_core's tables (nothing happens if there is none)."""
    TABLES[kind].pop(CUSTOM, None)
    if kind == "activation" and CUSTOM in HIDDEN_ACTIVATIONS:
        HIDDEN_ACTIVATIONS.remove(CUSTOM)


def is_registered(kind):
    """True when the learner's code of ``kind`` is in nn_core's tables."""
    return CUSTOM in TABLES[kind]
