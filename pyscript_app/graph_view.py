"""The network picture: neurons as circles in columns, synapses as lines that follow their weights.

A synapse's width grows with |weight| and its colour shows the sign (blue positive, orange
negative). A neuron's fill shows its value for the chosen sample; on data with two inputs, each
hidden and output neuron shows its own map of the input plane inside its circle. Where things
go is ``graph_layout``'s job; the figure is built once, and every tick only swaps the data of its
sources. ``key`` is the picture's colour key, for the page to place beside it.
"""
import numpy as np
import panel as pn
import param
from bokeh.core.property.validation import without_property_validation
from bokeh.models import ColumnDataSource, HoverTool, LabelSet, LinearColorMapper, Range1d, TapTool
from bokeh.plotting import figure

from nn_core.maps import input_plane, plane_extent

from .colors import diverging_palette, edge_colors, graph_key, value_colors
from .graph_layout import (
    HIT_WIDTH, circle_mask, edge_alphas, edge_endpoints, edge_neurons, edge_widths, graph_layout, hit_endpoints,
    is_dense, layer_name, neuron_position, neuron_positions, neuron_sizes, neuron_slice, value_text,
)
from .playground import Playground
from .throttle import Throttle

MAP_RESOLUTION = 16  # cells across a neuron's map
OUTLINE = "#444444"
TRANSPARENT = "rgba(0, 0, 0, 0)"

def neuron_names(layer_sizes, input_names, output_names):
    """Every neuron's name in drawing order: its input's or output's name, else "hidden 2 · 3"."""
    n_layers = len(layer_sizes)
    names = []
    for layer, size in enumerate(layer_sizes):
        given = input_names if layer == 0 else output_names if layer == n_layers - 1 else ()
        names.extend(given[i] if i < len(given) and given[i] else f"{layer_name(layer, n_layers)} · {i + 1}"
                     for i in range(size))
    return names


class NetworkGraph(pn.viewable.Viewer):
    """The Bokeh picture of the playground's network; its height follows the network."""

    playground = param.ClassSelector(class_=Playground, doc="The store whose network is drawn.")
    scale = param.Number(1.0, bounds=(0.5, 3.0),
                         doc="Size of type, neurons and synapses: 1 on a screen, about 1.6 for a projector.")
    selected_edge = param.Integer(None, allow_None=True, doc="Index of the clicked synapse, if any.")
    height = param.Integer(0, constant=True, doc="The figure's height in pixels: it follows the network.")

    def __init__(self, **params):
        super().__init__(**params)
        self.maps_throttle = Throttle()
        self.edges = ColumnDataSource(data=self._empty_edges(), name="edges")
        self.neurons = ColumnDataSource(data=self._empty_neurons(), name="neurons")
        self.layer_titles = ColumnDataSource(data={"x": [], "y": [], "name": [], "name_shift": [], "activation": [],
                                                   "activation_shift": []}, name="layer-titles")
        # Each hidden and output neuron's own map over the input plane (networks with 2 inputs).
        self.neuron_maps = ColumnDataSource(data={"image": [], "x": [], "y": [], "size": []}, name="neuron-maps")
        self.figure = self._make_figure()
        self.key = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["graph-key"])
        self._pane = pn.pane.Bokeh(self.figure, sizing_mode="stretch_width")
        self.rebuild()
        self.edges.selected.on_change("indices", self._on_select)
        self.neurons.selected.on_change("indices", self._on_select_neuron)

    def __panel__(self):
        return self._pane

    @staticmethod
    def _empty_edges():
        return {key: [] for key in ("x0", "y0", "x1", "y1", "hx0", "hy0", "hx1", "hy1", "width", "hit_width", "color",
                                    "alpha", "weight", "gradient", "name")}

    @staticmethod
    def _empty_neurons():
        return {key: [] for key in ("x", "y", "size", "fill", "label", "input_label", "output_label", "bias_label",
                                    "value", "sum", "bias", "name")}

    def _make_figure(self):
        fig = figure(height=300, sizing_mode="stretch_width", toolbar_location=None, tools="",
                     x_range=Range1d(-1, 3), y_range=Range1d(-2, 2), min_border=0, outline_line_color=None,
                     name="network-graph")
        fig.axis.visible = False
        fig.grid.visible = False
        fig.segment("x0", "y0", "x1", "y1", source=self.edges, line_width="width", line_color="color",
                    line_alpha="alpha")
        # Invisible, shortened copies of the synapses take the mouse: they end before the neurons do.
        hits = fig.segment("hx0", "hy0", "hx1", "hy1", source=self.edges, line_width="hit_width", line_alpha=0,
                           selection_line_alpha=0, nonselection_line_alpha=0, name="synapse-hits")
        circles = fig.scatter("x", "y", source=self.neurons, size="size", fill_color="fill", line_color=None,
                              nonselection_fill_alpha=1.0, name="neuron-circles")
        self.mapper = LinearColorMapper(palette=diverging_palette(), low=-1.0, high=1.0, nan_color=TRANSPARENT)
        fig.image(image="image", x="x", y="y", dw="size", dh="size", dw_units="screen", dh_units="screen",
                  anchor="center", source=self.neuron_maps, color_mapper=self.mapper)
        # The outlines over the maps; a selected neuron's is thick.
        self.rings = fig.scatter("x", "y", source=self.neurons, size="size", fill_color=None, line_color=OUTLINE,
                                 line_width=1.5, selection_line_color="#000000", selection_line_width=3.5,
                                 nonselection_line_color=OUTLINE, nonselection_line_alpha=1.0)
        self.labels = {
            "value": LabelSet(x="x", y="y", text="label", source=self.neurons, text_align="center",
                              text_baseline="middle"),
            "input": LabelSet(x="x", y="y", text="input_label", source=self.neurons, text_align="right",
                              text_baseline="middle", text_color="#333333"),
            "output": LabelSet(x="x", y="y", text="output_label", source=self.neurons, text_align="left",
                               text_baseline="middle", text_color="#333333"),
            "bias": LabelSet(x="x", y="y", text="bias_label", source=self.neurons, text_align="center",
                             text_baseline="top", text_color="#555555"),
            "title": LabelSet(x="x", y="y", text="name", x_offset="name_shift", source=self.layer_titles,
                              text_align="center", text_baseline="bottom", text_font_style="bold",
                              text_color="#333333"),
            "activation": LabelSet(x="x", y="y", text="activation", x_offset="activation_shift",
                                   source=self.layer_titles, text_align="center", text_baseline="bottom",
                                   text_color="#555555"),
        }
        for label_set in self.labels.values():
            fig.add_layout(label_set)
        fig.add_tools(HoverTool(renderers=[hits], tooltips=[
            ("synapse", "@name"), ("weight", "@weight{0.0000}"), ("last gradient", "@gradient{0.0000}")]))
        fig.add_tools(HoverTool(renderers=[circles], tooltips=[
            ("neuron", "@name"), ("value", "@value{0.0000}"), ("weighted sum", "@sum{0.0000}"),
            ("bias", "@bias{0.0000}")]))
        # Click a synapse to read and type its weight; click a neuron to see its map large.
        fig.add_tools(TapTool(renderers=[hits, circles]))
        return fig

    # ----- what is drawn --------------------------------------------------------------------
    def _shape(self):
        """(layer sizes, the GraphLayout, every neuron's name) of the playground's network."""
        experiment = self.playground.experiment
        config = experiment.network.config
        sizes = config.layer_sizes
        inputs = () if is_dense(sizes[0]) else tuple(experiment.input_names)
        targets = experiment.dataset.target_names
        outputs = tuple(name.replace("=", " ", 1) for name in targets) if len(targets) == sizes[-1] else ()
        layout = graph_layout(sizes, config.activations, inputs, outputs, config.use_bias, self.scale)
        return sizes, layout, neuron_names(sizes, inputs, outputs)

    def _shows_maps(self):
        return len(self.playground.experiment.dataset.feature_names) == 2

    def _edge_values(self):
        network = self.playground.experiment.network
        weights = network.weights
        widths = edge_widths(weights, self.scale)
        return {
            "width": widths,
            "hit_width": np.maximum(widths, HIT_WIDTH * self.scale),
            "color": edge_colors(weights),
            "alpha": edge_alphas(weights, network.config.layer_sizes),
            "weight": np.concatenate([W.ravel() for W in weights]),
            "gradient": np.concatenate([G.ravel() for G in network.weight_gradients]),
        }

    def _neuron_values(self):
        network = self.playground.experiment.network
        sums, activations = self.playground.sample_values()
        values = np.concatenate([a.ravel() for a in activations])
        weighted = np.concatenate([np.full(activations[0].shape[1], np.nan)] + [z.ravel() for z in sums])
        sizes = network.config.layer_sizes
        biases = (np.concatenate([np.full(sizes[0], np.nan)] + [b.ravel() for b in network.biases])
                  if network.config.use_bias else np.full(len(values), np.nan))
        # Where a neuron shows its map, its value is in the tooltip instead of on top of the map.
        labelled = sizes[0] if self._shows_maps() else len(values)
        return {
            "fill": value_colors(values),
            "label": [value_text(v) if self._layout.show_values and i < labelled else "" for i, v in enumerate(values)],
            "bias_label": ["" if not self._layout.show_biases or np.isnan(b) else f"b {value_text(b)}" for b in biases],
            "value": values,
            "sum": weighted,
            "bias": biases,
        }

    # ----- following the playground ---------------------------------------------------------
    @param.depends("playground.structure", "scale", watch=True)
    def rebuild(self):
        """New geometry for a new network shape (or a new scale); the figure itself stays."""
        self.maps_throttle.force()  # a new shape always gets its maps
        self.edges.selected.indices = []
        self.neurons.selected.indices = []
        sizes, layout, names = self._shape()
        self._layout = layout
        fig = self.figure
        fig.height = layout.height
        with param.edit_constant(self):
            self.height = layout.height
        fig.x_range.update(start=layout.x_range[0], end=layout.x_range[1])
        fig.y_range.update(start=layout.y_range[0], end=layout.y_range[1])
        self._style_labels(layout)
        self.rings.glyph.line_width = 1.5 * self.scale
        self.rings.selection_glyph.line_width = 3.5 * self.scale
        self.layer_titles.data = layout.titles
        x0, y0, x1, y1 = edge_endpoints(sizes)
        hx0, hy0, hx1, hy1 = hit_endpoints(sizes, layout)
        starts, ends = edge_neurons(sizes)
        self.edges.data = {"x0": x0, "y0": y0, "x1": x1, "y1": y1, "hx0": hx0, "hy0": hy0, "hx1": hx1, "hy1": hy1,
                           "name": [f"{names[i]} → {names[j]}" for i, j in zip(starts, ends)], **self._edge_values()}
        xs, ys = neuron_positions(sizes)
        n_inputs, n_outputs = sizes[0], sizes[-1]
        input_labels = list(layout.input_labels) or [""] * n_inputs
        output_labels = list(layout.output_labels) or [""] * n_outputs
        blank = [""] * (len(xs) - n_inputs - n_outputs)
        self.neurons.data = {"x": xs, "y": ys, "size": neuron_sizes(sizes, layout), "name": names,
                             "input_label": input_labels + blank + [""] * n_outputs,
                             "output_label": [""] * n_inputs + blank + output_labels, **self._neuron_values()}
        self.key.object = graph_key(with_maps=self._shows_maps())
        self.key.styles = {"font-size": f"{12 * self.scale:g}px", "color": "#555555"}
        self._update_maps()

    def _style_labels(self, layout):
        fonts, gap = layout.fonts, layout.label_gap
        for name, label_set in self.labels.items():
            label_set.text_font_size = fonts["title" if name == "title" else "value" if name == "value" else "label"]
        self.labels["input"].x_offset = -gap
        self.labels["output"].x_offset = gap
        self.labels["bias"].y_offset = -(layout.neuron_size / 2 + 2 * layout.scale)
        self.labels["title"].y_offset, self.labels["activation"].y_offset = layout.title_offsets

    @param.depends("playground.tick", "playground.sample_index", watch=True)
    @without_property_validation  # our own columns, checked once in rebuild: a dense layer's are long
    def update(self):
        """New widths, colours and values for the same shape."""
        self.edges.data.update(self._edge_values())
        self.neurons.data.update(self._neuron_values())
        self._update_maps()

    def _update_maps(self):
        """Small maps of what each neuron computes over the input plane (2-input networks only), each
        cut round to fit its circle."""
        experiment = self.playground.experiment
        network = experiment.network
        if not self._shows_maps():
            self.neuron_maps.data = {"image": [], "x": [], "y": [], "size": []}
            return
        if not self.maps_throttle.due(self.playground.is_running):
            return
        x_range, y_range = plane_extent(experiment.dataset.X)
        maps = input_plane(network, experiment.to_network, x_range, y_range, MAP_RESOLUTION)
        inside = circle_mask(MAP_RESOLUTION)
        sizes = network.config.layer_sizes
        xs, ys = neuron_positions(sizes)
        start = network.n_inputs
        images = [np.where(inside, layer[:, :, j], np.nan) for layer in maps.layers for j in range(layer.shape[2])]
        self.neuron_maps.data = {"image": images, "x": xs[start:], "y": ys[start:],
                                 "size": neuron_sizes(sizes, self._layout)[start:]}

    def _on_select(self, attr, old, new):
        self.selected_edge = new[0] if new else None

    @param.depends("playground.focused_neuron", watch=True)
    def _show_focus(self):
        """A neuron chosen elsewhere (the guided tutorial) gets the thick ring a click gives."""
        focus = self.playground.focused_neuron
        sizes = self.playground.experiment.network.config.layer_sizes
        indices = [neuron_slice(sizes, focus[0]).start + focus[1]] if focus is not None else []
        if self.neurons.selected.indices != indices:
            self.neurons.selected.indices = indices

    def _on_select_neuron(self, attr, old, new):
        sizes = self.playground.experiment.network.config.layer_sizes
        self.playground.focused_neuron = neuron_position(sizes, new[0]) if new and new[0] >= sizes[0] else None
