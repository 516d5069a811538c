"""The maths of one step: the numbers backprop works with, beside the NumPy lines that compute them.

For the chosen training sample the view lists every neuron's weighted sum, activation and
delta, and every synapse's share of the gradient; for the whole batch, each weight's gradient,
the update the optimiser applies and the weight that results. Selecting a row selects the same
neuron or synapse in the network graph, and a click in the graph selects the row. A second
panel checks every gradient against finite differences on one click.
All numbers come from ``nn_core.stepmath`` and ``nn_core.gradcheck``; this module only lays them out.
"""
import html
import re

import numpy as np
import panel as pn
import param
from panel.viewable import Viewer
from bokeh.models import ColumnDataSource, DataTable, TableColumn

from nn_core.gradcheck import gradient_check
from nn_core.stepmath import explain_step, numpy_lines
from nn_core.worked_example import worked_example

from .formulas import locate, locate_synapse, neuron_formulas, number, synapse_formulas
from .playground import Playground
from .throttle import TABLE_INTERVAL, Throttle

# Matrices up to this many numbers are written out in the NumPy table; bigger ones by shape.
SHOWN_VALUES = 12
# A relative error below this says backprop and finite differences agree.
AGREEMENT = 1e-5


def numbers(values):
    """A small array as text ("[0.25, -1.3]"), or its shape when it is too big to read."""
    values = np.asarray(values)
    if values.size > SHOWN_VALUES:
        return f"{values.shape} array, |max| {number(np.abs(values).max())}"
    if values.ndim <= 1:
        return "[" + ", ".join(number(v) for v in values.ravel()) + "]"
    return "[" + ", ".join(numbers(row) for row in values) + "]"


def worked_example_html(rows):
    """The tutorial's worked example as a table: each number it printed beside the engine's, and why."""
    left = "style='text-align: left'"
    cells = []
    for row in rows:
        mark = "" if row.is_right else " style='color: #b03a00; font-weight: 600'"
        cells.append(f"<tr><td {left}>{html.escape(row.quantity)}</td><td{mark}>{html.escape(row.printed)}</td>"
                     f"<td>{html.escape(row.true_text)}</td><td {left}>{html.escape(row.note)}</td></tr>")
    return ("<b>The tutorial's worked example, checked</b>: 2 hours studied and 9 slept, through its weights "
            "(.2 .6 .1 / .8 .3 .7, then .4 .5 .9), with the numbers the tutorial printed beside the ones this "
            "engine works out.<div style='overflow-x: auto'><table><tr><th " + left + ">number</th>"
            "<th>the tutorial printed</th><th>worked out here</th><th " + left + ">why</th></tr>"
            + "".join(cells) + "</table></div>")


def neuron_names(layer_sizes, input_names):
    """Row names in the graph's neuron order: inputs by name, then "hidden 1 · 2", "output · 1"."""
    names = list(input_names)
    for layer, size in enumerate(layer_sizes[1:], start=1):
        title = "output" if layer == len(layer_sizes) - 1 else f"hidden {layer}"
        names += [f"{title} · {j + 1}" for j in range(size)]
    return names


def neuron_rows(explanation, sample, names):
    """Columns of the neuron table: every neuron's numbers for one sample."""
    inputs = explanation.activations[0][sample]
    rows = {"neuron": names, "z": [""] * len(inputs), "a": [number(v) for v in inputs],
            "delta": [""] * len(inputs), "bias": [""] * len(inputs), "gradient": [""] * len(inputs),
            "update": [""] * len(inputs)}
    for k, (z, a, delta) in enumerate(zip(explanation.sums, explanation.activations[1:], explanation.deltas)):
        rows["z"] += [number(v) for v in z[sample]]
        rows["a"] += [number(v) for v in a[sample]]
        rows["delta"] += [number(v) for v in delta[sample]]
        if explanation.bias_gradients:
            rows["bias"] += [number(v) for v in explanation.biases[k]]
            rows["gradient"] += [number(v) for v in explanation.bias_gradients[k]]
            rows["update"] += [number(v) for v in explanation.bias_updates[k]]
        else:
            rows["bias"] += ["no bias"] * z.shape[1]
            rows["gradient"] += [""] * z.shape[1]
            rows["update"] += [""] * z.shape[1]
    return rows


def synapse_rows(explanation, sample, names, layer_sizes):
    """Columns of the synapse table, in the graph's edge order (layer, then from, then to)."""
    rows = {key: [] for key in ("synapse", "weight", "input", "delta", "share", "gradient", "update", "new")}
    start = 0
    for k, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:])):
        a_in = explanation.activations[k][sample]
        delta = explanation.deltas[k][sample]
        new, update = explanation.new_weights[k], explanation.weight_updates[k]
        for i in range(n_in):
            for j in range(n_out):
                rows["synapse"].append(f"W{k + 1}[{i}, {j}]: {names[start + i]} → {names[start + n_in + j]}")
                rows["weight"].append(number(explanation.weights[k][i, j]))
                rows["input"].append(number(a_in[i]))
                rows["delta"].append(number(delta[j]))
                rows["share"].append(number(a_in[i] * delta[j]))
                rows["gradient"].append(number(explanation.weight_gradients[k][i, j]))
                rows["update"].append(number(update[i, j]))
                rows["new"].append(number(new[i, j]))
        start += n_in
    return rows


def line_values(explanation, quantity, sample):
    """This sample's values of a quantity of the NumPy table ("z2", "delta1", "grad_W1", "W1")."""
    arrays = {"error": explanation.output_error}
    for k in range(len(explanation.sums)):
        arrays[f"z{k + 1}"] = explanation.sums[k]
        arrays[f"a{k + 1}"] = explanation.activations[k + 1]
        arrays[f"delta{k + 1}"] = explanation.deltas[k]
    if quantity in arrays:
        return numbers(arrays[quantity][sample])
    kind, layer = re.fullmatch(r"(grad_W|grad_b|W|b)(\d+)", quantity).groups()
    batch = {"grad_W": explanation.weight_gradients, "grad_b": explanation.bias_gradients,
             "W": explanation.new_weights, "b": explanation.new_biases}[kind]
    return numbers(batch[int(layer) - 1])


def _title(text):
    # HTML, not Markdown: the page ships no Markdown renderer.
    return pn.pane.HTML(f"<b>{html.escape(text)}</b>", margin=(8, 5, 0, 5))


def _titled(text, table):
    return pn.Column(_title(text), pn.pane.Bokeh(table, sizing_mode="stretch_width"), sizing_mode="stretch_width")


def _table(source, columns, name, height):
    return DataTable(source=source, name=name, height=height, sizing_mode="stretch_width", index_position=None,
                     sortable=False, reorderable=False, selectable=True,
                     columns=[TableColumn(field=field, title=title, width=width) for field, title, width in columns])


class MathsView(Viewer):
    """The numbers of the next step for the chosen sample, synced with the graph's selection."""

    playground = param.ClassSelector(class_=Playground, doc="The store whose step is written out.")
    graph = param.Parameter(doc="The NetworkGraph whose neuron and synapse selection this view follows.")
    active = param.Boolean(False, doc="Shown on the page: only then is the step worked out on each tick.")

    def __init__(self, **params):
        super().__init__(**params)
        self.heading = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["maths-heading"])
        self.formula = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["maths-formula"])
        # Shown on the tutorial's data only: the same numbers whatever the network has learned.
        self.tutorial = pn.pane.HTML(worked_example_html(worked_example()), visible=False,
                                     sizing_mode="stretch_width", css_classes=["maths-tutorial"])
        self.throttle = Throttle(TABLE_INTERVAL)
        self._focus = None  # ("neuron" or "synapse", index in the graph) whose formulas are shown
        self._step = None  # (explanation, sample, config) of the step the tables show
        self.neurons = ColumnDataSource(data={}, name="maths-neurons")
        self.synapses = ColumnDataSource(data={}, name="maths-synapses")
        self.lines = ColumnDataSource(data={}, name="maths-lines")
        self.neuron_table = _table(self.neurons, [
            ("neuron", "neuron", 110), ("z", "z = Σ a·w + b", 90), ("a", "a = f(z)", 80),
            ("delta", "δ = ∂J/∂z", 90), ("bias", "bias", 70), ("gradient", "∂J/∂b", 80), ("update", "update", 80),
        ], "maths-neuron-table", 220)
        self.synapse_table = _table(self.synapses, [
            ("synapse", "synapse", 190), ("weight", "weight w", 75), ("input", "a in", 70), ("delta", "δ out", 70),
            ("share", "a·δ (this sample)", 95), ("gradient", "∂J/∂w (all)", 85), ("update", "update", 80),
            ("new", "new w", 75),
        ], "maths-synapse-table", 260)
        self.line_table = _table(self.lines, [
            ("stage", "stage", 70), ("code", "NumPy", 330), ("shapes", "shapes", 200), ("values", "this sample", 260),
        ], "maths-line-table", 300)
        graph = self.graph
        self._link(graph.neurons, self.neurons)
        self._link(graph.edges, self.synapses)
        graph.neurons.selected.on_change("indices", self._follow("neuron"))
        graph.edges.selected.on_change("indices", self._follow("synapse"))
        self.update()

    @staticmethod
    def _link(graph_source, table_source):
        """Selecting in either source selects the same row in the other."""
        def follow(target):
            def on_change(attr, old, new):
                if list(target.selected.indices) != list(new):
                    target.selected.indices = list(new)
            return on_change
        graph_source.selected.on_change("indices", follow(table_source))
        table_source.selected.on_change("indices", follow(graph_source))

    def _follow(self, kind):
        def on_change(attr, old, new):
            if new:
                self._focus = (kind, new[0])
                if self.active:  # a hidden view's step may be of another network; it is redone when shown
                    self.show_formulas()
        return on_change

    def show_formulas(self):
        """Write out the focused neuron's or synapse's formulas (by default the first output's),
        from the step the tables show and titled as its row there."""
        if self._step is None:
            return
        explanation, sample, config = self._step
        sizes = config.layer_sizes
        output = ("neuron", sum(sizes[:-1]))
        kind, index = self._focus or output
        if index >= len(self.neurons.data["neuron"] if kind == "neuron" else self.synapses.data["synapse"]):
            kind, index = output  # a selection left over from a bigger network
        if kind == "neuron":
            title = self.neurons.data["neuron"][index]
            lines = neuron_formulas(explanation, *locate(index, sizes), sample, config)
        else:
            title = self.synapses.data["synapse"][index]
            lines = synapse_formulas(explanation, *locate_synapse(index, sizes), sample, config)
        self.formula.object = (f"<b>{html.escape(title)}</b>, sample {sample + 1}: "
                               "<span class='maths-hint'>select a neuron or synapse to see its formulas</span>"
                               + "".join(lines))

    @param.depends("playground.tick", "playground.structure", "playground.sample_index", "active", watch=True)
    def update(self):
        playground = self.playground
        # While playing, a table a second is plenty; a pause always brings the last step.
        if not self.active or not self.throttle.due(playground.is_running):
            return
        experiment = playground.experiment
        network = experiment.network
        self.tutorial.visible = experiment.dataset.name.startswith("exam")
        try:
            explanation = explain_step(network)
        except ValueError as error:
            self.heading.object = f"<div class='error'>{html.escape(str(error))}</div>"
            return
        sample = min(playground.sample_index, len(network.X_train) - 1)
        sizes = network.config.layer_sizes
        names = neuron_names(sizes, experiment.input_names)
        self.heading.object = self._heading(explanation, sample)
        self.neurons.data = neuron_rows(explanation, sample, names)
        self.synapses.data = synapse_rows(explanation, sample, names, sizes)
        self._step = (explanation, sample, network.config)
        self.show_formulas()
        lines = numpy_lines(network)
        self.lines.data = {
            "stage": [line.stage for line in lines], "code": [line.code for line in lines],
            "shapes": [line.shapes for line in lines],
            "values": [line_values(explanation, line.quantity, sample) for line in lines],
        }
        # A new table must show the rows the graph has selected.
        self.neurons.selected.indices = list(self.graph.neurons.selected.indices)
        self.synapses.selected.indices = list(self.graph.edges.selected.indices)

    def _heading(self, explanation, sample):
        playground = self.playground
        network = playground.experiment.network
        config = network.config
        n_samples = len(explanation.X)
        batch = config.batch_size
        batch_note = ("" if batch == 0 or batch >= n_samples else
                      f" Training takes batches of {batch}; this is the same step over all {n_samples} samples.")
        reduction = "averaged over" if config.reduction == "mean" else "summed over"
        loss = network.loss_function
        return (
            f"<b>The next step (epoch {network.epoch + 1:,})</b> from the weights the graph shows, worked out but "
            f"not taken: <b>Step</b> applies exactly these numbers.{batch_note}<br>"
            f"Sample {sample + 1} of {n_samples} (scaled): input <code>{numbers(explanation.X[sample])}</code>, "
            f"target <code>{numbers(explanation.y[sample])}</code>, output "
            f"<code>{numbers(explanation.activations[-1][sample])}</code>.<br>"
            f"{html.escape(loss.cost_formula or 'Loss ' + loss.formula)}; "
            f"gradients {reduction} the samples; "
            f"update {html.escape(network.optimizer.formula)} with η = {config.learning_rate:g}. "
            "Click a row to find its neuron or synapse in the graph, or click the graph."
        )

    def __panel__(self):
        return pn.Column(
            self.heading,
            self.formula,
            pn.Row(_titled("Neurons, for this sample", self.neuron_table), _titled("Synapses", self.synapse_table),
                   sizing_mode="stretch_width"),
            _title("The step in NumPy, line by line"),
            pn.pane.Bokeh(self.line_table, sizing_mode="stretch_width"),
            self.tutorial,
            sizing_mode="stretch_width", css_classes=["maths-view"],
        )


class GradientCheckView(Viewer):
    """One click: backprop's gradient of every weight against a finite difference."""

    playground = param.ClassSelector(class_=Playground, doc="The store whose gradients are checked.")

    def __init__(self, **params):
        super().__init__(**params)
        self.button = pn.widgets.Button(name="Check every gradient", button_type="primary", width=200,
                                        css_classes=["gradient-check-button"])
        self.summary = pn.pane.HTML("Backprop's gradients, checked a second way: nudge each weight by ±h and see "
                                    "how the cost changes.", sizing_mode="stretch_width",
                                    css_classes=["gradient-check-summary"])
        self.rows = ColumnDataSource(data={}, name="gradient-check")
        self.table = _table(self.rows, [
            ("parameter", "parameter", 100), ("backprop", "backprop ∂J/∂w", 130),
            ("numeric", "(J(w+h) − J(w−h)) / 2h", 160), ("relative_error", "relative error", 110),
        ], "gradient-check-table", 280)
        self.button.on_click(lambda event: self.check())

    @param.depends("playground.structure", watch=True)
    def clear(self):
        self.rows.data = {}
        self.summary.object = "A new network: check its gradients again."

    def check(self):
        try:
            result = gradient_check(self.playground.experiment.network)
        except ValueError as error:
            self.summary.object = f"<div class='error'>{html.escape(str(error))}</div>"
            return
        self.rows.data = {
            "parameter": result.names,
            "backprop": [f"{v:.8g}" for v in result.backprop],
            "numeric": [f"{v:.8g}" for v in result.numeric],
            "relative_error": [f"{v:.1e}" for v in result.relative_error],
        }
        worst = int(np.argmax(result.relative_error))
        checked = (f"all {result.n_parameters}" if len(result.names) == result.n_parameters
                   else f"{len(result.names)} of {result.n_parameters} (a random sample)")
        verdict = ("backprop and finite differences agree" if result.relative_error[worst] < AGREEMENT else
                   "they disagree here: a kink (relu at 0, L1 at 0) or a bug")
        self.summary.object = (
            f"Checked {checked} parameters at epoch {self.playground.epoch:,} (h = 1e-6). Worst relative error "
            f"<b class='worst-error'>{result.relative_error[worst]:.1e}</b> at {html.escape(result.names[worst])}: "
            f"{verdict}."
        )

    def __panel__(self):
        return pn.Column(self.button, self.summary, pn.pane.Bokeh(self.table, sizing_mode="stretch_width"),
                         sizing_mode="stretch_width", css_classes=["gradient-check"])
