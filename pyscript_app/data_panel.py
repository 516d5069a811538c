"""The "Your data" panel: paste or upload a CSV, choose its columns and its task, train on it;
see how each column is scaled for the network, and download the current data as CSV.

Reading and checking the text is nn_core's (``csv_columns``, ``parse_csv``); the panel asks,
shows the answer or the error (escaped: it quotes the learner's cells), and hands a good
dataset to the Playground.
"""
import html
import io
import json
import re

import panel as pn
import param
from panel.viewable import Viewer

from nn_core import csv_columns, make_dataset, parse_csv, to_csv
from nn_core.csv_data import MAX_CSV_BYTES, check_text, size_text

from .panels import _number
from .playground import Playground
from .runtime import later
from .words import label

# What the task picker offers; for "classification" parse_csv lets the labels choose binary or multiclass.
TASKS_OFFERED = ("regression", "classification")
# How a scaler method reads in the table.
SCALING_NAMES = {
    "max": "÷ largest |value|", "minmax": "onto 0 … 1", "standard": "to mean 0, std 1",
    "fixed": "÷ a fixed number", "none": "not scaled",
}
# The first text a learner sees: the tutorial's data, as a CSV.
EXAMPLE = to_csv(make_dataset("exam"))
INTRO = ("<b>Your data</b>: paste a CSV with a header row, or upload a file; tick the input and target "
         "columns, then press <b>Use this data</b>. Several targets give several outputs.")


def default_columns(names, holds_numbers):
    """(inputs, targets) to offer first: the last column that holds numbers is the target, the
    others that hold numbers are the inputs. With fewer than two such columns, every column
    is offered, so that reading the data says what is wrong."""
    numeric = [name for name, number in zip(names, holds_numbers) if number]
    if len(numeric) < 2:
        numeric = list(names)
    return numeric[:-1], numeric[-1:]


def summary(dataset):
    """One plain line about a parsed dataset: rows, inputs, outputs and task."""
    inputs, outputs = dataset.feature_names, dataset.target_names
    kind = {"regression": "regression", "binary": "classification, 2 classes",
            "multiclass": f"classification, {len(outputs)} classes"}[dataset.task]
    n_outputs = 1 if dataset.task == "binary" else len(outputs)
    return (f"{len(dataset.X):,} rows: {len(inputs)} input{'s' * (len(inputs) != 1)} ({', '.join(inputs)}) → "
            f"{n_outputs} output{'s' * (n_outputs != 1)} ({', '.join(outputs)}); {kind}.")


def _scaling_text(row):
    if row["method"] == "none":
        return SCALING_NAMES["none"]
    return f"{SCALING_NAMES[row['method']]}: {html.escape(row['formula'])}"


def scaling_table(rows):
    """HTML table of Experiment.scaling() rows; names come from the data, so they are escaped."""
    head = ("<tr><th>column</th><th>role</th><th>scaling</th><th>training data: min … max</th>"
            "<th>mean ± std</th><th>network sees</th></tr>")
    body = "".join(
        f"<tr><td>{html.escape(row['name'])}</td><td>{row['role']}</td>"
        f"<td>{_scaling_text(row)}</td>"
        f"<td>{_number(row['min'])} … {_number(row['max'])}</td><td>{_number(row['mean'])} ± {_number(row['std'])}</td>"
        f"<td>{_number(row['scaled_min'])} … {_number(row['scaled_max'])}</td></tr>"
        for row in rows
    )
    return f"<table>{head}{body}</table>"


def chosen_settings(settings):
    """One line: the settings "Use this data" chose for a real table, and why."""
    sizes = settings.hidden_sizes
    neurons = (" and ".join(str(size) for size in sizes) + f" {label('activation', settings.activation)} neuron"
               + "s" * (sum(sizes) != 1) + " with biases" * settings.use_bias)
    penalty = ""
    if settings.regularization != "none" and settings.regularization_rate:
        penalty = (f", a small {settings.regularization.upper()} penalty on large weights "
                   f"({settings.regularization_rate:g})")
    return (f"Settings chosen for a real table: every column scaled to mean 0 and spread 1, {neurons}, "
            f"{label('optimizer', settings.optimizer)} at learning rate {settings.learning_rate:g} in batches of "
            f"{settings.batch_size}{penalty}, and {settings.test_ratio:.0%} of the rows kept back to test. "
            f"The tutorial's settings suit its 3 rows; on a real table they guess or blow up.")


# The summary follows the text box this long after the learner stops typing (seconds).
TYPING_PAUSE = 0.3


def _error(text):
    return f"<div class='csv-error error'>{html.escape(str(text))}</div>"


class OwnDataPanel(Viewer):
    """Paste, upload, choose, use: the learner's own data; its scaling; the current data as CSV."""

    playground = param.ClassSelector(class_=Playground, doc="The store that trains on the learner's data.")

    def __init__(self, **params):
        super().__init__(**params)
        # max_length: the browser cuts what goes over it, so it is the size limit itself (a
        # character is one byte or more); site/own_data.js refuses a larger paste whole.
        self.text = pn.widgets.TextAreaInput(value=EXAMPLE, height=170, sizing_mode="stretch_width",
                                             max_length=MAX_CSV_BYTES,
                                             css_classes=["csv-text"], placeholder="x1,x2,y\n0.5,2,1\n...")
        # Where site/own_data.js hands over a file it read (or refused) and a paste it refused.
        self.received = pn.widgets.TextInput(visible=False, css_classes=["csv-received"])
        self.source = "the tutorial's data"  # what the text box holds, for messages
        self._next_source = None  # the name of the text about to go into the box
        self.in_use = "the tutorial's data"  # what the network trains on, for messages
        self.upload = pn.widgets.FileInput(accept=".csv,.txt", width=240, css_classes=["csv-upload"])
        self.copy_button = pn.widgets.Button(name="Copy the current data", width=160, css_classes=["csv-copy"])
        self.inputs = pn.widgets.CheckBoxGroup(inline=True, css_classes=["csv-inputs"])
        self.targets = pn.widgets.CheckBoxGroup(inline=True, css_classes=["csv-targets"])
        self.task = pn.widgets.RadioButtonGroup(options=list(TASKS_OFFERED), value="regression",
                                                css_classes=["csv-task"])
        self.use_button = pn.widgets.Button(name="Use this data", button_type="primary", css_classes=["csv-use"])
        self.keep_button = pn.widgets.Button(name="Keep my previous settings", visible=False, css_classes=["csv-keep"])
        self.report = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["csv-report"])
        self.scaling = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["data-scaling", "data-table"])
        self.download = pn.widgets.FileDownload(callback=self.current_csv, filename="data.csv", embed=False,
                                                label="Download CSV", css_classes=["csv-download"])
        self._quiet = False  # while the panel itself sets the pickers, their watchers wait
        self._typing = None  # the pending read of what is being typed
        self.text.param.watch(lambda *events: self.read_columns(), ["value"])
        self.text.param.watch(lambda *events: self._on_typing(), ["value_input"])
        self.upload.param.watch(lambda *events: self.read_upload(), ["value"])
        self.received.param.watch(lambda event: self.receive(event.new), ["value"])
        self.copy_button.on_click(lambda event: self.copy_playground_data())
        self.inputs.param.watch(lambda event: self._on_pick(event, self.targets), ["value"])
        self.targets.param.watch(lambda event: self._on_pick(event, self.inputs), ["value"])
        self.task.param.watch(lambda *events: self._on_task(), ["value"])
        self.use_button.on_click(lambda event: self.use())
        self.keep_button.on_click(lambda event: self.keep_previous())
        self._next_source = self.source
        self.read_columns()
        self.show_scaling()

    # ----- reading ------------------------------------------------------------------------
    def _on_typing(self):
        """The learner types or pastes: read the text once they pause (``TYPING_PAUSE``)."""
        if self._typing is not None:
            self._typing.cancel()
        self._typing = later(TYPING_PAUSE, self._read_typed)

    def _read_typed(self):
        self._typing = None
        if self.text.value_input is not None and self.text.value_input != self.text.value:
            self.text.value = self.text.value_input  # its watcher reads the columns

    def read_columns(self):
        """New text: offer its columns (numbers only by default), then infer the task."""
        self.source, self._next_source = self._next_source or "the text in the box", None
        try:
            check_text(self.text.value or "")
            names, holds_numbers = csv_columns(self.text.value or "")
        except ValueError as error:
            self._set_columns([], [], [])
            self.report.object = _error(error)
            return
        inputs, targets = default_columns(names, holds_numbers)
        self._set_columns(list(names), inputs, targets)
        self.infer_task()

    def _set_columns(self, names, inputs, targets):
        self._quiet = True
        try:
            self.inputs.param.update(options=names, value=inputs)
            self.targets.param.update(options=names, value=targets)
        finally:
            self._quiet = False

    def _on_pick(self, event, other):
        """A column ticked on one side leaves the other; then the task is inferred again."""
        if self._quiet:
            return
        taken = [name for name in other.value if name not in event.new]
        if taken != other.value:
            self._quiet = True
            try:
                other.value = taken
            finally:
                self._quiet = False
        self.infer_task()

    def chosen(self, picker):
        """The ticked columns of a picker, in the file's order."""
        return [name for name in picker.options if name in picker.value]

    def parse(self, task=None):
        """The dataset the text and the choices make, or None with the error shown."""
        try:
            return parse_csv(self.text.value or "", self.chosen(self.inputs), self.chosen(self.targets), task=task)
        except ValueError as error:
            self.report.object = _error(error)
            return None

    def infer_task(self):
        """Set the task picker to what the data looks like, and say what it is."""
        dataset = self.parse()
        if dataset is None:
            return
        self._quiet = True
        try:
            self.task.value = "regression" if dataset.task == "regression" else "classification"
        finally:
            self._quiet = False
        self.report.object = html.escape(summary(dataset))

    def _on_task(self):
        if not self._quiet:
            self.check()

    def check(self):
        """Read the data with the chosen task; show what it makes, or the error."""
        dataset = self.parse(self.task.value)
        if dataset is not None:
            self.report.object = html.escape(summary(dataset))
        return dataset

    def read_upload(self):
        """A file from the upload widget itself (under ``panel serve``; the site's page reads files
        in site/own_data.js and hands them to ``receive``)."""
        if not self.upload.value or not self.upload.filename:
            return
        data = self.upload.value
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("utf-8", "replace")  # take_file says it is not UTF-8
        self.take_file(self.upload.filename, len(data), text)

    def receive(self, message):
        """A file the page read or refused, or a paste it refused (JSON from site/own_data.js)."""
        if not message:
            return
        about = json.loads(message)
        name, size, limit = about["name"], about["size"], about["limit"]
        if about["kind"] == "paste":
            self._refuse(f"{name} is {size_text(size)}; the limit is {size_text(limit)}, so none of it was pasted.")
        elif "error" in about:
            self._refuse(f"{name} ({size_text(size)}) could not be read: {about['error']}. Files up to "
                         f"{size_text(limit)} can be read.")
        elif "text" not in about:
            self._refuse(f"{name} is {size_text(size)}; the limit is {size_text(limit)}, so it was not read.")
        else:
            self.take_file(name, size, about["text"].removeprefix("\ufeff"))

    def take_file(self, name, size, text):
        """A file's text goes into the text box, where it can be read and edited; or, if it is
        too big or not UTF-8, it is refused with a message that names it."""
        try:
            check_text(text, name)
        except ValueError as error:
            self._refuse(f"{error} It was not read.")
            return
        self._next_source = name
        if text == self.text.value:
            self.read_columns()  # the same text again: no change for the watcher to see
        self.text.value = text  # its watcher reads the columns
        if not self.report.object.startswith("<div"):
            self.report.object = html.escape(f"{name}: ") + self.report.object

    def _refuse(self, text):
        """Say what was refused, and that nothing changed: what trains and what the box holds."""
        kept = f"Still training on {self.in_use}"
        kept += "." if self.source == self.in_use else f"; the box still holds {self.source}."
        self.report.object = _error(f"{text} {kept}")

    def copy_playground_data(self):
        self._next_source = "the current data"
        self.text.value = to_csv(self.playground.experiment.dataset)

    # ----- using --------------------------------------------------------------------------
    def use(self):
        """Train on the data as chosen; on any problem, say it here and keep the current data."""
        dataset = self.check()
        if dataset is None:
            return False
        if not self.playground.use_data(dataset):
            self.report.object = _error(self.playground.message)
            return False
        self.in_use = self.source
        chosen = html.escape(chosen_settings(self.playground.settings))
        self.report.object = html.escape(f"Training on {self.source}: " + summary(dataset)) + (
            f"<div class='csv-chosen'>{chosen}</div>")
        return True

    @param.depends("playground.previous_settings", watch=True)
    def _offer_previous(self):
        self.keep_button.visible = bool(self.playground.previous_settings)

    def keep_previous(self):
        """Train the data in use with the settings from before "Use this data" chose its own."""
        if not self.playground.keep_previous_settings():
            self.report.object = _error(self.playground.message)
            return False
        self.report.object = html.escape(f"Training on {self.in_use} with your previous settings "
                                         "(the columns stay scaled to mean 0 and spread 1).")
        return True

    @param.depends("playground.structure", "playground.data_edits", watch=True)
    def show_scaling(self):
        experiment = self.playground.experiment
        self.scaling.object = scaling_table(experiment.scaling())
        name = re.sub(r"[^A-Za-z0-9]+", "-", experiment.dataset.name).strip("-")
        self.download.filename = f"playground-{name}.csv"

    def current_csv(self):
        """The current data, training rows then test rows, with a column saying which."""
        return io.StringIO(self.playground.experiment.to_csv())

    def __panel__(self):
        pickers = pn.Column(
            pn.pane.HTML("Inputs", margin=(0, 5)), self.inputs,
            pn.pane.HTML("Targets", margin=(0, 5)), self.targets,
            pn.Row(pn.pane.HTML("Task", margin=(8, 5)), self.task),
            pn.Row(self.use_button, self.download),
            self.report,
            self.keep_button,
            sizing_mode="stretch_width",
        )
        source = pn.Column(pn.pane.HTML(INTRO, sizing_mode="stretch_width"), pn.Row(self.upload, self.copy_button),
                           self.text, self.received, sizing_mode="stretch_width")
        scaling = pn.Column(pn.pane.HTML("<b>How the network sees the data</b> (scalers fitted on the training "
                                         "rows)", sizing_mode="stretch_width"), self.scaling,
                            sizing_mode="stretch_width")
        return pn.Row(source, pickers, scaling, sizing_mode="stretch_width", css_classes=["own-data"])
