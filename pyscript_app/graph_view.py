"""The network picture: neurons as circles in columns, synapses as lines that follow their weights.

A synapse's width grows with |weight| and its colour shows the sign (blue positive, orange
negative: a pair that colour-blind eyes tell apart). A neuron's fill shows its value for the
chosen sample. The figure is built once; every tick only swaps the data of its sources.
The display maths are small pure functions here, testable without a browser.
"""
import time

import numpy as np
import param
from bokeh.core.property.validation import without_property_validation
from bokeh.models import ColumnDataSource, HoverTool, LabelSet, LinearColorMapper, Range1d, TapTool
from bokeh.plotting import figure

from nn_core.maps import input_plane, plane_extent

POSITIVE = "#0877bd"
NEGATIVE = "#e8710a"
NEUTRAL = "#f5f5f5"


# A layer with more neurons (the digits' 64 pixels) is drawn in the height of this many, as small
# dots, and of its many synapses only the strongest stand out.
MAX_DRAWN_NEURONS = 16
STRONGEST_SHARE = 1 / 16  # of a dense layer's synapses, drawn in full; the rest faintly
FIGURE_HEIGHT = 380
NEURON_SIZE = 36  # pixels, shrunk when the layers are tall
DOT_SIZE = 8  # pixels, a neuron of a dense layer

# While playing, maps are redrawn at most this often: a map costs more than a frame's other views.
MAP_INTERVAL = 0.2


def due(view, playground, interval=MAP_INTERVAL):
    """True when ``view`` may redraw now (always, unless playing and drawn less than ``interval`` s ago)."""
    now = time.perf_counter()
    if playground.is_running and now - getattr(view, "_maps_drawn_at", -interval) < interval:
        return False
    view._maps_drawn_at = now
    return True


def edge_widths(weights, max_width=8.0, saturation=3.0):
    """Line width per synapse: grows with |weight|, capped so one edge can't hide the rest."""
    magnitude = np.abs(np.concatenate([W.ravel() for W in weights]))
    return 0.5 + (max_width - 0.5) * np.minimum(magnitude / saturation, 1.0)


def edge_colors(weights):
    """Blue for a positive weight, orange for a negative one."""
    flat = np.concatenate([W.ravel() for W in weights])
    return np.where(flat >= 0.0, POSITIVE, NEGATIVE).tolist()


def _mix(color, amount):
    """``color`` blended with white: amount 0 is white, 1 the full colour."""
    rgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
    mixed = np.round(255 + (rgb - 255) * amount).astype(int)
    return "#{:02x}{:02x}{:02x}".format(*mixed)


def diverging_palette(steps=64):
    """Orange (negative) through white (0) to blue (positive): for maps and weight images."""
    return [_mix(NEGATIVE, 1 - i / (steps - 1)) for i in range(steps)] + [_mix(POSITIVE, i / (steps - 1))
                                                                            for i in range(steps)]


def value_colors(values, scale=1.0):
    """Neuron fill: white at 0, deeper blue for positive values, orange for negative."""
    amounts = np.clip(np.abs(np.asarray(values, dtype=float)) / scale, 0.0, 1.0)
    return [_mix(POSITIVE if v >= 0 else NEGATIVE, 0.15 + 0.85 * a) for v, a in zip(values, amounts)]


def is_dense(size):
    """True for a layer with more neurons than the picture draws one unit apart."""
    return size > MAX_DRAWN_NEURONS


def neuron_positions(layer_sizes):
    """x (layer index) and y (centred, one unit apart; a dense layer squeezed into the height of
    MAX_DRAWN_NEURONS) of every neuron, layer by layer."""
    xs, ys = [], []
    for layer, size in enumerate(layer_sizes):
        spacing = (MAX_DRAWN_NEURONS - 1) / (size - 1) if is_dense(size) else 1.0
        xs.extend([float(layer)] * size)
        ys.extend(((np.arange(size)[::-1] - (size - 1) / 2.0) * spacing).tolist())
    return np.array(xs), np.array(ys)


def neuron_sizes(layer_sizes):
    """Circle size in pixels of every neuron: smaller when the tallest layer would make circles overlap,
    a dot in a dense layer."""
    half = min(max(layer_sizes), MAX_DRAWN_NEURONS) / 2.0
    pixels_per_unit = FIGURE_HEIGHT / (2 * half + 1.9)  # the y range that ``rebuild`` sets
    size = min(NEURON_SIZE, 0.85 * pixels_per_unit)
    return np.concatenate([np.full(n, DOT_SIZE if is_dense(n) else size) for n in layer_sizes])


def side_label_place(neuron_size):
    """Where a neuron's name and bias go: under it, or beside it when circles are too close for that."""
    if neuron_size >= 30:
        return {"text_align": "center", "text_baseline": "top", "x_offset": 0, "y_offset": -21}
    return {"text_align": "left", "text_baseline": "middle", "x_offset": neuron_size / 2 + 3, "y_offset": 0}


def figure_ranges(layer_sizes):
    """((x_start, x_end), (y_start, y_end)) of the picture in graph units: every neuron, the layer
    titles above them and the names under or beside them."""
    half = min(max(layer_sizes), MAX_DRAWN_NEURONS) / 2.0
    beside = side_label_place(max(neuron_sizes(layer_sizes)))["text_align"] != "center"
    # Labels beside the neurons need room right of the output layer.
    return (-0.7, len(layer_sizes) - (0.05 if beside else 0.3)), (-half - 1.3, half + 0.6)


def layer_name(layer, n_layers):
    """"input", "hidden k" or "output" for layer ``layer`` (0 is the inputs) of ``n_layers``."""
    if layer == 0:
        return "input"
    return "output" if layer == n_layers - 1 else f"hidden {layer}"


def layer_titles(layer_sizes, activations):
    """Each layer's title above its neurons: x, y, its name and its activation ("" for the inputs)."""
    half = min(max(layer_sizes), MAX_DRAWN_NEURONS) / 2.0
    n_layers = len(layer_sizes)
    return {"x": list(range(n_layers)), "y": [half + 0.15] * n_layers,
            "name": [layer_name(layer, n_layers) for layer in range(n_layers)],
            "activation": [""] + list(activations)}


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


def edge_endpoints(layer_sizes):
    """For every synapse in weight order (layer, then row = from, then column = to): x0, y0, x1, y1."""
    xs, ys = neuron_positions(layer_sizes)
    offsets = np.concatenate([[0], np.cumsum(layer_sizes)])
    starts, ends = [], []
    for layer, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:])):
        rows, columns = np.meshgrid(np.arange(n_in), np.arange(n_out), indexing="ij")
        starts.append(offsets[layer] + rows.ravel())
        ends.append(offsets[layer + 1] + columns.ravel())
    starts, ends = np.concatenate(starts), np.concatenate(ends)
    return xs[starts], ys[starts], xs[ends], ys[ends]


LEGEND = (
    f"<span style='color:{POSITIVE};font-size:18px'>━</span> positive weight &nbsp; "
    f"<span style='color:{NEGATIVE};font-size:18px'>━</span> negative weight &nbsp; "
    "width: |weight| &nbsp; fill: the neuron's value for the chosen sample"
)


def neuron_position(layer_sizes, index):
    """(layer, neuron) of the neuron at ``index`` in drawing order; layer 0 is the inputs."""
    for layer, size in enumerate(layer_sizes):
        if index < size:
            return layer, index
        index -= size
    raise IndexError("no neuron at that index")


def edge_position(layer_sizes, index):
    """(layer, row, column) of the synapse at ``index`` in edge order."""
    for layer, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:])):
        if index < n_in * n_out:
            return layer, index // n_out, index % n_out
        index -= n_in * n_out
    raise IndexError("no synapse at that index")


def _format(value):
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.2e}"


class NetworkGraph(param.Parameterized):
    """The Bokeh picture of the playground's network; redraws on every tick."""

    playground = param.Parameter()
    selected_edge = param.Integer(None, allow_None=True, doc="Index of the clicked synapse, if any.")

    def __init__(self, **params):
        super().__init__(**params)
        self.edges = ColumnDataSource(data=self._edge_columns(empty=True), name="edges")
        self.neurons = ColumnDataSource(data=self._neuron_columns(empty=True), name="neurons")
        self.layer_titles = ColumnDataSource(data={"x": [], "y": [], "text": []})
        # Each hidden and output neuron's own map over the input plane (networks with 2 inputs).
        self.neuron_maps = ColumnDataSource(data={"image": [], "x": [], "y": [], "size": []}, name="neuron-maps")
        self.figure = self._make_figure()
        self.rebuild()
        self.edges.selected.on_change("indices", self._on_select)
        self.neurons.selected.on_change("indices", self._on_select_neuron)
        self.playground.param.watch(lambda *events: self.rebuild(), ["structure"])
        self.playground.param.watch(lambda *events: self.update(), ["tick", "sample_index", "is_running"])

    def _make_figure(self):
        fig = figure(
            height=FIGURE_HEIGHT, sizing_mode="stretch_width", toolbar_location=None, tools="",
            x_range=Range1d(-0.9, 2.9), y_range=Range1d(-2, 2), min_border=0, outline_line_color=None,
            name="network-graph",
        )
        fig.axis.visible = False
        fig.grid.visible = False
        lines = fig.segment("x0", "y0", "x1", "y1", source=self.edges, line_width="width",
                            line_color="color", line_alpha="alpha")
        circles = fig.scatter("x", "y", source=self.neurons, size="size", fill_color="fill",
                              line_color="#444444", line_width=1.5)
        fig.image(image="image", x="x", y="y", dw="size", dh="size", dw_units="screen", dh_units="screen",
                  anchor="center", source=self.neuron_maps,
                  color_mapper=LinearColorMapper(palette=diverging_palette(), low=-1.0, high=1.0))
        fig.add_layout(LabelSet(x="x", y="y", text="label", source=self.neurons, text_font_size="10px",
                                text_align="center", text_baseline="middle"))
        self.side_labels = LabelSet(x="x", y="y", text="side", source=self.neurons, text_font_size="11px",
                                    text_color="#555555", **side_label_place(NEURON_SIZE))
        fig.add_layout(self.side_labels)
        fig.add_layout(LabelSet(x="x", y="y", text="text", source=self.layer_titles, text_font_size="12px",
                                text_align="center", text_font_style="bold", text_color="#333333"))
        fig.add_tools(HoverTool(renderers=[lines], tooltips=[
            ("synapse", "@name"), ("weight", "@weight{0.0000}"), ("last gradient", "@gradient{0.0000}")]))
        # Click a synapse to read and type its weight; click a neuron to see its map large.
        fig.add_tools(TapTool(renderers=[lines, circles]))
        fig.add_tools(HoverTool(renderers=[circles], tooltips=[
            ("neuron", "@name"), ("value", "@value{0.0000}"), ("weighted sum", "@sum{0.0000}")]))
        return fig

    def _edge_columns(self, empty=False):
        if empty:
            return {k: [] for k in ("x0", "y0", "x1", "y1", "width", "color", "alpha", "weight", "gradient",
                                    "name")}
        network = self.playground.experiment.network
        sizes = network.config.layer_sizes
        x0, y0, x1, y1 = edge_endpoints(sizes)
        names = [f"layer {k + 1}: {i + 1} → {j + 1}" for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]))
                 for i in range(n_in) for j in range(n_out)]
        return {"x0": x0, "y0": y0, "x1": x1, "y1": y1, "name": names, **self._edge_values()}

    def _edge_values(self):
        network = self.playground.experiment.network
        weights = network.weights
        gradients = np.concatenate([G.ravel() for G in network.weight_gradients])
        return {
            "width": edge_widths(weights),
            "color": edge_colors(weights),
            "alpha": edge_alphas(weights, network.config.layer_sizes),
            "weight": np.concatenate([W.ravel() for W in weights]),
            "gradient": gradients,
        }

    def _neuron_columns(self, empty=False):
        if empty:
            return {k: [] for k in ("x", "y", "size", "fill", "label", "side", "value", "sum", "name")}
        network = self.playground.experiment.network
        sizes = network.config.layer_sizes
        xs, ys = neuron_positions(sizes)
        names = [f"{layer_name(layer, len(sizes))} {i + 1}" for layer, size in enumerate(sizes) for i in range(size)]
        return {"x": xs, "y": ys, "size": neuron_sizes(sizes), "name": names, **self._neuron_values()}

    def _neuron_values(self):
        network = self.playground.experiment.network
        sums, activations = self.playground.sample_values()
        values = np.concatenate([a.ravel() for a in activations])
        weighted = np.concatenate([np.full(activations[0].shape[1], np.nan)] + [z.ravel() for z in sums])
        dataset = self.playground.experiment.dataset
        sizes = network.config.layer_sizes
        # A dense layer's names (the digits' pixels) would overlap: its tooltips have them.
        side = [""] * sizes[0] if is_dense(sizes[0]) else list(self.playground.experiment.input_names)
        for k, size in enumerate(sizes[1:]):
            biases = [f"b {_format(b)}" for b in network.biases[k]] if network.config.use_bias else [""] * size
            if k == len(sizes) - 2 and len(dataset.target_names) == size:
                biases = [f"{name} {bias}".strip() for name, bias in zip(dataset.target_names, biases)]
            side.extend(biases)
        show_values = max(network.config.layer_sizes) <= 10
        # Where a neuron shows its map, its value is in the tooltip instead of on top of the map.
        on_plane = len(self.playground.experiment.dataset.feature_names) == 2
        labelled = network.n_inputs if on_plane else len(values)
        return {
            "fill": value_colors(values),
            "label": [_format(v) if show_values and i < labelled else "" for i, v in enumerate(values)],
            "side": side,
            "value": values,
            "sum": weighted,
        }

    def _on_select(self, attr, old, new):
        self.selected_edge = new[0] if new else None

    def _on_select_neuron(self, attr, old, new):
        sizes = self.playground.experiment.network.config.layer_sizes
        self.playground.focused_neuron = neuron_position(sizes, new[0]) if new and new[0] >= sizes[0] else None

    def rebuild(self):
        """New geometry for a new network shape; the figure itself stays."""
        self._maps_drawn_at = float("-inf")  # a new shape always gets its maps
        self.edges.selected.indices = []
        self.neurons.selected.indices = []
        sizes = self.playground.experiment.network.config.layer_sizes
        self.side_labels.update(**side_label_place(max(neuron_sizes(sizes))))
        (x_start, x_end), (y_start, y_end) = figure_ranges(sizes)
        self.figure.x_range.update(start=x_start, end=x_end)
        self.figure.y_range.update(start=y_start, end=y_end)
        titles = layer_titles(sizes, self.playground.experiment.network.config.activations)
        self.layer_titles.data = {"x": titles["x"], "y": titles["y"],
                                  "text": [f"{name}\n{activation}".strip() for name, activation in
                                           zip(titles["name"], titles["activation"])]}
        self.edges.data = self._edge_columns()
        self.neurons.data = self._neuron_columns()
        self._update_maps()

    @without_property_validation  # our own columns, checked once in rebuild: a dense layer's are long
    def update(self):
        """New widths, colours and values for the same shape."""
        self.edges.data.update(self._edge_values())
        self.neurons.data.update(self._neuron_values())
        self._update_maps()

    def _update_maps(self, resolution=16):
        """Small maps of what each neuron computes over the input plane (2-input networks only)."""
        experiment = self.playground.experiment
        network = experiment.network
        if len(experiment.dataset.feature_names) != 2:
            self.neuron_maps.data = {"image": [], "x": [], "y": [], "size": []}
            return
        if not due(self, self.playground):
            return
        x_range, y_range = plane_extent(experiment.dataset.X)
        maps = input_plane(network, experiment.to_network, x_range, y_range, resolution)
        xs, ys = neuron_positions(network.config.layer_sizes)
        start = network.n_inputs
        images = [np.ascontiguousarray(layer[:, :, j]) for layer in maps.layers for j in range(layer.shape[2])]
        # A map just inside its neuron's circle: 30 pixels in a circle of 36.
        self.neuron_maps.data = {"image": images, "x": xs[start:], "y": ys[start:],
                                 "size": neuron_sizes(network.config.layer_sizes)[start:] * (30 / NEURON_SIZE)}
