"""Loss functions: what the loss chart shows, and the cost that backprop differentiates.

Each loss has a ``value`` (a mean over samples: the number the learner reads) and a
per-sample ``cost`` with its ``gradient`` with respect to the network's output. For squared
error the cost carries the textbook ½, so its gradient is simply (output - target), the
error signal of the tutorial's backprop; the value is the plain mean squared error the
tutorial prints. The same record carries the loss's formulas for the maths view and the
gradient as a NumPy line; ``TASKS`` says which losses suit which kind of target.

The cross-entropies take logarithms of probabilities, and a probability near 0 or 1 has
already lost the digits its logarithm needs (σ(40) rounds to 1, so log(1 - σ(40)) is -inf).
So a network computes them from the output layer's weighted sums z instead, with
log-sigmoid and log-sum-exp (``from_sums``): exact for any finite z, with no clip. A
cross-entropy after an output activation it has no such form for (softmax + binary
cross-entropy, or after tanh, relu, linear) is refused by Config.
Imports nothing but NumPy.
"""
from functools import partial
from typing import Callable, NamedTuple

import numpy as np

from .activations import sigmoid


class OutputLoss(NamedTuple):
    """A loss computed from the output layer's weighted sums z (n_samples, n_outputs)."""

    cost: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (z, y) -> (n_samples,)
    delta: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]  # (z, a, y) -> d cost / dz
    collapses: bool  # delta is simply a - y: the maths view shows that, not the chain rule


class Loss(NamedTuple):
    value: Callable[[np.ndarray, np.ndarray], float]
    cost: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (n_samples,)
    gradient: Callable[[np.ndarray, np.ndarray], np.ndarray]  # d cost / d output, (n_samples, n_outputs)
    formula: str  # what the maths view prints
    error_formula: str | None = None  # the gradient as a NumPy line of the output a{L} and y
    # Output activation name -> the loss from z. Empty: computed from the outputs, after any activation.
    from_sums: dict = {}
    # What the maths view says of the cost instead of the formula, where the two differ.
    cost_formula: str | None = None


def softplus(z):
    """log(1 + e^z) without overflow, and exact where e^z is tiny (-log σ(-z))."""
    return np.logaddexp(0.0, z)


def negative_log_softmax(z):
    """-log softmax(z) row by row, for z of shape (n_samples, n_classes), exact to the last digits.

    -log softmax(z)_k = (max - z_k) + log(1 + Σ_{j ≠ largest} e^(z_j - max)): two terms that are
    never negative, so nothing cancels, and log1p keeps the small sums a confident network has.
    """
    largest = z.argmax(axis=1)[:, None]
    shifted = z - np.take_along_axis(z, largest, axis=1)  # ≤ 0, and 0 at the largest
    others = np.exp(shifted)
    np.put_along_axis(others, largest, 0.0, axis=1)
    return np.log1p(others.sum(axis=1, keepdims=True)) - shifted


def _mse_value(output, target):
    error = output - target
    return float(np.mean(error * error))


def _half_squared_error(output, target):
    error = output - target
    return 0.5 * (error * error).sum(axis=1)


def _binary_cross_entropy(output, target):
    return -(target * np.log(output) + (1.0 - target) * np.log(1.0 - output)).sum(axis=1)


def _cross_entropy(output, target):
    return -(target * np.log(output)).sum(axis=1)


def _mean_cost(cost, output, target):
    """The loss the chart shows for ``cost``: the mean of its per-sample costs."""
    return float(np.mean(cost(output, target)))


LOSSES = {
    "mse": Loss(
        _mse_value, _half_squared_error, lambda o, y: o - y, "mean((ŷ - y)²)", "a{L} - y",
        cost_formula="Cost per sample ½·Σ(a − y)², so ∂cost/∂a = a − y (the chart shows mean((a − y)²))",
    ),
    "binary_cross_entropy": Loss(
        partial(_mean_cost, _binary_cross_entropy),
        _binary_cross_entropy,
        lambda o, y: (o - y) / (o * (1.0 - o)),
        "-mean(y·log ŷ + (1 - y)·log(1 - ŷ))",
        "(a{L} - y) / (a{L} * (1 - a{L}))",
        {
            # -log σ(z) = softplus(-z), -log(1 - σ(z)) = softplus(z); both terms ≥ 0, so nothing cancels.
            "sigmoid": OutputLoss(
                lambda z, y: (y * softplus(-z) + (1.0 - y) * softplus(z)).sum(axis=1),
                lambda z, a, y: a - y,
                collapses=True,
            ),
        },
    ),
    "cross_entropy": Loss(
        partial(_mean_cost, _cross_entropy),
        _cross_entropy,
        lambda o, y: -y / o,
        "-mean(Σ y·log ŷ)",
        "-y / a{L}",
        {
            # Targets are class probabilities (rows summing to 1), so d cost / dz = a - y.
            "softmax": OutputLoss(
                lambda z, y: (y * negative_log_softmax(z)).sum(axis=1),
                lambda z, a, y: a - y,
                collapses=True,
            ),
            # Each output its own probability: d(-y log σ(z))/dz = -y (1 - σ(z)) = -y σ(-z), exact.
            "sigmoid": OutputLoss(
                lambda z, y: (y * softplus(-z)).sum(axis=1),
                lambda z, a, y: -y * sigmoid(-z),
                collapses=False,
            ),
        },
    ),
}


class Task(NamedTuple):
    output_activation: str  # what the output layer of a new network for the task uses
    losses: tuple  # the losses that suit the task, the one it is built with first


# Which output and losses suit each kind of target: the app offers these losses, and
# suggested_settings (experiment.py) builds a new network with the output and the first loss.
TASKS = {
    "regression": Task("linear", ("mse",)),
    "binary": Task("sigmoid", ("binary_cross_entropy", "mse")),
    "multiclass": Task("softmax", ("cross_entropy", "mse")),
}


def check_pairing(loss, output_activation):
    """Raise ValueError when ``loss`` cannot follow an output layer of ``output_activation``."""
    suited = LOSSES[loss].from_sums
    if suited and output_activation not in suited:
        reason = {
            "softmax": "softmax makes the outputs share one probability (they sum to 1), while "
                       "binary cross-entropy scores each output as its own yes-or-no",
        }.get(output_activation, f"{output_activation} outputs are not probabilities, so their logarithm means nothing")
        raise ValueError(
            f"loss {loss!r} cannot follow a {output_activation} output layer: {reason}; "
            f"use a {' or '.join(suited)} output layer, or the loss 'mse'."
        )
