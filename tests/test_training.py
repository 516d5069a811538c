"""Training's bookkeeping: settings changed mid-run, when the fast path runs, what a run records."""
import numpy as np
import pytest

from nn_core import fastpath
from nn_core.network import Config, Network
from nn_core.optimizers import OPTIMIZERS, Adam, Momentum

EXAM_X = np.array([[2 / 3, 1], [1 / 3, 5 / 9], [1, 2 / 3]])
EXAM_Y = np.array([[0.92], [0.86], [0.89]])


def exam_network(**settings):
    network = Network(Config(layer_sizes=(2, 3, 1), activations=("sigmoid", "sigmoid"), seed=0, **settings))
    network.set_data(EXAM_X, EXAM_Y)
    return network


# ----- update_training ---------------------------------------------------------------------
@pytest.mark.parametrize("name, value", [
    ("learning_rate", 0.25), ("momentum", 0.5), ("optimizer", "adam"), ("batch_size", 2), ("reduction", "sum"),
    ("regularization", "l2"), ("regularization_rate", 0.01),
])
def test_update_training_changes_a_training_setting_and_keeps_the_weights(name, value):
    network = exam_network()
    network.train(epochs=3)
    params = network.params.copy()
    network.update_training(**{name: value})
    assert getattr(network.config, name) == value
    np.testing.assert_array_equal(network.params, params)


def test_update_training_refuses_what_needs_a_new_network():
    network = exam_network()
    with pytest.raises(ValueError, match=r"update_training cannot change \['init', 'seed'\]; build a new Network"):
        network.update_training(seed=3, init="he", learning_rate=0.5)
    assert network.config.learning_rate == Config().learning_rate  # nothing changed


@pytest.mark.parametrize("change", [{"optimizer": "adam"}, {"momentum": 0.5}])
def test_a_new_optimizer_or_momentum_starts_with_no_memory(change):
    network = exam_network(optimizer="momentum", learning_rate=0.3)
    network.train(epochs=4)
    network.update_training(**change)
    config = network.config
    fresh = OPTIMIZERS[config.optimizer](network.params.size, config.learning_rate, config.momentum)
    assert type(network.optimizer) is type(fresh) and network.optimizer.learning_rate == 0.3
    expected, update = network.params.copy(), np.zeros_like(network.params)
    fresh.step(expected, network.gradients(EXAM_X, EXAM_Y), update)
    network.train_epoch()
    np.testing.assert_allclose(network.params, expected, rtol=1e-15)


def test_a_new_learning_rate_keeps_the_optimizers_memory():
    network = exam_network(optimizer="adam", learning_rate=0.1)
    network.train(epochs=4)
    optimizer = network.optimizer
    network.update_training(learning_rate=0.01)
    assert network.optimizer is optimizer and optimizer.n_steps == 4 and optimizer.learning_rate == 0.01


def test_the_fast_path_follows_a_changed_learning_rate():
    fast, reference = exam_network(), exam_network()
    reference.use_fast_path = False
    for network in (fast, reference):
        network.train(epochs=50)
        network.update_training(learning_rate=4.0)
        network.train(epochs=50)
    np.testing.assert_allclose(fast.params, reference.params, rtol=1e-9)


# ----- when the fast path runs -------------------------------------------------------------
def test_the_fast_path_counts_every_weight_up_to_its_size_limit():
    # 4-10-1 has 4·10 + 10·1 = 50 weights: 16 samples make exactly MAX_SIZE = 800, 17 one row too many.
    config = Config(layer_sizes=(4, 10, 1), activations=("tanh", "sigmoid"))
    assert fastpath.MAX_SIZE == 800
    assert fastpath.eligible(config, 16, has_test_data=False)
    assert not fastpath.eligible(config, 17, has_test_data=False)


def test_the_fast_path_takes_regularisation_only_at_rate_zero():
    config = Config(layer_sizes=(2, 3, 1), activations=("sigmoid", "sigmoid"))
    assert fastpath.eligible(config.replace(regularization="l2", regularization_rate=0.0), 3, has_test_data=False)
    assert fastpath.eligible(config.replace(regularization="none", regularization_rate=0.1), 3, has_test_data=False)
    assert not fastpath.eligible(config.replace(regularization="l1", regularization_rate=0.1), 3, has_test_data=False)


def test_the_fast_path_takes_a_batch_as_big_as_the_data_set():
    config = Config(layer_sizes=(2, 3, 1), activations=("sigmoid", "sigmoid"))
    assert fastpath.eligible(config.replace(batch_size=3), 3, has_test_data=False)
    assert not fastpath.eligible(config.replace(batch_size=2), 3, has_test_data=False)


def counting_fast_path(monkeypatch):
    """Count the networks compiled for the fast path and the runs of their code: [compiled, runs]."""
    counts = [0, 0]
    compile_epochs = fastpath.compile_epochs

    def compile_and_count(*args):
        counts[0] += 1
        run = compile_epochs(*args)

        def counted(*run_args):
            counts[1] += 1
            return run(*run_args)
        return counted
    monkeypatch.setattr(fastpath, "compile_epochs", compile_and_count)
    return counts


def test_a_small_network_compiles_its_fast_path_once_and_runs_every_call_in_it(monkeypatch):
    counts = counting_fast_path(monkeypatch)
    network = exam_network()
    network.train(epochs=1)
    network.train(epochs=20)
    assert counts == [1, 2] and network.epoch == 21
    assert len(network.train(seconds=0.0).epoch) >= 1 and counts == [1, 3]


def test_a_network_the_fast_path_cannot_run_trains_the_numpy_way_every_time(monkeypatch):
    counts = counting_fast_path(monkeypatch)
    fast_less, reference = exam_network(optimizer="adam"), exam_network(optimizer="adam")
    for _ in range(2):
        fast_less.train(epochs=2)
    for _ in range(4):
        reference.train_epoch()
    assert counts == [0, 0] and fast_less.epoch == 4
    np.testing.assert_array_equal(fast_less.params, reference.params)


def test_test_data_keeps_training_off_the_fast_path_and_records_the_test_loss(monkeypatch):
    counts = counting_fast_path(monkeypatch)
    network = exam_network()
    network.set_data(EXAM_X[:2], EXAM_Y[:2], EXAM_X[2:], EXAM_Y[2:])
    run = network.train(epochs=3)
    assert counts == [0, 0]
    assert run.test_loss[-1] == network.loss(EXAM_X[2:], EXAM_Y[2:]) and None not in run.test_loss


def test_switching_the_fast_path_off_trains_the_numpy_way(monkeypatch):
    counts = counting_fast_path(monkeypatch)
    network = exam_network()
    network.use_fast_path = False
    network.train(epochs=3)
    assert counts == [0, 0] and network.epoch == 3


def test_after_an_overflow_the_network_stays_on_the_numpy_path(monkeypatch):
    counts = counting_fast_path(monkeypatch)
    network = Network(Config(layer_sizes=(1, 1), activations=("sigmoid",), use_bias=False, learning_rate=1.0))
    network.set_data([[1.0]], [[1.0]])
    network.weights[0][0, 0] = -720.0  # math.exp(720) overflows; NumPy's sigmoid clips there
    network.train(epochs=3)
    network.train(epochs=3)
    assert counts == [1, 1] and network.epoch == 6 and network.divergence is None


def test_a_run_of_the_fast_path_has_a_test_loss_entry_per_epoch():
    run = exam_network().train(epochs=5)
    assert run.test_loss == [None] * 5 and run.epoch == [1, 2, 3, 4, 5]


def test_a_timed_fast_run_stops_for_time_not_for_a_count_of_epochs():
    run = exam_network().train(seconds=0.05)
    assert run.stop_reason == "time"


# ----- what train() and train_epoch() record --------------------------------------------------
@pytest.mark.parametrize("use_fast_path", [True, False])
def test_the_initial_loss_is_the_loss_before_the_first_epoch(use_fast_path):
    network = exam_network()
    network.use_fast_path = use_fast_path
    before = network.loss(EXAM_X, EXAM_Y)
    network.train(epochs=3)
    assert network.initial_loss == before
    network.reset(seed=5)
    assert network.initial_loss is None
    before = network.loss(EXAM_X, EXAM_Y)
    network.train(epochs=1)
    assert network.initial_loss == before
    network.set_data(EXAM_X[:2], EXAM_Y[:2])
    assert network.initial_loss is None
    before = network.loss(EXAM_X[:2], EXAM_Y[:2])
    network.train(epochs=1)
    assert network.initial_loss == before


def test_train_with_no_limit_trains_one_epoch_and_zero_epochs_trains_none():
    network = exam_network()
    assert network.train().epoch == [1] and network.epoch == 1
    run = network.train(epochs=0)
    assert run.epoch == [] and run.stop_reason == "epochs" and network.epoch == 1
    with pytest.raises(ValueError, match=r"^epochs must be 0 or more, got -1\.$"):
        network.train(epochs=-1)


def test_a_time_limit_that_is_not_up_lets_the_epochs_run():
    network = exam_network()
    network.use_fast_path = False
    run = network.train(epochs=5, seconds=60.0)
    assert run.stop_reason == "epochs" and run.epoch == [1, 2, 3, 4, 5]


def test_training_stops_at_a_loss_equal_to_the_target():
    twin = exam_network()
    twin.use_fast_path = False
    target = twin.train(epochs=4).loss[2]  # the loss after epoch 3, exactly
    network = exam_network()
    network.use_fast_path = False
    run = network.train(epochs=10, target_loss=target)
    assert run.stop_reason == "target" and run.epoch == [1, 2, 3]


def test_training_without_data_says_what_to_do():
    network = Network(Config(layer_sizes=(2, 3, 1), activations=("sigmoid", "sigmoid")))
    for train in (network.train, network.train_epoch):
        with pytest.raises(ValueError, match=r"^no training data: call set_data\(X, y\) first\.$"):
            train()


def test_an_epoch_runs_with_overflow_invalid_and_division_raising():
    network = exam_network()
    network.use_fast_path = False
    seen = []
    sigmoid = network._activations[0]

    def spying(z):
        seen.append(np.geterr())
        return sigmoid.function(z)
    network._activations[0] = sigmoid._replace(function=spying)
    network.train_epoch()
    assert all(state["over"] == state["invalid"] == state["divide"] == "raise" for state in seen) and seen


def test_an_epoch_whose_arithmetic_breaks_down_is_recorded_as_nan_and_rolled_back():
    network = exam_network()
    network.use_fast_path = False
    network.train(epochs=2)
    params = network.params.copy()
    network.weights[0][0, 0] = np.inf  # no learner can type this; it makes inf · 0 = NaN in the forward pass
    X = EXAM_X.copy()
    X[0, 0] = 0.0
    network.set_data(X, EXAM_Y)
    record = network.train_epoch()
    assert record.epoch == 3 and np.isnan(record.loss) and np.isnan(record.gradient_norm)
    assert "the arithmetic broke down (invalid value" in network.divergence.message and network.epoch == 2
    np.testing.assert_array_equal(network.params[1:], params[1:])  # params[0] is the weight set to inf


def test_a_full_batch_epoch_reuses_the_forward_pass_that_measured_the_last_loss(monkeypatch):
    for batch_size in (0, 3):
        network = exam_network(batch_size=batch_size)
        network.use_fast_path = False
        network.train_epoch()  # the first epoch measures the loss before it, as well as after
        calls = []
        forward = network.forward
        monkeypatch.setattr(network, "forward", lambda X: calls.append(len(X)) or forward(X))
        network.train(epochs=4)
        assert calls == [3] * 4, batch_size  # one pass per epoch: the loss after it


def test_a_fast_run_that_diverges_later_counts_its_epochs_and_says_why_as_numpy_does():
    networks = []
    for use_fast_path in (True, False):
        network = Network(Config(layer_sizes=(2, 3, 1), activations=("linear", "linear"), learning_rate=0.01,
                                 seed=0))
        network.set_data(EXAM_X, EXAM_Y)
        network.use_fast_path = use_fast_path
        network.train(epochs=5)
        network.update_training(learning_rate=60.0)
        run = network.train(epochs=500)
        assert run.stop_reason == "diverged" and network.epoch == 5 + len(run.epoch)
        networks.append(network)
    fast, reference = networks
    assert fast.divergence.epoch == reference.divergence.epoch == fast.epoch + 1
    assert fast.divergence.message == reference.divergence.message
    assert fast.divergence.loss == pytest.approx(reference.divergence.loss, rel=1e-6)


# ----- setting up ----------------------------------------------------------------------------
def test_reset_clears_the_run_and_draws_the_weights_of_the_seed_it_is_given():
    network = exam_network(optimizer="momentum")
    network.train(epochs=5)
    network.reset(seed=5)
    np.testing.assert_array_equal(network.params, Network(network.config.replace(seed=5)).params)
    assert not network.grads.any() and not network.last_update.any() and network.trace is None
    assert network.epoch == 0 and network.initial_loss is None and not network.optimizer.velocity.any()
    network.train(epochs=2)
    network.reset()
    np.testing.assert_array_equal(network.params, Network(network.config).params)


def test_a_network_with_no_config_is_the_default_one():
    assert Network().config == Config()


def test_an_epochs_update_is_laid_out_like_the_weights_and_biases():
    network = exam_network(use_bias=True)
    network.use_fast_path = False
    before = [W.copy() for W in network.weights], [b.copy() for b in network.biases]
    network.train_epoch()
    for k in range(2):
        np.testing.assert_allclose(network.weight_updates[k], network.weights[k] - before[0][k], atol=1e-15)
        np.testing.assert_allclose(network.bias_updates[k], network.biases[k] - before[1][k], atol=1e-15)


def test_a_weight_typed_in_by_hand_is_used_by_the_next_epoch():
    network = exam_network()
    network.use_fast_path = False
    network.train_epoch()  # remembers its last forward pass, for the next epoch's gradient
    network.set_weight(0, 1, 2, 0.75)
    expected = network.params - network.config.learning_rate * network.gradients(EXAM_X, EXAM_Y)
    network.train_epoch()
    np.testing.assert_allclose(network.params, expected, rtol=1e-15)


def test_data_is_stored_as_float_columns():
    network = Network(Config(layer_sizes=(2, 3, 1), activations=("sigmoid", "sigmoid")))
    network.set_data([[2, 9], [1, 5], [3, 6]], [92, 86, 89])  # integers, and y as one flat column
    assert network.X_train.dtype == network.y_train.dtype == np.float64 and network.y_train.shape == (3, 1)


def test_bad_data_is_named_with_its_shape_and_the_shape_expected():
    network = Network(Config(layer_sizes=(2, 3, 1), activations=("sigmoid", "sigmoid")))
    with pytest.raises(ValueError, match=r"^training y has shape \(3, 2\), the network expects \(3, 1\)\.$"):
        network.set_data(EXAM_X, np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"^test X has shape \(3, 3\), the network expects \(n_samples, 2\)\.$"):
        network.set_data(EXAM_X, EXAM_Y, np.ones((3, 3)), EXAM_Y)


def test_the_objective_without_regularisation_is_the_summed_cost():
    network = exam_network(reduction="sum")
    output = network.predict(EXAM_X)
    assert network.objective(EXAM_X, EXAM_Y) == pytest.approx(0.5 * float(((output - EXAM_Y) ** 2).sum()), rel=1e-15)


def test_a_fast_run_whose_weights_explode_before_its_loss_stops_as_numpy_does():
    networks = []
    for use_fast_path in (True, False):
        network = Network(Config(layer_sizes=(2, 3, 1), activations=("tanh", "linear"), learning_rate=60.0, seed=2))
        network.set_data(EXAM_X, EXAM_Y)
        network.use_fast_path = use_fast_path
        run = network.train(epochs=200)
        assert run.stop_reason == "diverged" and network.epoch == 1
        networks.append(network)
    fast, reference = networks
    assert fast.divergence.message == reference.divergence.message
    assert fast.divergence.message.startswith("the largest weight grew from 5.76 to 1.09e+03 in one epoch at epoch 2")


def test_loaded_params_are_a_copy_and_the_next_epoch_starts_from_them():
    network = exam_network()
    network.use_fast_path = False
    network.train(epochs=3)
    snapshot = [0.1 * i for i in range(network.params.size)]  # a replayed snapshot, as a plain list
    network.load_params(snapshot)
    snapshot[0] = 99.0
    assert network.params.tolist() == [0.1 * i for i in range(network.params.size)]
    expected = network.params - network.config.learning_rate * network.gradients(EXAM_X, EXAM_Y)
    network.train_epoch()  # not from the forward pass remembered before the load
    np.testing.assert_allclose(network.params, expected, rtol=1e-15)


def test_params_of_another_shape_or_not_finite_are_refused_and_nothing_changes():
    network = exam_network()
    params = network.params.copy()
    with pytest.raises(ValueError, match=r"^params have shape \(4,\), this network has \(9,\)\.$"):
        network.load_params(np.zeros(4))
    with pytest.raises(ValueError, match=r"^params hold NaN or infinite values\.$"):
        network.load_params(np.full(9, np.nan))
    with pytest.raises(ValueError, match=r"^params hold NaN or infinite values\.$"):
        network.load_params(np.r_[np.zeros(8), np.inf])
    np.testing.assert_array_equal(network.params, params)
