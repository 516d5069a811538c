"""Input features for data on the plane, as TF Playground offers them: x1, x2, x1², x2², x1·x2,
sin x1 and sin x2. Each is a function of the raw inputs X of shape (n_samples, 2).
Imports nothing but NumPy."""
import numpy as np

FEATURES = {
    "x1": lambda X: X[:, 0],
    "x2": lambda X: X[:, 1],
    "x1²": lambda X: X[:, 0] ** 2,
    "x2²": lambda X: X[:, 1] ** 2,
    "x1·x2": lambda X: X[:, 0] * X[:, 1],
    "sin x1": lambda X: np.sin(X[:, 0]),
    "sin x2": lambda X: np.sin(X[:, 1]),
}


def feature_matrix(X, names):
    """The chosen features of X (n_samples, 2), as columns: shape (n_samples, len(names))."""
    X = np.asarray(X, dtype=float)
    unknown = [name for name in names if name not in FEATURES]
    if unknown:
        raise ValueError(f"unknown input feature {unknown[0]!r}; choose from: {', '.join(FEATURES)}.")
    if not names:
        raise ValueError("choose at least one input feature.")
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"input features need data with 2 inputs (x1, x2), got shape {X.shape}.")
    return np.column_stack([FEATURES[name](X) for name in names])
