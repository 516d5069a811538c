"""Datasets, splits and CSV files: shapes, seeds, and a clear message for every bad file."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_core.data import DATASETS, MAX_COLUMNS, make_dataset, parse_csv, to_csv, train_test_split


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_dataset_has_consistent_shapes_and_names(name):
    dataset = make_dataset(name, n_samples=100, noise=0.1, seed=0)
    n = 3 if name == "exam" else 100
    assert dataset.X.shape == (n, len(dataset.feature_names)) and dataset.X.dtype == float
    assert dataset.y.shape == (n, len(dataset.target_names))
    assert np.isfinite(dataset.X).all() and np.isfinite(dataset.y).all()


@pytest.mark.parametrize("name", [n for n in DATASETS if n != "exam"])
def test_same_seed_same_data_other_seed_other_data(name):
    first, again = make_dataset(name, 50, 0.1, seed=1), make_dataset(name, 50, 0.1, seed=1)
    np.testing.assert_array_equal(first.X, again.X)
    assert not np.array_equal(first.X, make_dataset(name, 50, 0.1, seed=2).X)


@pytest.mark.parametrize("name", ["xor", "circle", "gaussians", "spiral"])
def test_classification_sets_are_roughly_balanced_0_1_labels(name):
    y = make_dataset(name, 400, 0.0, seed=0).y
    assert set(np.unique(y)) == {0.0, 1.0} and 0.3 < y.mean() < 0.7


def test_circle_labels_follow_the_radius_without_noise():
    dataset = make_dataset("circle", 200, 0.0, seed=0)
    inside = np.hypot(dataset.X[:, 0], dataset.X[:, 1]) < 2.5
    np.testing.assert_array_equal(dataset.y[:, 0], inside)


def test_noise_changes_the_labels_of_a_circle():
    clean, noisy = make_dataset("circle", 400, 0.0, 0), make_dataset("circle", 400, 0.5, 0)
    assert not np.array_equal(clean.y, noisy.y)


def test_exam_is_the_tutorials_data():
    dataset = make_dataset("exam")
    np.testing.assert_array_equal(dataset.X, [[2, 9], [1, 5], [3, 6]])
    np.testing.assert_array_equal(dataset.y, [[92], [86], [89]])


@pytest.mark.parametrize(
    "kwargs, message",
    [({"name": "mnist"}, "unknown dataset 'mnist'"), ({"name": "xor", "n_samples": 1}, "n_samples must be"),
     ({"name": "xor", "noise": 0.7}, "noise must be from 0 to 0.5")],
)
def test_bad_dataset_arguments_say_what_is_allowed(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_dataset(**kwargs)


def test_split_is_disjoint_and_sized_by_the_ratio():
    dataset = make_dataset("spiral", 100, 0.1, seed=0)
    train, test = train_test_split(dataset, 0.3, seed=0)
    assert len(train.X) == 70 and len(test.X) == 30
    rows = {tuple(row) for row in train.X} | {tuple(row) for row in test.X}
    assert len(rows) == 100
    tiny_train, tiny_test = train_test_split(make_dataset("exam"), 0.0)
    assert len(tiny_train.X) == 3 and tiny_test.X.shape == (0, 2)
    with pytest.raises(ValueError, match="test_ratio"):
        train_test_split(dataset, 0.95)


def test_csv_reads_numbers_and_infers_regression():
    dataset = parse_csv("studied,slept,score\n2,9,92\n1,5,86\n3,6,89\n")
    assert dataset.feature_names == ("studied", "slept") and dataset.target_names == ("score",)
    assert dataset.task == "regression" and dataset.y[0, 0] == 92.0


def test_csv_infers_binary_and_multiclass_targets():
    binary = parse_csv("a,b,label\n1,2,3\n2,3,7\n4,4,3\n5,5,7\n")
    assert binary.task == "binary" and binary.y[:, 0].tolist() == [0, 1, 0, 1]
    multi = parse_csv("a;label\n1;0\n2;1\n3;2\n4;1\n5;0\n6;2\n")
    assert multi.task == "multiclass" and multi.y.shape == (6, 3) and multi.target_names[2] == "label=2"


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "the file is empty"),
        ("a,b\n", "too few rows"),
        ("a,b\n1,2\n", "too few rows"),
        ("a,b\n1,2\n3,abc\n", "line 3, column 'b': 'abc' is not a number"),
        ("a,b\n1,2\n3,nan\n", "line 3, column 'b': 'nan' is not a finite number"),
        ("a,b\n1,2\n3,\n", "line 3, column 'b': the cell is empty"),
        ("a,b\n1,2\n3,4,5\n", "line 3 has 3 cells, the header has 2"),
        ("a,a\n1,2\n3,4\n", "appears twice"),
        ("a,\n1,2\n3,4\n", "has no name"),
        (",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)) + "\n", "too many columns"),
    ],
)
def test_a_bad_csv_names_the_line_and_column(text, message):
    with pytest.raises(ValueError, match=message):
        parse_csv(text)


def test_csv_column_choice_errors_list_the_header():
    text = "a,b,c\n1,2,3\n4,5,6\n"
    with pytest.raises(ValueError, match="there is no column 'z'; the columns are: a, b, c"):
        parse_csv(text, target_columns=["z"])
    with pytest.raises(ValueError, match="both an input and a target"):
        parse_csv(text, input_columns=["a", "c"], target_columns=["c"])
    assert parse_csv(text, input_columns=["a"], target_columns=["b"]).X.tolist() == [[1], [4]]


def test_csv_round_trip_keeps_the_data():
    for dataset in (make_dataset("exam"), make_dataset("circle", 30, 0.1, 3), parse_csv("a,k\n1,0\n2,1\n3,2\n4,0\n5,1\n6,2\n")):
        again = parse_csv(to_csv(dataset), name=dataset.name)
        np.testing.assert_array_equal(again.X, dataset.X)
        np.testing.assert_array_equal(again.y, dataset.y)
        assert again.task == dataset.task and again.target_names == dataset.target_names


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab,;\t\n 0123456789.-eE\"nai")), max_size=80))
def test_any_text_either_parses_or_raises_value_error(text):
    try:
        dataset = parse_csv(text)
    except ValueError as error:
        assert str(error)
    else:
        assert len(dataset.X) >= 2 and np.isfinite(dataset.X).all()
