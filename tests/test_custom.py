"""The learner's own Python: checked on sample arrays, refused with the traceback's last line, then trained with."""
import numpy as np
import pytest
from test_network import finite_difference_gradients

from nn_core import Config, Experiment, Network, custom, fastpath, make_dataset
from nn_core.activations import HIDDEN_ACTIVATIONS
from nn_core.custom_templates import TEMPLATES

pytestmark = pytest.mark.usefixtures("no_custom_code")

TANH = "def activation(z):\n    return np.tanh(z)\n\n\ndef derivative(a):\n    return 1.0 - a * a\n"


def refusal(kind, source):
    with pytest.raises(ValueError) as error:
        custom.check_code(kind, source)
    return str(error.value)


@pytest.mark.parametrize("kind", custom.KINDS)
def test_every_template_passes_its_checks_and_reports_figures(kind):
    checked = custom.check_code(kind, TEMPLATES[kind])
    assert checked.kind == kind and checked.source == TEMPLATES[kind]
    assert checked.checks and all(any(character.isdigit() for character in line) for line in checked.checks)


def test_a_custom_activation_trains_and_backprop_through_it_matches_finite_differences():
    custom.register(custom.check_code("activation", TEMPLATES["activation"]))
    config = Config(layer_sizes=(2, 4, 3, 1), activations=("custom", "custom", "sigmoid"), loss="mse",
                    use_bias=True, init="glorot", seed=3)
    network = Network(config)
    X = np.random.default_rng(0).normal(0.0, 1.0, (12, 2))
    y = (X[:, :1] * X[:, 1:] > 0).astype(float)
    network.set_data(X, y)
    np.testing.assert_allclose(network.gradients(X, y), finite_difference_gradients(network, X, y),
                               rtol=1e-6, atol=1e-9)
    experiment = Experiment.build(make_dataset("gaussians", n_samples=200), hidden_sizes=(4,),
                                  hidden_activation="custom", learning_rate=0.3, batch_size=10, seed=0)
    run = experiment.train(epochs=100)
    assert run.loss[-1] < 0.1 * run.loss[0] and experiment.metrics()["train"]["accuracy"] == 1.0


def test_tanh_written_by_hand_trains_exactly_like_the_built_in_tanh():
    custom.register(custom.check_code("activation", TANH))
    runs = []
    for name in ("tanh", "custom"):
        experiment = Experiment.build(make_dataset("xor", n_samples=100), hidden_sizes=(4, 2),
                                      hidden_activation=name, batch_size=10, seed=1)
        # Both through NumPy: the built-in tanh would otherwise take the straight-line
        # mini-batch path, equal to NumPy's to rounding (tests/test_batchpath.py), not bit for bit.
        experiment.network.use_fast_path = False
        runs.append(experiment.train(epochs=20).loss)
    np.testing.assert_array_equal(runs[0], runs[1])


def test_the_fast_path_is_never_used_for_a_custom_activation():
    custom.register(custom.check_code("activation", TANH))
    config = Config(layer_sizes=(2, 3, 1), activations=("custom", "sigmoid"), seed=0)
    assert not fastpath.eligible(config, 3, has_test_data=False)
    assert fastpath.eligible(config.replace(activations=("tanh", "sigmoid")), 3, has_test_data=False)
    network = Network(config)
    network.set_data(np.eye(3, 2), np.ones((3, 1)))
    network.train(epochs=5)
    assert network._fast_run is False


def test_a_wrong_derivative_is_refused_by_the_gradient_check_naming_the_point():
    message = refusal("activation", TANH.replace("1.0 - a * a", "1.0 - a"))
    assert message.startswith("gradient check failed: at z = ")
    assert "relative error" in message and "OUTPUT a" in message


def test_a_derivative_written_in_z_instead_of_a_is_refused():
    source = TEMPLATES["activation"].replace("(1.0 - np.abs(a)) ** 2", "1.0 / (1.0 + np.abs(a)) ** 2")
    assert "gradient check failed" in refusal("activation", source)


def test_a_syntax_error_gives_the_last_line_and_its_line_number():
    assert refusal("activation", "def activation(z)\n    return z\n") == "SyntaxError: expected ':' (line 1)"


def test_an_error_inside_a_function_gives_the_last_line_of_the_traceback():
    source = "def activation(z):\n    scale = 2.0\n    return foo(z) * scale\n\n\ndef derivative(a):\n    return a\n"
    assert refusal("activation", source) == "NameError: name 'foo' is not defined (line 3)"


def test_non_finite_outputs_are_refused_with_the_input_that_gave_them():
    source = "def activation(z):\n    return np.log(z)\n\n\ndef derivative(a):\n    return np.exp(-a)\n"
    assert refusal("activation", source) == (
        "activation(z) returned nan at z = -50; every value must be a finite number.")


def test_a_wrong_shape_is_refused_with_the_shape_expected():
    source = "def activation(z):\n    return z.sum(axis=1)\n\n\ndef derivative(a):\n    return a\n"
    assert "returned shape (200,), expected (200, 2)" in refusal("activation", source)
    assert "needs a return statement" in refusal("feature", "def feature(x1, x2):\n    x1 * x2\n")


def test_a_missing_function_is_named_with_its_signature():
    assert "defines no derivative: write def derivative(a)" in refusal("activation", "def activation(z):\n    return z\n")
    assert "there is no code" in refusal("loss", "  \n")


def test_code_that_never_finishes_is_stopped_during_the_check():
    endless = ("def activation(z):\n    while True:\n        try:\n            pass\n        except Exception:\n"
               "            pass\n\n\ndef derivative(a):\n    return a\n")
    message = refusal("activation", endless)
    assert message.startswith(f"Stopped: the code ran {custom.MAX_CHECK_LINES:,} lines") and "(line " in message
    assert refusal("feature", "while True:\n    pass\n").startswith("Stopped:")


def test_exit_in_the_code_is_an_error_like_any_other():
    assert refusal("feature", "import sys\nsys.exit(2)\n") == "SystemExit: 2 (line 2)"


def test_registering_adds_one_entry_per_kind_and_unregistering_takes_it_out():
    custom.register(custom.check_code("activation", TANH))
    assert custom.is_registered("activation") and "custom" in HIDDEN_ACTIVATIONS
    Config(activations=("custom", "sigmoid"))
    custom.register(custom.check_code("activation", TEMPLATES["activation"]))  # replaces, does not add
    assert HIDDEN_ACTIVATIONS.count("custom") == 1
    custom.unregister("activation")
    assert not custom.is_registered("activation")
    with pytest.raises(ValueError, match="unknown activation of layer 1 'custom'"):
        Config(activations=("custom", "sigmoid"))


def test_an_error_during_training_is_a_value_error_with_the_last_line():
    source = ("def activation(z):\n    if np.abs(z).max() > 60:\n        raise ArithmeticError('z too large')\n"
              "    return z\n\n\ndef derivative(a):\n    return np.ones_like(a)\n")
    custom.register(custom.check_code("activation", source))
    network = Network(Config(layer_sizes=(1, 1, 1), activations=("custom", "linear"), seed=0))
    with pytest.raises(ValueError, match=r"^ArithmeticError: z too large \(line 3\)$"):
        network.predict(np.array([[1000.0]]))


def test_a_custom_loss_trains_and_a_wrong_gradient_is_refused():
    custom.register(custom.check_code("loss", TEMPLATES["loss"]))
    experiment = Experiment.build(make_dataset("plane", n_samples=100), hidden_sizes=(3,), loss="custom",
                                  learning_rate=0.1, batch_size=0, seed=0)
    assert experiment.network.loss(experiment.network.X_train, experiment.network.y_train) == pytest.approx(
        np.mean(np.log(np.cosh(experiment.network.predict(experiment.network.X_train)
                               - experiment.network.y_train)).sum(axis=1)))
    run = experiment.train(epochs=200)
    assert run.loss[-1] < 0.5 * run.loss[0]
    message = refusal("loss", TEMPLATES["loss"].replace("np.tanh(output - target)", "output - target"))
    assert message.startswith("gradient check failed: at output = ") and "target = " in message


def test_a_loss_must_give_one_cost_per_sample():
    source = "def loss(output, target):\n    return (output - target) ** 2\n\n\ndef gradient(output, target):\n    return 2 * (output - target)\n"
    assert "expected (20,); return one cost per sample" in refusal("loss", source)


def test_a_custom_feature_becomes_an_input_of_the_network():
    custom.register(custom.check_code("feature", TEMPLATES["feature"]))
    dataset = make_dataset("circle", n_samples=50)
    experiment = Experiment.build(dataset, hidden_sizes=(2,), features=("x1", "custom"))
    assert experiment.input_names == ("x1", "custom")
    np.testing.assert_allclose(experiment.input_scaler.inverse_transform(experiment.network.X_train)[:, 1],
                               np.hypot(*experiment.train_set.X.T))


def test_a_custom_dataset_is_generated_from_the_seed_with_its_task_inferred():
    custom.register(custom.check_code("dataset", TEMPLATES["dataset"]))
    first, again = make_dataset("custom", n_samples=300, noise=0.1, seed=4), make_dataset("custom", 300, 0.1, 4)
    assert first.task == "binary" and first.X.shape == (300, 2) and first.y.shape == (300, 1)
    np.testing.assert_array_equal(first.X, again.X)
    assert not np.array_equal(first.X, make_dataset("custom", 300, 0.1, 5).X)
    three = ("def generate(n_samples, noise, rng):\n    X = rng.normal(0, 1, (n_samples, 3))\n"
             "    return X, np.arange(n_samples) % 3\n")
    dataset = custom.check_code("dataset", three).entry(30, 0.0, 0)
    assert dataset.task == "multiclass" and dataset.y.shape == (30, 3) and dataset.feature_names == ("x1", "x2", "x3")


def test_a_dataset_drawn_from_the_global_random_state_is_refused():
    source = "def generate(n_samples, noise, rng):\n    return np.random.uniform(0, 1, (n_samples, 2)), np.zeros(n_samples)\n"
    assert "draw every random number from rng" in refusal("dataset", source)
    assert "return a pair" in refusal("dataset", "def generate(n_samples, noise, rng):\n    return 3\n")
