"""Which input matters most? Two answers, each honest about what it measures.

``permutation_importance`` asks the data: shuffle one input column and see how much the loss
grows. It measures how much the trained network *relies* on that input for this data, and
accounts for every non-linearity, but depends on the data it is given.
``weight_path_importance`` asks the weights: for each input, the sum over every path to the
outputs of the product of |weights| along it. It needs no data and is cheap, but ignores
activations and the scale of the inputs, so it is a rough structural hint, not an effect size.
Imports nothing but NumPy.
"""
import numpy as np


def permutation_importance(network, X, y, n_repeats=5, seed=0):
    """Mean increase of the loss when each input column is shuffled.

    network : a trained nn_core Network
    X : ndarray of shape (n_samples, n_inputs), scaled as the network sees it
    y : ndarray of shape (n_samples, n_outputs)
    Returns ndarray of shape (n_inputs,): loss(shuffled) − loss(original), averaged over
    ``n_repeats`` shuffles; 0 (or slightly below) means the network ignores that input.
    """
    X = np.asarray(X, dtype=float)
    if len(X) < 2:
        raise ValueError("permutation importance needs at least 2 samples to shuffle.")
    rng = np.random.default_rng(seed)
    baseline = network.loss(X, y)
    importance = np.zeros(X.shape[1])
    for column in range(X.shape[1]):
        shuffled = X.copy()
        for _ in range(n_repeats):
            shuffled[:, column] = rng.permutation(X[:, column])
            importance[column] += network.loss(shuffled, y) - baseline
    return importance / n_repeats


def weight_path_importance(weights):
    """Sum over all input→output paths of the product of |weight|, per input, normalised to sum 1.

    weights : list of ndarray, item k of shape (layer_sizes[k], layer_sizes[k + 1])
    Returns ndarray of shape (n_inputs,).
    """
    paths = np.abs(weights[0])
    for W in weights[1:]:
        paths = paths @ np.abs(W)  # (n_inputs, n_next): summed path products so far
    per_input = paths.sum(axis=1)
    total = per_input.sum()
    return per_input / total if total > 0 else per_input
