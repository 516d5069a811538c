"""The cross-entropies at saturation: the reported loss is the true loss, and its gradient is true.

The true loss is worked out here in 1000-digit decimal arithmetic, from the textbook definitions,
not from the engine's log-sigmoid and log-sum-exp.
"""
import itertools
from decimal import Decimal, getcontext

import numpy as np
import pytest

from nn_core.activations import ACTIVATIONS
from nn_core.gradcheck import gradient_check
from nn_core.losses import LOSSES, TASKS
from nn_core.network import Config, Network

getcontext().prec = 60


def one_weight_network(output, loss, weight, n_outputs=1):
    network = Network(Config(layer_sizes=(1, n_outputs), activations=(output,), loss=loss, reduction="sum"))
    network.weights[0][...] = weight
    return network


def true_loss(output, loss, z, y):
    """The mean over samples of the loss, in 60-digit Decimal, for weighted sums z and targets y.

    Probabilities enter as their logarithms, -log σ(z) = ln(1 + e^-z) and -log softmax(z)_k =
    ln Σ_j e^(z_j - z_k), since 1 - σ(1000) is not representable in 60 digits.
    """
    total = Decimal(0)
    for z_row, y_row in zip(z, y):
        z_row, y_row = [Decimal(float(v)) for v in z_row], [Decimal(float(v)) for v in y_row]
        if loss == "binary_cross_entropy":  # after sigmoid
            total += sum(t * (1 + (-v).exp()).ln() + (1 - t) * (1 + v.exp()).ln() for v, t in zip(z_row, y_row))
        elif loss == "cross_entropy" and output == "sigmoid":
            total += sum(t * (1 + (-v).exp()).ln() for v, t in zip(z_row, y_row))
        elif loss == "cross_entropy":  # after softmax
            total += sum(t * sum((u - v).exp() for u in z_row).ln() for v, t in zip(z_row, y_row))
        else:
            a_row = {
                "sigmoid": lambda row: [1 / (1 + (-v).exp()) for v in row],
                "softmax": lambda row: [v.exp() / sum(u.exp() for u in row) for v in row],
                "tanh": lambda row: [((2 * v).exp() - 1) / ((2 * v).exp() + 1) for v in row],
                "relu": lambda row: [max(v, Decimal(0)) for v in row],
                "linear": lambda row: row,
            }[output](z_row)
            total += sum((a - t) ** 2 for a, t in zip(a_row, y_row)) / len(y_row)
    return total / len(z)


# ----- the reproductions --------------------------------------------------------------------
def test_cross_entropy_after_sigmoid_has_the_true_gradient_far_past_saturation():
    # C = -log σ(w) for x = 1, y = 1: dC/dw = -(1 - σ(w)) = -σ(-w), which is -1 at w = -40 and
    # -0.99999999999931 at w = -28 (the clipped chain rule gave -4.25e-6 and -0.691).
    for weight in (-40.0, -28.0):
        network = one_weight_network("sigmoid", "cross_entropy", weight)
        np.testing.assert_allclose(network.gradients([[1.0]], [[1.0]]), [-1.0], rtol=1e-11)


def test_cross_entropy_after_sigmoid_climbs_out_of_saturation():
    network = one_weight_network("sigmoid", "cross_entropy", -40.0)
    network.set_data([[1.0]], [[1.0]])
    run = network.train(epochs=20)
    # Each step adds σ(-w) ≈ 1 while w is very negative: 20 steps take w from -40 to about -20,
    # and the loss, -log σ(w) ≈ -w, falls with it (it stuck at 27.631 before).
    assert -21.0 < network.weights[0][0, 0] < -19.0
    assert run.loss[0] == pytest.approx(39.0, rel=1e-12) and run.loss[-1] < 21.0


def test_softmax_cross_entropy_reports_the_true_loss_at_logits_of_a_thousand():
    network = one_weight_network("softmax", "cross_entropy", [[1e3, -1e3]], n_outputs=2)
    # z = (1000, -1000), y = class 2: the loss is log(1 + e^2000) - ... = 2000 (27.63 when clipped).
    assert network.loss([[1.0]], [[0.0, 1.0]]) == pytest.approx(2000.0, rel=1e-15)


def test_gradient_check_of_sigmoid_and_binary_cross_entropy_passes_at_z_of_40():
    network = one_weight_network("sigmoid", "binary_cross_entropy", 40.0)
    # y = 0 at z = 40: the cost is softplus(40) ≈ 40 and its slope is σ(40) ≈ 1.
    check = gradient_check(network, np.array([[1.0]]), np.array([[0.0]]))
    assert check.relative_error.max() < 1e-7


# ----- the reported loss is the true loss -----------------------------------------------------
PAIRS = [(output, "mse") for output in ACTIVATIONS if output != "custom"] + [
    (output, loss) for loss in ("binary_cross_entropy", "cross_entropy") for output in LOSSES[loss].from_sums
]


@pytest.mark.parametrize("output, loss", PAIRS)
@pytest.mark.parametrize("scale", [1.0, 30.0, 1e3])
def test_the_reported_loss_is_the_true_loss_for_logits_up_to_a_thousand(output, loss, scale):
    rng = np.random.default_rng(int(scale))
    n_outputs = 3
    network = Network(Config(layer_sizes=(n_outputs, n_outputs), activations=(output,), loss=loss))
    network.weights[0][...] = np.eye(n_outputs)  # z = X: the logits are chosen directly
    z = np.clip(rng.normal(0.0, scale, (40, n_outputs)), -1e3, 1e3)
    z[0] = [1e3, -1e3, 0.0]
    if output == "softmax" or loss == "cross_entropy":
        y = np.eye(n_outputs)[rng.integers(0, n_outputs, 40)]
    else:
        y = np.round(rng.uniform(0.0, 1.0, (40, n_outputs)), 1)
    expected = true_loss(output, loss, z, y)
    reported = network.loss(z, y)
    assert abs(Decimal(reported) - expected) <= Decimal("1e-12") * abs(expected)


def test_every_output_and_loss_pair_is_covered_by_the_true_loss_test():
    allowed = set()
    for output, loss in itertools.product(ACTIVATIONS, LOSSES):
        try:
            Config(layer_sizes=(2, 2), activations=(output,), loss=loss)
        except ValueError:
            continue
        allowed.add((output, loss))
    assert allowed - {pair for pair in allowed if pair[0] == "custom" or pair[1] == "custom"} == set(PAIRS)


# ----- pairings that make no sense are refused --------------------------------------------------
def test_config_refuses_softmax_with_binary_cross_entropy_and_says_why():
    with pytest.raises(ValueError, match=r"cannot follow a softmax output layer: softmax makes the outputs share "
                                         r"one probability \(they sum to 1\), while binary cross-entropy scores each "
                                         r"output as its own yes-or-no; use a sigmoid output layer, or the loss 'mse'\.$"):
        Config(layer_sizes=(2, 3), activations=("softmax",), loss="binary_cross_entropy")


@pytest.mark.parametrize("output", ["tanh", "relu", "linear"])
@pytest.mark.parametrize("loss", ["binary_cross_entropy", "cross_entropy"])
def test_config_refuses_a_cross_entropy_of_outputs_that_are_not_probabilities(output, loss):
    suited = {"binary_cross_entropy": "sigmoid", "cross_entropy": "softmax or sigmoid"}[loss]
    with pytest.raises(ValueError, match=f"{output} outputs are not probabilities, so their logarithm means nothing; "
                                         f"use a {suited} output layer, or the loss 'mse'"):
        Config(layer_sizes=(2, 3), activations=(output,), loss=loss)


def test_every_task_is_built_with_a_loss_that_suits_its_output():
    for task in TASKS.values():
        for loss in task.losses:
            Config(layer_sizes=(2, 2), activations=(task.output_activation,), loss=loss)


# ----- the losses of outputs agree with the losses of sums where both are exact ----------------
@pytest.mark.parametrize("output, loss", [("sigmoid", "binary_cross_entropy"), ("sigmoid", "cross_entropy"),
                                          ("softmax", "cross_entropy")])
def test_a_cross_entropy_of_outputs_is_its_cross_entropy_of_sums_away_from_saturation(output, loss):
    rng = np.random.default_rng(7)
    z = rng.normal(0.0, 2.0, (6, 3))  # |z| < 10: no output rounds to 0 or 1
    y = np.eye(3)[rng.integers(0, 3, 6)] if output == "softmax" else rng.uniform(0.0, 1.0, (6, 3))
    record = LOSSES[loss]
    a = ACTIVATIONS[output].function(z)
    from_sums = record.from_sums[output].cost(z, y)
    np.testing.assert_allclose(record.cost(a, y), from_sums, rtol=1e-12)
    assert record.value(a, y) == pytest.approx(float(np.mean(from_sums)), rel=1e-12)
