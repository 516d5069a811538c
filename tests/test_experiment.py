"""Experiments: scaling done right, predictions in original units, saving, insight, the command line."""
import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nn_core import Dataset, Experiment, Scaler, make_dataset, permutation_importance, tutorial_scaling, weight_path_importance
from nn_core.scaling import METHODS


def test_tutorial_experiment_scales_like_the_tutorial():
    experiment = Experiment.tutorial(seed=0)
    np.testing.assert_allclose(experiment.network.X_train, [[2 / 3, 1], [1 / 3, 5 / 9], [1, 2 / 3]])
    np.testing.assert_allclose(experiment.network.y_train, [[0.92], [0.86], [0.89]])


def test_tutorial_prediction_for_4_and_8_hours_is_a_score_in_points():
    experiment = Experiment.tutorial(seed=0)
    experiment.train(epochs=100_000)
    score = experiment.predict([[4, 8]])[0, 0]
    assert 80 < score < 100
    # The correct scaling asks about [4/3, 8/9]; the tutorial's asks about [0.5, 1].
    np.testing.assert_allclose(experiment.input_scaler.transform([[4, 8]]), [[4 / 3, 8 / 9]])
    np.testing.assert_allclose(tutorial_scaling([4, 8]), [[0.5, 1.0]])
    tutorial_score = experiment.predict_tutorial_scaling([[4, 8]])[0, 0]
    assert tutorial_score == pytest.approx(100 * experiment.network.predict([[0.5, 1.0]])[0, 0])
    assert tutorial_score != pytest.approx(score, abs=0.01)


def test_predictions_of_the_training_inputs_give_back_the_training_scores():
    experiment = Experiment.tutorial(seed=0)
    experiment.train(epochs=100_000)
    np.testing.assert_allclose(experiment.predict([[2, 9], [1, 5], [3, 6]]), [[92], [86], [89]], atol=1e-3)


@pytest.mark.parametrize("method", [m for m in METHODS if m != "fixed"])
@settings(max_examples=60, deadline=None)
@given(X=arrays(float, st.tuples(st.integers(1, 8), st.integers(1, 4)), elements=st.floats(-1e6, 1e6)))
def test_scaler_round_trip_gives_back_the_data(method, X):
    scaler = Scaler.fit(X, method)
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(X)), X, rtol=1e-9, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(X=arrays(float, st.tuples(st.integers(1, 8), st.integers(1, 4)), elements=st.floats(-1e6, 1e6)))
def test_max_scaling_keeps_every_column_within_one(X):
    assert np.all(np.abs(Scaler.fit(X, "max").transform(X)) <= 1.0 + 1e-12)


def test_scaler_rejects_a_wrong_number_of_columns_and_unknown_methods():
    scaler = Scaler.fit(np.ones((3, 2)))
    with pytest.raises(ValueError, match="expected 2 columns, got 3"):
        scaler.transform(np.ones((1, 3)))
    with pytest.raises(ValueError, match="unknown scaling 'log'"):
        Scaler.fit(np.ones((3, 2)), "log")
    with pytest.raises(ValueError, match="needs fixed_scale"):
        Scaler.fit(np.ones((3, 2)), "fixed")


def test_scaler_describes_each_column():
    scaler = Scaler.fit(np.array([[2.0, 9.0], [3.0, 6.0]]))
    assert scaler.describe(["hours studied", "hours slept"]) == ["hours studied ÷ 3", "hours slept ÷ 9"]


def test_saved_experiment_loads_back_with_the_same_predictions():
    experiment = Experiment.tutorial(seed=4)
    experiment.train(epochs=500)
    restored = Experiment.from_json(experiment.to_json())
    np.testing.assert_array_equal(restored.predict([[4, 8]]), experiment.predict([[4, 8]]))
    assert restored.config == experiment.config and restored.network.epoch == 500
    assert restored.dataset.feature_names == ("hours studied", "hours slept")


def test_saved_experiment_with_biases_and_test_data_round_trips():
    dataset = make_dataset("circle", n_samples=60, noise=0.1, seed=1)
    experiment = Experiment.build(dataset, (4, 2), use_bias=True, test_ratio=0.5, learning_rate=0.1, seed=1)
    experiment.train(epochs=20)
    restored = Experiment.from_json(experiment.to_json(), dataset=dataset)
    np.testing.assert_allclose(restored.predict(dataset.X[:5]), experiment.predict(dataset.X[:5]))


def test_saved_experiment_brings_back_its_training_and_test_data_even_after_edits():
    dataset = make_dataset("circle", n_samples=60, noise=0.1, seed=1)
    experiment = Experiment.build(dataset, (4, 2), use_bias=True, test_ratio=0.5, learning_rate=0.1, seed=1,
                                  input_scaling="standard")
    experiment.train(epochs=20)
    experiment.add_point([0.5, -0.5], [1.0])  # no seed splits the data this way again
    restored = Experiment.from_json(experiment.to_json())
    for part in ("train_set", "test_set"):
        np.testing.assert_array_equal(getattr(restored, part).X, getattr(experiment, part).X)
        np.testing.assert_array_equal(getattr(restored, part).y, getattr(experiment, part).y)
    network, original = restored.network, experiment.network
    assert network.loss(network.X_train, network.y_train) == original.loss(original.X_train, original.y_train)
    assert network.loss(network.X_test, network.y_test) == original.loss(original.X_test, original.y_test)
    assert (restored.test_ratio, restored.split_seed, network.epoch) == (0.5, 0, 20)


def test_a_saved_file_without_data_still_predicts():
    experiment = Experiment.tutorial(seed=2)
    experiment.train(epochs=100)
    saved = experiment.to_dict()
    del saved["data"], saved["test_ratio"], saved["split_seed"]
    restored = Experiment.from_json(json.dumps(saved))
    np.testing.assert_array_equal(restored.predict([[4, 8]]), experiment.predict([[4, 8]]))
    assert len(restored.train_set.X) == 1


def test_extra_fields_ride_along_in_the_saved_json_and_are_ignored_on_loading():
    experiment = Experiment.tutorial(seed=0)
    text = experiment.to_json(settings={"hidden_sizes": "4"})
    assert json.loads(text)["settings"] == {"hidden_sizes": "4"}
    assert Experiment.from_json(text).config == experiment.config


@pytest.mark.parametrize(
    "text, message",
    [
        ("{", "invalid JSON"),
        ("[]", "no \"format\""),
        ('{"format": "backprop-playground-network", "version": 9}', "format version 9"),
        ('{"format": "backprop-playground-network", "version": 1}', "missing or has a malformed field"),
    ],
)
def test_loading_a_bad_file_says_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        Experiment.from_json(text)


def test_weights_export_as_text_like_np_savetxt():
    experiment = Experiment.tutorial(seed=0)
    files = experiment.weights_as_text()
    assert sorted(files) == ["w1.txt", "w2.txt"]
    np.testing.assert_array_equal(np.loadtxt(files["w1.txt"].splitlines()), experiment.network.weights[0])


def test_permutation_importance_finds_the_input_that_matters():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (200, 2))
    dataset = make_dataset("exam")._replace(
        name="line", X=X, y=(3 * X[:, :1] + 0.01 * X[:, 1:]), feature_names=("strong", "weak"), target_names=("y",)
    )
    experiment = Experiment.build(dataset, (4,), learning_rate=0.1, batch_size=0, use_bias=True, seed=0)
    experiment.train(epochs=2000)
    network = experiment.network
    importance = permutation_importance(network, network.X_train, network.y_train)
    assert importance[0] > 10 * max(importance[1], 1e-12)


def test_weight_path_importance_sums_products_of_absolute_weights():
    W1 = np.array([[1.0, -2.0], [0.5, 0.0]])
    W2 = np.array([[3.0], [-1.0]])
    # input 1: |1·3| + |−2·−1| = 5; input 2: |0.5·3| + 0 = 1.5
    np.testing.assert_allclose(weight_path_importance([W1, W2]), [5 / 6.5, 1.5 / 6.5])


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "nn_core", *args], capture_output=True, text=True, timeout=120)


def test_command_line_trains_the_tutorial_and_prints_json():
    result = run_cli("exam", "--epochs", "100000", "--seed", "0", "--predict", "4,8", "--json")
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["epochs"] == 100_000 and output["loss"] < 1e-9
    assert 80 < output["prediction"] < 100
    assert output["prediction_tutorial_scaling"] != output["prediction"]


def test_command_line_prints_progress_and_the_prediction():
    result = run_cli("exam", "--epochs", "1000", "--predict", "4,8")
    assert result.returncode == 0, result.stderr
    assert "epoch     1000" in result.stdout
    assert "hours studied = 4, hours slept = 8 → test score = " in result.stdout


def test_command_line_trains_a_csv_file(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("studied,slept,score\n2,9,92\n1,5,86\n3,6,89\n")
    result = run_cli(str(path), "--epochs", "50", "--hidden", "3", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["epochs"] == 50


@pytest.mark.parametrize(
    "args, message",
    [
        (["nowhere.csv"], "neither a dataset"),
        (["exam", "--epochs", "many"], "invalid int value"),
        (["exam", "--epochs", "-5"], "--epochs must be 0 or more"),
        (["exam", "--predict", "4,x"], "--predict must be numbers"),
        (["exam", "--predict", "4,8,1"], "give 2 input values"),
        (["exam", "--learning-rate", "-1"], "learning_rate must be"),
        (["exam", "--hidden", "0"], "positive integers"),
        (["exam", "--frobnicate"], "unrecognized arguments"),
    ],
)
def test_command_line_rejects_bad_arguments_with_one_line_and_exit_2(args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_scaling_names_how_each_column_reaches_the_network():
    experiment = Experiment.tutorial(seed=0)
    rows = {row["name"]: row for row in experiment.scaling()}
    assert [row["role"] for row in experiment.scaling()] == ["input", "input", "target"]
    slept = rows["hours slept"]
    assert (slept["method"], slept["formula"], slept["scale"]) == ("max", "hours slept ÷ 9", 9.0)
    assert (slept["min"], slept["max"], slept["mean"]) == (5.0, 9.0, pytest.approx(20 / 3))
    assert slept["std"] == pytest.approx(np.std([9, 5, 6]))
    assert (slept["scaled_min"], slept["scaled_max"]) == (pytest.approx(5 / 9), 1.0)
    score = rows["test score"]
    assert (score["method"], score["scale"], score["scaled_min"], score["scaled_max"]) == ("fixed", 100.0, 0.86, 0.92)


def test_scaling_covers_input_features_and_uses_only_the_training_rows():
    experiment = Experiment.build(make_dataset("plane", 50, seed=3), test_ratio=0.4, features=("x1", "x1²"),
                                  input_scaling="standard")
    rows = experiment.scaling()
    assert [row["name"] for row in rows] == ["x1", "x1²", "value"]
    squares = experiment.train_set.X[:, 0] ** 2
    assert rows[1]["mean"] == pytest.approx(squares.mean()) and rows[1]["offset"] == pytest.approx(squares.mean())
    assert rows[1]["scaled_max"] == pytest.approx((squares.max() - squares.mean()) / squares.std())
    assert rows[2]["method"] == "minmax" and (rows[2]["scaled_min"], rows[2]["scaled_max"]) == (0.0, 1.0)


def test_the_data_downloads_as_csv_with_a_part_column_and_reads_back():
    from nn_core import parse_csv

    experiment = Experiment.build(make_dataset("three_clouds", 30, seed=2), test_ratio=0.2)
    text = experiment.to_csv()
    lines = text.splitlines()
    assert lines[0] == "part,x1,x2,class" and len(lines) == 31
    assert [line.split(",")[0] for line in lines[1:]] == ["train"] * 24 + ["test"] * 6
    back = parse_csv(text, input_columns=["x1", "x2"], target_columns=["class"])
    np.testing.assert_array_equal(back.X, np.vstack([experiment.train_set.X, experiment.test_set.X]))
    np.testing.assert_array_equal(back.y, np.vstack([experiment.train_set.y, experiment.test_set.y]))


def _real_looking_table(n_rows=150, seed=0):
    """Three classes of flowers, say: 4 columns in units from hundredths to thousands."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, n_rows)
    X = rng.normal(0, 1, (3, 4))[labels] + rng.normal(0, 0.35, (n_rows, 4))
    X = X * np.array([0.01, 1.0, 100.0, 2000.0]) + np.array([0.05, 3.0, 400.0, 9000.0])
    return Dataset("flowers", X, np.eye(3)[labels], ("a", "b", "c", "d"), ("kind 0", "kind 1", "kind 2"), "multiclass")


def test_settings_for_own_data_learn_a_real_looking_table_that_the_tutorials_cannot():
    from nn_core.experiment import TUTORIAL_SETTINGS, own_data_settings

    table = _real_looking_table()
    own = Experiment.build(table, **own_data_settings("multiclass"))
    own.train(epochs=100)
    tutorial = {**TUTORIAL_SETTINGS, "target_scaling": None, "target_scale": None, "output_activation": None,
                "loss": "cross_entropy", "test_ratio": 0.3}
    old = Experiment.build(table, **tutorial)
    old.train(epochs=100)
    assert own.metrics()["test"]["accuracy"] >= 0.9 > 0.6 >= old.metrics()["test"]["accuracy"]
    assert len(own.test_set.X) == 45  # 30 % held back
    assert [row["method"] for row in own.scaling()] == ["standard"] * 4 + ["none"] * 3


def test_settings_for_own_data_fit_every_task():
    from nn_core.experiment import own_data_settings

    assert own_data_settings("regression")["output_activation"] == "linear"
    assert own_data_settings("regression")["target_scaling"] == "standard"
    assert (own_data_settings("binary")["output_activation"], own_data_settings("binary")["loss"]) == (
        "sigmoid", "binary_cross_entropy")
    assert (own_data_settings("multiclass")["output_activation"], own_data_settings("multiclass")["loss"]) == (
        "softmax", "cross_entropy")
    assert "target_scaling" not in own_data_settings("binary")  # classes are 0 and 1 already
