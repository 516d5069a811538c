"""Activation functions, each with its derivative written in terms of its own output.

Backprop keeps every layer's output ``a``, so the derivative is a function of ``a``
(sigmoid' = a(1 - a), tanh' = 1 - a**2), never of the weighted sum ``z``. Softmax mixes
its outputs, so it has no elementwise derivative; its ``backward`` applies the Jacobian.
Imports nothing but NumPy.
"""
from typing import Callable, NamedTuple

import numpy as np


class Activation(NamedTuple):
    function: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray] | None  # of the output a; None: not elementwise
    backward: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (a, dJ/da) -> dJ/dz
    formula: str  # what the maths view prints


def sigmoid(z):
    # exp(-z) overflows for z < -709; sigmoid(-700) is already 1e-304, so clip there
    # (cheaper than silencing the warning, which costs more than the maths for small arrays).
    return 1.0 / (1.0 + np.exp(-np.maximum(z, -700.0)))


def softmax(z):
    """Row-wise softmax of ``z`` of shape (n_samples, n_classes), shifted by the row max for safety."""
    shifted = np.exp(z - z.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _elementwise(function, derivative, formula):
    return Activation(function, derivative, lambda a, grad_a: grad_a * derivative(a), formula)


def _softmax_backward(a, grad_a):
    # Jacobian-vector product of softmax: dz_j = a_j * (g_j - sum_k g_k a_k)
    return a * (grad_a - (grad_a * a).sum(axis=1, keepdims=True))


ACTIVATIONS = {
    "sigmoid": _elementwise(sigmoid, lambda a: a * (1.0 - a), "σ(z) = 1 / (1 + e^-z)"),
    "tanh": _elementwise(np.tanh, lambda a: 1.0 - a * a, "tanh(z)"),
    "relu": _elementwise(
        lambda z: np.maximum(z, 0.0), lambda a: (a > 0.0).astype(a.dtype), "max(0, z)"
    ),
    "linear": _elementwise(lambda z: z, np.ones_like, "z"),
    "softmax": Activation(softmax, None, _softmax_backward, "e^z / Σ e^z"),
}

# Softmax only makes sense on the output layer, where its outputs are class probabilities.
# A list: the learner's own activation joins it (nn_core.custom.register).
HIDDEN_ACTIVATIONS = [name for name in ACTIVATIONS if name != "softmax"]
