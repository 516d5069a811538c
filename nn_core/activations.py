"""Activation functions: one record each, with everything the engine and the app need of it.

A record carries the function, its derivative written in terms of its own output (backprop
keeps every layer's output ``a``, so sigmoid' = a(1 - a), tanh' = 1 - a**2, never a function of
the weighted sum ``z``), and the same maths as text for each place that shows or generates it:
the formula the maths view prints, the derivative as a NumPy expression of the output (the
maths view's NumPy lines), the body of a NumPy function for the exported script, and the
straight-line form on Python floats the fast path writes out. Softmax mixes its outputs, so it
has no elementwise derivative; its ``backward`` applies the Jacobian. Adding an activation
means one function and one entry here.
Imports nothing but NumPy.
"""
from typing import Callable, NamedTuple

import numpy as np


class Activation(NamedTuple):
    function: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray] | None  # of the output a; None: not elementwise
    formula: str  # what the maths view prints, and the exported function's docstring
    # The rest is None for the learner's own activation, which exists only as Python functions.
    symbol: str | None = None  # how a formula calls it where that is not its name (σ for sigmoid)
    derivative_code: str | None = None  # the derivative as NumPy code of the output a{k}
    numpy_code: str | None = None  # the body of ``def name(z):`` in the exported script, to the last bit
    # (the function of {z}, the derivative of {a}) on Python floats, as the fast path writes them out
    straight_line: tuple[str, str] | None = None
    # (a, dJ/da) -> dJ/dz where the outputs mix (softmax), so that no derivative is elementwise
    jacobian_product: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None

    def backward(self, a, grad_a):
        """dJ/dz from dJ/da, both of shape (n_samples, n_neurons), given the layer's output a."""
        if self.derivative is None:
            return self.jacobian_product(a, grad_a)
        return grad_a * self.derivative(a)


def sigmoid(z):
    # exp(-z) overflows for z < -709; sigmoid(-700) is already 1e-304, so clip there
    # (cheaper than silencing the warning, which costs more than the maths for small arrays).
    return 1.0 / (1.0 + np.exp(-np.maximum(z, -700.0)))


def softmax(z):
    """Row-wise softmax of ``z`` of shape (n_samples, n_classes), shifted by the row max for safety."""
    shifted = np.exp(z - z.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _softmax_backward(a, grad_a):
    # Jacobian-vector product of softmax: dz_j = a_j * (g_j - sum_k g_k a_k)
    return a * (grad_a - (grad_a * a).sum(axis=1, keepdims=True))


ACTIVATIONS = {
    "sigmoid": Activation(
        sigmoid, lambda a: a * (1.0 - a), "σ(z) = 1 / (1 + e^-z)",
        symbol="σ",
        derivative_code="a{k} * (1 - a{k})",
        numpy_code=(
            "# e^-z overflows below z = -709; sigmoid(-700) is already 1e-304, so clip there.\n"
            "return 1.0 / (1.0 + np.exp(-np.maximum(z, -700.0)))"
        ),
        # math.exp raises OverflowError below z = -709: the fast path hands that epoch to NumPy.
        straight_line=("1.0 / (1.0 + exp(-{z}))", "{a} * (1.0 - {a})"),
    ),
    "tanh": Activation(
        np.tanh, lambda a: 1.0 - a * a, "tanh(z)",
        derivative_code="(1 - a{k}**2)",
        numpy_code="return np.tanh(z)",
        straight_line=("tanh({z})", "(1.0 - {a} * {a})"),
    ),
    "relu": Activation(
        lambda z: np.maximum(z, 0.0), lambda a: (a > 0.0).astype(a.dtype), "max(0, z)",
        derivative_code="(a{k} > 0)",
        numpy_code="return np.maximum(z, 0.0)",
        straight_line=("({z} if {z} > 0.0 else 0.0)", "(1.0 if {a} > 0.0 else 0.0)"),
    ),
    "linear": Activation(
        lambda z: z, np.ones_like, "z",
        derivative_code="1",
        numpy_code="return z",
        straight_line=("{z}", "1.0"),
    ),
    "softmax": Activation(
        softmax, None, "e^z / Σ e^z",
        numpy_code=(
            "shifted = np.exp(z - z.max(axis=1, keepdims=True))  # minus each row's largest: e^z cannot overflow\n"
            "return shifted / shifted.sum(axis=1, keepdims=True)  # each row sums to 1"
        ),
        jacobian_product=_softmax_backward,
    ),
}



def activation_text(name, field):
    """The text ``field`` ("symbol", "derivative_code", "numpy_code" or "straight_line") of activation
    ``name``'s record, or None: the learner's own activation has none, and may since have been taken out."""
    activation = ACTIVATIONS.get(name)
    return None if activation is None else getattr(activation, field)


# Softmax only makes sense on the output layer, where its outputs are class probabilities.
# A list: the learner's own activation joins it (nn_core.custom.register).
HIDDEN_ACTIVATIONS = [name for name in ACTIVATIONS if name != "softmax"]
