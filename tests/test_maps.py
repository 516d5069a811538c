"""Maps over the input plane agree with the network's own predictions."""
import numpy as np

from nn_core import Experiment
from nn_core.maps import input_plane, plane_extent


def test_map_pixels_are_the_networks_predictions_at_those_points():
    experiment = Experiment.tutorial(seed=0)
    maps = input_plane(experiment.network, experiment.to_network, (0, 4), (4, 10), resolution=5)
    assert [layer.shape for layer in maps.layers] == [(5, 5, 3), (5, 5, 1)]
    # Row 4 is the top edge (y = 10), column 1 is x = 1.
    expected = experiment.network.predict(experiment.input_scaler.transform([[1.0, 10.0]]))
    np.testing.assert_allclose(maps.layers[-1][4, 1], expected[0])


def test_extent_covers_the_data_with_a_margin():
    (x0, x1), (y0, y1) = plane_extent(np.array([[0.0, 0.0], [10.0, 5.0]]))
    assert x0 < 0 < 10 < x1 and y0 < 0 < 5 < y1


def test_maps_of_input_features_evaluate_the_features_of_each_pixel():
    from nn_core import make_dataset

    experiment = Experiment.build(make_dataset("circle", 50), (3,), features=("x1²", "x2²"))
    maps = input_plane(experiment.network, experiment.to_network, (-1, 1), (-1, 1), resolution=3)
    expected = experiment.predict([[1.0, -1.0]])  # the top-left pixel
    np.testing.assert_allclose(maps.layers[-1][0, 2], expected[0])
