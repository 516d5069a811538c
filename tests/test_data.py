"""The data module: built-in datasets, the train/test split, and CSV files in and out."""
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nn_core import csv_data
from nn_core.data import (
    DATASETS,
    MAX_COLUMNS,
    TASK_CHOICES,
    TASKS,
    Dataset,
    csv_columns,
    make_dataset,
    parse_csv,
    to_csv,
    train_test_split,
)

FIXED_ROWS = {"exam": 3, "digits": 1797}  # datasets that are always the same rows
GENERATED = [name for name in DATASETS if name not in FIXED_ROWS]
CLASSIFICATION = ["xor", "circle", "gaussians", "spiral"]


def assert_same_dataset(actual, expected):
    np.testing.assert_array_equal(actual.X, expected.X)
    np.testing.assert_array_equal(actual.y, expected.y)
    assert (actual.feature_names, actual.target_names, actual.task) == (
        expected.feature_names, expected.target_names, expected.task,
    )


# ----- built-in datasets -------------------------------------------------------------------
def test_datasets_are_listed_in_display_order_with_exam_first():
    assert list(DATASETS) == ["exam", "xor", "circle", "gaussians", "spiral", "three_clouds", "plane", "gaussian_bump",
                              "digits"]


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dataset_has_float64_arrays_that_match_its_names(name):
    dataset = make_dataset(name, n_samples=101, noise=0.2, seed=0)
    n_samples = FIXED_ROWS.get(name, 101)
    assert isinstance(dataset, Dataset) and dataset.name == name and dataset.task in TASKS
    assert dataset.X.dtype == np.float64 and dataset.y.dtype == np.float64
    assert dataset.X.shape == (n_samples, len(dataset.feature_names))
    assert dataset.y.shape == (n_samples, len(dataset.target_names))
    assert np.isfinite(dataset.X).all() and np.isfinite(dataset.y).all()


@pytest.mark.parametrize("name", GENERATED)
def test_generated_sets_have_inputs_x1_x2_and_a_class_or_a_value(name):
    dataset = make_dataset(name, 20)
    if name == "three_clouds":
        expected = (("class=0", "class=1", "class=2"), "multiclass")
    else:
        expected = (("class",), "binary") if name in CLASSIFICATION else (("value",), "regression")
    assert dataset.feature_names == ("x1", "x2") and (dataset.target_names, dataset.task) == expected


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
def test_the_same_seed_gives_identical_data_and_another_seed_other_data(name):
    first, again, other = (make_dataset(name, 50, 0.2, seed) for seed in (3, 3, 4))
    assert_same_dataset(again, first)
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
    assert make_dataset("xor", 100_000, 0.5).X.shape == (100_000, 2)


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


def test_split_sizes_follow_the_ratio_and_the_named_parts_are_disjoint():
    train, test = train_test_split(numbered(100), 0.3, seed=0)
    assert train.X.shape == (70, 2) and test.X.shape == (30, 2) and test.y.shape == (30, 1)
    assert sorted(np.concatenate([train.X[:, 0], test.X[:, 0]])) == list(range(100))
    np.testing.assert_array_equal(test.y[:, 0], test.X[:, 0] * 2)  # rows keep their targets
    assert (train.name, test.name) == ("numbered (train)", "numbered (test)")
    assert test.feature_names == ("row", "zero") and test.task == "regression"


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


# ----- reading CSV -------------------------------------------------------------------------
EXAM_CSV = "hours studied,hours slept,test score\n2,9,92\n1,5,86\n3,6,89\n"


def test_csv_reads_inputs_and_the_last_column_as_a_regression_target():
    assert_same_dataset(parse_csv(EXAM_CSV), make_dataset("exam"))
    assert parse_csv(EXAM_CSV, name="scores").name == "scores"


def test_csv_columns_are_chosen_by_name_in_the_order_given():
    text = "a,b,c,d\n1,2,3,4\n5,6,7,8\n"
    dataset = parse_csv(text, input_columns=["c", "a"], target_columns=["b"])
    assert dataset.feature_names == ("c", "a") and dataset.X.tolist() == [[3, 1], [7, 5]]
    assert dataset.target_names == ("b",) and dataset.y.tolist() == [[2], [6]]
    assert parse_csv(text, target_columns="a").feature_names == ("b", "c", "d")
    assert parse_csv(text, input_columns=["d"]).target_names == ("c",)  # the last one left
    assert parse_csv(text, target_columns=["c", "d"]).y.shape == (2, 2)


def test_csv_with_two_target_columns_is_a_regression():
    assert parse_csv("x,a,b\n1,0,1\n2,1,0\n3,0,1\n4,1,0\n", target_columns=["a", "b"]).task == "regression"


def test_csv_columns_left_out_may_hold_text():
    dataset = parse_csv("name,x,y\nAda,1,2\nBob,3,4\n", input_columns=["x"])
    assert dataset.X.tolist() == [[1], [3]]


def test_csv_accepts_semicolons_tabs_crlf_quotes_spaces_blank_rows_and_a_byte_order_mark():
    texts = [
        "\ufeffa;b\r\n1;2\r\n\r\n3;4\r\n",
        "a\tb\n1\t2\n3\t4\n\n\n",
        '\n"a" , b\n 1, "2"\n,\n3 ,4 \n  \n',
    ]
    for text in texts:
        dataset = parse_csv(text)
        assert dataset.feature_names == ("a",) and dataset.X.tolist() == [[1], [3]] and dataset.y.tolist() == [[2], [4]]


def test_csv_infers_binary_with_the_smaller_label_as_0():
    dataset = parse_csv("a,b,label\n1,2,7\n2,3,3\n4,4,3\n5,5,7\n")
    assert dataset.task == "binary" and dataset.target_names == ("label",)
    assert dataset.y.tolist() == [[1], [0], [0], [1]]


def test_csv_infers_multiclass_one_hot_with_a_name_per_class():
    dataset = parse_csv("x;label\n1;0\n2;3\n3;5\n4;3\n5;0\n6;5\n")
    assert dataset.task == "multiclass" and dataset.target_names == ("label=0", "label=3", "label=5")
    np.testing.assert_array_equal(dataset.y[:2], [[1, 0, 0], [0, 1, 0]])


@pytest.mark.parametrize(
    "targets",
    [
        "92,86,89",  # whole numbers, but no value twice: the exam's scores are not classes
        "0.5,1.5,0.5,1.5",  # not whole numbers
        "1,1,1,1",  # one value
        ",".join(str(value % 11) for value in range(30)),  # 11 values
    ],
)
def test_csv_infers_regression_unless_the_target_looks_like_classes(targets):
    text = "x,t\n" + "".join(f"{row},{value}\n" for row, value in enumerate(targets.split(",")))
    assert parse_csv(text).task == "regression"


def test_an_explicit_task_overrides_the_inferred_one():
    text = "x,t\n1,0\n2,1\n3,0\n4,1\n"
    assert parse_csv(text, task="regression").y.tolist() == [[0], [1], [0], [1]]
    assert parse_csv(text, task="multiclass").target_names == ("t=0", "t=1")
    assert parse_csv("x,t\n1,2.5\n2,4\n", task="binary").y.tolist() == [[0], [1]]


@pytest.mark.parametrize(
    "text, task, message",
    [
        ("x,t\n1,1\n2,2\n3,3\n", "binary", "task 'binary' needs exactly 2 distinct values in column 't', it has 3"),
        ("x,t\n1,1\n2,1\n", "multiclass", "task 'multiclass' needs 2 to 10 distinct values in column 't', it has 1"),
        ("x,t\n1,1\n2,2\n", "classes", "unknown task 'classes'; choose one of: regression, binary, multiclass"),
    ],
)
def test_an_explicit_task_the_target_cannot_have_is_refused(text, task, message):
    with pytest.raises(ValueError, match=message):
        parse_csv(text, task=task)


def test_an_explicit_classification_task_needs_one_target_column():
    with pytest.raises(ValueError, match="task 'binary' needs one target column of class labels, got 2"):
        parse_csv("x,a,b\n1,0,1\n2,1,0\n", target_columns=["a", "b"], task="binary")


BAD_FILES = [
    ("", "the file is empty"),
    ("\n \n", "the file is empty"),
    ("a,b\n", "too few rows: the file has no rows of data, at least 2 are needed"),
    ("a,b\n1,2\n\n", r"too few rows: the file has only 1 row of data \(line 2\)"),
    ("a,b\n1,2\n3,abc\n", "line 3, column 'b': 'abc' is not a number"),
    ("x,hours slept,s\n1,2,3\n4,5,6\n7,abc,9\n", "line 4, column 'hours slept': 'abc' is not a number"),
    ("a;b\n1;2\n3;4,5\n", "line 3, column 'b': '4,5' is not a number; write decimals with a point"),
    ("a,b\n1,2\nNaN,4\n", "line 3, column 'a': 'NaN' is not a finite number"),
    ("a,b\n1,2\n3,-inf\n", "line 3, column 'b': '-inf' is not a finite number"),
    ("a,b\n1,2\n3,1e999\n", "line 3, column 'b': '1e999' is not a finite number"),
    ("a,b\n1,2\n , 4\n", "line 3, column 'a': the cell is empty"),
    ("a,b\n1,2\n3,4,5\n", "line 3 has 3 cells, the header has 2 columns: quote cells that contain the separator"),
    ("a,b,c\n1,2,3\n4,5\n", "line 3 has 2 cells, the header has 3 columns: column 'c' is missing"),
    ("a,b\n\n1,2\n\n3\n", "line 5 has 1 cell, the header has 2 columns"),  # blank lines still count
    ('a,b\n1,"x\ny"\n3,q\n', r"line 2, column 'b': 'x\\ny' is not a number"),
    ('a,b\n1,2\n3,"4\n5,6\n', "line 3, column 'b': .* a quote \" opened there is never closed"),
    ("a,a\n1,2\n3,4\n", "line 1: the column name 'a' appears twice"),
    ("a,,c\n1,2,3\n4,5,6\n", "line 1: column 2 has no name"),
    ("a\n1\n2\n", "line 1 names only one column, 'a'"),
    ("1,2\n3,4\n5,6\n", "line 1 should name the columns but holds only numbers"),
    (",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)), "too many columns: line 1 names 66, at most 65 are allowed"),
]


@pytest.mark.parametrize("text, message", BAD_FILES)
def test_a_bad_csv_says_which_line_and_column_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        parse_csv(text)


@pytest.mark.parametrize(
    "targets, task, y",
    [
        ("3,7,3,7", "binary", [[0], [1], [0], [1]]),
        ("92,86,89,86", "multiclass", [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]]),
    ],
)
def test_classification_lets_the_labels_choose_binary_or_multiclass(targets, task, y):
    text = "x,t\n" + "".join(f"{row},{value}\n" for row, value in enumerate(targets.split(",")))
    dataset = parse_csv(text, task="classification")
    assert dataset.task == task and dataset.y.tolist() == y


@pytest.mark.parametrize(
    "text, choice, message",
    [
        ("x,t\n1,1\n2,1\n", {}, "task 'classification' needs 2 to 10 distinct values in column 't', it has 1"),
        ("x,a,b\n1,0,1\n2,1,0\n", {"target_columns": ["a", "b"]},
         "task 'classification' needs one target column of class labels, got 2"),
        ("x,t\n1,1.5\n2,2\n", {"task": "classes"}, f"unknown task 'classes'; choose one of: {', '.join(TASK_CHOICES)}"),
    ],
)
def test_classification_the_target_cannot_have_is_refused_by_name(text, choice, message):
    with pytest.raises(ValueError, match=message):
        parse_csv(text, **{"task": "classification", **choice})


def test_csv_columns_names_every_column_and_which_hold_numbers():
    names, holds_numbers = csv_columns("\ufeffname; x ;y;note\nAda;1;2;\nBob;abc;4;\n")
    assert names == ("name", "x", "y", "note") and holds_numbers == (False, True, True, False)
    assert csv_columns("a,b\n") == (("a", "b"), (False, False))


HEADER_PROBLEMS = [(text, message) for text, message in BAD_FILES
                   if message.startswith(("the file is empty", "line 1 ", "line 1:", "too many columns"))]


@pytest.mark.parametrize("text, message", HEADER_PROBLEMS)
def test_csv_columns_refuses_a_bad_header_as_parse_csv_does(text, message):
    with pytest.raises(ValueError, match=message):
        csv_columns(text)


def test_a_long_cell_is_quoted_plainly_and_cut_to_20_characters():
    cell = "<b>&amp;" + "x" * 50
    with pytest.raises(ValueError) as error:
        parse_csv(f"a,b\n1,2\n3,{cell}\n")
    assert f"{cell[:20]!r}..." in str(error.value) and "&lt;" not in str(error.value)


def test_csv_refuses_more_rows_than_the_limit(monkeypatch):
    assert csv_data.MAX_SAMPLES == 100_000
    monkeypatch.setattr(csv_data, "MAX_SAMPLES", 3)
    parse_csv("a,b\n1,2\n3,4\n5,6\n")
    with pytest.raises(ValueError, match="too many rows: more than 3 rows of data, at most 3 are allowed"):
        parse_csv("a,b\n1,2\n3,4\n5,6\n7,8\n")


def test_csv_accepts_exactly_the_column_limit():
    header = ",".join(f"c{i}" for i in range(MAX_COLUMNS))
    row = ",".join("1" for _ in range(MAX_COLUMNS))
    assert parse_csv(f"{header}\n{row}\n{row}\n").X.shape == (2, MAX_COLUMNS - 1)


@pytest.mark.parametrize(
    "choice, message",
    [
        ({"target_columns": ["z"]}, "there is no column 'z'; the columns are: a, b, c"),
        ({"input_columns": ["a", "zz"]}, "there is no column 'zz'; the columns are: a, b, c"),
        ({"input_columns": ["a", "c"], "target_columns": ["c"]}, "column 'c' cannot be both an input and a target"),
        ({"input_columns": []}, "choose at least one input column; the columns are: a, b, c"),
        ({"target_columns": []}, "choose at least one target column"),
        ({"input_columns": ["a", "a"]}, "input_columns lists the column 'a' twice"),
        ({"target_columns": [3]}, "target_columns must hold column names, got 3"),
    ],
)
def test_a_bad_column_choice_lists_the_header(choice, message):
    with pytest.raises(ValueError, match=message):
        parse_csv("a,b,c\n1,2,3\n4,5,6\n", **choice)


def test_csv_needs_text_not_bytes():
    with pytest.raises(ValueError, match="needs the file's text as a str, got bytes; decode it first"):
        parse_csv(EXAM_CSV.encode())


CSV_CHARACTERS = st.sampled_from(list('ab,;\t\n\r "0123456789.-+eEinfa\ufeff'))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(CSV_CHARACTERS, max_size=60), st.text()))
def test_any_text_either_parses_to_a_consistent_dataset_or_raises_value_error(text):
    try:
        dataset = parse_csv(text)
    except ValueError as error:
        assert str(error)
    else:
        assert len(dataset.X) == len(dataset.y) >= 2 and dataset.X.shape[1] == len(dataset.feature_names)
        assert np.isfinite(dataset.X).all() and np.isfinite(dataset.y).all()
        names, holds_numbers = csv_columns(text)  # what a page offers to choose from
        assert dict(zip(names, holds_numbers))[dataset.feature_names[0]] is True


# ----- writing CSV -------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(DATASETS))
def test_every_built_in_dataset_survives_a_csv_round_trip(name):
    dataset = make_dataset(name, 40, 0.1, seed=5)
    assert_same_dataset(parse_csv(to_csv(dataset)), dataset)


def test_exam_writes_plain_whole_numbers():
    assert to_csv(make_dataset("exam")) == EXAM_CSV


def test_multiclass_writes_its_class_labels_back_as_one_column():
    text = "x,label\n1,0\n2,3\n3,5\n4,3\n5,0\n6,5\n"
    assert to_csv(parse_csv(text)) == text


def test_to_csv_refuses_multiclass_names_without_labels():
    dataset = Dataset("pets", np.zeros((2, 1)), np.eye(2), ("x",), ("cat", "dog"), "multiclass")
    with pytest.raises(ValueError, match="to_csv needs multiclass target names such as 'label=3', got 'cat'"):
        to_csv(dataset)


def test_a_part_column_says_train_or_test_and_the_data_reads_back_without_it():
    dataset = make_dataset("three_clouds", 6, 0.0, seed=1)
    text = to_csv(dataset, parts=["train"] * 4 + ["test"] * 2)
    assert text.splitlines()[0] == "part,x1,x2,class" and text.splitlines()[5].startswith("test,")
    assert_same_dataset(parse_csv(text, input_columns=["x1", "x2"], target_columns=["class"]), dataset)
    assert csv_columns(text)[1] == (False, True, True, True)


def test_a_part_column_keeps_clear_of_a_column_named_part():
    dataset = Dataset("d", np.array([[1.0], [2.0]]), np.array([[3.0], [4.0]]), ("part",), ("y",), "regression")
    assert to_csv(dataset, parts=["a,b", "test"]) == 'part_,part,y\n"a,b",1,3\ntest,2,4\n'
    with pytest.raises(ValueError, match="to_csv needs one part per row: 1 parts for 2 rows"):
        to_csv(dataset, parts=["train"])


def is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


NAMES = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=8).filter(
    lambda name: name == name.strip() and "\ufeff" not in name  # parse_csv strips spaces and a byte-order mark
)
FINITE = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def datasets(draw):
    """Any dataset: regression with 1 or 2 targets, or binary or multiclass with every class present."""
    task, n_features = draw(st.sampled_from(TASKS)), draw(st.integers(1, 3))
    n_targets = draw(st.integers(1, 2)) if task == "regression" else 1
    names = draw(st.lists(NAMES, min_size=n_features + n_targets, max_size=n_features + n_targets, unique=True))
    assume(not all(map(is_number, names)))  # a header of numbers only reads as a missing header, on purpose
    feature_names, target_names = tuple(names[:n_features]), tuple(names[n_features:])
    if task == "regression":
        n_rows = draw(st.integers(2, 12))
        X = draw(arrays(float, (n_rows, n_features), elements=FINITE))
        y = draw(arrays(float, (n_rows, n_targets), elements=FINITE))
        return Dataset("any", X, y, feature_names, target_names, task)
    n_classes = 2 if task == "binary" else draw(st.integers(2, 4))
    extra = draw(st.lists(st.integers(0, n_classes - 1), max_size=8))
    classes = np.array(draw(st.permutations([*range(n_classes), *extra])))  # (n_rows,)
    X = draw(arrays(float, (len(classes), n_features), elements=FINITE))
    if task == "binary":
        return Dataset("any", X, classes[:, None].astype(float), feature_names, target_names, task)
    labels = sorted(draw(st.lists(st.integers(-1000, 1000), min_size=n_classes, max_size=n_classes, unique=True)))
    class_names = tuple(f"{target_names[0]}={label}" for label in labels)
    return Dataset("any", X, np.eye(n_classes)[classes], feature_names, class_names, task)


@settings(max_examples=150, deadline=None)
@given(datasets())
def test_any_dataset_survives_a_csv_round_trip_given_its_task_and_targets(dataset):
    targets = list(dataset.target_names) if dataset.task == "regression" else None
    assert_same_dataset(parse_csv(to_csv(dataset), target_columns=targets, task=dataset.task), dataset)
    if dataset.task == "binary" or dataset.y.shape[1] > 2:  # "classification" reads two labels as binary
        assert_same_dataset(parse_csv(to_csv(dataset), task="classification"), dataset)


def test_three_clouds_is_a_balanced_three_class_problem():
    dataset = make_dataset("three_clouds", 300, 0.0, seed=0)
    assert dataset.y.shape == (300, 3) and dataset.y.sum(axis=0).tolist() == [100, 100, 100]
