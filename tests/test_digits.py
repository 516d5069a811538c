"""The digits in the engine: the shipped table, the dataset, weight images, drawings, training."""
import numpy as np
import pytest

from nn_core import Experiment, make_dataset
from nn_core import images
from nn_core.experiment import DIGITS_SETTINGS
from nn_core.images import strokes_to_grid, weight_images

import build
from generated_data import ensure_digits, npy_bytes


def digits_experiment(**changes):
    return Experiment.build(make_dataset("digits"), **{**DIGITS_SETTINGS, "test_ratio": 0.2, "seed": 0, **changes})


def test_digits_are_1797_images_of_64_pixels_from_0_to_1_in_ten_balanced_classes():
    dataset = make_dataset("digits")
    assert dataset.X.shape == (1797, 64) and dataset.y.shape == (1797, 10)
    assert dataset.X.min() == 0.0 and dataset.X.max() == 1.0
    assert (dataset.y.sum(axis=1) == 1.0).all()
    assert 170 <= dataset.y.sum(axis=0).min() and dataset.y.sum(axis=0).max() <= 185
    assert dataset.task == "multiclass" and dataset.target_names[3] == "digit=3"
    assert dataset.feature_names[0] == "pixel r1c1" and dataset.feature_names[63] == "pixel r8c8"


def test_the_first_digit_is_the_zero_scikit_learn_shows():
    first = make_dataset("digits").X[0] * 16  # scikit-learn's load_digits().data[0]
    assert first[:8].tolist() == [0, 0, 5, 13, 9, 1, 0, 0]


def test_a_missing_digits_file_says_how_to_make_it(monkeypatch, tmp_path):
    monkeypatch.setattr(images, "DIGITS_FILE", tmp_path / "digits.npy")
    monkeypatch.setattr(images, "_digits", [])
    with pytest.raises(ValueError, match=r"has not been made yet; run `python3 build.py`"):
        make_dataset("digits")


def test_the_generated_file_is_the_npy_that_numpy_writes(tmp_path):
    rows = [[0, 16, 3], [9, 1, 2]]
    np.save(tmp_path / "numpy.npy", np.array(rows, dtype=np.uint8))
    assert npy_bytes(rows) == (tmp_path / "numpy.npy").read_bytes()


@pytest.mark.browser  # reads scikit-learn's wheel from the download cache
def test_the_digits_file_is_made_again_when_it_came_from_another_release(tmp_path):
    target = ensure_digits(build.default_cache(), tmp_path / "digits.npy")
    assert target.read_bytes() == images.DIGITS_FILE.read_bytes()
    source = tmp_path / "SOURCE.txt"
    assert "scikit-learn 1.5.2" in source.read_text()
    source.write_text("digits.npy: from scikit-learn 0.1\n")
    target.write_bytes(b"old")
    ensure_digits(build.default_cache(), target)
    assert target.read_bytes() == images.DIGITS_FILE.read_bytes() and "1.5.2" in source.read_text()


def test_weight_images_put_each_neurons_64_weights_row_by_row():
    W = np.arange(64 * 3, dtype=float).reshape(64, 3)  # W[pixel, neuron]
    pictures = weight_images(W)
    assert pictures.shape == (3, 8, 8)
    assert pictures[1, 0, 0] == W[0, 1] and pictures[1, 0, 7] == W[7, 1] and pictures[2, 7, 7] == W[63, 2]


def test_weight_images_refuse_a_layer_without_64_inputs():
    with pytest.raises(ValueError, match="need a first layer with 64 inputs, got weights of shape"):
        weight_images(np.zeros((2, 3)))


def test_a_vertical_stroke_inks_one_column_from_top_to_bottom():
    grid = strokes_to_grid([[[4.5, 0.2], [4.5, 7.8]]], pen=0.5)
    assert grid.shape == (8, 8)
    assert (grid[:, 4] == 1.0).all()  # the pen covers the whole of column 5
    assert grid[:, [0, 1, 2, 6, 7]].sum() == 0.0


def test_a_dot_near_the_top_left_inks_the_top_left_pixel():
    grid = strokes_to_grid([[[0.5, 7.5]]], pen=0.5)
    assert grid[0, 0] > 0.5 and grid[1:, :].sum() == 0.0 and grid[:, 1:].sum() == 0.0


def test_no_strokes_is_a_blank_image():
    assert strokes_to_grid([]).sum() == 0.0 and strokes_to_grid([[]]).shape == (8, 8)


def test_fitting_centres_a_small_drawing_and_scales_it_to_the_height_of_the_box():
    small = [[[1.0, 1.0], [1.0, 3.0]]]  # a short dash in the bottom left
    grid = strokes_to_grid(small, fit=True)
    rows, columns = np.nonzero(grid >= 0.25)
    assert rows.min() == 0 and rows.max() == 7  # the full height
    assert set(columns) <= {3, 4}  # in the middle


def test_a_short_training_reads_over_90_percent_of_held_out_digits():
    experiment = digits_experiment()
    experiment.train(epochs=5)
    assert experiment.metrics()["test"]["accuracy"] > 0.9


CIRCLE = np.linspace(0.0, 2 * np.pi, 40)
DRAWINGS = {  # strokes of (x, y) on the 8 × 8 pad, y up
    0: [np.column_stack([4 + 1.5 * np.cos(CIRCLE), 4 + 3 * np.sin(CIRCLE)])],
    1: [[(4.2, 7.6), (4.0, 0.4)]],
    4: [[(3, 7), (2, 3.5), (5.5, 3.5)], [(4.5, 6), (4.5, 0.5)]],
    7: [[(2.5, 6.5), (5.5, 6.5), (3.0, 0.8)]],  # narrow: fitting widens it like the training sevens
}


@pytest.fixture(scope="module")
def trained():
    experiment = digits_experiment()
    experiment.train(epochs=20)
    return experiment


@pytest.mark.parametrize("digit", sorted(DRAWINGS))
def test_a_drawn_digit_is_read_after_training(trained, digit):
    grid = strokes_to_grid(DRAWINGS[digit], fit=True)
    assert trained.predict(grid.reshape(1, 64))[0].argmax() == digit
