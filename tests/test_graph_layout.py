"""Where the network picture puts things: nothing overlaps, and the height follows the network."""
import itertools

import numpy as np
import pytest

from pyscript_app.graph_layout import (
    FONT, GAP, HIT_WIDTH, MIN_WIDTH, TITLE_FONT, circle_mask, edge_endpoints, edge_neurons, fit_labels, graph_layout,
    hit_endpoints, neuron_positions, neuron_sizes, shorten, text_width,
)

EIGHT_BY_SIXTEEN = (2, *[16] * 8, 1)
SHAPES = [
    ((2, 3, 1), ("sigmoid", "sigmoid"), ("hours studied", "hours slept"), ("test score",), False),
    ((2, 4, 2, 1), ("tanh", "tanh", "sigmoid"), ("x1", "x2"), ("class",), True),
    (EIGHT_BY_SIXTEEN, ("tanh",) * 8 + ("sigmoid",), ("x1", "x2"), ("class",), True),
    (EIGHT_BY_SIXTEEN, ("relu", "sigmoid", "tanh", "linear", "relu", "sigmoid", "tanh", "linear", "linear"),
     ("hours studied", "hours slept"), ("test score",), True),
    ((5, 8, 8, 3), ("tanh", "tanh", "softmax"), ("x1", "x2", "x1²", "x2²", "sin x1"),
     ("class 0", "class 1", "class 2"), True),
    ((64, 16, 10), ("tanh", "softmax"), (), tuple(f"digit {i}" for i in range(10)), True),
    ((2, 1), ("sigmoid",), ("x1", "x2"), ("class",), True),
]


def pixels_per_layer(layout, width=MIN_WIDTH):
    x_start, x_end = layout.x_range
    return width * layout.scale / (x_end - x_start)


def title_boxes(layout, line, font):
    """(left, right) in pixels at MIN_WIDTH of each shown title of one line."""
    pitch = pixels_per_layer(layout)
    titles = layout.titles
    return [(x * pitch + shift - text_width(text, font * layout.scale) / 2,
             x * pitch + shift + text_width(text, font * layout.scale) / 2)
            for x, text, shift in zip(titles["x"], titles[line], titles[f"{line}_shift"]) if text]


@pytest.mark.parametrize("scale", [1.0, 1.6])
@pytest.mark.parametrize("sizes, activations, inputs, outputs, use_bias", SHAPES)
def test_titles_never_overlap_at_the_narrowest_width(sizes, activations, inputs, outputs, use_bias, scale):
    layout = graph_layout(sizes, activations, inputs, outputs, use_bias, scale)
    for line, font in (("name", TITLE_FONT), ("activation", FONT)):
        boxes = sorted(title_boxes(layout, line, font))
        assert all(right + GAP * scale <= left for (_, right), (left, _) in zip(boxes, boxes[1:])), boxes
        x_start, x_end = (value * pixels_per_layer(layout) for value in layout.x_range)
        assert boxes[0][0] >= x_start and boxes[-1][1] <= x_end  # inside the figure
    assert layout.titles["name"][0] == "input" and layout.titles["name"][-1] == "output"


@pytest.mark.parametrize("sizes, activations, inputs, outputs, use_bias", SHAPES)
def test_names_beside_the_end_columns_fit_between_the_figures_edge_and_the_next_column(sizes, activations, inputs,
                                                                                       outputs, use_bias):
    layout = graph_layout(sizes, activations, inputs, outputs, use_bias)
    pitch = pixels_per_layer(layout)
    label = max([text_width(name, FONT) for name in layout.input_labels] + [0])
    assert -layout.x_range[0] * pitch >= layout.label_gap + label  # left of the inputs
    label = max([text_width(name, FONT) for name in layout.output_labels] + [0])
    assert (layout.x_range[1] - (len(sizes) - 1)) * pitch >= layout.label_gap + label  # right of the outputs
    assert pitch >= layout.neuron_size + GAP  # neighbouring columns' circles stay apart


@pytest.mark.parametrize("sizes, activations, inputs, outputs, use_bias", SHAPES)
def test_circles_and_labels_under_them_stay_apart_in_a_column(sizes, activations, inputs, outputs, use_bias):
    layout = graph_layout(sizes, activations, inputs, outputs, use_bias)
    under = (FONT + 4) if layout.show_biases else 0
    assert layout.row_pitch >= layout.neuron_size + under
    if layout.show_biases:  # "b -0.00123" fits between two columns
        assert pixels_per_layer(layout) >= text_width("b -0.00123", FONT) + GAP


def test_the_height_follows_the_tallest_layer_with_no_blank_band():
    heights = [graph_layout(sizes, activations, inputs, outputs, use_bias).height
               for sizes, activations, inputs, outputs, use_bias in SHAPES[:3]]
    assert heights[0] < heights[1] < heights[2]
    assert heights[0] <= 220 and heights[2] <= 480  # 2-3-1 took 380 pixels before
    # Every neuron, its title and its labels are inside the figure, and nothing more is.
    for sizes, activations, inputs, outputs, use_bias in SHAPES:
        layout = graph_layout(sizes, activations, inputs, outputs, use_bias)
        _, ys = neuron_positions(sizes)
        (y_start, y_end), pitch = layout.y_range, layout.row_pitch
        top = (y_end - ys.max()) * pitch
        bottom = (ys.min() - y_start) * pitch
        assert top == pytest.approx(layout.title_offsets[0] + TITLE_FONT + 6)
        assert bottom <= layout.neuron_size / 2 + FONT + 6
        assert layout.height == pytest.approx((y_end - y_start) * pitch, abs=0.5)


def test_the_presenters_scale_enlarges_type_neurons_and_height():
    sizes, activations, inputs, outputs, use_bias = SHAPES[1]
    normal = graph_layout(sizes, activations, inputs, outputs, use_bias)
    large = graph_layout(sizes, activations, inputs, outputs, use_bias, scale=1.6)
    assert large.neuron_size == pytest.approx(1.6 * normal.neuron_size)
    assert large.height == pytest.approx(1.6 * normal.height, abs=1)
    assert large.fonts["title"] == "19.2px" and normal.fonts["title"] == "12px"


def test_long_names_are_shortened_when_the_columns_need_the_room():
    layout = graph_layout(*SHAPES[3])  # 8 × 16 at 340 pixels: little room beside the columns
    assert layout.input_labels == ["hour…", "hour…"] and layout.output_labels == ["test…"]
    layout = graph_layout(*SHAPES[0])
    assert layout.input_labels == ["hours studied", "hours slept"]
    assert shorten("mean concave points", 14) == "mean concave…" and shorten("x1", 14) == "x1"


@pytest.mark.parametrize("sizes, activations, inputs, outputs, use_bias", SHAPES)
def test_pointing_at_a_neuron_finds_no_synapse(sizes, activations, inputs, outputs, use_bias):
    layout = graph_layout(sizes, activations, inputs, outputs, use_bias)
    x0, y0, x1, y1 = edge_endpoints(sizes)
    hx0, hy0, hx1, hy1 = hit_endpoints(sizes, layout)
    pitch = pixels_per_layer(layout)
    radii = neuron_sizes(sizes, layout) / 2
    starts, ends = edge_neurons(sizes)
    for hx, hy, x, y, neuron in ((hx0, hy0, x0, y0, starts), (hx1, hy1, x1, y1, ends)):
        # Pixels at MIN_WIDTH from each neuron's centre to the shortened synapse's near end, which
        # the mouse finds within half the hit width: farther than the neuron's own edge.
        gap = np.hypot((hx - x) * pitch, (hy - y) * layout.row_pitch)
        assert (gap - HIT_WIDTH / 2 > radii[neuron]).all()
    assert ((hx1 - hx0) * (x1 - x0) >= 0).all()  # never turned round


def test_fit_labels_keeps_the_most_wanted_and_drops_what_would_overlap():
    assert fit_labels([0, 10, 100], [30, 30, 30], [0, 1, 2]) == [True, False, True]
    assert fit_labels([0, 10, 100], [30, 30, 30], [1, 0, 2]) == [False, True, True]
    assert fit_labels([0, 50], [0, 30], [0, 1]) == [False, True]  # an empty label is never kept


def test_a_map_is_cut_round_to_fit_its_circle():
    mask = circle_mask(16)
    assert mask[8, 8] and not mask[0, 0] and not mask[15, 15] and not mask[0, 15]
    assert np.array_equal(mask, mask[::-1]) and np.array_equal(mask, mask.T)
    assert mask.mean() == pytest.approx(np.pi / 4, abs=0.03)


@pytest.mark.parametrize("hidden", [(), (3,), (16,) * 8])
def test_every_neuron_is_drawn_inside_the_figure(hidden):
    sizes = (2, *hidden, 1)
    layout = graph_layout(sizes, ("tanh",) * (len(sizes) - 1), ("x1", "x2"), ("class",), True)
    xs, ys = neuron_positions(sizes)
    radius_x = layout.neuron_size / 2 / pixels_per_layer(layout)
    radius_y = layout.neuron_size / 2 / layout.row_pitch
    assert xs.min() - radius_x >= layout.x_range[0] and xs.max() + radius_x <= layout.x_range[1]
    assert ys.min() - radius_y >= layout.y_range[0] and ys.max() + radius_y <= layout.y_range[1]
    assert all(a != b for a, b in itertools.pairwise(layout.titles["name"]) if a)
