"""Where the network picture puts things: neurons, synapses, titles and labels, in pure functions.

The picture's height follows the network (a row of neurons is ``row_pitch`` pixels apart), while
its width stretches with the page. Everything that must not overlap is planned for the narrowest
figure the page draws (``MIN_WIDTH`` pixels, a phone): a wider figure only moves columns apart.
Labels that would still collide are left out; the tooltips always have them. ``scale`` enlarges
every size for a projector. Shared by the live graph (``graph_view``) and its SVG preview.
"""
from typing import NamedTuple

import numpy as np

# A layer with more neurons (the digits' 64 pixels) is drawn in the height of this many, as small
# dots, and of its many synapses only the strongest stand out.
MAX_DRAWN_NEURONS = 16
STRONGEST_SHARE = 1 / 16  # of a dense layer's synapses, drawn in full; the rest faintly

# Pixels at scale 1.
MIN_WIDTH = 340  # the narrowest figure: a 360-px phone less the page's margins
NEURON_SIZE = 36  # the largest circle
DOT_SIZE = 8  # a neuron of a dense layer
ROW_PITCH = (26, 64)  # least and most space between neighbours in a column
COLUMN_HEIGHT = 420  # the tallest column's height before its rows move closer together
FONT, TITLE_FONT, VALUE_FONT = 11, 12, 10
GAP = 4  # between a neuron and its label, and between two labels
# A generous average width of a character, as a share of the font size: labels are planned
# with it; the browser tests measure the real text.
CHAR_WIDTH = 0.62
# Input and output names longer than the first limit are shortened with "…" (tooltips have them
# whole), and further, down to none, while the columns would be closer than MIN_COLUMN_PITCH.
LABEL_LIMITS = (14, 8, 5, 0)
MIN_COLUMN_PITCH = 26
BIAS_CHARS = 10  # "b −0.00123"
HIT_WIDTH = 8  # the least width of the invisible synapses that take the mouse: thin lines are hard to point at


class GraphLayout(NamedTuple):
    """Sizes in pixels (already scaled) and ranges in graph units: x is the layer, y the row."""

    scale: float
    height: int
    row_pitch: float
    neuron_size: float  # of a layer that is not dense
    dot_size: float  # of a dense layer
    input_labels: list  # the names left of the inputs, shortened to fit
    output_labels: list  # the names right of the outputs, shortened to fit
    x_range: tuple
    y_range: tuple
    titles: dict  # x, y, name, activation ("" where left out) and their shifts in pixels: the title lines' columns
    title_offsets: tuple  # (name line, activation line) above the top row's centre
    show_values: bool  # each neuron's value written on it
    show_biases: bool  # each neuron's bias written under it
    label_gap: float  # from a neuron's centre to where its name or bias starts
    fonts: dict  # "label", "title", "value": CSS sizes


def text_width(text, font):
    """Planned width in pixels of ``text`` at ``font`` pixels (generous: see CHAR_WIDTH)."""
    return len(text) * CHAR_WIDTH * font


def shorten(name, limit):
    """``name``, or its first ``limit - 1`` characters and "…"."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def value_text(value):
    """A neuron's value or bias as written on the picture: 3 significant digits."""
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.2e}"


def is_dense(size):
    """True for a layer with more neurons than the picture draws one row apart."""
    return size > MAX_DRAWN_NEURONS


def layer_name(layer, n_layers):
    """"input", "hidden k" or "output" for layer ``layer`` (0 is the inputs) of ``n_layers``."""
    if layer == 0:
        return "input"
    return "output" if layer == n_layers - 1 else f"hidden {layer}"


def fit_labels(centres, widths, order):
    """Which labels of one line to keep so that no two overlap: in ``order`` (most wanted first),
    each is kept if it keeps GAP clear of every label kept before it.

    centres, widths : sequences of pixels; an empty label has width 0 and is never kept.
    Returns a list of booleans.
    """
    kept = [False] * len(centres)
    for i in order:
        if widths[i] <= 0:
            continue
        if all(abs(centres[i] - centres[j]) >= (widths[i] + widths[j]) / 2 + GAP for j in range(len(centres))
               if kept[j]):
            kept[i] = True
    return kept


def end_shift(layer, n_layers, width, radius):
    """Pixels to move the title of an end column outwards, so that it reaches no further inwards
    than its neurons do: "input" and "output" then leave room for the next column's title."""
    shift = max(width / 2 - radius, 0.0)
    return -shift if layer == 0 else shift if layer == n_layers - 1 else 0.0


def _titles(layer_sizes, activations, column_pitch, radius, scale):
    """Names and activations above the columns, each line with the pixels each title is moved
    by; left out where they would collide at MIN_WIDTH."""
    n_layers = len(layer_sizes)
    names = [layer_name(layer, n_layers) for layer in range(n_layers)]
    full = all(text_width(name, TITLE_FONT * scale) + GAP * scale <= column_pitch for name in names[1:-1])
    if not full:  # "hidden 3" does not fit: the hidden layers go by their numbers
        names = [names[0], *(str(layer) for layer in range(1, n_layers - 1)), names[-1]]
    shown_activations = [""] + list(activations)
    if not full:  # only where the activation changes, and always the output's
        shown_activations = [activation if layer in (1, n_layers - 1) or activation != activations[layer - 2] else ""
                             for layer, activation in enumerate(shown_activations)]
    # The ends first: "input" and "output" say which way the network reads.
    order = [0, n_layers - 1, *range(1, n_layers - 1)]
    lines = []
    for texts, font in ((names, TITLE_FONT), (shown_activations, FONT)):
        widths = [text_width(text, font * scale) for text in texts]
        shifts = [end_shift(layer, n_layers, width, radius) for layer, width in enumerate(widths)]
        kept = fit_labels([layer * column_pitch + shift for layer, shift in enumerate(shifts)], widths, order)
        lines.append(([text if keep else "" for text, keep in zip(texts, kept)], shifts))
    return lines


def graph_layout(layer_sizes, activations, input_names=(), output_names=(), use_bias=False, scale=1.0):
    """The GraphLayout of a network.

    layer_sizes : neurons per layer, inputs first; activations : one per layer after the inputs;
    input_names, output_names : the labels beside the first and last layer ("" or () for none).
    """
    n_layers = len(layer_sizes)
    rows = min(max(layer_sizes), MAX_DRAWN_NEURONS)
    row_pitch = float(np.clip(COLUMN_HEIGHT / rows, *ROW_PITCH)) * scale
    largest = NEURON_SIZE * scale
    # An end column's titles reach outwards past its neurons (end_shift) by their width less the radius.
    end_titles = {"left": [("input", TITLE_FONT)], "right": [("output", TITLE_FONT), (activations[-1], FONT)]}
    end_width = {side: max(text_width(text, font * scale) for text, font in texts)
                 for side, texts in end_titles.items()}
    for limit in LABEL_LIMITS:  # long names leave the columns too little room: shorten them
        labels = {side: [shorten(name, limit) if limit else "" for name in names]
                  for side, names in (("left", input_names), ("right", output_names))}
        label_width = {side: max([text_width(name, FONT * scale) for name in names] + [0.0])
                       for side, names in labels.items()}
        radius = largest / 2
        for _ in range(2):  # the circles' size depends on the room between columns, and that on the circles
            margin = {side: max(radius + GAP * scale + label_width[side], end_width[side] - radius) + GAP * scale
                      for side in ("left", "right")}
            column_pitch = (MIN_WIDTH * scale - margin["left"] - margin["right"]) / (n_layers - 1)
            planned, radius = radius, min(largest, row_pitch - 8 * scale, 0.7 * column_pitch) / 2
        if column_pitch >= MIN_COLUMN_PITCH * scale:
            break
    # Never larger than the margins were planned for: names and end titles then stay inside.
    neuron_size = 2 * min(radius, planned)
    label_height = (FONT + 4) * scale
    show_biases = (use_bias and row_pitch >= neuron_size + label_height + 2 * scale
                   and column_pitch >= text_width("b" + "0" * (BIAS_CHARS - 1), FONT * scale) + GAP * scale)
    (names, name_shifts), (activations_shown, activation_shifts) = _titles(
        layer_sizes, activations, column_pitch, planned, scale)
    half = (rows - 1) / 2.0
    offsets = (neuron_size / 2 + GAP * scale + (FONT + 4) * scale, neuron_size / 2 + GAP * scale)
    top = offsets[0] + (TITLE_FONT + 6) * scale
    bottom = neuron_size / 2 + (label_height + 2 * scale if show_biases else GAP * scale)
    return GraphLayout(
        scale=scale,
        height=int(round(2 * half * row_pitch + top + bottom)),
        row_pitch=row_pitch,
        neuron_size=neuron_size,
        dot_size=DOT_SIZE * scale,
        input_labels=labels["left"],
        output_labels=labels["right"],
        x_range=(-margin["left"] / column_pitch, n_layers - 1 + margin["right"] / column_pitch),
        y_range=(-half - bottom / row_pitch, half + top / row_pitch),
        titles={"x": list(range(n_layers)), "y": [half] * n_layers, "name": names, "name_shift": name_shifts,
                "activation": activations_shown, "activation_shift": activation_shifts},
        title_offsets=offsets,
        show_values=neuron_size >= 30 * scale,
        show_biases=show_biases,
        label_gap=neuron_size / 2 + GAP * scale,
        fonts={key: f"{size * scale:g}px" for key, size in (("label", FONT), ("title", TITLE_FONT),
                                                            ("value", VALUE_FONT))},
    )


def neuron_positions(layer_sizes):
    """x (layer index) and y (rows centred on 0, one apart; a dense layer squeezed into the height of
    MAX_DRAWN_NEURONS rows) of every neuron, layer by layer."""
    xs, ys = [], []
    for layer, size in enumerate(layer_sizes):
        spacing = (MAX_DRAWN_NEURONS - 1) / (size - 1) if is_dense(size) else 1.0
        xs.extend([float(layer)] * size)
        ys.extend(((np.arange(size)[::-1] - (size - 1) / 2.0) * spacing).tolist())
    return np.array(xs), np.array(ys)


def neuron_sizes(layer_sizes, layout):
    """Circle size in pixels of every neuron: the layout's, or a dot in a dense layer."""
    return np.concatenate([np.full(n, layout.dot_size if is_dense(n) else layout.neuron_size) for n in layer_sizes])


def edge_neurons(layer_sizes):
    """For every synapse in weight order (layer, then row = from, then column = to): the drawing-order
    indices of the neuron it leaves and of the neuron it enters, as two int arrays."""
    offsets = np.concatenate([[0], np.cumsum(layer_sizes)])
    pairs = list(enumerate(zip(layer_sizes[:-1], layer_sizes[1:])))
    starts = np.concatenate([offsets[k] + np.repeat(np.arange(n_in), n_out) for k, (n_in, n_out) in pairs])
    ends = np.concatenate([offsets[k + 1] + np.tile(np.arange(n_out), n_in) for k, (n_in, n_out) in pairs])
    return starts, ends


def edge_endpoints(layer_sizes):
    """For every synapse in weight order: x0, y0, x1, y1 of the neurons it joins."""
    xs, ys = neuron_positions(layer_sizes)
    starts, ends = edge_neurons(layer_sizes)
    return xs[starts], ys[starts], xs[ends], ys[ends]


def hit_endpoints(layer_sizes, layout):
    """The synapses shortened at both ends by their neurons' radius and a little more: pointing at
    a neuron then finds only the neuron, never the synapses that meet in it.

    Returns x0, y0, x1, y1 as ``edge_endpoints`` does. The ends are cut for MIN_WIDTH; a wider
    figure stretches only x, so the part left out only grows in pixels.
    """
    xs, ys = neuron_positions(layer_sizes)
    starts, ends = edge_neurons(layer_sizes)
    x0, y0, x1, y1 = xs[starts], ys[starts], xs[ends], ys[ends]
    radii = neuron_sizes(layer_sizes, layout) / 2 + (HIT_WIDTH / 2 + GAP) * layout.scale
    x_start, x_end = layout.x_range
    pixels_per_layer = MIN_WIDTH * layout.scale / (x_end - x_start)
    length = np.hypot((x1 - x0) * pixels_per_layer, (y1 - y0) * layout.row_pitch)  # pixels at MIN_WIDTH
    # Where two columns are so close that little of a synapse shows, its hit part shrinks to its middle.
    head, tail = np.minimum(radii[starts] / length, 0.5), np.minimum(radii[ends] / length, 0.5)
    return x0 + (x1 - x0) * head, y0 + (y1 - y0) * head, x1 - (x1 - x0) * tail, y1 - (y1 - y0) * tail


def edge_widths(weights, scale=1.0, max_width=8.0, saturation=3.0):
    """Line width per synapse: grows with |weight|, capped so one synapse can't hide the rest."""
    magnitude = np.abs(np.concatenate([W.ravel() for W in weights]))
    return scale * (0.5 + (max_width - 0.5) * np.minimum(magnitude / saturation, 1.0))


def edge_alphas(weights, layer_sizes):
    """Opacity per synapse: 0.85, but out of a dense layer only its strongest STRONGEST_SHARE stay
    clear; the others are drawn faintly, so that the picture shows what matters."""
    alphas = []
    for W, n_in in zip(weights, layer_sizes):
        alpha = np.full(W.size, 0.85)
        if is_dense(n_in):
            magnitude = np.abs(W.ravel())
            threshold = np.quantile(magnitude, 1.0 - STRONGEST_SHARE)
            alpha[magnitude < threshold] = 0.04
        alphas.append(alpha)
    return np.concatenate(alphas)


def circle_mask(resolution):
    """(resolution, resolution) booleans: the cells whose centre lies in the inscribed circle.
    A neuron's map keeps these and leaves the corners out, so that it fits its round neuron."""
    centres = np.arange(resolution) + 0.5 - resolution / 2.0
    return np.hypot(*np.meshgrid(centres, centres)) <= resolution / 2.0


def neuron_slice(layer_sizes, layer):
    """Where ``layer``'s neurons are in the graph's drawing order (the inverse of ``neuron_position``)."""
    start = sum(layer_sizes[:layer])
    return slice(start, start + layer_sizes[layer])


def neuron_position(layer_sizes, index):
    """(layer, neuron) of the neuron at ``index`` in drawing order; layer 0 is the inputs."""
    for layer, size in enumerate(layer_sizes):
        if index < size:
            return layer, index
        index -= size
    raise IndexError(f"no neuron at index {index} of a {'-'.join(map(str, layer_sizes))} network")


def edge_position(layer_sizes, index):
    """(layer, row, column) of the synapse at ``index`` in edge order."""
    for layer, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:])):
        if index < n_in * n_out:
            return layer, index // n_out, index % n_out
        index -= n_in * n_out
    raise IndexError(f"no synapse at index {index} of a {'-'.join(map(str, layer_sizes))} network")
