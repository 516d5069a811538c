"""Two runs side by side: the page's run (A) and a copy of it with one setting changed (B).

"Compare" starts both again from the same data and, where the change keeps the network's
shape, the same starting weights and biases; then each epoch A trains, B trains too. B's loss
is drawn dashed in A's loss chart, its graph and decision map sit side by side under A's
graph, and one line says which run first got down to the loss both have reached (nn_core's
``race``). A link carries the comparison: ``?compare=learning_rate:0.1``.
"""
import html

import panel as pn
import param
from panel.viewable import Viewer

from nn_core.history import race

from .graph_view import NetworkGraph
from .loss_view import LossChart
from .map_view import DecisionMap
from .playground import Playground
from .state import URL_SETTINGS, apply_query
from .throttle import Throttle
from .words import SETTING_LABELS, label

# What run B may change, and how its value is written (as in a link).
COMPARABLE = ("learning_rate", "use_bias", "activation", "optimizer", "batch_size", "hidden_sizes")
CHOICE_KINDS = {"activation": "activation", "optimizer": "optimizer"}
# Settings of how the page plays, not of the run: changing them keeps the comparison.
PLAY_SETTINGS = ("hidden_controls", "speed", "stop_epoch", "target_loss")
HINT = "as in a link: 0.1 · biases 1 or 0 · tanh · adam · layers 4,4"


def suggestion(settings, name):
    """A value for run B that differs from run A's ``settings``, written as in a link."""
    if name == "learning_rate":
        return f"{(settings.learning_rate or 1.0) / 10:g}"
    if name == "use_bias":
        return "0" if settings.use_bias else "1"
    if name == "batch_size":
        return "10" if not settings.batch_size else "0"
    if name == "hidden_sizes":
        sizes = list(settings.hidden_sizes) or [4]
        return ",".join(str(size) for size in [*sizes, sizes[-1]])
    choices = [choice for choice in settings.param[name].objects if choice != getattr(settings, name)]
    preferred = {"activation": "tanh", "optimizer": "adam"}[name]
    return preferred if preferred in choices else choices[0]


def describe(settings, name):
    """Run B's change in words: "learning rate 0.1", "biases on", "activation Tanh"."""
    value = getattr(settings, name)
    words = SETTING_LABELS[name].split(" (")[0].lower()
    if name == "use_bias":
        return f"biases {'on' if value else 'off'}"
    if name == "hidden_sizes":
        return f"hidden layers {', '.join(map(str, value)) or 'none'}"
    if name in CHOICE_KINDS:
        return f"{words} {label(CHOICE_KINDS[name], value)}"
    return f"{words} {value:g}" if name == "learning_rate" else f"{words} {value}"


class Comparison(Viewer):
    """The "Compare" control, and while comparing, run B's panel."""

    playground = param.ClassSelector(class_=Playground, doc="Run A: the page's own store.")
    chart = param.ClassSelector(class_=LossChart, doc="Run A's loss chart, where run B is drawn dashed.")
    setting = param.Selector(default="learning_rate", objects={SETTING_LABELS[name].split(" (")[0]: name
                                                               for name in COMPARABLE},
                             doc="The one setting run B changes.")
    value = param.String("", doc="Run B's value of it, written as in a link.")
    other = param.ClassSelector(class_=Playground, allow_None=True, doc="Run B's store, while comparing.")

    def __init__(self, **params):
        super().__init__(**params)
        self.change = None  # (setting, value text) of the running comparison
        self.throttle = Throttle()
        self.open_button = pn.widgets.Button(name="⇆ Compare with one change", width=230, css_classes=["compare-open"],
                                             description="Train a copy of this run with one setting changed, side by side")
        self.open_button.on_click(lambda event: self._show_chooser())
        # Parts are shown and hidden, never taken out and put back: the page keeps each one's model.
        self._chooser = pn.Column(sizing_mode="stretch_width", margin=0, visible=False)
        self._runs = pn.Column(sizing_mode="stretch_width", margin=0, visible=False, stylesheets=[COMPARE_CSS])
        self._view = pn.Column(self.open_button, self._chooser, self._runs, sizing_mode="stretch_width", margin=0,
                               css_classes=["compare"])
        self.playground.param.watch(self._follow, ["epoch"])
        self.playground.param.watch(self._on_tick, ["tick"])
        self.playground.param.watch(self._on_run_a_changed, ["structure"])
        self.playground.settings.param.watch(self._on_run_a_changed,
                                             [name for name in URL_SETTINGS if name not in PLAY_SETTINGS])

    def __panel__(self):
        return self._view

    def _on_run_a_changed(self, *events):
        self.end("Comparison ended: run A's settings changed.")

    # ----- choosing ---------------------------------------------------------------------------
    def _show_chooser(self):
        self.value = suggestion(self.playground.settings, self.setting)
        if not self._chooser.objects:
            self._make_chooser()
        self.open_button.visible, self._chooser.visible = False, True

    def _make_chooser(self):
        picker = pn.widgets.Select.from_param(self.param.setting, name="Run B changes", width=170,
                                              css_classes=["compare-setting"])
        entry = pn.widgets.TextInput.from_param(self.param.value, name="to", width=120, css_classes=["compare-value"],
                                                description=HINT)
        start = pn.widgets.Button(name="Start run B", button_type="primary", width=120, css_classes=["compare-start"],
                                  margin=(23, 5, 5, 5))
        start.on_click(lambda event: self.start(self.setting, self.value))
        cancel = pn.widgets.Button(name="Cancel", width=80, margin=(23, 5, 5, 5))
        cancel.on_click(lambda event: self._show_button())
        self._chooser.objects = [pn.Row(picker, entry, start, cancel, sizing_mode="stretch_width", margin=0,
                                        stylesheets=[":host { flex-wrap: wrap; min-width: 0 !important; }"])]

    @param.depends("setting", watch=True)
    def _suggest(self):
        self.value = suggestion(self.playground.settings, self.setting)

    def _show_button(self):
        self.open_button.visible, self._chooser.visible, self._runs.visible = True, False, False

    # ----- comparing ----------------------------------------------------------------------------
    def start(self, setting, text):
        """Start run B: run A's settings with ``setting`` set to ``text`` (as in a link). Returns
        False, with the reason in run A's message, when B cannot be built or changes nothing."""
        playground = self.playground
        if setting not in COMPARABLE:
            playground.message = f"Not compared: run B can change {', '.join(COMPARABLE)}, not {setting!r}."
            return False
        other = Playground()
        refused = []

        def copy_and_change():
            settings, mine = other.settings, playground.settings
            settings.own_data = mine.own_data
            settings.refresh_choices()
            settings.dataset = mine.dataset  # first: it brings its preset, which the copy then overrides
            settings.param.update(**{name: getattr(mine, name) for name in URL_SETTINGS
                                     if name not in ("lesson", "dataset", "hidden_controls")})
            refused.extend(apply_query(settings, {setting: str(text)}))

        if not other.apply_together(copy_and_change) or refused:
            reason = refused[0].split(" in the link: ", 1)[-1] if refused else other.message.removeprefix("Not changed: ")
            playground.message = f"Not compared: run B's {setting} {str(text)[:30]!r} is not possible: {reason}"
            return False
        if getattr(other.settings, setting) == getattr(playground.settings, setting):
            playground.message = f"Not compared: run B's {describe(other.settings, setting)} is run A's too."
            return False
        self.end()
        playground.pause()
        playground.reset()  # both from the start: A from its seed's weights, B from the same where it can
        self.change = (setting, str(text))  # before ``other``: the address is rewritten when that changes
        self.other = other
        self._start_b()
        self._show_runs(describe(other.settings, setting))
        self.chart.other = other.history
        self.update()
        return True

    def _start_b(self):
        mine, theirs = self.playground.experiment.network, self.other.experiment.network
        same_shape = [W.shape for W in mine.weights] == [W.shape for W in theirs.weights] and \
            mine.params.shape == theirs.params.shape
        if same_shape:
            self.other.start_like(mine)
        else:
            self.other.reset()
        self.same_start = same_shape

    def _show_runs(self, change):
        other = self.other
        graph, decision = NetworkGraph(playground=other), DecisionMap(playground=other, title="run B's output")
        start = ("from the same starting weights" if self.same_start else
                 "from its own starting weights (its network has another shape), drawn from the same seed")
        self.title = pn.pane.HTML(
            f"<h3 style='margin:4px 0'>Run B: {html.escape(change)}</h3>"
            f"<div>The same data, {start}. Its loss is the dashed line in the loss chart; each epoch run A "
            f"trains, run B trains too.</div>", sizing_mode="stretch_width", css_classes=["compare-title"])
        self.verdict = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["compare-verdict"])
        end = pn.widgets.Button(name="✕ End the comparison", width=180, css_classes=["compare-end"])
        end.on_click(lambda event: self.end())
        runs = pn.Row(pn.Column(graph, sizing_mode="stretch_width", margin=0),
                      pn.Column(decision, sizing_mode="stretch_width", margin=0),
                      sizing_mode="stretch_width", margin=0,
                      stylesheets=[RUNS_CSS])
        self._runs.objects = [self.title, self.verdict, runs, end]
        self.open_button.visible, self._chooser.visible, self._runs.visible = False, False, True

    def _follow(self, event):
        """Run A trained (or started again): run B does the same number of epochs (or starts again)."""
        other = self.other
        if other is None:
            return
        if event.new < event.old or event.new == 0:
            self._start_b()
        elif event.new > other.epoch:
            other.train(epochs=event.new - other.epoch)
        # While playing, a few times a second; otherwise the tick that follows draws it (_on_tick).
        if self.playground.is_running and self.throttle.due(True):
            self.update()

    def _on_tick(self, event):
        """Paused, stepped or reset: the verdict on the last frame (while playing, ``_follow`` keeps it)."""
        if not self.playground.is_running:
            self.update()

    def update(self):
        """Run B's loss in the chart, and the verdict."""
        if self.other is None:
            return
        self.chart.show_other()
        self.verdict.object = verdict(self.playground.history, self.other.history, self.other.message)

    def end(self, message=""):
        """Back to one run."""
        if self.other is None:
            return
        self.other.pause()
        self.change = None  # first: the address, rewritten when ``other`` changes, reads it
        self.other = None
        self.chart.other = None
        self._show_button()
        self._runs.objects = []  # run B's views go with it
        if message:
            self.playground.message = message


def verdict(first, second, second_message=""):
    """One line: which run first reached the loss both have reached (nn_core's ``race``)."""
    loss, epoch_a, epoch_b = race(first, second)
    if second_message:
        return f"<b>Run B:</b> {html.escape(second_message)}"
    if loss is None or first.epoch[-1] == 0:
        return "Press Step or Play: both runs train together."
    if epoch_a == epoch_b:
        return f"Both runs reached a loss of <b>{loss:.4g}</b> at epoch <b>{epoch_a:,}</b>."
    faster, slower = ("A", "B") if epoch_a < epoch_b else ("B", "A")
    epochs = {"A": epoch_a, "B": epoch_b}
    return (f"Run <b class='winner'>{faster}</b> reached a loss of <b>{loss:.4g}</b> first: at epoch "
            f"<b>{epochs[faster]:,}</b>, run {slower} at epoch <b>{epochs[slower]:,}</b>.")


def start_comparison(comparison, query):
    """Open the comparison a link asks for (``?compare=learning_rate:0.1``); a message if refused."""
    text = query.get("compare")
    if not text:
        return []
    setting, _, value = text.partition(":")
    if not comparison.start(setting, value):
        message, comparison.playground.message = comparison.playground.message, ""
        return [f"Ignored compare={text[:40]!r} in the link: {message.removeprefix('Not compared: ')}"]
    return []


RUNS_CSS = ":host { flex-wrap: wrap; min-width: 0 !important; } :host > * { flex: 1 1 260px; min-width: 0; }"
COMPARE_CSS = """
:host { border: 1px dashed #8fb3da; border-radius: 8px; padding: 4px 8px; box-sizing: border-box; }
"""
