"""What the network computes over the input plane: the pictures behind decision maps.

For data with two inputs, ``input_plane`` evaluates every neuron on a grid spanning the
data (in original units), with one forward pass for the whole grid. The output neuron's
grid is the decision map; each hidden neuron's grid is its own small map.
Imports nothing but NumPy.
"""
from typing import NamedTuple

import numpy as np

DEFAULT_RESOLUTION = 50


class PlaneMaps(NamedTuple):
    """Neuron values over a grid. ``x`` and ``y`` are the grid's edges in original units;
    ``layers[k]`` has shape (resolution, resolution, layer_sizes[k + 1]), rows along y."""

    x_range: tuple
    y_range: tuple
    layers: list


def plane_extent(X, margin=0.1):
    """(x_min, x_max), (y_min, y_max) around data X of shape (n_samples, 2), with a margin."""
    low, high = X.min(axis=0), X.max(axis=0)
    pad = np.maximum((high - low) * margin, 1e-3)
    return (low[0] - pad[0], high[0] + pad[0]), (low[1] - pad[1], high[1] + pad[1])


def input_plane(network, to_network, x_range, y_range, resolution=DEFAULT_RESOLUTION):
    """Every neuron's value over a resolution × resolution grid of the input plane.

    ``to_network`` turns points (n, 2) in original units into the network's inputs: a
    scaler's ``transform``, or an experiment's ``to_network`` (scaling, and input features).
    """
    xs = np.linspace(*x_range, resolution)
    ys = np.linspace(*y_range, resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)  # (resolution, resolution), rows along y
    points = np.column_stack([grid_x.ravel(), grid_y.ravel()])  # (resolution², 2)
    _, activations = network.forward(to_network(points))
    layers = [a.reshape(resolution, resolution, -1) for a in activations[1:]]
    return PlaneMaps(tuple(x_range), tuple(y_range), layers)
