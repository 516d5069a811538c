"""The network picture the page shows before BokehJS and Python are ready: the live graph's, as SVG."""
import re

import numpy as np
import pytest

from pyscript_app.colors import edge_colors, value_colors
from pyscript_app.graph_layout import edge_widths
from pyscript_app.playground import Playground
from pyscript_app.preview import network_svg, preview_html


def attributes(svg, tag, name):
    return re.findall(rf'<{tag} [^>]*\b{name}="([^"]*)"', svg)


def test_the_picture_has_a_line_per_synapse_and_a_circle_per_neuron_of_the_tutorials_network():
    svg = network_svg(Playground())
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert len(attributes(svg, "line", "x1")) == 2 * 3 + 3 * 1
    assert len(attributes(svg, "circle", "cx")) == 2 + 3 + 1
    assert "hours studied" in svg and "hours slept" in svg and "sigmoid" in svg


def test_synapses_and_neurons_look_as_the_live_graph_draws_them():
    playground = Playground()
    svg = network_svg(playground)
    weights = playground.experiment.network.weights
    np.testing.assert_allclose([float(w) for w in attributes(svg, "line", "stroke-width")], edge_widths(weights),
                               atol=0.005)
    assert attributes(svg, "line", "stroke") == edge_colors(weights)
    values = np.concatenate([a.ravel() for a in playground.sample_values()[1]])
    assert attributes(svg, "circle", "fill") == value_colors(values)


@pytest.mark.parametrize("hidden, n_lines", [([4, 2], 2 * 4 + 4 * 2 + 2 * 1), ([8], 2 * 8 + 8 * 1)])
def test_the_picture_follows_the_networks_shape(hidden, n_lines):
    playground = Playground()
    playground.settings.dataset = "circle"
    playground.settings.hidden_sizes = hidden
    svg = network_svg(playground)
    assert len(attributes(svg, "line", "x1")) == n_lines
    xs = [float(x) for x in attributes(svg, "circle", "cx")]
    assert 0 < min(xs) and max(xs) < 640  # every neuron inside the picture


def test_the_preview_carries_the_pages_heading_and_the_picture():
    html = preview_html(Playground())
    assert "Backprop Playground" in html and "<svg" in html and "<script" not in html


@pytest.mark.parametrize("hidden", [[3], [16] * 8])
def test_the_picture_is_as_tall_as_the_live_graph_so_the_page_does_not_jump(hidden):
    from pyscript_app.graph_view import NetworkGraph

    playground = Playground()
    playground.settings.hidden_sizes = hidden
    svg = network_svg(playground)
    graph = NetworkGraph(playground=playground)
    assert f'height="{graph.height}"' in svg
    names = [name for name in graph.neurons.data["input_label"] if name]  # shortened alike when tall
    assert names and all(f">{name}</text>" in svg for name in names)
