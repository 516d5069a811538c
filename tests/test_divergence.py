"""Divergence is caught from what actually breaks, rolled back to sane weights, and said plainly."""
import warnings

import numpy as np
import pytest

from nn_core.network import Config, Network, why_diverged


def blowing_up_network(loss, learning_rate, use_fast_path=True, hidden="linear", reduction="sum"):
    """Layers (2, 3, 6, 3), two hidden layers of ``hidden`` and a sigmoid, biases, seed 1."""
    network = Network(Config(layer_sizes=(2, 3, 6, 3), activations=(hidden, hidden, "sigmoid"), loss=loss,
                             reduction=reduction, use_bias=True, learning_rate=learning_rate, seed=1))
    rng = np.random.default_rng(3)
    network.set_data(rng.normal(size=(10, 2)), rng.integers(0, 2, (10, 3)).astype(float))
    network.use_fast_path = use_fast_path
    return network


def epochs_of_largest_weight(network, epochs):
    """The largest |parameter| after each of ``epochs`` epochs, on a copy that no check stops."""
    params, largest = network.params.copy(), []
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            network._train_one_epoch()
            largest.append(float(np.abs(network.params).max()))
    network.params[:] = params
    network.epoch = 0
    return largest


def test_weights_that_explode_stop_training_at_the_first_such_epoch_with_the_weights_before_it():
    network = blowing_up_network("binary_cross_entropy", 100.0, hidden="relu", reduction="mean")
    unchecked = epochs_of_largest_weight(
        blowing_up_network("binary_cross_entropy", 100.0, hidden="relu", reduction="mean"), 2)
    # Unchecked, the largest weight goes 2.7 → 63 → 2.9e4 while the loss of epoch 2 stays below 1e6:
    # only the weights say that training blew up.
    assert 60 < unchecked[0] < 65 and unchecked[1] > 100 * unchecked[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a NumPy warning escaping fails the test
        run = network.train(epochs=100)
    assert run.stop_reason == "diverged" and run.epoch == [1] and network.epoch == 1
    assert network.divergence.epoch == 2 and network.divergence.loss < 1e6
    assert network.divergence.message.startswith("the largest weight grew from 63 to 2.92e+04 in one epoch at epoch 2")
    assert "Lower it (try 10)" in network.divergence.message
    assert np.abs(network.params).max() == pytest.approx(unchecked[0], rel=1e-12)


def test_the_issues_network_stops_at_its_first_exploding_epoch_with_finite_weights():
    # Linear, linear, sigmoid with binary cross-entropy, summed, learning rate 1: once capped at
    # 27.63 per output, the loss hid weights growing to 1e87 until NaN; the true loss shows it.
    network = blowing_up_network("binary_cross_entropy", 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = network.train(epochs=100)
    assert run.stop_reason == "diverged" and run.epoch == [1] and network.divergence.epoch == 2
    assert network.divergence.message.startswith("the loss exploded to 3.46e+06 at epoch 2")
    assert np.abs(network.params).max() == pytest.approx(10.393231815133658, rel=1e-12)  # after epoch 1


def test_an_overflow_is_caught_without_a_warning_and_named_in_the_message():
    network = Network(Config(layer_sizes=(2, 3, 1), activations=("linear", "linear"), seed=1))
    network.set_data([[1.0, 2.0], [3.0, 4.0]], [[0.0], [1.0]])
    network.use_fast_path = False
    network.set_weight(0, 0, 0, 1e200)
    network.set_weight(1, 0, 0, 1e200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = network.train(epochs=3)
    assert run.stop_reason == "diverged" and run.epoch == []
    assert network.divergence.message.startswith("the arithmetic broke down (overflow encountered in matmul) at epoch 1")
    assert network.weights[0][0, 0] == 1e200  # the weights before the epoch, as they were


@pytest.mark.parametrize("use_fast_path", [True, False])
def test_a_loss_that_explodes_stops_training_on_either_path(use_fast_path):
    network = Network(Config(layer_sizes=(2, 3, 1), activations=("linear", "linear"), learning_rate=60.0, seed=0))
    network.set_data([[1.0, 0.5], [0.2, 0.9], [0.6, 0.6]], [[0.9], [0.8], [0.85]])
    network.use_fast_path = use_fast_path
    before = network.params.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = network.train(epochs=500)
    assert run.stop_reason == "diverged" and np.isfinite(network.params).all()
    assert network.divergence.epoch == network.epoch + 1
    assert not np.array_equal(network.params, before) or network.epoch == 0


@pytest.mark.parametrize("before, after, loss, reason", [
    ([1.0, -2.0], [1.5, np.nan], 0.5, "the weights became infinite or NaN"),
    ([1.0, -2.0], [1.5, np.inf], 0.5, "the weights became infinite or NaN"),
    ([1.0, -2.0], [1.5, -2.5], np.nan, "the loss became NaN"),
    ([1.0, -2.0], [1.5, -2.5], 2e6, "the loss exploded to 2e+06"),
    ([1.0, -2.0], [1.5, -201.0], 0.5, "the largest weight grew from 2 to 201 in one epoch"),
    ([0.01, 0.02], [0.5, -99.0], 0.5, None),  # from below 1, growth counts from 1
    ([0.01, 0.02], [0.5, -101.0], 0.5, "the largest weight grew from 0.02 to 101 in one epoch"),
    ([1.0, -2.0], [1.5, -200.0], 1e6, None),
])
def test_why_an_epoch_diverged_is_read_from_the_weights_and_the_loss(before, after, loss, reason):
    assert why_diverged(loss, None, np.array(before), np.array(after)) == reason


def test_a_test_loss_that_is_not_finite_is_a_divergence():
    assert why_diverged(0.5, np.inf, np.ones(2), np.ones(2)) == "the loss became NaN"
