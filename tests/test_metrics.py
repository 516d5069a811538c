"""Metrics, checked on cases worked out by hand."""
import numpy as np
import pytest

from nn_core.metrics import accuracy, confusion_matrix, r2, rmse, summary


def test_accuracy_thresholds_probabilities_at_one_half():
    predicted = np.array([[0.9], [0.2], [0.6], [0.4]])
    target = np.array([[1.0], [0.0], [0.0], [0.0]])
    assert accuracy(predicted, target) == 0.75


def test_confusion_matrix_counts_true_class_by_predicted_class():
    predicted = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]])
    target = np.eye(3)[[0, 1, 0, 2]]
    np.testing.assert_array_equal(confusion_matrix(predicted, target, 3), [[1, 1, 0], [0, 1, 0], [0, 0, 1]])


def test_rmse_and_r2_by_hand():
    target = np.array([[1.0], [2.0], [3.0]])
    predicted = np.array([[1.0], [2.0], [4.0]])
    assert rmse(predicted, target) == pytest.approx(np.sqrt(1 / 3))
    assert r2(predicted, target) == pytest.approx(1 - 1 / 2)  # residual 1, spread 2


def test_metrics_of_empty_or_constant_targets_are_none():
    assert accuracy(np.zeros((0, 1)), np.zeros((0, 1))) is None
    assert r2(np.ones((3, 1)), np.ones((3, 1))) is None
    assert summary(np.zeros((0, 1)), np.zeros((0, 1)), "regression") == {"rmse": None, "r2": None}
