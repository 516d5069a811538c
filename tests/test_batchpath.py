"""The straight-line mini-batch path trains what the NumPy path trains, batch for batch."""
import numpy as np
import pytest

from nn_core import batchpath
from nn_core.network import Config, Network


def twin_networks(config, X, y, X_test=None, y_test=None):
    """Two networks from the same config and data: one may use the fast paths, one may not."""
    networks = []
    for use_fast_path in (True, False):
        network = Network(config)
        network.set_data(X, y, X_test, y_test)
        network.use_fast_path = use_fast_path
        networks.append(network)
    return networks


def ring_data(n_samples, n_outputs=1, seed=0):
    """Points in a square, labelled by whether they lie inside a circle (TF Playground's circle)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    inside = (X**2).sum(axis=1) < 0.5
    y = np.column_stack([inside, ~inside][:n_outputs]).astype(float)
    return X, y


def assert_same_training(fast, reference, epochs):
    fast_run, reference_run = fast.train(epochs=epochs), reference.train(epochs=epochs)
    assert fast_run.epoch == reference_run.epoch and fast.epoch == reference.epoch
    np.testing.assert_allclose(fast.params, reference.params, rtol=0, atol=1e-12)
    np.testing.assert_allclose(fast_run.loss, reference_run.loss, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(fast_run.gradient_norm, reference_run.gradient_norm, rtol=1e-9, atol=1e-14)
    # The last batch's arrays are there for the views, as NumPy left them.
    np.testing.assert_allclose(fast.grads, reference.grads, rtol=0, atol=1e-12)
    np.testing.assert_allclose(fast.last_update, reference.last_update, rtol=0, atol=1e-13)
    for name in ("sums", "activations", "deltas"):
        for a, b in zip(getattr(fast.trace, name), getattr(reference.trace, name)):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(fast.trace.target, reference.trace.target)


TF_CIRCLE = Config(layer_sizes=(2, 4, 2, 1), activations=("tanh", "tanh", "sigmoid"), loss="binary_cross_entropy",
                   use_bias=True, learning_rate=0.03, batch_size=10, init="glorot", seed=0)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"batch_size": 7},  # 60 samples: the last batch holds 4
        {"batch_size": 1},
        {"use_bias": False, "reduction": "sum", "learning_rate": 0.01},
        {"activations": ("sigmoid", "relu", "sigmoid"), "learning_rate": 0.3},
        {"activations": ("relu", "linear", "sigmoid"), "loss": "mse", "learning_rate": 0.1},
        {"activations": ("tanh", "sigmoid", "linear"), "loss": "mse"},
        {"activations": ("tanh", "tanh", "tanh"), "loss": "mse", "learning_rate": 0.05},
        {"regularization": "l2", "regularization_rate": 0.01},
        {"regularization": "l1", "regularization_rate": 0.003},
    ],
    ids=["tf-circle", "uneven-batches", "one-sample-batches", "no-bias-summed", "sigmoid-relu", "relu-linear-mse",
         "linear-output", "tanh-output", "l2", "l1"],
)
def test_batch_path_and_numpy_agree_after_many_epochs(changes):
    config = TF_CIRCLE.replace(**changes)
    X, y = ring_data(60)
    assert batchpath.eligible(config, len(X))
    fast, reference = twin_networks(config, X, y)
    assert_same_training(fast, reference, epochs=300)
    assert fast._batch_run and reference._batch_run is None


def test_batch_path_and_numpy_agree_with_two_outputs_and_test_data():
    config = TF_CIRCLE.replace(layer_sizes=(2, 3, 2), activations=("tanh", "sigmoid"), batch_size=8)
    X, y = ring_data(50, n_outputs=2)
    X_test, y_test = ring_data(20, n_outputs=2, seed=1)
    fast, reference = twin_networks(config, X, y, X_test, y_test)
    assert_same_training(fast, reference, epochs=200)
    assert fast._batch_run


def test_one_epoch_at_a_time_leaves_the_same_trace_as_numpy():
    fast, reference = twin_networks(TF_CIRCLE, *ring_data(40))
    for _ in range(5):
        fast_record, reference_record = fast.train_epoch(), reference.train_epoch()
        assert fast_record.loss == pytest.approx(reference_record.loss, rel=1e-12)
        np.testing.assert_allclose(fast.trace.deltas[0], reference.trace.deltas[0], rtol=0, atol=1e-14)
        np.testing.assert_allclose(fast.last_update, reference.last_update, rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    "changes",
    [{"optimizer": "adam"}, {"optimizer": "momentum"}, {"batch_size": 0}, {"batch_size": 60},
     {"layer_sizes": (2, 30, 30, 1)}, {"layer_sizes": (2, 4, 3), "activations": ("tanh", "softmax"),
                                       "loss": "cross_entropy"},
     {"loss": "cross_entropy"}],
    ids=["adam", "momentum", "full-batch", "one-batch", "large", "softmax", "cross-entropy-sigmoid"],
)
def test_what_the_batch_path_cannot_do_goes_the_numpy_way(changes):
    config = TF_CIRCLE.replace(**changes)
    X, y = ring_data(60, n_outputs=config.layer_sizes[-1])
    if config.activations[-1] == "softmax":
        y = np.column_stack([y[:, 0], 1.0 - y[:, 0], np.zeros(len(y))])
    assert not batchpath.eligible(config, len(X))
    fast, reference = twin_networks(config, X, y)
    fast.train(epochs=3), reference.train(epochs=3)
    assert not fast._batch_run
    np.testing.assert_array_equal(fast.params, reference.params)


@pytest.mark.parametrize("hidden", ["linear", "relu"])
def test_a_blow_up_in_the_batch_path_stops_training_as_numpy_does(hidden):
    config = Config(layer_sizes=(2, 3, 6, 1), activations=(hidden, hidden, "sigmoid"), loss="binary_cross_entropy",
                    use_bias=True, learning_rate=100.0, batch_size=4, seed=1)
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(20, 2)) * 10, rng.integers(0, 2, (20, 1)).astype(float)
    fast, reference = twin_networks(config, X, y)
    fast_run, reference_run = fast.train(epochs=100), reference.train(epochs=100)
    assert fast_run.stop_reason == reference_run.stop_reason == "diverged"
    assert fast.divergence.epoch == reference.divergence.epoch and fast.epoch == reference.epoch
    assert fast.divergence.message == reference.divergence.message
    assert fast.divergence.loss == pytest.approx(reference.divergence.loss, rel=1e-12)
    np.testing.assert_allclose(fast.params, reference.params, rtol=1e-12, atol=1e-12)


def test_batch_path_is_chosen_only_where_it_beats_numpys_calls():
    # The measured break-even with NumPy (batchpath.MAX_SIZE_PER_LAYER): batch_size × n_parameters ≤ 120 × n_layers.
    assert batchpath.eligible(TF_CIRCLE, 250)  # 10 × 25 ≤ 360
    assert batchpath.eligible(TF_CIRCLE.replace(batch_size=1), 250)
    assert not batchpath.eligible(TF_CIRCLE.replace(batch_size=30), 250)  # 30 × 25 > 360
    assert not batchpath.eligible(TF_CIRCLE.replace(layer_sizes=(2, 8, 1), activations=("tanh", "sigmoid")), 250)
