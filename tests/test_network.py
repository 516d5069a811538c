"""The engine's network: the tutorial's numbers, backprop against finite differences, training."""
import itertools
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_core.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from nn_core.gradcheck import finite_difference_gradients
from nn_core.losses import LOSSES
from nn_core.network import Config, Network
from nn_core.optimizers import OPTIMIZERS

TUTORIAL_X = np.array([[2, 9], [1, 5], [3, 6]], dtype=float)
TUTORIAL_Y = np.array([[92], [86], [89]], dtype=float)


def tutorial_network(seed=0):
    network = Network(Config.tutorial(seed))
    network.set_data(TUTORIAL_X / TUTORIAL_X.max(axis=0), TUTORIAL_Y / 100)
    return network


def test_engine_imports_no_ui_library():
    code = "import sys, nn_core; print(sorted({'panel', 'bokeh', 'param', 'pyodide', 'js'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_forward_reproduces_the_tutorials_worked_example():
    network = Network(Config.tutorial())
    network.weights[0][...] = [[0.2, 0.6, 0.1], [0.8, 0.3, 0.7]]  # from input 1, from input 2
    network.weights[1][...] = [[0.4], [0.5], [0.9]]
    sums, activations = network.forward(np.array([[2.0, 9.0]]))  # raw hours, as the tutorial's picture
    np.testing.assert_allclose(sums[0], [[7.6, 3.9, 6.5]])
    # The tutorial printed S(7.5) = 1.000553 for the middle neuron; a sigmoid of 3.9 is 0.980160.
    np.testing.assert_allclose(activations[1], [[0.999500, 0.980160, 0.998499]], atol=5e-7)
    np.testing.assert_allclose(sums[1], [[1.78853]], atol=5e-6)
    np.testing.assert_allclose(activations[2], [[0.856747]], atol=5e-7)


def test_tutorial_weights_are_drawn_like_randn_from_the_seed():
    network = Network(Config.tutorial(seed=3))
    rng = np.random.default_rng(3)
    np.testing.assert_array_equal(network.weights[0], rng.standard_normal((2, 3)))
    np.testing.assert_array_equal(network.weights[1], rng.standard_normal((3, 1)))


def test_one_epoch_is_the_tutorials_update_rule():
    network = tutorial_network(seed=1)
    X, y = network.X_train, network.y_train
    W1, W2 = network.weights[0].copy(), network.weights[1].copy()
    # The tutorial's backward(), line by line.
    sigmoid = lambda s: 1 / (1 + np.exp(-s))
    z2 = sigmoid(X @ W1)
    o = sigmoid(z2 @ W2)
    o_delta = (y - o) * o * (1 - o)
    z2_delta = (o_delta @ W2.T) * z2 * (1 - z2)
    network.train_epoch()
    np.testing.assert_allclose(network.weights[0], W1 + X.T @ z2_delta, rtol=1e-12)
    np.testing.assert_allclose(network.weights[1], W2 + z2.T @ o_delta, rtol=1e-12)


def test_tutorial_training_reaches_a_tiny_loss_in_100000_epochs():
    network = tutorial_network(seed=0)
    run = network.train(epochs=100_000)
    assert run.stop_reason == "epochs" and network.epoch == 100_000
    assert run.loss[-1] < 1e-9
    # The record's loss is the tutorial's np.mean(np.square(y - NN.forward(X))) after the epoch.
    assert run.loss[-1] == pytest.approx(np.mean(np.square(network.y_train - network.predict(network.X_train))))


def test_loss_record_is_the_loss_after_the_update():
    network = tutorial_network()
    record = network.train_epoch()
    assert record.epoch == 1
    assert record.loss == pytest.approx(network.loss(network.X_train, network.y_train), rel=1e-15)
    assert record.test_loss is None


def tiny_network(hidden, output, loss, use_bias, regularization, reduction, seed=0):
    rng = np.random.default_rng(seed)
    n_outputs = 3 if output == "softmax" else 2
    config = Config(
        layer_sizes=(3, 4, 3, n_outputs), activations=(hidden, hidden, output), loss=loss, use_bias=use_bias,
        regularization=regularization, regularization_rate=0.01 if regularization != "none" else 0.0,
        reduction=reduction, init="glorot", seed=seed,
    )
    network = Network(config)
    if use_bias:
        for b in network.biases:
            b[...] = rng.normal(0, 0.5, b.shape)
    X = rng.normal(0, 1, (5, 3))
    if loss == "mse" and output != "softmax":
        y = rng.uniform(0.1, 0.9, (5, n_outputs))
    else:
        y = np.eye(n_outputs)[rng.integers(0, n_outputs, 5)]
    return network, X, y


OUTPUT_AND_LOSS = [
    (output, "mse") for output in ACTIVATIONS
] + [("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy"), ("sigmoid", "cross_entropy")]


@pytest.mark.parametrize(
    "hidden, output_and_loss, use_bias, regularization, reduction",
    list(itertools.product(HIDDEN_ACTIVATIONS, OUTPUT_AND_LOSS, [False, True], ["none", "l1", "l2"], ["mean", "sum"])),
)
def test_backprop_matches_finite_differences(hidden, output_and_loss, use_bias, regularization, reduction):
    output, loss = output_and_loss
    network, X, y = tiny_network(hidden, output, loss, use_bias, regularization, reduction)
    analytic = network.gradients(X, y)
    numeric = finite_difference_gradients(network, X, y)
    # Central differences with h = 1e-6 carry rounding noise of a few ulps of J over 2h (about
    # 4e-10 for J near 7), so each gradient may be off by that much on top of 1e-6 relative.
    noise = 10 * np.spacing(abs(network.objective(X, y))) / 2e-6
    excess = np.abs(analytic - numeric) - 1e-6 * (np.abs(analytic) + np.abs(numeric)) - noise
    worst = excess.argmax()
    assert excess.max() <= 0, f"worst parameter {worst}: {analytic[worst]} vs {numeric[worst]}"


def test_every_loss_and_activation_is_covered_by_the_gradient_check():
    covered_outputs = {output for output, _ in OUTPUT_AND_LOSS}
    covered_losses = {loss for _, loss in OUTPUT_AND_LOSS}
    assert covered_outputs == set(ACTIVATIONS) and covered_losses == set(LOSSES)


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("batch_size", [0, 1, 4])
def test_every_optimizer_and_batch_size_lowers_the_loss_on_xor(optimizer, batch_size):
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([[0], [1], [1], [0]], dtype=float)
    config = Config(
        layer_sizes=(2, 4, 1), activations=("tanh", "sigmoid"), loss="binary_cross_entropy", use_bias=True,
        learning_rate={"adam": 0.05, "momentum": 0.3, "sgd": 0.5}[optimizer], optimizer=optimizer,
        batch_size=batch_size, init="glorot", seed=2,
    )
    network = Network(config)
    network.set_data(X, y)
    first = network.loss(X, y)
    run = network.train(epochs=600)
    assert run.loss[-1] < first / 4
    assert np.all((network.predict(X) > 0.5) == (y > 0.5))


def test_mini_batches_are_shuffled_reproducibly_by_the_seed():
    runs = []
    for _ in range(2):
        network, X, y = tiny_network("tanh", "sigmoid", "mse", True, "none", "mean", seed=5)
        network.config = network.config  # same config, fresh network
        batch_network = Network(network.config.replace(batch_size=2))
        batch_network.set_data(X, y)
        runs.append(batch_network.train(epochs=5).loss)
    assert runs[0] == runs[1]


def test_train_stops_at_the_target_loss_and_says_so():
    network = tutorial_network()
    run = network.train(epochs=100_000, target_loss=1e-3)
    assert run.stop_reason == "target"
    assert run.loss[-1] <= 1e-3 < run.loss[-2]


def test_train_for_a_time_budget_runs_at_least_one_epoch():
    network = tutorial_network()
    network.use_fast_path = False
    run = network.train(seconds=0.0)
    assert run.stop_reason == "time" and len(run.epoch) == 1


def test_divergence_is_reported_rolled_back_and_never_recorded():
    config = Config(layer_sizes=(2, 3, 1), activations=("relu", "linear"), use_bias=True, learning_rate=50.0, seed=0)
    network = Network(config)
    X = np.random.default_rng(0).normal(0, 1, (20, 2))
    network.set_data(X, X.sum(axis=1, keepdims=True))
    run = network.train(epochs=1000)
    assert run.stop_reason == "diverged"
    assert all(np.isfinite(run.loss)) and network.epoch == len(run.epoch)
    assert np.isfinite(network.params).all()
    assert "lower it" in network.divergence.message.lower()
    assert f"epoch {network.epoch + 1}" in network.divergence.message
    with pytest.raises(ValueError, match="diverged"):
        network.train_epoch()
    network.reset()
    assert network.divergence is None and network.epoch == 0


def test_trace_holds_the_arrays_of_the_last_step():
    network = tutorial_network()
    before = network.params.copy()
    network.train_epoch()
    trace = network.trace
    assert [a.shape for a in trace.activations] == [(3, 2), (3, 3), (3, 1)]
    assert [d.shape for d in trace.deltas] == [(3, 3), (3, 1)]
    np.testing.assert_allclose(trace.weight_gradients[1], trace.activations[1].T @ trace.deltas[1])
    np.testing.assert_allclose(network.params - before, network.last_update)
    np.testing.assert_allclose(trace.weight_updates[0], -1.0 * trace.weight_gradients[0])


def test_test_loss_is_recorded_when_there_is_test_data():
    network = tutorial_network()
    network.set_data(network.X_train, network.y_train, network.X_train[:1], network.y_train[:1])
    record = network.train_epoch()
    assert record.test_loss == pytest.approx(network.loss(network.X_train[:1], network.y_train[:1]))


def test_set_weight_changes_the_prediction():
    network = tutorial_network()
    before = network.predict(network.X_train)
    network.set_weight(1, 0, 0, 5.0)
    assert network.weights[1][0, 0] == 5.0
    assert not np.allclose(before, network.predict(network.X_train))
    with pytest.raises(ValueError, match="finite"):
        network.set_weight(1, 0, 0, float("nan"))


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"layer_sizes": (2,)}, "at least two positive integers"),
        ({"layer_sizes": (2, 0, 1)}, "at least two positive integers"),
        ({"layer_sizes": (2, 3, 1), "activations": ("tanh",)}, "need 2 activations"),
        ({"activations": ("softmax", "sigmoid")}, "activation of layer 1"),
        ({"activations": "swish"}, "unknown activation"),
        ({"loss": "hinge"}, "unknown loss"),
        ({"optimizer": "rmsprop"}, "unknown optimizer"),
        ({"reduction": "max"}, "unknown reduction"),
        ({"regularization": "l3"}, "unknown regularization"),
        ({"init": "ones"}, "unknown init"),
        ({"learning_rate": -1.0}, "learning_rate must be a number from 0 to 100"),
        ({"learning_rate": "fast"}, "learning_rate must be a number"),
        ({"momentum": 1.5}, "momentum must be"),
        ({"regularization_rate": 20.0}, "regularization_rate must be"),
        ({"batch_size": -1}, "batch_size must be"),
        ({"seed": -1}, "seed must be"),
    ],
)
def test_bad_settings_raise_a_clear_message(settings, message):
    with pytest.raises(ValueError, match=message):
        Config(**settings)


@pytest.mark.parametrize(
    "X, y, message",
    [
        (np.ones((3, 3)), np.ones((3, 1)), r"training X has shape \(3, 3\)"),
        (np.ones((3, 2)), np.ones((2, 1)), r"training y has shape \(2, 1\)"),
        (np.ones((0, 2)), np.ones((0, 1)), "no rows"),
        (np.array([[1.0, np.nan]]), np.ones((1, 1)), "NaN or infinite"),
    ],
)
def test_bad_data_raises_a_clear_message(X, y, message):
    with pytest.raises(ValueError, match=message):
        Network(Config()).set_data(X, y)


def test_training_without_data_says_what_to_do():
    with pytest.raises(ValueError, match="set_data"):
        Network(Config()).train_epoch()


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=5),
    n_samples=st.integers(1, 7),
    use_bias=st.booleans(),
    batch_size=st.integers(0, 8),
    activation=st.sampled_from(HIDDEN_ACTIVATIONS),
)
def test_shapes_follow_the_layer_sizes_for_any_network(sizes, n_samples, use_bias, batch_size, activation):
    config = Config(layer_sizes=tuple(sizes), activations=activation, use_bias=use_bias, batch_size=batch_size,
                    learning_rate=0.1, init="glorot")
    network = Network(config)
    assert network.params.size == sum(a * b + (b if use_bias else 0) for a, b in zip(sizes[:-1], sizes[1:]))
    X = np.random.default_rng(0).normal(size=(n_samples, sizes[0]))
    y = np.random.default_rng(1).uniform(size=(n_samples, sizes[-1]))
    network.set_data(X, y)
    sums, activations = network.forward(X)
    assert [a.shape for a in activations] == [(n_samples, size) for size in sizes]
    assert [z.shape for z in sums] == [(n_samples, size) for size in sizes[1:]]
    record = network.train_epoch()
    batch = n_samples if batch_size == 0 else min(batch_size, n_samples)
    trace = network.trace
    assert [d.shape[1] for d in trace.deltas] == list(sizes[1:]) and trace.deltas[0].shape[0] <= batch
    assert [G.shape for G in trace.weight_gradients] == [W.shape for W in network.weights]
    assert np.isfinite(record.loss) and record.epoch == 1
