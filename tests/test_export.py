"""The exported script and notebook: run in a fresh CPython, they predict what the experiment predicts.

The code holds every float as its repr and runs the engine's NumPy operations in the engine's
order, so with the same NumPy its predictions are the engine's to the last bit: the tests
compare them exactly.
"""
import ast
import csv
import io
import json
import subprocess
import sys

import numpy as np
import pytest

from nn_core import ACTIVATIONS, Dataset, Experiment, make_dataset
from nn_core.custom import CUSTOM, check_code, register, unregister
from nn_core.export import FEATURE_CODE, file_name, to_notebook, to_script
from nn_core.features import FEATURES

# Networks that between them use every activation (hidden and output), biases and none, every
# input and target scaling, input features, no hidden layer, and all three tasks.
CASES = {
    "tutorial": ("exam", dict(hidden_sizes=(3,), hidden_activation="sigmoid", output_activation="sigmoid",
                              use_bias=False, input_scaling="max", target_scaling="fixed", target_scale=100.0)),
    "tanh-linear-minmax": ("plane", dict(hidden_sizes=(4, 2), hidden_activation="tanh", output_activation="linear",
                                         use_bias=True, input_scaling="minmax", target_scaling="minmax")),
    "relu-standard": ("gaussian_bump", dict(hidden_sizes=(5,), hidden_activation="relu", output_activation="linear",
                                            use_bias=True, input_scaling="standard", target_scaling="standard")),
    "linear-relu-output": ("plane", dict(hidden_sizes=(3,), hidden_activation="linear", output_activation="relu",
                                         use_bias=False, input_scaling="none", target_scaling="none",
                                         learning_rate=0.001)),
    "tanh-output": ("plane", dict(hidden_sizes=(2,), hidden_activation="sigmoid", output_activation="tanh",
                                  use_bias=True, input_scaling="max", target_scaling="minmax")),
    "binary-features": ("circle", dict(hidden_sizes=(4,), hidden_activation="tanh", use_bias=True, test_ratio=0.5,
                                       features=("x1²", "x2²", "x1·x2", "sin x1", "sin x2"))),
    "binary-no-bias-mixed": ("xor", dict(hidden_sizes=(3, 3), hidden_activation=("relu", "sigmoid"),
                                         use_bias=False, input_scaling="standard", features=("x1", "x2", "x1·x2"))),
    "multiclass-softmax": ("three_clouds", dict(hidden_sizes=(4, 2), hidden_activation="tanh", use_bias=True,
                                                test_ratio=0.3, input_scaling="minmax")),
    "no-hidden-layer": ("gaussians", dict(hidden_sizes=(), use_bias=True)),
}


def trained(case):
    name, settings = CASES[case]
    experiment = Experiment.build(make_dataset(name, n_samples=60, noise=0.1, seed=3),
                                  **{"learning_rate": 0.1, "batch_size": 10, "seed": 3, **settings})
    experiment.train(epochs=30)
    assert experiment.network.divergence is None
    return experiment


def probe_inputs(experiment):
    """The training inputs and inputs far outside them (large sums, saturated activations)."""
    far = np.random.default_rng(0).normal(0.0, 50.0, (20, experiment.train_set.X.shape[1]))
    return np.vstack([experiment.train_set.X, far])


def run_predict(script_path, X):
    """predict(X) of a script file, computed in a fresh CPython process."""
    code = ("import json, runpy, sys; import numpy as np; "
            "namespace = runpy.run_path(sys.argv[1]); "
            "print(json.dumps(namespace['predict'](np.array(json.load(sys.stdin))).tolist()))")
    result = subprocess.run([sys.executable, "-c", code, str(script_path)], input=json.dumps(X.tolist()),
                            capture_output=True, text=True, check=True)
    return np.array(json.loads(result.stdout))


def run_script(script_path, *arguments):
    """The rows a script prints when run as a program, header first."""
    result = subprocess.run([sys.executable, str(script_path), *arguments], capture_output=True, text=True,
                            check=True)
    return list(csv.reader(io.StringIO(result.stdout)))


def write_script(experiment, folder):
    path = folder / file_name(experiment, "py")
    path.write_text(to_script(experiment), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_exported_script_predicts_what_the_experiment_predicts(case, tmp_path):
    experiment = trained(case)
    X = probe_inputs(experiment)
    predicted = run_predict(write_script(experiment, tmp_path), X)
    np.testing.assert_array_equal(predicted, experiment.predict(X))


@pytest.mark.parametrize("case", ["tutorial", "binary-features", "multiclass-softmax"])
def test_exported_script_prints_its_examples_predictions_as_csv(case, tmp_path):
    experiment = trained(case)
    header, *rows = run_script(write_script(experiment, tmp_path))
    n_inputs, n_outputs = len(experiment.dataset.feature_names), experiment.config.layer_sizes[-1]
    assert header[:n_inputs] == list(experiment.dataset.feature_names)
    X = np.array([[float(value) for value in row[:n_inputs]] for row in rows])
    np.testing.assert_array_equal(X, experiment.train_set.X[:len(rows)])
    printed = np.array([[float(value) for value in row[n_inputs:n_inputs + n_outputs]] for row in rows])
    np.testing.assert_array_equal(printed, experiment.predict(X))
    if experiment.dataset.task == "multiclass":
        expected = [experiment.dataset.target_names[k] for k in experiment.predict(X).argmax(axis=1)]
        assert [row[-1] for row in rows] == expected
    elif experiment.dataset.task == "binary":
        assert [int(row[-1]) for row in rows] == (experiment.predict(X)[:, 0] >= 0.5).astype(int).tolist()


def test_exported_tutorial_answers_the_tutorials_question_given_as_arguments(tmp_path):
    experiment = Experiment.tutorial(seed=0)
    experiment.train(epochs=2000)
    header, row = run_script(write_script(experiment, tmp_path), "4", "8")
    assert header == ["hours studied", "hours slept", "test score"]
    assert float(row[2]) == experiment.predict([[4, 8]])[0, 0]


def test_exported_script_imports_nothing_but_numpy_and_the_standard_library():
    tree = ast.parse(to_script(trained("binary-features")))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"csv", "sys", "numpy"}


def test_exported_predict_says_how_many_inputs_it_wants(tmp_path):
    namespace = {}
    exec(to_script(trained("tutorial")), namespace)  # our own generated code
    with pytest.raises(ValueError, match=r"give 2 numbers per input \(hours studied, hours slept\)"):
        namespace["predict"]([[1.0, 2.0, 3.0]])


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_code_computes_the_engines_activation_bit_for_bit(name):
    namespace = {"np": np}
    exec("def activation(z):\n    " + ACTIVATIONS[name].numpy_code.replace("\n", "\n    "), namespace)
    z = np.random.default_rng(1).normal(0.0, 30.0, (50, 3))
    z[0] = [-800.0, 800.0, 0.0]
    np.testing.assert_array_equal(namespace["activation"](z), ACTIVATIONS[name].function(z))


@pytest.mark.parametrize("name", sorted(FEATURES))
def test_feature_code_computes_the_engines_feature_bit_for_bit(name):
    X = np.random.default_rng(2).normal(0.0, 3.0, (40, 2))
    np.testing.assert_array_equal(eval(FEATURE_CODE[name], {"np": np, "X": X}), FEATURES[name](X))


def test_the_learners_own_activation_or_feature_is_named_when_it_cannot_be_exported():
    source = "def activation(z):\n    return z / (1 + np.abs(z))\n\ndef derivative(a):\n    return (1 - np.abs(a)) ** 2\n"
    register(check_code("activation", source))
    register(check_code("feature", "def feature(x1, x2):\n    return x1 - x2\n"))
    try:
        experiment = Experiment.build(make_dataset("circle", n_samples=20), (3,), hidden_activation=CUSTOM,
                                      features=("x1", CUSTOM))
        with pytest.raises(ValueError, match="the activation 'custom' and the input feature 'custom', which has no"):
            to_script(experiment)
        with pytest.raises(ValueError, match="save it as JSON"):
            to_notebook(experiment)
    finally:
        unregister("activation")
        unregister("feature")


def test_export_file_names_are_python_module_names():
    experiment = trained("tutorial")
    assert file_name(experiment, "py") == "exam_network.py"
    experiment.dataset = experiment.dataset._replace(name="circle (edited)")
    assert file_name(experiment, "ipynb") == "circle_edited_network.ipynb"


def notebook_cells(experiment):
    notebook = json.loads(to_notebook(experiment))
    assert (notebook["nbformat"], notebook["nbformat_minor"]) == (4, 5)
    assert notebook["metadata"]["kernelspec"]["language"] == "python"
    for cell in notebook["cells"]:
        assert cell["cell_type"] in ("markdown", "code") and cell["metadata"] == {}
        assert isinstance(cell["id"], str) and all(isinstance(line, str) for line in cell["source"])
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert len({cell["id"] for cell in notebook["cells"]}) == len(notebook["cells"])
    return notebook["cells"]


@pytest.mark.parametrize("case", ["tutorial", "binary-features", "multiclass-softmax", "relu-standard"])
def test_notebook_code_cells_run_in_order_and_predict_what_the_experiment_predicts(case):
    experiment = trained(case)
    cells = notebook_cells(experiment)
    assert cells[0]["cell_type"] == "markdown" and cells[0]["source"][0].startswith("# A network trained")
    code = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    namespace = {}
    exec("\n\n".join(code[:-2]), namespace)  # everything up to the prediction cells
    X = probe_inputs(experiment)
    np.testing.assert_array_equal(namespace["predict"](X), experiment.predict(X))
    examples = eval(code[-2], namespace)  # the cell that predicts the training inputs
    probabilities = examples[1] if experiment.dataset.task != "regression" else examples
    np.testing.assert_array_equal(probabilities, experiment.predict(experiment.train_set.X[:len(probabilities)]))


def test_tutorial_notebook_ends_by_asking_about_4_hours_studied_and_8_slept():
    experiment = trained("tutorial")
    cells = notebook_cells(experiment)
    code = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    namespace = {}
    exec("\n\n".join(code[:-1]), namespace)
    assert code[-1] == "predict([[4.0, 8.0]])"
    answer = eval(code[-1], namespace)
    np.testing.assert_array_equal(answer, experiment.predict([[4, 8]]))


def test_names_from_a_data_file_cannot_break_out_of_the_exported_code(tmp_path):
    names = ('a """ b', "c\\\nraise SystemExit('injected')")
    X = np.random.default_rng(3).normal(size=(8, 2))
    dataset = Dataset('my "data"\n', X, X.sum(axis=1, keepdims=True), names, ("total\\",), "regression")
    experiment = Experiment.build(dataset, (2,), seed=0)
    path = tmp_path / "network.py"
    path.write_text(to_script(experiment), encoding="utf-8")
    header, *rows = run_script(path)
    assert header == [*names, "total\\"] and len(rows) == 8
    np.testing.assert_array_equal(run_predict(path, X), experiment.predict(X))
    json.loads(to_notebook(experiment))
