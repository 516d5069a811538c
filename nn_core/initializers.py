"""Starting weights, drawn from a seeded generator so that the same seed replays the same run.

Each initialiser takes (rng, n_in, n_out) and returns weights of shape (n_in, n_out).
Biases always start at zero. Imports nothing but NumPy.
"""
import numpy as np


def standard_normal(rng, n_in, n_out):
    """The tutorial's ``np.random.randn(n_in, n_out)``: mean 0, standard deviation 1."""
    return rng.standard_normal((n_in, n_out))


def glorot(rng, n_in, n_out):
    """Glorot/Xavier uniform: keeps the variance of sums steady for tanh and sigmoid layers."""
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, (n_in, n_out))


def he(rng, n_in, n_out):
    """He normal: keeps ReLU activations from shrinking layer by layer."""
    return rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)


def zeros(rng, n_in, n_out):
    """All zeros: every neuron of a layer stays identical (a lesson in symmetry)."""
    return np.zeros((n_in, n_out))


INITIALIZERS = {"normal": standard_normal, "glorot": glorot, "he": he, "zeros": zeros}
