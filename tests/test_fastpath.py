"""The straight-line fast path computes what the NumPy path computes, epoch for epoch."""
import numpy as np
import pytest

from nn_core import fastpath
from nn_core.network import Config, Network


def twin_networks(config, X, y):
    networks = []
    for use_fast_path in (True, False):
        network = Network(config)
        network.set_data(X, y)
        network.use_fast_path = use_fast_path
        networks.append(network)
    return networks


EXAM_X = np.array([[2 / 3, 1], [1 / 3, 5 / 9], [1, 2 / 3]])
EXAM_Y = np.array([[0.92], [0.86], [0.89]])


@pytest.mark.parametrize(
    "config",
    [
        Config.tutorial(seed=0),
        Config(layer_sizes=(2, 4, 1), activations=("tanh", "sigmoid"), use_bias=True, learning_rate=0.5, seed=1),
        Config(layer_sizes=(2, 3, 2, 1), activations=("relu", "tanh", "linear"), use_bias=True,
               learning_rate=0.05, init="he", seed=2),
        Config(layer_sizes=(2, 3, 1), activations=("sigmoid", "linear"), reduction="sum", learning_rate=0.3, seed=3),
    ],
    ids=["tutorial", "tanh-bias", "relu-tanh-linear", "linear-output"],
)
def test_fast_path_and_numpy_agree_epoch_for_epoch(config):
    fast, reference = twin_networks(config, EXAM_X, EXAM_Y)
    assert fastpath.eligible(config, 3, has_test_data=False)
    fast_run, reference_run = fast.train(epochs=2000), reference.train(epochs=2000)
    assert fast_run.epoch == reference_run.epoch
    np.testing.assert_allclose(fast_run.loss, reference_run.loss, rtol=1e-8, atol=1e-15)
    np.testing.assert_allclose(fast_run.gradient_norm, reference_run.gradient_norm, rtol=1e-7, atol=1e-15)
    np.testing.assert_allclose(fast.params, reference.params, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(fast.last_update, reference.last_update, rtol=1e-6, atol=1e-15)
    for a, b in zip(fast.trace.deltas, reference.trace.deltas):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-15)


def test_fast_path_and_numpy_agree_with_two_outputs():
    # The loss is a mean over samples and outputs: with one output the two counts cannot be told apart.
    config = Config(layer_sizes=(2, 3, 2), activations=("tanh", "sigmoid"), use_bias=True, learning_rate=0.5, seed=4)
    y = np.column_stack([EXAM_Y[:, 0], 1.0 - EXAM_Y[:, 0]])
    fast, reference = twin_networks(config, EXAM_X, y)
    assert fastpath.eligible(config, 3, has_test_data=False)
    fast_run, reference_run = fast.train(epochs=200), reference.train(epochs=200)
    np.testing.assert_allclose(fast_run.loss, reference_run.loss, rtol=1e-10, atol=1e-15)
    assert fast_run.loss[-1] == pytest.approx(np.mean((fast.predict(EXAM_X) - y) ** 2), rel=1e-12)
    np.testing.assert_allclose(fast.params, reference.params, rtol=1e-10, atol=1e-13)


def test_fast_path_is_used_for_the_tutorial_and_not_for_mini_batches():
    assert fastpath.eligible(Config.tutorial(), 3, has_test_data=False)
    assert not fastpath.eligible(Config.tutorial().replace(batch_size=1), 3, has_test_data=False)
    assert not fastpath.eligible(Config.tutorial().replace(optimizer="adam"), 3, has_test_data=False)
    assert not fastpath.eligible(Config.tutorial(), 3, has_test_data=True)
    assert not fastpath.eligible(Config.tutorial(), 1000, has_test_data=False)


def test_fast_path_stops_at_the_target_loss_like_numpy():
    fast, reference = twin_networks(Config.tutorial(seed=0), EXAM_X, EXAM_Y)
    fast_run = fast.train(epochs=100_000, target_loss=1e-4)
    reference_run = reference.train(epochs=100_000, target_loss=1e-4)
    assert fast_run.stop_reason == reference_run.stop_reason == "target"
    assert fast_run.epoch[-1] == reference_run.epoch[-1] == fast.epoch


def test_fast_path_stops_when_time_is_up_within_a_few_epochs():
    fast, _ = twin_networks(Config.tutorial(), EXAM_X, EXAM_Y)
    run = fast.train(seconds=0.0)
    # The clock is read every 16th epoch: an epoch costs about as much as reading it.
    assert run.stop_reason == "time" and 1 <= len(run.epoch) <= 16 and fast.epoch == len(run.epoch)


def test_fast_path_reports_divergence_and_rolls_back_like_numpy():
    config = Config(layer_sizes=(2, 3, 1), activations=("linear", "linear"), learning_rate=60.0, seed=0)
    fast, reference = twin_networks(config, EXAM_X, EXAM_Y)
    fast_run, reference_run = fast.train(epochs=500), reference.train(epochs=500)
    assert fast_run.stop_reason == reference_run.stop_reason == "diverged"
    assert fast.epoch == reference.epoch == len(fast_run.epoch)
    assert fast.divergence.epoch == reference.divergence.epoch
    np.testing.assert_allclose(fast.params, reference.params, rtol=1e-6)


def test_fast_path_hands_over_to_numpy_when_a_sigmoid_overflows():
    config = Config.tutorial(seed=0)
    network = Network(config)
    network.set_data(EXAM_X * 1000.0, EXAM_Y)
    network.weights[0][...] = -1.0  # sums near -1700: math.exp(1700) overflows
    run = network.train(epochs=5)
    assert run.epoch == [1, 2, 3, 4, 5] and run.stop_reason == "epochs"
    assert np.isfinite(run.loss).all()


@pytest.mark.parametrize("learning_rate", [1.0, 10.0], ids=["loss-explodes", "weight-grows-100-fold"])
def test_fast_path_stops_a_blow_up_at_the_same_epoch_and_for_the_same_reason_as_numpy(learning_rate):
    # The fast path bounds the largest weight by the gradient steps taken, and measures it only
    # once the bound passes half the growth limit: the verdict must still be NumPy's.
    config = Config(layer_sizes=(2, 4, 1), activations=("tanh", "linear"), use_bias=True,
                    learning_rate=learning_rate, reduction="sum", seed=1)
    rng = np.random.default_rng(3)
    fast, reference = twin_networks(config, rng.normal(size=(6, 2)), rng.uniform(size=(6, 1)))
    assert fastpath.eligible(config, 6, has_test_data=False)
    fast_run, reference_run = fast.train(epochs=100), reference.train(epochs=100)
    assert fast_run.stop_reason == reference_run.stop_reason == "diverged"
    assert fast.divergence.message == reference.divergence.message
    assert fast.epoch == reference.epoch
    np.testing.assert_allclose(fast.params, reference.params, rtol=1e-10, atol=1e-12)


def test_fast_path_trains_on_like_numpy_once_weights_pass_the_bound():
    # Weights beyond half the growth limit (50) are measured every epoch instead of bounded.
    config = Config(layer_sizes=(2, 3, 1), activations=("linear", "linear"), learning_rate=0.001,
                    reduction="sum", seed=0)
    fast, reference = twin_networks(config, EXAM_X * 0.05, EXAM_Y * 300)
    fast_run, reference_run = fast.train(epochs=2000), reference.train(epochs=2000)
    assert np.abs(fast.params).max() > 50 and fast_run.stop_reason == reference_run.stop_reason == "epochs"
    np.testing.assert_allclose(fast.params, reference.params, rtol=0, atol=1e-12)
