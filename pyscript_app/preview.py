"""The network picture as plain SVG, for the page to show before BokehJS and Python are ready.

The build draws the default network (the tutorial's, with its first weights) with the same
layout and display maths as the live graph (``graph_layout``, ``colors``): positions, height,
labels, synapse widths, colours and opacities, neuron fills. The page shows it at once and
drops it when the real figure is drawn.
"""
from html import escape

import numpy as np

from .colors import edge_colors, value_colors
from .graph_layout import (
    edge_alphas, edge_endpoints, edge_widths, graph_layout, is_dense, neuron_positions, neuron_sizes, value_text,
)

SVG_WIDTH = 640


def _text(x, y, text, anchor="middle", baseline="middle", size="11px", extra=""):
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" dominant-baseline="{baseline}" '
            f'font-size="{size}"{extra}>{escape(text)}</text>')


def network_svg(playground, width=SVG_WIDTH):
    """An ``<svg>`` element (a string) of the playground's network as the live graph draws it."""
    experiment = playground.experiment
    network = experiment.network
    config = network.config
    sizes = config.layer_sizes
    inputs = () if is_dense(sizes[0]) else tuple(experiment.input_names)
    targets = experiment.dataset.target_names
    outputs = tuple(name.replace("=", " ", 1) for name in targets) if len(targets) == sizes[-1] else ()
    layout = graph_layout(sizes, config.activations, inputs, outputs, config.use_bias)
    height = layout.height
    (x_start, x_end), (y_start, y_end) = layout.x_range, layout.y_range

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
               for x, y, size, fill in zip(xs, ys, neuron_sizes(sizes, layout), value_colors(values))]
    fonts, gap = layout.fonts, layout.label_gap
    titles = layout.titles
    title_x, title_y = place(titles["x"], titles["y"])
    texts = [_text(x + shift, y - layout.title_offsets[0], name, baseline="text-after-edge", size=fonts["title"],
                   extra=' font-weight="bold"')
             for x, y, name, shift in zip(title_x, title_y, titles["name"], titles["name_shift"]) if name]
    texts += [_text(x + shift, y - layout.title_offsets[1], activation, baseline="text-after-edge",
                    size=fonts["label"], extra=' fill="#555"')
              for x, y, activation, shift in zip(title_x, title_y, titles["activation"], titles["activation_shift"])
              if activation]
    texts += [_text(x - gap, y, name, anchor="end", size=fonts["label"])
              for x, y, name in zip(xs, ys, layout.input_labels) if name]
    texts += [_text(x + gap, y, name, anchor="start", size=fonts["label"])
              for x, y, name in zip(xs[-sizes[-1]:], ys[-sizes[-1]:], layout.output_labels) if name]
    if layout.show_values:  # where a neuron shows its map, the live graph writes no value on it
        labelled = sizes[0] if len(experiment.dataset.feature_names) == 2 else len(values)
        texts += [_text(x, y, value_text(value), size=fonts["value"]) for x, y, value in
                  zip(xs[:labelled], ys[:labelled], values[:labelled])]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label="The network: {"-".join(map(str, sizes))}" '
            f'font-family="system-ui, sans-serif" fill="#333">'
            + "".join(lines + circles + texts) + "</svg>")


def preview_html(playground):
    """The page's heading and the network picture: what a visitor sees first, before any script is ready."""
    from .app import heading_html  # the same words as the page's own heading

    return f"<div class='preview-heading'>{heading_html(playground.settings)}</div>" + network_svg(playground)
