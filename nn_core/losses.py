"""Loss functions: what the loss chart shows, and the cost that backprop differentiates.

Each loss has a ``value`` (a mean over samples: the number the learner reads) and a
per-sample ``cost`` with its ``gradient`` with respect to the network's output. For squared
error the cost carries the textbook ½, so its gradient is simply (output - target), the
error signal of the tutorial's backprop; the value is the plain mean squared error the
tutorial prints. Imports nothing but NumPy.
"""
from typing import Callable, NamedTuple

import numpy as np

# Probabilities are clipped this far from 0 and 1 so that log() stays finite.
EPSILON = 1e-12


class Loss(NamedTuple):
    value: Callable[[np.ndarray, np.ndarray], float]
    cost: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (n_samples,)
    gradient: Callable[[np.ndarray, np.ndarray], np.ndarray]  # d cost / d output, (n_samples, n_outputs)
    formula: str


def _mse_value(output, target):
    error = output - target
    return float(np.mean(error * error))


def _half_squared_error(output, target):
    error = output - target
    return 0.5 * (error * error).sum(axis=1)


def _binary_cross_entropy(output, target):
    p = np.clip(output, EPSILON, 1.0 - EPSILON)
    return -(target * np.log(p) + (1.0 - target) * np.log(1.0 - p)).sum(axis=1)


def _binary_cross_entropy_gradient(output, target):
    p = np.clip(output, EPSILON, 1.0 - EPSILON)
    return (p - target) / (p * (1.0 - p))


def _cross_entropy(output, target):
    return -(target * np.log(np.clip(output, EPSILON, 1.0))).sum(axis=1)


def _cross_entropy_gradient(output, target):
    return -target / np.clip(output, EPSILON, 1.0)


LOSSES = {
    "mse": Loss(_mse_value, _half_squared_error, lambda o, y: o - y, "mean((ŷ - y)²)"),
    "binary_cross_entropy": Loss(
        lambda o, y: float(np.mean(_binary_cross_entropy(o, y))),
        _binary_cross_entropy,
        _binary_cross_entropy_gradient,
        "-mean(y·log ŷ + (1 - y)·log(1 - ŷ))",
    ),
    "cross_entropy": Loss(
        lambda o, y: float(np.mean(_cross_entropy(o, y))),
        _cross_entropy,
        _cross_entropy_gradient,
        "-mean(Σ y·log ŷ)",
    ),
}

# Pairs whose output delta collapses to (output - target): exact, and free of the
# division by p(1 - p) that saturated outputs would turn into inf.
CANONICAL_PAIRS = {("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy")}
