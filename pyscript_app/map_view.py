"""The decision map: the network's output over the input plane, with the data drawn on top.

Orange where the output is low (class 0), blue where it is high (class 1), white between;
with more than two classes, each pixel takes the colour of its most likely class;
training points are circles, test points triangles. The map is an image whose pixels are
one forward pass of nn_core over a grid, swapped in on every tick.
"""
import numpy as np
import param
from bokeh.events import Tap
from bokeh.models import ColumnDataSource, LinearColorMapper, Range1d
from bokeh.plotting import figure

from nn_core.maps import DEFAULT_RESOLUTION, input_plane, plane_extent

from .graph_view import NEGATIVE, POSITIVE, _mix, due

# Orange → white → blue, the graph's colours for negative and positive.
PALETTE = [_mix(NEGATIVE, 1 - i / 127) for i in range(128)] + [_mix(POSITIVE, i / 127) for i in range(128)]


# One colour per class when there are more than two (colour-blind-safe: blue, orange, green, …).
CLASS_COLORS = ["#0877bd", "#e8710a", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
                "#d62728"]


def point_colors(values, low, high):
    """Each data point in the map's colour for its target, fully saturated so it stands out."""
    middle = (low + high) / 2.0
    return [POSITIVE if value >= middle else NEGATIVE for value in values]


class DecisionMap(param.Parameterized):
    playground = param.Parameter()
    show_test = param.Boolean(True, doc="Draw the test points too.")

    def __init__(self, **params):
        super().__init__(**params)
        self.image = ColumnDataSource(data={"image": [], "x": [], "y": [], "dw": [], "dh": []}, name="decision-map")
        self.train_points = ColumnDataSource(data={"x": [], "y": [], "color": []}, name="train-points")
        self.test_points = ColumnDataSource(data={"x": [], "y": [], "color": []}, name="test-points")
        self._colors = {"palette": PALETTE, "low": 0.0, "high": 1.0}  # what the mapper has
        self.mapper = LinearColorMapper(**self._colors)
        self.figure = self._make_figure()
        self.rebuild()
        self.playground.param.watch(lambda *events: self.rebuild(), ["structure"])
        self.playground.param.watch(lambda *events: self.update(), ["tick", "focused_neuron", "is_running"])
        self.playground.param.watch(lambda *events: self.draw_points(), ["data_edits"])
        self.param.watch(lambda *events: self._show_test(), ["show_test"])

    def _make_figure(self):
        fig = figure(height=300, sizing_mode="stretch_width", toolbar_location=None, tools="",
                     x_range=Range1d(0, 1), y_range=Range1d(0, 1), min_border_left=40, name="decision-figure")
        fig.image(image="image", x="x", y="y", dw="dw", dh="dh", source=self.image, color_mapper=self.mapper)
        fig.scatter("x", "y", source=self.train_points, fill_color="color", line_color="white", size=6)
        self.test_renderer = fig.scatter("x", "y", source=self.test_points, marker="triangle", fill_color="color",
                                         line_color="black", size=7, name="test-renderer")
        fig.grid.visible = False
        fig.on_event(Tap, self._on_tap)
        return fig

    def _on_tap(self, event):
        """Click: add a class-1 point, or remove the point under the mouse; shift-click: a class-0 point."""
        (x0, x1), _ = self.extent
        shift = bool(event.modifiers and event.modifiers.get("shift"))
        self.playground.click_on_plane(event.x, event.y, other_class=shift, within=0.02 * (x1 - x0))

    def rebuild(self):
        experiment = self.playground.experiment
        self.figure.visible = len(experiment.dataset.feature_names) == 2  # a plane to draw on
        if not self.figure.visible:
            return
        dataset = experiment.dataset
        self.extent = plane_extent(dataset.X)
        (x0, x1), (y0, y1) = self.extent
        self.figure.x_range.update(start=x0, end=x1)
        self.figure.y_range.update(start=y0, end=y1)
        self.figure.xaxis.axis_label, self.figure.yaxis.axis_label = dataset.feature_names
        if dataset.task == "multiclass":  # the map shows the most likely class
            n_classes = dataset.y.shape[1]
            self.output_colors = {"palette": CLASS_COLORS[:n_classes], "low": -0.5, "high": n_classes - 0.5}
        else:
            targets = experiment.target_scaler.transform(dataset.y)[:, 0]
            low, high = (0.0, 1.0) if dataset.task != "regression" else (float(targets.min()), float(targets.max()))
            self.output_colors = {"palette": PALETTE, "low": low, "high": high if high > low else low + 1.0}
        self.mapper.update(**self.output_colors)
        self._colors = self.output_colors
        self.draw_points()
        self._show_test()
        self.update()

    def draw_points(self):
        experiment = self.playground.experiment
        low, high = self.output_colors["low"], self.output_colors["high"]
        multiclass = experiment.dataset.task == "multiclass"
        for source, part in ((self.train_points, experiment.train_set), (self.test_points, experiment.test_set)):
            if multiclass:
                colors = [CLASS_COLORS[label] for label in part.y.argmax(axis=1)]
            else:
                values = experiment.target_scaler.transform(part.y)[:, 0] if len(part.y) else []
                colors = point_colors(values, low, high)
            source.data = {"x": part.X[:, 0], "y": part.X[:, 1], "color": colors}

    def _show_test(self):
        self.test_renderer.visible = self.show_test

    def update(self):
        if not self.figure.visible or not due(self, self.playground):
            return
        experiment = self.playground.experiment
        (x0, x1), (y0, y1) = self.extent
        maps = input_plane(experiment.network, experiment.to_network, (x0, x1), (y0, y1), DEFAULT_RESOLUTION)
        focus = self.playground.focused_neuron
        if focus is not None and focus[0] < len(maps.layers):  # a hidden neuron's own map
            layer, neuron = focus
            output = maps.layers[layer - 1][:, :, neuron]
            title = f"hidden {layer}, neuron {neuron + 1}"
            colors = {"palette": PALETTE, "low": -1.0, "high": 1.0}
        else:
            outputs = maps.layers[-1]  # (resolution, resolution, n_outputs)
            # With several classes each pixel shows its most likely class.
            multiclass = experiment.dataset.task == "multiclass"
            output = outputs.argmax(axis=2).astype(float) if multiclass else outputs[:, :, 0]
            title = "the network's output (click a neuron for its own map)"
            colors = self.output_colors
        if colors != self._colors:  # a palette is checked colour by colour each time it is set
            self.mapper.update(**colors)
            self._colors = colors
        self.figure.title.text = title
        self.image.data = {"image": [np.ascontiguousarray(output)], "x": [x0], "y": [y0], "dw": [x1 - x0],
                           "dh": [y1 - y0]}
