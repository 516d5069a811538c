"""One record per activation, per loss and per task: each text in a record computes what the
record's functions do, and every consumer (fast path, NumPy lines, export, formulas, suggested
settings) reads the record rather than a copy of its own."""
import math

import numpy as np
import pytest

from nn_core import Experiment, fastpath, make_dataset
from nn_core.activations import ACTIVATIONS, activation_text
from nn_core.experiment import suggested_settings
from nn_core.export import to_script
from nn_core.losses import LOSSES, TASKS
from nn_core.network import Config, Network
from nn_core.stepmath import numpy_lines

BUILT_IN = sorted(ACTIVATIONS)
ELEMENTWISE = [name for name in BUILT_IN if ACTIVATIONS[name].derivative is not None]
# Weighted sums either side of every kink and bend, 0 included (relu's kink).
SUMS = [-30.0, -3.7, -1.0, -0.25, 0.0, 1e-9, 0.5, 2.0, 6.5, 40.0]


def test_every_built_in_activation_has_its_texts():
    for name in BUILT_IN:
        activation = ACTIVATIONS[name]
        assert activation.formula and activation.numpy_code, name
        if name in ELEMENTWISE:
            assert activation.derivative_code and activation.straight_line, name
    assert ELEMENTWISE == ["linear", "relu", "sigmoid", "tanh"]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_the_straight_line_form_computes_the_records_function_and_derivative(name):
    activation = ACTIVATIONS[name]
    function, derivative = activation.straight_line
    floats = {"exp": math.exp, "tanh": math.tanh}  # what the fast path binds
    for z in SUMS:
        a = eval(function.format(z=repr(z)), floats)  # noqa: S307 - our own record's text
        assert a == pytest.approx(activation.function(np.array([[z]]))[0, 0], rel=1e-15, abs=1e-300)
        slope = eval(derivative.format(a=repr(a)), floats)  # noqa: S307
        assert slope == pytest.approx(activation.derivative(np.array([[a]]))[0, 0], rel=1e-15, abs=0)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_the_derivative_code_computes_the_records_derivative(name):
    activation = ACTIVATIONS[name]
    a = activation.function(np.array([SUMS]))
    slope = eval(activation.derivative_code.format(k=1), {"a1": a})  # noqa: S307
    np.testing.assert_allclose(np.broadcast_to(slope, a.shape), activation.derivative(a), rtol=1e-15)


def tiny_experiment(hidden):
    return Experiment.build(make_dataset("exam"), hidden_sizes=(2,), hidden_activation=hidden,
                            output_activation="sigmoid", loss="mse", use_bias=False, batch_size=0, seed=0)


def test_a_records_texts_reach_the_fast_path_the_numpy_lines_and_the_export(monkeypatch):
    marked = ACTIVATIONS["tanh"]._replace(
        derivative_code="marked_derivative(a{k})",
        numpy_code="return np.tanh(z)  # marked",
        straight_line=("tanh({z}) * 1.0", "(1.0 - {a} * {a}) * 1.0"),
    )
    monkeypatch.setitem(ACTIVATIONS, "tanh", marked)
    experiment = tiny_experiment("tanh")
    network = experiment.network
    assert any("marked_derivative(a1)" in line.code for line in numpy_lines(network))
    assert "return np.tanh(z)  # marked" in to_script(experiment)
    sources = []
    monkeypatch.setattr(fastpath, "compile", lambda source, *args: (sources.append(source), compile(source, *args))[1],
                        raising=False)
    fastpath.compile_epochs(network.config, network.X_train, network.y_train)
    assert "tanh(z0_0_0) * 1.0" in sources[0] and "(1.0 - a0_0_0 * a0_0_0) * 1.0" in sources[0]


def test_an_activation_without_a_straight_line_form_trains_the_numpy_way(monkeypatch):
    monkeypatch.setitem(ACTIVATIONS, "tanh", ACTIVATIONS["tanh"]._replace(straight_line=None))
    config = Config(layer_sizes=(2, 2, 1), activations=("tanh", "sigmoid"), use_bias=False)
    assert not fastpath.eligible(config, n_samples=3, has_test_data=False)
    assert fastpath.eligible(config.replace(activations=("sigmoid", "sigmoid")), n_samples=3, has_test_data=False)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_a_losss_error_formula_computes_its_gradient(name):
    rng = np.random.default_rng(4)
    a, y = rng.uniform(0.05, 0.95, (5, 3)), rng.uniform(0.0, 1.0, (5, 3))
    error = eval(LOSSES[name].error_formula.format(L=2), {"a2": a, "y": y})  # noqa: S307
    np.testing.assert_allclose(error, LOSSES[name].gradient(a, y), rtol=1e-15)


def test_the_numpy_lines_write_the_networks_own_loss_record(monkeypatch):
    monkeypatch.setitem(LOSSES, "mse", LOSSES["mse"]._replace(error_formula="marked_error(a{L}, y)"))
    network = tiny_experiment("tanh").network
    assert [line.code for line in numpy_lines(network) if line.quantity == "error"] == ["error = marked_error(a2, y)"]


@pytest.mark.parametrize("task", sorted(TASKS))
def test_a_new_network_for_a_task_takes_the_tasks_output_and_first_loss(task):
    settings = suggested_settings(task)
    assert (settings["output_activation"], settings["loss"]) == (TASKS[task].output_activation, TASKS[task].losses[0])
    assert all(loss in LOSSES for loss in TASKS[task].losses)
    Network(Config(layer_sizes=(2, 3), activations=(settings["output_activation"],), loss=settings["loss"]))


def test_an_activation_that_is_not_there_has_no_texts():
    # The learner's own activation is taken out of ACTIVATIONS when its code is removed.
    assert activation_text("no such activation", "numpy_code") is None
    assert activation_text("tanh", "numpy_code") == ACTIVATIONS["tanh"].numpy_code
