"""How good are the predictions, in words a learner knows: accuracy and a confusion matrix for
classes, RMSE (in the target's own units) and R² for numbers. Imports nothing but NumPy."""
import numpy as np


def class_labels(y):
    """Class index per row: 0/1 for one column of probabilities, argmax for one-hot or softmax."""
    y = np.asarray(y, dtype=float)
    return (y[:, 0] >= 0.5).astype(int) if y.shape[1] == 1 else y.argmax(axis=1)


def accuracy(predicted, target):
    """Share of rows whose predicted class is the target class. Arrays of shape (n_samples, n_outputs)."""
    if len(target) == 0:
        return None
    return float(np.mean(class_labels(predicted) == class_labels(target)))


def confusion_matrix(predicted, target, n_classes):
    """counts[i, j]: rows of true class i predicted as class j, shape (n_classes, n_classes)."""
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (class_labels(target), class_labels(predicted)), 1)
    return counts


def rmse(predicted, target):
    """Root mean squared error, in the units of the target."""
    if len(target) == 0:
        return None
    return float(np.sqrt(np.mean((np.asarray(predicted) - np.asarray(target)) ** 2)))


def r2(predicted, target):
    """Coefficient of determination: 1 is perfect, 0 is as good as always predicting the mean."""
    target = np.asarray(target, dtype=float)
    if len(target) < 2:
        return None
    spread = np.sum((target - target.mean(axis=0)) ** 2)
    if spread == 0:
        return None
    return float(1.0 - np.sum((np.asarray(predicted) - target) ** 2) / spread)


def summary(predicted, target, task):
    """{"accuracy": …} for classes, {"rmse": …, "r2": …} for numbers (None where undefined)."""
    if task == "regression":
        return {"rmse": rmse(predicted, target), "r2": r2(predicted, target)}
    return {"accuracy": accuracy(predicted, target)}
