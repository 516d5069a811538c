"""The network picture as plain SVG, for the page to show before BokehJS and Python are ready.

The build draws the default network (the tutorial's, with its first weights) with the same
display maths as the live graph (``graph_view``): positions, synapse widths, colours and
opacities, neuron fills. The page shows it at once and drops it when the real figure is drawn.
"""
from html import escape

import numpy as np

from .graph_view import (
    FIGURE_HEIGHT, MAX_DRAWN_NEURONS, edge_alphas, edge_colors, edge_endpoints, edge_widths, figure_ranges,
    layer_titles, neuron_positions, neuron_sizes, value_colors,
)


def network_svg(playground, width=640, height=FIGURE_HEIGHT):
    """An ``<svg>`` element (a string) of the playground's network as the live graph draws it."""
    network = playground.experiment.network
    sizes = network.config.layer_sizes
    (x_start, x_end), (y_start, y_end) = figure_ranges(sizes)

    def place(x, y):  # graph units to SVG pixels, y downwards
        x, y = np.asarray(x), np.asarray(y)
        return (x - x_start) / (x_end - x_start) * width, (y_end - y) / (y_end - y_start) * height

    ends = edge_endpoints(sizes)
    (x0, y0), (x1, y1) = place(*ends[:2]), place(*ends[2:])
    weights = network.weights
    lines = [f'<line x1="{a:.1f}" y1="{b:.1f}" x2="{c:.1f}" y2="{d:.1f}" stroke="{color}" '
             f'stroke-width="{w:.2f}" stroke-opacity="{alpha:.2f}"/>'
             for a, b, c, d, w, color, alpha in zip(x0, y0, x1, y1, edge_widths(weights), edge_colors(weights),
                                                    edge_alphas(weights, sizes))]
    _, sample_activations = playground.sample_values()
    values = np.concatenate([a.ravel() for a in sample_activations])
    xs, ys = place(*neuron_positions(sizes))
    circles = [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size / 2:.1f}" fill="{fill}" stroke="#444" stroke-width="1.5"/>'
               for x, y, size, fill in zip(xs, ys, neuron_sizes(sizes), value_colors(values))]
    layers = layer_titles(sizes, network.config.activations)
    titles = [f'<text x="{x:.1f}" y="{y - 16:.1f}" text-anchor="middle" font-weight="bold">{escape(name)}'
              f'<tspan x="{x:.1f}" dy="14" font-weight="normal">{escape(activation)}</tspan></text>'
              for x, y, name, activation in zip(*place(layers["x"], layers["y"]), layers["name"], layers["activation"])]
    names = [f'<text x="{x:.1f}" y="{y + 30:.1f}" text-anchor="middle" fill="#555">{escape(name)}</text>'
             for x, y, name in zip(xs, ys, playground.experiment.input_names)] if sizes[0] <= MAX_DRAWN_NEURONS else []
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label="The network: {"-".join(map(str, sizes))}" '
            f'font-family="system-ui, sans-serif" font-size="12" fill="#333">'
            + "".join(lines + circles + titles + names) + "</svg>")


def preview_html(playground):
    """The page's heading and the network picture: what a visitor sees first, before any script is ready."""
    from .app import INTRO  # the same words as the page's own heading

    return INTRO + network_svg(playground)
