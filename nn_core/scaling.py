"""Scaling data into the range a network likes, and back into the units a person reads.

A Scaler is fitted on the training inputs only and then applied, unchanged, to the training
data and to every new input; its inverse turns outputs back into original units
("4 h studied, 8 h slept → 91.7 points"). The tutorial instead divided the new input by
its own maximum; ``tutorial_scaling`` keeps that mistake, named, so the app can show it.
Imports nothing but NumPy.
"""
import numpy as np

METHODS = ("max", "minmax", "standard", "fixed", "none")


class Scaler:
    """Per-column affine map fitted once: scaled = (x - offset) / scale.

    Methods: "max" divides each column by its largest absolute value (the tutorial's
    ``X / np.amax(X, axis=0)``); "minmax" maps each column onto [0, 1]; "standard" gives
    mean 0 and standard deviation 1; "fixed" divides by given constants (the tutorial's
    ``y / 100``: the highest test score); "none" leaves data as it is.
    """

    def __init__(self, method, offset, scale):
        if method not in METHODS:
            raise ValueError(f"unknown scaling {method!r}; choose one of: {', '.join(METHODS)}.")
        self.method = method
        self.offset = np.asarray(offset, dtype=float).ravel()
        self.scale = np.asarray(scale, dtype=float).ravel()
        if self.offset.shape != self.scale.shape or not (np.isfinite(self.scale).all() and (self.scale != 0).all()):
            raise ValueError("a scaler needs one finite, non-zero scale and one offset per column.")

    @classmethod
    def fit(cls, X, method="max", fixed_scale=None):
        """Fit to training data X of shape (n_samples, n_columns)."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or len(X) == 0:
            raise ValueError(f"fit a scaler on a table of shape (n_samples, n_columns), got shape {X.shape}.")
        n_columns = X.shape[1]
        offset, scale = np.zeros(n_columns), np.ones(n_columns)
        if method == "max":
            scale = np.abs(X).max(axis=0)
        elif method == "minmax":
            offset = X.min(axis=0)
            scale = X.max(axis=0) - offset
        elif method == "standard":
            offset = X.mean(axis=0)
            scale = X.std(axis=0)
        elif method == "fixed":
            if fixed_scale is None:
                raise ValueError('the "fixed" scaling needs fixed_scale, e.g. 100 for test scores.')
            scale = np.broadcast_to(np.asarray(fixed_scale, dtype=float), (n_columns,)).copy()
        elif method != "none":
            raise ValueError(f"unknown scaling {method!r}; choose one of: {', '.join(METHODS)}.")
        # A constant column carries no information; leave it unscaled rather than divide by 0.
        scale = np.where(scale == 0.0, 1.0, scale)
        return cls(method, offset, scale)

    def transform(self, X):
        """Original units → network units, for X of shape (n_samples, n_columns)."""
        X = np.asarray(X, dtype=float)
        if X.ndim == 1:
            X = X[None, :]
        if X.shape[1] != self.scale.size:
            raise ValueError(f"expected {self.scale.size} columns, got {X.shape[1]}.")
        return (X - self.offset) / self.scale

    def inverse_transform(self, X):
        """Network units → original units."""
        X = np.asarray(X, dtype=float)
        if X.ndim == 1:
            X = X[None, :]
        return X * self.scale + self.offset

    def describe(self, names):
        """One plain sentence per column: how that column is scaled."""
        lines = []
        for name, offset, scale in zip(names, self.offset, self.scale):
            if offset == 0.0:
                lines.append(f"{name} ÷ {scale:g}")
            else:
                lines.append(f"({name} − {offset:g}) ÷ {scale:g}")
        return lines

    def to_dict(self):
        return {"method": self.method, "offset": self.offset.tolist(), "scale": self.scale.tolist()}

    @classmethod
    def from_dict(cls, data):
        return cls(data["method"], data["offset"], data["scale"])


def tutorial_scaling(X):
    """The tutorial's scaling of a new input: each row divided by its own largest value.

    ``xPredicted / np.amax(xPredicted)`` turns [4, 8] into [0.5, 1]. That is not how the
    training data was scaled (by each column's maximum over the training set, [3, 9]: so
    [4, 8] should become [1.33, 0.89]), so the network is asked about a different student.
    Kept to show the difference; use ``Scaler.transform`` for real predictions.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[None, :]
    row_max = np.abs(X).max(axis=1, keepdims=True)
    return X / np.where(row_max == 0.0, 1.0, row_max)
