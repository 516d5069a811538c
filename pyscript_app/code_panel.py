"""Your Python: the learner writes an activation, a loss, an input feature or a data generator.

Code runs only when the learner presses "Check and use": nn_core.custom checks it, and the
Playground then trains with it. A loaded file is only shown in the editor. Links never
carry code (see state.apply_query). Every text from the code or its errors is escaped.
"""
import html

import panel as pn
import param
from panel.viewable import Viewer

from nn_core.code_runner import MAX_SOURCE_CHARACTERS
from nn_core.custom import CUSTOM, FUNCTIONS, KINDS, check_code, kind_of
from nn_core.custom_templates import TEMPLATES

from .playground import Playground

LABELS = {"activation": "Activation for hidden layers", "loss": "Loss", "feature": "Input feature",
          "dataset": "Data generator"}
# What the network does with each kind once it is checked.
USED_AS = {
    "activation": "The hidden layers now use it: “custom” in Activation.",
    "loss": "Training now minimises it: “custom” in Loss.",
    "feature": "It is now an input neuron: “custom” in Input features.",
    "dataset": "The network now learns this data: “custom” in Data.",
}
INTRO = (
    "<b>Your Python</b> <span style='color:#555'>Write an activation (with its derivative), a loss, an input "
    "feature or a data generator. It runs here in your browser, only when you press <i>Check and use</i>; "
    "links never carry it. <code>np</code> and <code>math</code> are ready to use.</span>"
)
EDITOR_CSS = "textarea.bk-input { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }"


class CodePanel(Viewer):
    """An editor per kind of code, a file to load into it, and the result of the last check."""

    playground = param.ClassSelector(class_=Playground, doc="The store that takes the learner's code.")

    def __init__(self, **params):
        super().__init__(**params)
        self.drafts = dict(TEMPLATES)  # what the learner wrote for each kind, kept across switches
        self.kind = pn.widgets.Select(name="Kind of code", options={LABELS[kind]: kind for kind in KINDS},
                                      value="activation", width=220, css_classes=["code-kind"])
        self.editor = pn.widgets.TextAreaInput(value=TEMPLATES["activation"], height=320, sizing_mode="stretch_width",
                                               css_classes=["code-editor"], stylesheets=[EDITOR_CSS])
        self.run_button = pn.widgets.Button(name="Check and use", button_type="primary", width=140,
                                            css_classes=["code-run"])
        self.example_button = pn.widgets.Button(name="Back to the example", width=170, css_classes=["code-example"])
        self.file = pn.widgets.FileInput(accept=".py,.txt", multiple=False, css_classes=["code-file"])
        self.result = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["code-result"])
        self.kind.param.watch(self._on_kind, ["value"])
        self.run_button.on_click(lambda event: self.check_and_use())
        self.example_button.on_click(lambda event: self._show(TEMPLATES[self.kind.value]))
        self.file.param.watch(self._on_file, ["value"])

    def source(self):
        """The editor's text as the learner last typed it (value_input follows every key)."""
        return self.editor.value_input or self.editor.value

    def _show(self, text):
        self.editor.param.update(value=text, value_input=text)

    def _on_kind(self, event):
        self.drafts[event.old] = self.source()
        self._show(self.drafts[event.new])
        self.result.object = ""

    def _on_file(self, event):
        """Show a loaded file in the editor; it runs only when the learner presses the button."""
        if not event.new:
            return
        name = html.escape(self.file.filename or "the file")
        try:
            text = event.new.decode("utf-8")
        except UnicodeDecodeError:
            self.result.object = f"<span class='error'>{name} is not UTF-8 text; save it as UTF-8 and load it again.</span>"
            return
        if len(text) > MAX_SOURCE_CHARACTERS:
            self.result.object = (f"<span class='error'>{name} has {len(text):,} characters; "
                                  f"at most {MAX_SOURCE_CHARACTERS:,} fit.</span>")
            return
        kind = kind_of(text)
        if kind is not None and kind != self.kind.value:
            self.kind.value = kind  # switches the editor to that kind's draft…
        self._show(text)  # …which the file then replaces
        self.result.object = (f"Loaded {name} into the editor. It has not run: read it, then press "
                              "<i>Check and use</i> to run it.")

    def check_and_use(self):
        """Run the editor's code through nn_core's checks; if they pass, train with it."""
        kind = self.kind.value
        try:
            custom = check_code(kind, self.source())
        except ValueError as error:
            self.result.object = f"<div class='error'><b>Not used:</b> {html.escape(str(error))}</div>"
            return
        checks = "".join(f"<li>{html.escape(line)}</li>" for line in custom.checks)
        if not self.playground.use_code(custom):
            self.result.object = (f"<b>Checks passed</b><ul>{checks}</ul><div class='error'>but the network "
                                  f"could not use it: {html.escape(self.playground.message)}</div>")
            return
        self.result.object = f"<b>Checks passed</b><ul>{checks}</ul>{html.escape(USED_AS[kind])}"

    def __panel__(self):
        signatures = pn.bind(lambda kind: "Define " + " and ".join(f"<code>{s}</code>" for s in FUNCTIONS[kind])
                             + f"; it is used as “{CUSTOM}”.", self.kind)
        return pn.Column(
            pn.pane.HTML(INTRO, sizing_mode="stretch_width"),
            pn.Row(self.kind, pn.Column(pn.pane.HTML("Load a .py file (shown, not run)", margin=(0, 5)), self.file)),
            pn.pane.HTML(signatures, sizing_mode="stretch_width"),
            self.editor,
            pn.Row(self.run_button, self.example_button),
            self.result,
            sizing_mode="stretch_width", css_classes=["your-python"],
        )
