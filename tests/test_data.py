"""The data module: built-in datasets, the train/test split, and CSV files in and out."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_core import csv_data
from nn_core.data import (
    DATASETS, MAX_COLUMNS, MAX_SAMPLES, TASKS, Dataset, make_dataset, parse_csv, to_csv, train_test_split,
)

GENERATED = [name for name in DATASETS if name != "exam"]
CLASSIFICATION = ["xor", "circle", "gaussians", "spiral"]
REGRESSION = ["plane", "gaussian_bump"]


def assert_same_dataset(actual, expected):
    np.testing.assert_array_equal(actual.X, expected.X)
    np.testing.assert_array_equal(actual.y, expected.y)
    assert (actual.feature_names, actual.target_names, actual.task) == (
        expected.feature_names, expected.target_names, expected.task,
    )


# ----- built-in datasets -------------------------------------------------------------------
def test_datasets_are_listed_in_display_order_with_exam_first():
    assert list(DATASETS) == ["exam", "xor", "circle", "gaussians", "spiral", "plane", "gaussian_bump"]


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dataset_has_float64_arrays_that_match_its_names(name):
    dataset = make_dataset(name, n_samples=101, noise=0.2, seed=0)
    n_samples = 3 if name == "exam" else 101
    assert isinstance(dataset, Dataset) and dataset.name == name and dataset.task in TASKS
    assert dataset.X.dtype == np.float64 and dataset.y.dtype == np.float64
    assert dataset.X.shape == (n_samples, len(dataset.feature_names))
    assert dataset.y.shape == (n_samples, len(dataset.target_names))
    assert np.isfinite(dataset.X).all() and np.isfinite(dataset.y).all()


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_classification_sets_are_binary_with_x1_x2_and_class(name):
    dataset = make_dataset(name, 20)
    assert (dataset.feature_names, dataset.target_names, dataset.task) == (("x1", "x2"), ("class",), "binary")


@pytest.mark.parametrize("name", REGRESSION)
def test_regression_sets_have_x1_x2_and_value(name):
    dataset = make_dataset(name, 20)
    assert (dataset.feature_names, dataset.target_names, dataset.task) == (("x1", "x2"), ("value",), "regression")


@pytest.mark.parametrize("n_samples", [2, 3, 7])
@pytest.mark.parametrize("name", GENERATED)
def test_generated_datasets_have_exactly_n_samples_rows_even_when_odd(name, n_samples):
    assert make_dataset(name, n_samples).X.shape == (n_samples, 2)


def test_exam_is_the_tutorials_data_whatever_the_other_arguments():
    for dataset in (make_dataset("exam"), make_dataset("exam", n_samples=50, noise=0.5, seed=7)):
        np.testing.assert_array_equal(dataset.X, [[2, 9], [1, 5], [3, 6]])
        np.testing.assert_array_equal(dataset.y, [[92], [86], [89]])
        assert dataset.feature_names == ("hours studied", "hours slept")
        assert dataset.target_names == ("test score",) and dataset.task == "regression"


@pytest.mark.parametrize("name", GENERATED)
def test_the_same_seed_gives_identical_data(name):
    first, again = make_dataset(name, 50, 0.2, seed=3), make_dataset(name, 50, 0.2, seed=3)
    assert_same_dataset(again, first)


@pytest.mark.parametrize("name", GENERATED)
def test_another_seed_gives_other_data(name):
    first, other = make_dataset(name, 50, 0.2, seed=3), make_dataset(name, 50, 0.2, seed=4)
    assert not np.array_equal(first.X, other.X)


@pytest.mark.parametrize("name", GENERATED)
def test_noise_changes_the_data(name):
    clean, noisy = make_dataset(name, 200, 0.0, seed=0), make_dataset(name, 200, 0.5, seed=0)
    assert not (np.array_equal(clean.X, noisy.X) and np.array_equal(clean.y, noisy.y))


@pytest.mark.parametrize("noise", [0.0, 0.3])
@pytest.mark.parametrize("name", CLASSIFICATION)
def test_classification_labels_are_0_or_1_and_roughly_balanced(name, noise):
    y = make_dataset(name, 400, noise, seed=0).y
    assert set(np.unique(y)) == {0.0, 1.0} and 0.35 < y.mean() < 0.65


def test_xor_labels_follow_the_quadrants_and_points_keep_off_both_axes():
    dataset = make_dataset("xor", 300, 0.0, seed=0)
    np.testing.assert_array_equal(dataset.y[:, 0], dataset.X[:, 0] * dataset.X[:, 1] >= 0)
    assert np.abs(dataset.X).min() >= 0.3 and np.abs(dataset.X).max() <= 5.3


def test_circle_is_a_disc_of_class_1_inside_a_ring_of_class_0():
    dataset = make_dataset("circle", 300, 0.0, seed=0)
    radius = np.hypot(dataset.X[:, 0], dataset.X[:, 1])
    np.testing.assert_array_equal(dataset.y[:, 0], radius < 2.5)
    assert radius[radius >= 2.5].min() >= 3.5 and radius.max() <= 5.0


def test_gaussians_centre_on_plus_and_minus_2_and_widen_with_noise():
    clean, noisy = make_dataset("gaussians", 4000, 0.0, seed=0), make_dataset("gaussians", 4000, 0.5, seed=0)
    positive = clean.y[:, 0] == 1
    np.testing.assert_allclose(clean.X[positive].mean(axis=0), [2, 2], atol=0.1)
    np.testing.assert_allclose(clean.X[~positive].mean(axis=0), [-2, -2], atol=0.1)
    assert clean.X[positive].var() == pytest.approx(0.5, rel=0.1)  # TF's variance at noise 0
    assert noisy.X[noisy.y[:, 0] == 1].var() == pytest.approx(4.0, rel=0.1)  # and at noise 0.5


def test_spiral_arms_are_half_a_turn_apart_and_reach_radius_5():
    dataset = make_dataset("spiral", 400, 0.0, seed=0)
    first, second = dataset.X[dataset.y[:, 0] == 1], dataset.X[dataset.y[:, 0] == 0]
    np.testing.assert_allclose(first, -second, atol=1e-12)  # turned by π: every point mirrored
    assert np.hypot(*dataset.X.T).max() == pytest.approx(5.0 * 199 / 200)


def test_plane_value_is_the_sum_of_the_inputs_over_10_without_noise():
    dataset = make_dataset("plane", 100, 0.0, seed=0)
    np.testing.assert_allclose(dataset.y[:, 0], dataset.X.sum(axis=1) / 10)
    assert np.abs(dataset.X).max() <= 6.0


def test_gaussian_bump_peaks_at_its_centres_and_stays_within_minus_1_and_1():
    dataset = make_dataset("gaussian_bump", 2000, 0.0, seed=0)
    assert np.abs(dataset.y).max() <= 1.0 and np.abs(dataset.y).max() > 0.9
    near_up_bump = np.hypot(dataset.X[:, 0] + 4, dataset.X[:, 1] - 2.5) < 0.5
    near_down_bump = np.hypot(dataset.X[:, 0], dataset.X[:, 1] - 2.5) < 0.5
    assert (dataset.y[near_up_bump] > 0.7).all() and (dataset.y[near_down_bump] < -0.7).all()


def test_the_size_and_noise_limits_themselves_are_allowed():
    assert make_dataset("xor", MAX_SAMPLES, 0.5).X.shape == (MAX_SAMPLES, 2)
    assert make_dataset("circle", 2, 0.0).X.shape == (2, 2)


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"name": "mnist"}, "unknown dataset 'mnist'; choose one of: exam, xor, circle, gaussians, spiral"),
        ({"name": "xor", "n_samples": 1}, "n_samples must be a whole number from 2 to 100000, got 1"),
        ({"name": "xor", "n_samples": 100_001}, "got 100001"),
        ({"name": "xor", "n_samples": 2.5}, "got 2.5"),
        ({"name": "xor", "n_samples": True}, "got True"),
        ({"name": "xor", "noise": -0.1}, r"noise must be from 0 to 0.5 \(0 to 50 %\), got -0.1; for 20 % pass 0.2"),
        ({"name": "xor", "noise": 0.51}, "got 0.51"),
        ({"name": "xor", "noise": float("nan")}, "got nan"),
        ({"name": "xor", "noise": "0.1"}, "got '0.1'"),
        ({"name": "xor", "seed": -1}, "seed must be a whole number 0 or more, got -1"),
    ],
)
def test_bad_dataset_arguments_name_the_value_and_what_is_allowed(arguments, message):
    with pytest.raises(ValueError, match=message):
        make_dataset(**arguments)


# ----- train/test split --------------------------------------------------------------------
def numbered(n_samples):
    """A dataset whose first input is the row number, so rows can be told apart."""
    X = np.column_stack([np.arange(n_samples), np.zeros(n_samples)]).astype(float)
    return Dataset("numbered", X, X[:, :1] * 2, ("row", "zero"), ("double",), "regression")


def test_split_sizes_follow_the_ratio_and_the_parts_are_disjoint():
    train, test = train_test_split(numbered(100), 0.3, seed=0)
    assert train.X.shape == (70, 2) and test.X.shape == (30, 2) and test.y.shape == (30, 1)
    assert sorted(np.concatenate([train.X[:, 0], test.X[:, 0]])) == list(range(100))
    np.testing.assert_array_equal(test.y[:, 0], test.X[:, 0] * 2)  # rows keep their targets


def test_split_names_the_parts_and_keeps_names_and_task():
    train, test = train_test_split(make_dataset("circle", 20), 0.5)
    assert (train.name, test.name) == ("circle (train)", "circle (test)")
    assert train.feature_names == test.feature_names == ("x1", "x2") and test.task == "binary"


def test_split_is_the_same_for_the_same_seed_and_other_for_another():
    first, again, other = (train_test_split(numbered(50), 0.2, seed)[1].X for seed in (1, 1, 2))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_split_with_ratio_0_keeps_every_row_in_order_and_an_empty_test_set():
    train, test = train_test_split(make_dataset("exam"), 0.0)
    np.testing.assert_array_equal(train.X, make_dataset("exam").X)
    assert test.X.shape == (0, 2) and test.y.shape == (0, 1)


@pytest.mark.parametrize("n_samples, test_ratio, n_test", [(3, 0.1, 0), (3, 0.9, 2), (1, 0.9, 0), (2, 0.5, 1)])
def test_split_of_tiny_data_keeps_at_least_one_training_row(n_samples, test_ratio, n_test):
    train, test = train_test_split(numbered(n_samples), test_ratio)
    assert len(test.X) == n_test and len(train.X) == n_samples - n_test


@pytest.mark.parametrize("test_ratio", [-0.1, 0.95, float("nan"), "0.2"])
def test_split_rejects_a_ratio_outside_0_to_0_9(test_ratio):
    with pytest.raises(ValueError, match=r"test_ratio must be from 0 to 0.9, got .*; for a 20 % test set pass 0.2"):
        train_test_split(numbered(10), test_ratio)


def test_split_of_a_dataset_without_rows_says_there_is_nothing_to_train_on():
    with pytest.raises(ValueError, match="'numbered' has no rows"):
        train_test_split(numbered(0), 0.2)
