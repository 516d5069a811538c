"""The maths of one gradient step, laid out for a learner to read.

``explain_step(network)`` works out the step the next full-batch epoch takes from the current
weights, without taking it: the forward sums and activations, the output error, every layer's
deltas, each weight's gradient and the update the optimiser would apply. ``numpy_lines`` lists
the NumPy line that computes each of these quantities, with the shapes of its arrays, so the
page can show the code beside the numbers. Imports nothing but NumPy and the standard library.
"""
import copy
from typing import NamedTuple

from .activations import ACTIVATIONS, activation_text
from .network import _views


class StepExplanation(NamedTuple):
    """Arrays of one step over the whole training set. Item k of each list is layer k + 1.

    ``X`` (n_samples, n_inputs) and ``y`` (n_samples, n_outputs) are the scaled data;
    ``weights`` and ``biases`` are copies of the network's before the step;
    ``sums[k]``, ``activations[k + 1]``, ``deltas[k]`` have shape (n_samples, layer_sizes[k + 1]);
    ``output_error`` = dcost/da of the output, per sample, before the activation's derivative;
    gradients, updates and new values have the shapes of the weights and biases.
    """

    X: object
    y: object
    weights: list
    biases: list
    sums: list
    activations: list
    output_error: object
    deltas: list
    weight_gradients: list
    bias_gradients: list
    weight_updates: list
    bias_updates: list
    new_weights: list
    new_biases: list
    derivatives: list  # f'(a) of each layer, (n_samples, size); None where not elementwise (softmax)
    canonical: bool  # the output delta collapsed to a - y (sigmoid + BCE, softmax + CE)


def explain_step(network):
    """The next full-batch gradient step from the current weights, worked out but not taken."""
    X, y = network.X_train, network.y_train
    if X is None:
        raise ValueError("no training data: call set_data(X, y) first.")
    sums, activations, deltas, grads = network.step_arrays(X, y)
    # The optimiser's own step, on copies: momentum and Adam remember earlier steps.
    optimizer = copy.deepcopy(network.optimizer)
    params, update = network.params.copy(), network.params.copy()
    optimizer.step(params, grads, update)
    shapes = [W.shape for W in network.weights]
    use_bias = network.config.use_bias
    weight_gradients, bias_gradients = _views(grads, shapes, use_bias)
    weight_updates, bias_updates = _views(update, shapes, use_bias)
    new_weights, new_biases = _views(params, shapes, use_bias)
    output_error = network.loss_function.gradient(activations[-1], y)
    weights, biases = [W.copy() for W in network.weights], [b.copy() for b in network.biases]
    derivatives = []
    for name, a in zip(network.config.activations, activations[1:]):
        derivative = ACTIVATIONS[name].derivative
        derivatives.append(None if derivative is None else derivative(a))
    return StepExplanation(X, y, weights, biases, sums, activations, output_error, deltas, weight_gradients,
                           bias_gradients, weight_updates, bias_updates, new_weights, new_biases, derivatives,
                           network.canonical_output)


class NumpyLine(NamedTuple):
    """One line of the step in NumPy: what it computes, the code, and its shapes."""

    stage: str  # "forward", "error", "backward" or "update"
    quantity: str  # the name on the left, e.g. "z1"
    code: str  # e.g. "z1 = X @ W1 + b1"
    shapes: str  # e.g. "(3, 2) @ (2, 3) + (3,) → (3, 3)"


def _shape(*dims):
    return "(" + ", ".join(str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"


def _derivative(name, k):
    """An activation's derivative, in terms of its output a (what backprop kept), as NumPy code."""
    return (activation_text(name, "derivative_code") or f"{name}_derivative(a{k})").format(k=k)


def numpy_lines(network):
    """The NumPy lines of one full-batch step of ``network``, in the order they run."""
    config = network.config
    sizes, names, n = config.layer_sizes, config.activations, len(network.X_train)
    n_layers = len(sizes) - 1
    bias = config.use_bias
    lines = []
    for k in range(1, n_layers + 1):
        previous = "X" if k == 1 else f"a{k - 1}"
        n_in, n_out = sizes[k - 1], sizes[k]
        plus_b = f" + b{k}" if bias else ""
        lines.append(NumpyLine("forward", f"z{k}", f"z{k} = {previous} @ W{k}{plus_b}",
                               f"{_shape(n, n_in)} @ {_shape(n_in, n_out)}{' + ' + _shape(n_out) if bias else ''}"
                               f" → {_shape(n, n_out)}"))
        lines.append(NumpyLine("forward", f"a{k}", f"a{k} = {names[k - 1]}(z{k})", _shape(n, n_out)))
    L, n_out = n_layers, sizes[-1]
    mean = " / n_samples" if config.reduction == "mean" else ""
    if network.canonical_output:
        lines.append(NumpyLine("error", f"delta{L}", f"delta{L} = (a{L} - y){mean}  # {config.loss} after "
                               f"{names[-1]}: the chain rule collapses", _shape(n, n_out)))
    else:
        # dJ/dŷ of the loss's per-sample cost (ŷ is the output a{L}), as its record writes it
        error = (network.loss_function.error_formula or f"{config.loss}_gradient(a{L}, y)").format(L=L)
        lines.append(NumpyLine("error", "error", f"error = {error}", _shape(n, n_out)))
        if names[-1] == "softmax":
            delta = f"a{L} * (error - (error * a{L}).sum(axis=1, keepdims=True))"
        else:
            delta = f"error * {_derivative(names[-1], L)}"
        lines.append(NumpyLine("error", f"delta{L}", f"delta{L} = {delta}{mean}", _shape(n, n_out)))
    for k in range(L, 0, -1):
        previous = "X" if k == 1 else f"a{k - 1}"
        n_in, n_out = sizes[k - 1], sizes[k]
        penalty = {"l2": f" + regularization_rate * W{k}",
                   "l1": f" + regularization_rate * np.sign(W{k})"}.get(config.regularization, "")
        lines.append(NumpyLine("backward", f"grad_W{k}", f"grad_W{k} = {previous}.T @ delta{k}{penalty}",
                               f"{_shape(n_in, n)} @ {_shape(n, n_out)} → {_shape(n_in, n_out)}"))
        if bias:
            lines.append(NumpyLine("backward", f"grad_b{k}", f"grad_b{k} = delta{k}.sum(axis=0)", _shape(n_out)))
        if k > 1:
            lines.append(NumpyLine("backward", f"delta{k - 1}",
                                   f"delta{k - 1} = (delta{k} @ W{k}.T) * {_derivative(names[k - 2], k - 1)}",
                                   f"{_shape(n, n_out)} @ {_shape(n_out, n_in)} → {_shape(n, n_in)}"))
    for k in range(1, L + 1):
        for what in ("W", "b") if bias else ("W",):
            shape = _shape(sizes[k - 1], sizes[k]) if what == "W" else _shape(sizes[k])
            if config.optimizer == "sgd":
                code = f"{what}{k} -= learning_rate * grad_{what}{k}"
            else:
                code = f"{what}{k} += update_{what}{k}  # {network.optimizer.formula}"
            lines.append(NumpyLine("update", f"{what}{k}", code, shape))
    return lines
