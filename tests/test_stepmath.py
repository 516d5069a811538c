"""The maths view's engine: the step it explains is the step training takes, and its NumPy
lines, run as written, compute the same numbers; the one-click gradient check."""
import itertools
import math

import numpy as np
import pytest

from nn_core import Experiment, make_dataset
from nn_core.activations import ACTIVATIONS
from nn_core.gradcheck import gradient_check, parameter_names
from nn_core.history import WeightSnapshots
from nn_core.network import Config, Network
from nn_core.stepmath import explain_step, numpy_lines
from nn_core.worked_example import worked_example


def small_network(hidden="tanh", output="sigmoid", loss="mse", use_bias=True, optimizer="sgd",
                  regularization="none", reduction="mean", seed=0):
    config = Config(layer_sizes=(2, 3, 2), activations=(hidden, output), loss=loss, use_bias=use_bias,
                    optimizer=optimizer, regularization=regularization, regularization_rate=0.01,
                    reduction=reduction, learning_rate=0.3, seed=seed)
    network = Network(config)
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(5, 2))
    y = np.eye(2)[rng.integers(0, 2, 5)] if output == "softmax" else rng.uniform(0.1, 0.9, size=(5, 2))
    network.set_data(X, y)
    return network


@pytest.mark.parametrize("optimizer, use_bias, regularization", list(itertools.product(
    ["sgd", "momentum", "adam"], [False, True], ["none", "l1", "l2"])))
def test_the_explained_step_is_the_step_the_next_epoch_takes(optimizer, use_bias, regularization):
    network = small_network(use_bias=use_bias, optimizer=optimizer, regularization=regularization)
    network.train(epochs=3)  # momentum and Adam now remember something
    explanation = explain_step(network)
    before = network.params.copy()
    network.train_epoch()
    for k, W in enumerate(network.weights):
        np.testing.assert_allclose(W, explanation.new_weights[k], rtol=0, atol=1e-14)
        np.testing.assert_allclose(network.weight_gradients[k], explanation.weight_gradients[k], atol=1e-14)
    for k, b in enumerate(network.biases):
        np.testing.assert_allclose(b, explanation.new_biases[k], atol=1e-14)
    np.testing.assert_allclose(network.params - before, network.last_update, atol=1e-14)


def test_explaining_a_step_changes_nothing_in_the_network():
    network = small_network(optimizer="adam")
    network.train(epochs=2)
    params, grads, moment = network.params.copy(), network.grads.copy(), network.optimizer.first_moment.copy()
    explain_step(network)
    np.testing.assert_array_equal(network.params, params)
    np.testing.assert_array_equal(network.grads, grads)
    np.testing.assert_array_equal(network.optimizer.first_moment, moment)


def test_the_tutorials_step_matches_its_fast_path_exactly():
    experiment = Experiment.tutorial(seed=0)
    experiment.train(epochs=10)
    explanation = explain_step(experiment.network)
    experiment.train(epochs=1)
    for W, new in zip(experiment.network.weights, explanation.new_weights):
        np.testing.assert_allclose(W, new, rtol=1e-13, atol=1e-15)


def run_numpy_lines(network, explanation):
    """Run the view's NumPy lines as written, with only the network's arrays and NumPy at hand."""
    namespace = {"np": np, "X": explanation.X, "y": explanation.y, "n_samples": len(explanation.X),
                 "learning_rate": network.config.learning_rate,
                 "regularization_rate": network.config.regularization_rate,
                 **{name: activation.function for name, activation in ACTIVATIONS.items()}}
    for k, (W, b) in enumerate(itertools.zip_longest(network.weights, network.biases), start=1):
        namespace[f"W{k}"] = W.copy()
        if b is not None:
            namespace[f"b{k}"] = b.copy()
    exec("\n".join(line.code for line in numpy_lines(network)), namespace)
    return namespace


@pytest.mark.parametrize("hidden, output_and_loss, use_bias, regularization, reduction", list(itertools.product(
    ["sigmoid", "tanh", "relu", "linear"],
    [("sigmoid", "mse"), ("linear", "mse"), ("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy"),
     ("softmax", "mse"), ("tanh", "mse")],
    [False, True], ["none", "l2", "l1"], ["mean", "sum"])))
def test_the_numpy_lines_run_as_written_compute_the_explained_numbers(hidden, output_and_loss, use_bias,
                                                                       regularization, reduction):
    output, loss = output_and_loss
    network = small_network(hidden, output, loss, use_bias, regularization=regularization, reduction=reduction)
    explanation = explain_step(network)
    namespace = run_numpy_lines(network, explanation)
    for k in range(2):
        np.testing.assert_allclose(namespace[f"z{k + 1}"], explanation.sums[k], atol=1e-12)
        np.testing.assert_allclose(namespace[f"delta{k + 1}"], explanation.deltas[k], atol=1e-12)
        np.testing.assert_allclose(namespace[f"grad_W{k + 1}"], explanation.weight_gradients[k], atol=1e-12)
        np.testing.assert_allclose(namespace[f"W{k + 1}"], explanation.new_weights[k], atol=1e-12)
        if use_bias:
            np.testing.assert_allclose(namespace[f"b{k + 1}"], explanation.new_biases[k], atol=1e-12)


def test_numpy_lines_carry_the_shapes_of_their_arrays():
    network = Experiment.tutorial().network
    lines = {line.quantity: line for line in numpy_lines(network)}
    assert lines["z1"].code == "z1 = X @ W1" and lines["z1"].shapes == "(3, 2) @ (2, 3) → (3, 3)"
    assert lines["delta1"].code == "delta1 = (delta2 @ W2.T) * a1 * (1 - a1)"
    assert lines["grad_W1"].shapes == "(2, 3) @ (3, 3) → (2, 3)"
    assert lines["W2"].code == "W2 -= learning_rate * grad_W2"


def test_gradient_check_agrees_on_every_weight_of_the_tutorial():
    experiment = Experiment.tutorial(seed=1)
    experiment.train(epochs=50)
    result = gradient_check(experiment.network)
    assert result.names == parameter_names(experiment.network) and len(result.names) == 9
    assert result.relative_error.max() < 1e-6


def test_gradient_check_finds_a_wrong_gradient():
    network = small_network()
    # A derivative made wrong on purpose: backprop must now disagree with finite differences.
    network._activations[0] = ACTIVATIONS["tanh"]._replace(derivative=lambda a: 2.0 - a * a)
    assert gradient_check(network).relative_error.max() > 1e-2


def test_gradient_check_samples_big_networks_and_leaves_them_as_they_were():
    dataset = make_dataset("circle", n_samples=60, noise=0.0, seed=0)
    experiment = Experiment.build(dataset, hidden_sizes=(16, 16, 16))
    network = experiment.network
    params = network.params.copy()
    result = gradient_check(network, max_checked=50)
    assert len(result.names) == 50 and result.n_parameters == network.params.size > 50
    np.testing.assert_array_equal(network.params, params)
    assert np.median(result.relative_error) < 1e-5


def test_weight_snapshots_stay_bounded_and_evenly_spread():
    snapshots = WeightSnapshots(max_snapshots=10)
    for epoch in range(1000):
        snapshots.record(epoch, np.array([float(epoch)]))
    assert 5 <= len(snapshots) <= 10 and snapshots.epochs[0] == 0
    gaps = np.diff(snapshots.epochs)
    assert gaps.min() == gaps.max() == snapshots.stride
    assert [p[0] for p in snapshots.params] == snapshots.epochs  # each copy is of its own epoch
    assert snapshots.epochs[snapshots.nearest(500)] == min(snapshots.epochs, key=lambda e: abs(e - 500))


# ----- the tutorial's worked example ------------------------------------------------------------
def scalar_worked_example():
    """The tutorial's forward pass again, one float at a time with math.exp: (hidden sums, hidden, sum, output)."""
    sigmoid = lambda z: 1.0 / (1.0 + math.exp(-z))
    x = (2.0, 9.0)
    w1 = ((0.2, 0.6, 0.1), (0.8, 0.3, 0.7))
    w2 = (0.4, 0.5, 0.9)
    sums = [x[0] * w1[0][j] + x[1] * w1[1][j] for j in range(3)]
    hidden = [sigmoid(z) for z in sums]
    output_sum = sum(a * w for a, w in zip(hidden, w2))
    return sums, hidden, output_sum, sigmoid(output_sum)


def test_the_worked_examples_true_numbers_are_the_forward_pass_worked_out_by_hand():
    sums, hidden, output_sum, output = scalar_worked_example()
    rows = worked_example()
    np.testing.assert_allclose([row.true for row in rows], [*sums, *hidden, *hidden, output_sum, output],
                               rtol=1e-15)
    # The true numbers the issue gives, to the digits it gives them.
    assert [f"{rows[4].true:.5f}", f"{rows[9].true:.5f}", f"{rows[10].true:.6f}"] == ["0.98016", "1.78853", "0.856747"]


def test_the_worked_example_flags_exactly_the_tutorials_slips():
    rows = worked_example()
    slips = {row.printed: row.true_text for row in rows if not row.is_right}
    assert slips == {"1.000553084": "0.980159694", ".9994": "0.9995", "1.000": "0.980", ".9984": "0.9985",
                     "1.79832": "1.78853", ".8579443067": "0.8567467964"}
    assert all(row.note == "The tutorial has this one right." for row in rows if row.is_right)
    assert len({row.note for row in rows if not row.is_right}) == len(slips)  # a sentence of its own each


def test_the_worked_examples_sentences_hold():
    rows = {row.printed: row for row in worked_example()}
    sigmoid = lambda z: 1.0 / (1.0 + math.exp(-z))
    # "A sigmoid never gives more than 1": not even of the 7.5 the tutorial wrote.
    assert sigmoid(7.5) < 1.0 < float("1.000553084")
    assert "sum is 3.9, not 7.5, and S(3.9) = 0.980160" in rows["1.000553084"].note
    # "cut off the later digits instead of rounding": truncating gives the printed text.
    for printed in (".9994", ".9984"):
        assert math.floor(rows[printed].true * 1e4) / 1e4 == float(printed) != float(rows[printed].true_text)
    # "S(1.79832) is worked out right, but of the wrong sum".
    assert f"{sigmoid(1.79832):.10f}" == "0.8579443067"
    assert "S(1.78853) = 0.856747" in rows[".8579443067"].note
