"""The decision map: the network's output over the input plane, with the data drawn on top.

Orange where the output is low (class 0), blue where it is high (class 1), white between;
with more than two classes, each pixel takes the colour of its most likely class;
training points are circles, test points triangles. The map is an image whose pixels are
one forward pass of nn_core over a grid, swapped in on every tick. Under it, a key says which
colour means which class or value.
"""
import numpy as np
import panel as pn
import param
from bokeh.events import Tap
from bokeh.models import ColumnDataSource, LinearColorMapper, Range1d
from bokeh.plotting import figure

from nn_core.maps import DEFAULT_RESOLUTION, input_plane, plane_extent

from .colors import CLASS_COLORS, NEGATIVE, POSITIVE, class_name, diverging_palette, map_key
from .playground import Playground
from .throttle import Throttle

PALETTE = diverging_palette()
OUTPUT_TITLE = "the network's output (click a neuron for its own map)"


def point_colors(values, low, high):
    """Each data point in the map's colour for its target, fully saturated so it stands out."""
    middle = (low + high) / 2.0
    return [POSITIVE if value >= middle else NEGATIVE for value in values]


def output_key(dataset, low, high, to_original):
    """The key's HTML for the network's own output on ``dataset`` (an nn_core Dataset).

    low, high : the map's colour range in the network's units; to_original : a function from a
    value in those units to the target's units (for a number to predict).
    """
    if dataset.task == "multiclass":
        names = [class_name(name, i) for i, name in enumerate(dataset.target_names)]
        return map_key("classes", names=names, what="most likely class:")
    target = dataset.target_names[0]
    if dataset.task == "binary":
        return map_key("binary", class_name(target, 0), class_name(target, 1), what="the network's answer:")
    return map_key("values", f"{to_original(low):.3g}", f"{to_original(high):.3g}", what=f"predicted {target}:")


class DecisionMap(pn.viewable.Viewer):
    """The map, its colour key and the "show test data" checkbox; shown only for data with two inputs."""

    playground = param.ClassSelector(class_=Playground, doc="The store whose network and data are mapped.")
    show_test = param.Boolean(True, doc="Draw the test points too.")
    title = param.String(OUTPUT_TITLE, doc="The map's title while it shows the network's output.")

    def __init__(self, **params):
        super().__init__(**params)
        self.throttle = Throttle()
        self.image = ColumnDataSource(data={"image": [], "x": [], "y": [], "dw": [], "dh": []}, name="decision-map")
        self.train_points = ColumnDataSource(data={"x": [], "y": [], "color": []}, name="train-points")
        self.test_points = ColumnDataSource(data={"x": [], "y": [], "color": []}, name="test-points")
        self._colors = {"palette": PALETTE, "low": 0.0, "high": 1.0}  # what the mapper has
        self.mapper = LinearColorMapper(**self._colors)
        self.figure = self._make_figure()
        self.key = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["map-key"],
                                styles={"font-size": "12px", "color": "#555555"})
        toggle = pn.widgets.Checkbox.from_param(self.param.show_test, name="show test data",
                                                css_classes=["test-toggle"])
        self._view = pn.Column(pn.pane.Bokeh(self.figure, sizing_mode="stretch_width"), self.key, toggle,
                               sizing_mode="stretch_width")
        self.rebuild()

    def __panel__(self):
        return self._view

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

    @param.depends("playground.structure", watch=True)
    def rebuild(self):
        experiment = self.playground.experiment
        self._view.visible = len(experiment.dataset.feature_names) == 2  # a plane to draw on
        self._drawn_for = experiment if self._view.visible else None
        if not self._view.visible:
            return
        self.throttle.force()
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
        self._targets = self.output_colors["low"], self.output_colors["high"]
        self._to_original = lambda value: float(experiment.target_scaler.inverse_transform([[value]])[0, 0])
        self._output_key = output_key(dataset, self.output_colors["low"], self.output_colors["high"],
                                      self._to_original)
        self.mapper.update(**self.output_colors)
        self._colors = self.output_colors
        self.draw_points()
        self._show_test()
        self.update()

    @param.depends("playground.data_edits", watch=True)
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

    def _cover(self, output):
        """Stretch a number's colour range over the targets and what the network now predicts.

        An untrained network may guess 63 everywhere for scores of 86 to 92: on the targets'
        range alone its map would be one flat colour. The range changes only when it moves by
        more than 2 % of its span, so the key does not flicker while training.
        """
        low, high = self._targets
        finite = output[np.isfinite(output)]
        if finite.size:
            low, high = min(low, float(finite.min())), max(high, float(finite.max()))
        current, span = self.output_colors, high - low
        if abs(low - current["low"]) <= 0.02 * span and abs(high - current["high"]) <= 0.02 * span:
            return
        self.output_colors = {"palette": PALETTE, "low": low, "high": high}
        self._output_key = output_key(self.playground.experiment.dataset, low, high, self._to_original)
        self.draw_points()

    @param.depends("show_test", watch=True)
    def _show_test(self):
        self.test_renderer.visible = self.show_test

    @param.depends("playground.tick", "playground.focused_neuron", watch=True)
    def update(self):
        # A new experiment resets the chosen neuron before the map is rebuilt for it: wait for that.
        if self._drawn_for is not self.playground.experiment or not self.throttle.due(self.playground.is_running):
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
            key = map_key("values", "−1", "+1", what=f"{title}, its output:")
        else:
            outputs = maps.layers[-1]  # (resolution, resolution, n_outputs)
            # With several classes each pixel shows its most likely class.
            multiclass = experiment.dataset.task == "multiclass"
            output = outputs.argmax(axis=2).astype(float) if multiclass else outputs[:, :, 0]
            if experiment.dataset.task == "regression":
                self._cover(output)
            title, colors, key = self.title, self.output_colors, self._output_key
        if colors != self._colors:  # a palette is checked colour by colour each time it is set
            self.mapper.update(**colors)
            self._colors = colors
        self.figure.title.text = title
        if self.key.object != key:
            self.key.object = key
        self.image.data = {"image": [np.ascontiguousarray(output)], "x": [x0], "y": [y0], "dw": [x1 - x0],
                           "dh": [y1 - y0]}
