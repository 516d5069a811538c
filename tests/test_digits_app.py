"""The Digits tab and the digits in the playground, in CPython: no browser."""
import numpy as np
import pytest

from nn_core.images import strokes_to_grid
from pyscript_app.app import create_app
from pyscript_app.digits_view import DigitsPanel, bar_colors, tile_positions
from pyscript_app.colors import NEGATIVE, POSITIVE
from pyscript_app.graph_layout import STRONGEST_SHARE, edge_alphas, graph_layout, neuron_positions, neuron_sizes
from pyscript_app.graph_view import NetworkGraph
from pyscript_app.playground import Playground
from pyscript_app.state import PlaygroundState, apply_query

ONE = [[(4.2, 7.6), (4.0, 0.4)]]  # a stroke from top to bottom


@pytest.fixture
def digits():
    """A playground on the digits, trained a little, and its Digits panel."""
    playground = Playground()
    playground.settings.dataset = "digits"
    playground.step(20)
    return DigitsPanel(playground=playground)


def tools_of(page):
    return page.tools


def test_a_link_to_the_digits_brings_their_preset():
    settings = PlaygroundState()
    assert apply_query(settings, {"dataset": "digits"}) == []
    assert (settings.hidden_sizes, settings.optimizer, settings.learning_rate, settings.batch_size,
            settings.test_ratio, settings.loss) == ([16], "adam", 0.01, 32, 0.2, "cross_entropy")
    assert settings.experiment_settings()["input_scaling"] == "none"


def test_the_digits_drop_input_features_made_for_two_inputs():
    playground = Playground()
    playground.settings.dataset = "circle"
    playground.settings.features = ["x1", "x2", "x1²"]
    playground.settings.dataset = "digits"
    assert playground.settings.features == [] and playground.experiment.network.n_inputs == 64


def test_choosing_the_digits_opens_the_digits_tab():
    page = create_app()
    tools = tools_of(page)
    assert "Digits" in tools.titles and tools.tabs.active == 0
    page.playground.settings.dataset = "digits"
    assert tools.titles[tools.tabs.active] == "Digits"
    assert page.playground.experiment.network.config.layer_sizes == (64, 16, 10)


def test_the_tab_shows_one_weight_image_per_hidden_neuron(digits):
    images = digits.weights.data["image"]
    W = digits.playground.experiment.network.weights[0]
    assert len(images) == 16 and images[0].shape == (8, 8)
    np.testing.assert_array_equal(images[2][7], W[:8, 2])  # flipped: Bokeh draws row 0 at the bottom
    assert digits.weight_mapper.high == pytest.approx(np.quantile(np.abs(W), 0.98)) == -digits.weight_mapper.low
    assert digits.weights.data["label"][0] == "hidden 1"


def test_one_held_out_image_of_each_digit_is_shown_with_what_the_network_reads(digits):
    examples = digits.examples.data
    test_set = digits.playground.experiment.test_set
    assert len(examples["image"]) == 10
    first_three = test_set.X[test_set.y.argmax(axis=1) == 3][0].reshape(8, 8)
    np.testing.assert_array_equal(np.flipud(examples["image"][3]), first_three)
    read = digits.playground.experiment.predict(test_set.X[test_set.y.argmax(axis=1) == 3][:1])[0].argmax()
    assert examples["label"][3] == f"read {read}"
    assert examples["color"][3] == ("#555555" if read == 3 else NEGATIVE)


def test_drawing_a_one_inks_its_cells_and_the_network_reads_a_one(digits):
    assert digits.prediction.object.startswith("Draw a digit")
    for x, y in ONE[0]:
        digits.draw(x, y, new_stroke=not digits.strokes)
    cells = np.flipud(digits.cells.data["image"][0])
    np.testing.assert_array_equal(cells, strokes_to_grid(ONE))
    probabilities = np.asarray(digits.probabilities.data["probability"])
    assert probabilities.sum() == pytest.approx(1.0) and probabilities.argmax() == 1
    assert "reads a <b class='digit'>1</b>" in digits.prediction.object
    assert digits.probabilities.data["color"][1] == POSITIVE


def test_clear_empties_the_pad_and_the_bars(digits):
    digits.draw(4, 4, new_stroke=True)
    digits.clear()
    assert digits.strokes == [] and np.asarray(digits.cells.data["image"][0]).sum() == 0.0
    assert list(digits.probabilities.data["probability"]) == [0.0] * 10
    assert digits.prediction.object.startswith("Draw a digit")


def test_a_grid_of_cells_is_read_like_a_drawing(digits):
    grid = np.zeros((8, 8))
    grid[:, 4] = 1.0  # one column inked top to bottom: a one
    digits.draw_grid(grid)
    assert np.asarray(digits.probabilities.data["probability"]).argmax() == 1


def test_training_redraws_the_weight_images(digits):
    before = [image.copy() for image in digits.weights.data["image"]]
    digits.playground.step(1)
    assert not np.array_equal(before[0], digits.weights.data["image"][0])


def test_other_data_offer_a_button_that_brings_the_digits():
    panel = DigitsPanel(playground=Playground())
    assert panel.use_button.visible and not panel.pad.visible
    panel.draw(4, 4, new_stroke=True)  # nothing to draw on
    assert panel.strokes == []
    panel.use_button.clicks += 1
    assert panel.playground.settings.dataset == "digits" and panel.pad.visible and not panel.use_button.visible


def test_without_a_hidden_layer_the_images_are_the_outputs_weights():
    playground = Playground()
    playground.settings.dataset = "digits"
    playground.settings.hidden_sizes = []
    panel = DigitsPanel(playground=playground)
    assert panel.weights.data["label"] == [f"digit={d}" for d in range(10)]


def test_weight_images_are_laid_out_eight_to_a_row_from_the_top():
    x, y, (width, height) = tile_positions(16)
    assert (width, height) == (80, 20)
    assert y[0] > y[8] and x[0] == x[8] and x[7] > x[0]


def test_only_a_real_answer_gets_the_blue_bar():
    assert bar_colors(np.zeros(10)).count(POSITIVE) == 0
    assert bar_colors(np.eye(10)[3]).index(POSITIVE) == 3


# ----- the graph of 64 inputs ----------------------------------------------------------------
def test_a_dense_input_layer_is_squeezed_into_the_height_of_the_others():
    xs, ys = neuron_positions((64, 16, 10))
    inputs, hidden = ys[:64], ys[64:80]
    assert inputs.max() - inputs.min() <= hidden.max() - hidden.min()
    sizes = neuron_sizes((64, 16, 10), graph_layout((64, 16, 10), ("tanh", "softmax")))
    assert sizes[0] < sizes[64] <= 36
    assert list(neuron_sizes((2, 3, 1), graph_layout((2, 3, 1), ("sigmoid", "sigmoid")))) == [36] * 6


def test_only_the_strongest_synapses_of_a_dense_layer_stand_out():
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(64, 16)), rng.normal(size=(16, 10))]
    alphas = edge_alphas(weights, (64, 16, 10))
    clear = alphas[: 64 * 16] > 0.5
    assert clear.mean() == pytest.approx(STRONGEST_SHARE, abs=0.01)
    assert (alphas[64 * 16:] > 0.5).all()


def test_the_graph_of_the_digits_labels_no_pixel_beside_the_inputs():
    playground = Playground()
    playground.settings.dataset = "digits"
    graph = NetworkGraph(playground=playground)
    assert len(graph.edges.data["alpha"]) == 64 * 16 + 16 * 10
    assert graph.neurons.data["input_label"][:64] == [""] * 64


def test_neuron_maps_shrink_with_their_neurons_in_a_tall_network():
    playground = Playground()
    playground.settings.dataset = "circle"
    graph = NetworkGraph(playground=playground)
    assert list(graph.neuron_maps.data["size"]) == [36.0] * 7  # 4-2-1: each fills its circle
    playground.settings.hidden_sizes = [16]
    sizes = graph.neuron_maps.data["size"]
    assert len(sizes) == 17 and max(sizes) < 20
