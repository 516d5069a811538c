"""The small panels around the network: prediction, data table and status line.

Every text that comes from data or from an error is escaped before it reaches HTML.
"""
import html

import numpy as np
import panel as pn
import param
from panel.viewable import Viewer
from bokeh.models import ColumnDataSource, FactorRange, LabelSet, NumeralTickFormatter, Range1d
from bokeh.plotting import figure
from bokeh.transform import dodge

from nn_core import permutation_importance, weight_path_importance
from nn_core.data import example_input

from .colors import NEGATIVE, POSITIVE, mix
from .digits_view import learns_digits
from .graph_layout import edge_position
from .graph_view import NetworkGraph
from .lessons import LESSONS
from .playground import EDITABLE_ROWS, Playground
from .throttle import Throttle

# Rows of a large dataset listed under the network (the page stays projector-sized).
TABLE_ROWS = 8
# While playing, the status line is rewritten at most this often (seconds).
STATUS_INTERVAL = 0.1
# How a quantity of the exam data reads; other columns read "name value".
UNITS = {"test score": "{} points", "hours studied": "{} h studied", "hours slept": "{} h slept"}


def _number(value):
    if value is None:
        return "–"
    return f"{value:.4g}" if 1e-3 <= abs(value) < 1e5 or value == 0 else f"{value:.3e}"


def _quantity(name, value):
    return UNITS.get(name, name + " {}").format(_number(value))


class PredictionPanel(Viewer):
    """Type inputs in original units; read the prediction, and the tutorial's beside it."""

    playground = param.ClassSelector(class_=Playground, doc="The store whose network predicts.")

    def __init__(self, **params):
        super().__init__(**params)
        self.throttle = Throttle()
        self.inputs = pn.Row(sizing_mode="stretch_width", margin=0)
        self.result = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["prediction"])
        self.rebuild()

    @param.depends("playground.structure", watch=True)
    def rebuild(self):
        self.throttle.force()
        dataset = self.playground.experiment.dataset
        widgets = []
        # 64 pixels are drawn, not typed: the Digits tab asks the network.
        inputs = [] if learns_digits(self.playground.experiment) else zip(dataset.feature_names,
                                                                            example_input(dataset))
        for index, (name, value) in enumerate(inputs):
            widget = pn.widgets.FloatInput(name=name, value=value, width=110, css_classes=[f"predict-{index}"])
            widget.param.watch(lambda *events: self.update(), ["value"])
            widgets.append(widget)
        self.inputs.objects = widgets
        self.update()

    @param.depends("playground.tick", watch=True)
    def update(self):
        if not self.throttle.due(self.playground.is_running):  # while playing, a few times a second is plenty
            return
        experiment = self.playground.experiment
        dataset = experiment.dataset
        values = [widget.value for widget in self.inputs.objects]
        if not values:
            self.result.object = "<i>Draw a digit on the pad under <b>Digits</b>, below the network.</i>"
            return
        if any(value is None for value in values):
            self.result.object = "<i>Type a number in every box.</i>"
            return
        try:
            prediction = experiment.predict([values])[0]
            # The tutorial's scaling slip is told on the tutorial's own data (and its edits), from raw inputs.
            with_tutorial = (dataset.name.startswith("exam") and dataset.task == "regression"
                             and experiment.features is None)
            tutorial = experiment.predict_tutorial_scaling([values])[0] if with_tutorial else None
        except ValueError as error:
            self.result.object = f"<span class='error'>{html.escape(str(error))}</span>"
            return
        asked = ", ".join(_quantity(name, value) for name, value in zip(dataset.feature_names, values))
        if dataset.task == "regression":
            answer = ", ".join(_quantity(name, value) for name, value in zip(dataset.target_names, prediction))
        else:  # class probabilities
            names = dataset.target_names if dataset.task == "multiclass" else [f"{dataset.target_names[0]} 1"]
            answer = ", ".join(f"P({name}) = {value:.3f}" for name, value in zip(names, prediction))
        lines = [f"<div class='predicted'>{html.escape(asked)} → <b>{html.escape(answer)}</b></div>"]
        if with_tutorial:
            scaled = experiment.input_scaler.transform([values])[0]
            own = np.asarray(values) / (np.max(np.abs(values)) or 1.0)
            tutorial_answer = ", ".join(_number(v) for v in tutorial)
            lines.append(
                f"<div class='tutorial'>The tutorial's code would say <b>{tutorial_answer}</b>: it scales the new "
                f"input by its own maximum ({', '.join(_number(v) for v in own)}) instead of by the training "
                f"data's ({', '.join(_number(v) for v in scaled)}), so the network is asked about someone else.</div>"
            )
        self.result.object = "".join(lines)

    def __panel__(self):
        return pn.Column(pn.pane.HTML("<b>Predict</b>", margin=(0, 5)), self.inputs, self.result,
                         sizing_mode="stretch_width")


class DataTable(Viewer):
    """The training data with the network's predictions beside the targets; small sets are editable."""

    playground = param.ClassSelector(class_=Playground, doc="The store whose data and predictions are listed.")

    def __init__(self, **params):
        super().__init__(**params)
        self.throttle = Throttle()
        self.title = pn.pane.HTML("<b>Data</b>", margin=(0, 5))
        self.editor = pn.Column(sizing_mode="stretch_width", margin=0)
        self.table = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["data-table"])
        self.rebuild()

    @param.depends("playground.structure", watch=True)
    def rebuild(self):
        self.throttle.force()
        dataset = self.playground.experiment.dataset
        rows = []
        if len(dataset.X) <= EDITABLE_ROWS:
            for i, (x, y) in enumerate(zip(dataset.X, dataset.y)):
                cells = [pn.widgets.FloatInput(value=float(v), width=70, margin=(2, 3),
                                               css_classes=[f"cell-{i}-{j}"]) for j, v in enumerate([*x, *y])]
                for cell in cells:
                    cell.param.watch(self._on_edit, ["value"])
                rows.append(pn.Row(*cells, margin=0))
        self.editor.objects = rows
        self.title.object = "<b>Data</b> (type in a cell to change it)" if rows else "<b>Data</b>"
        self.update()

    def _on_edit(self, event):
        if event.new is None:
            return
        n_features = self.playground.experiment.dataset.X.shape[1]
        values = np.array([[cell.value for cell in row.objects] for row in self.editor.objects], dtype=float)
        self.playground.edit_data(values[:, :n_features], values[:, n_features:])

    @param.depends("playground.tick", watch=True)
    def update(self):
        if not self.throttle.due(self.playground.is_running):
            return
        experiment = self.playground.experiment
        dataset = experiment.train_set
        shown = min(len(dataset.X), TABLE_ROWS)
        predictions = experiment.predict(dataset.X[:shown])
        head = [*dataset.feature_names, *dataset.target_names, *(f"predicted {n}" for n in dataset.target_names)]
        body = "".join(
            "<tr>" + "".join(f"<td>{_number(v)}</td>" for v in (*x, *y, *p)) + "</tr>"
            for x, y, p in zip(dataset.X[:shown], dataset.y[:shown], predictions)
        )
        more = f"<div>… and {len(dataset.X) - shown} more training rows</div>" if len(dataset.X) > shown else ""
        header = "".join(f"<th>{html.escape(name)}</th>" for name in head)
        self.table.object = f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>{more}"

    def __panel__(self):
        return pn.Column(self.title, self.editor, self.table, sizing_mode="stretch_width")


def network_summary(experiment):
    """The network in one sentence, for a screen reader: its layers, their sizes and activations."""
    network = experiment.network
    sizes, activations = network.config.layer_sizes, network.config.activations
    inputs = ", ".join(experiment.input_names[:8]) + (", …" if sizes[0] > 8 else "")
    hidden = [f"{size} {'neuron' if size == 1 else 'neurons'} ({activation})"
              for size, activation in zip(sizes[1:-1], activations[:-1])]
    layers = (f"{len(hidden)} hidden {'layer' if len(hidden) == 1 else 'layers'}: {'; '.join(hidden)}"
              if hidden else "no hidden layer")
    outputs = ", ".join(experiment.dataset.target_names[:10])
    return (f"The network: {sizes[0]} inputs ({inputs}), {layers}, and {sizes[-1]} "
            f"{'output' if sizes[-1] == 1 else 'outputs'} ({outputs}, {activations[-1]}).")


class NetworkSummary(Viewer):
    """The network's summary, read by screen readers and not shown (the graph shows it)."""

    playground = param.ClassSelector(class_=Playground)

    def __init__(self, **params):
        super().__init__(**params)
        self.pane = pn.pane.HTML("", css_classes=["network-summary", "screen-reader-only"], margin=0)
        self._write()

    @param.depends("playground.structure", watch=True)
    def _write(self):
        self.pane.object = html.escape(network_summary(self.playground.experiment))

    def __panel__(self):
        return self.pane


class StatusLine(Viewer):
    """Epoch, loss, accuracy or RMSE, and a plain-language message; always visible."""

    playground = param.ClassSelector(class_=Playground, doc="The store whose epoch, loss and message are shown.")

    def __init__(self, **params):
        super().__init__(**params)
        self.throttle = Throttle(STATUS_INTERVAL)  # while playing, ten times a second is plenty
        self.pane = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["status"])
        self.update()

    @param.depends("playground.tick", "playground.message", "playground.structure", watch=True)
    def update(self):
        playground = self.playground
        if not self.throttle.due(playground.is_running):
            return
        parts = [f"Epoch <b class='epoch'>{playground.epoch:,}</b>",
                 f"loss <b class='loss'>{_number(playground.loss)}</b>"]
        if playground.test_loss is not None:
            parts.append(f"test loss <b class='test-loss'>{_number(playground.test_loss)}</b>")
        parts.extend(self._metrics())
        if playground.is_running and playground.epochs_per_second:
            parts.append(f"{playground.epochs_per_second:,.0f} epochs/s")
        message = ""
        if playground.message:
            message = f"<div class='message'>{html.escape(playground.message)}</div>"
        self.pane.object = " · ".join(parts) + message

    def _metrics(self):
        experiment = self.playground.experiment
        scores = self.playground.scores()
        unit = UNITS.get(experiment.dataset.target_names[0], "{}").format("").strip()
        parts = []
        for part, values in scores.items():
            label = "" if part == "train" else "test "
            if values.get("accuracy") is not None:
                parts.append(f"{label}accuracy <b class='{part}-accuracy'>{values['accuracy']:.0%}</b>")
            if values.get("rmse") is not None:
                parts.append(f"{label}RMSE <b class='{part}-rmse'>{_number(values['rmse'])}</b> {unit}".rstrip())
            if values.get("r2") is not None:
                parts.append(f"{label}R² <b class='{part}-r2'>{_r2(values['r2'])}</b>")
        return parts

    def __panel__(self):
        return self.pane


def _r2(value):
    """R² in words a class reads: below 0 it only means the guesses are worse than the average."""
    return f"{value:.3f}" if value >= 0 else "below 0 (worse than guessing the average)"


class ConfusionMatrix(Viewer):
    """For classes: how many of each true class the network puts in each class, train and test."""

    playground = param.ClassSelector(class_=Playground, doc="The store whose classes are counted.")

    def __init__(self, **params):
        super().__init__(**params)
        self.throttle = Throttle()
        self.pane = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["confusion"])
        self.update()

    @param.depends("playground.tick", "playground.structure", watch=True)
    def update(self):
        if not self.throttle.due(self.playground.is_running):
            return
        dataset = self.playground.experiment.dataset
        scores = self.playground.scores()
        if dataset.task == "regression":
            self.pane.object = ""
            return
        names = (["0", "1"] if dataset.task == "binary"
                 else [name.split("=", 1)[-1] for name in dataset.target_names])
        tables = [confusion_table(part, values["confusion"], names)
                  for part, values in scores.items() if "confusion" in values]
        self.pane.object = "".join(tables)

    def __panel__(self):
        return self.pane


def confusion_table(part, counts, names):
    """One confusion matrix as an HTML table: rows are the true classes, columns the network's
    guesses, each cell shaded by its share of the row (blue: right, orange: wrong, white: none).

    counts : ndarray of shape (n_classes, n_classes)
    """
    counts = np.asarray(counts)
    totals = np.maximum(counts.sum(axis=1, keepdims=True), 1)
    head = "".join(f"<th>{html.escape(name)}</th>" for name in names)
    rows = []
    for i, row in enumerate(counts):
        cells = []
        for j, count in enumerate(row):
            share = count / totals[i, 0]
            # Any count shows (a single mistake among hundreds too); a whole row is the strongest shade.
            shade = mix(POSITIVE if i == j else NEGATIVE, 0.15 + 0.35 * share) if count else "#ffffff"
            cells.append(f"<td style='background:{shade}'>{count}</td>")
        rows.append(f"<tr><th>{html.escape(names[i])}</th>{''.join(cells)}</tr>")
    return (f"<div class='matrix'><i>{part}</i> <span class='how'>rows: the true class · columns: the guess</span>"
            f"<table><tr><th></th>{head}</tr>{''.join(rows)}</table></div>")


def importance_columns(input_names, by_weights, by_shuffle):
    """Bars of the importance chart: each input's share of both measures (shuffle rises below 0 count as 0)."""
    shuffle = np.zeros(len(input_names)) if by_shuffle is None else np.maximum(np.asarray(by_shuffle, float), 0.0)
    shuffle_share = shuffle / shuffle.sum() if shuffle.sum() > 0 else shuffle
    return {
        "input": list(input_names),
        "shuffle": list(shuffle_share),
        "weights": list(np.asarray(by_weights, float)),
        "shuffle_label": ["–" if by_shuffle is None else f"loss +{_number(v)}" for v in shuffle],
        "weights_label": [f"{v:.0%}" for v in by_weights],
    }


def importance_figure(source):
    """Horizontal bars per input: share of the loss rise when it is shuffled, share of weight paths."""
    fig = figure(y_range=FactorRange(), x_range=Range1d(0, 1.25), height=160, sizing_mode="stretch_width",
                 toolbar_location=None, tools="", title="Which input matters most?", name="importance-chart")
    for field, offset, color, legend in (("shuffle", 0.17, "#0877bd", "loss rise when shuffled (share)"),
                                         ("weights", -0.17, "#9aa7b1", "share of |weight| paths")):
        y = dodge("input", offset, range=fig.y_range)
        fig.hbar(y=y, right=field, height=0.3, source=source, color=color, legend_label=legend)
        fig.add_layout(LabelSet(x=field, y=y, text=f"{field}_label", source=source, x_offset=4,
                                text_font_size="11px", text_baseline="middle"))
    fig.xaxis.formatter = NumeralTickFormatter(format="0%")
    fig.legend.location = "bottom_right"
    fig.legend.label_text_font_size = "11px"
    fig.ygrid.visible = False
    return fig


class LessonPanel(Viewer):
    """The chosen lesson's text, and on request which input matters most."""

    playground = param.ClassSelector(class_=Playground, doc="The store whose lesson is shown.")

    def __init__(self, **params):
        super().__init__(**params)
        self.text = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["lesson"])
        self.importance = ColumnDataSource(data=importance_columns([], [], None), name="importance")
        self.figure = None  # made when first asked for: the page starts with one chart fewer
        self.chart = pn.Column(visible=False, sizing_mode="stretch_width", css_classes=["importance"])
        self.button = pn.widgets.Button(name="Which input matters most?", width=220, css_classes=["importance-button"])
        self.button.on_click(lambda event: self.show_importance())
        self.update()

    @param.depends("playground.settings.lesson", watch=True)
    def update(self):
        lesson = self.playground.settings.lesson
        if lesson:
            title, _, text = LESSONS[lesson]
            self.text.object = f"<h3 style='margin:4px 0'>{html.escape(title)}</h3><div>{text}</div>"
        else:
            self.text.object = ""

    def show_importance(self):
        """Bars for both measures of nn_core.insight, one row per input."""
        experiment = self.playground.experiment
        network = experiment.network
        by_shuffle = permutation_importance(network, network.X_train, network.y_train) if len(network.X_train) > 1 else None
        by_weights = weight_path_importance(network.weights)
        columns = importance_columns(list(experiment.input_names), by_weights, by_shuffle)
        if self.figure is None:
            self.figure = importance_figure(self.importance)
            self.chart.objects = [pn.pane.Bokeh(self.figure, sizing_mode="stretch_width")]
        self.figure.y_range.factors = columns["input"][::-1]  # the first input on top
        self.figure.height = 90 + 34 * len(columns["input"])
        self.importance.data = columns
        self.chart.visible = True

    @param.depends("playground.structure", watch=True)
    def _hide_importance(self):
        """The bars were about the network before: a new one hides them until asked again."""
        self.chart.visible = False

    def __panel__(self):
        return pn.Column(self.text, self.button, self.chart, sizing_mode="stretch_width")


class WeightEditor(Viewer):
    """Click a synapse, read its weight as training changes it, type a new one."""

    graph = param.ClassSelector(class_=NetworkGraph, doc="The graph whose chosen synapse is shown.")

    def __init__(self, **params):
        super().__init__(**params)
        self.input = pn.widgets.FloatInput(name="Click a synapse to read and type its weight", value=None,
                                           disabled=True, width=260, css_classes=["weight-input"])
        self.input.param.watch(self._on_type, ["value"])
        self._showing = False

    def _position(self):
        sizes = self.graph.playground.experiment.network.config.layer_sizes
        index = self.graph.selected_edge
        return None if index is None else edge_position(sizes, index)

    @param.depends("graph.selected_edge", "graph.playground.tick", watch=True)
    def update(self):
        position = self._position()
        if position is None:
            shown = {"name": "Click a synapse to read and type its weight", "value": None, "disabled": True}
        else:
            layer, row, column = position
            weight = float(self.graph.playground.experiment.network.weights[layer][row, column])
            shown = {"name": f"Weight, layer {layer + 1}: {row + 1} → {column + 1}", "value": round(weight, 6),
                     "disabled": False}
        if all(getattr(self.input, name) == value for name, value in shown.items()):
            return  # every tick asks; with nothing new, param's machinery is not worth its cost
        self._showing = True
        try:
            self.input.param.update(**shown)
        finally:
            self._showing = False

    def _on_type(self, event):
        position = self._position()
        if self._showing or position is None or event.new is None:
            return
        self.graph.playground.set_weight(*position, event.new)

    def __panel__(self):
        return self.input
