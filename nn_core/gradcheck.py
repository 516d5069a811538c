"""Backprop checked a second way: every gradient against central finite differences.

``gradient_check`` nudges each weight and bias by ±h, measures the cost J twice, and compares
(J(w + h) - J(w - h)) / 2h with the gradient backprop computed. A relative error around 1e-7
or smaller says backprop is right; a large one points at the parameter where it is wrong
(or at a kink: relu at 0, L1 at 0). Imports nothing but NumPy and the standard library.
"""
from typing import NamedTuple

import numpy as np

# Every check costs two passes over the data per parameter: beyond this many, check a sample.
MAX_CHECKED = 400


class GradientCheck(NamedTuple):
    """One row per checked parameter; ``names`` such as "W1[0, 2]" or "b2[0]"."""

    names: list
    backprop: np.ndarray  # (n_checked,)
    numeric: np.ndarray  # (n_checked,)
    relative_error: np.ndarray  # (n_checked,)
    n_parameters: int  # of the whole network; more than n_checked when it was sampled


def parameter_names(network):
    """Names of the flat parameters, in the order of ``network.params``: "W1[i, j]", "b1[j]"."""
    names = []
    for k, W in enumerate(network.weights, start=1):
        names += [f"W{k}[{i}, {j}]" for i in range(W.shape[0]) for j in range(W.shape[1])]
        if network.config.use_bias:
            names += [f"b{k}[{j}]" for j in range(W.shape[1])]
    return names


def finite_difference_gradients(network, X, y, step=1e-6, indices=None):
    """Central differences of ``network.objective(X, y)`` for the parameters at ``indices``
    (default: all). Returns an array of shape (len(indices),); the network is left as it was."""
    indices = range(network.params.size) if indices is None else indices
    numeric = np.zeros(len(indices))
    for row, i in enumerate(indices):
        original = network.params[i]
        network.params[i] = original + step
        plus = network.objective(X, y)
        network.params[i] = original - step
        minus = network.objective(X, y)
        network.params[i] = original
        numeric[row] = (plus - minus) / (2 * step)
    return numeric


def relative_error(a, b):
    """|a - b| / (|a| + |b|), with a floor so that two near-zero numbers count as equal."""
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-10)


def gradient_check(network, X=None, y=None, step=1e-6, max_checked=MAX_CHECKED, seed=0):
    """Backprop's gradient of every parameter (at most ``max_checked``, an even random sample
    beyond that) next to its central difference, on the training data by default."""
    X = network.X_train if X is None else X
    y = network.y_train if y is None else y
    if X is None:
        raise ValueError("no training data to check the gradients on: call set_data(X, y) first.")
    saved = network.grads.copy()
    backprop = network.gradients(X, y)
    network.grads[:] = saved
    n_parameters = network.params.size
    indices = np.arange(n_parameters)
    if n_parameters > max_checked:
        indices = np.sort(np.random.default_rng(seed).choice(n_parameters, max_checked, replace=False))
    numeric = finite_difference_gradients(network, X, y, step, indices)
    names = parameter_names(network)
    return GradientCheck([names[i] for i in indices], backprop[indices], numeric,
                         relative_error(backprop[indices], numeric), n_parameters)
