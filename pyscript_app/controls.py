"""The controls: Play and Step, the settings a beginner needs, "More settings", the layers.

Setting widgets are made with ``from_param``, so they stay two-way with the state, and show
the labels of ``words``. Buttons only call the Playground. Which controls are shown follows
two rules, kept apart from the widgets as pure functions: a teacher may hide any of them
(``hidden_controls``), and a control that does nothing for the current data is not shown
(``applicable``).
"""
import panel as pn
import param
from panel.viewable import Viewer

from nn_core import HIDDEN_ACTIVATIONS

from .layout import wrapping_row
from .playground import Playground
from .state import MAX_HIDDEN_LAYERS, MAX_NEURONS_PER_LAYER, OWN_DATA
from .words import SETTING_LABELS, labelled

# site/page.js shows the other label at once when Play/Pause is clicked, before Python answers.
PLAY, PAUSE = "▶ Play", "❚❚ Pause"
# On a phone, Play is a bar of its own and the smaller buttons share the line under it.
BUTTONS_CSS = """
@media (max-width: 699px) { .play { flex: 1 1 100% !important; } }
:host(.presenting) .play { flex-basis: 200px !important; width: 200px !important; height: 64px !important; }
:host(.presenting) .step-1, :host(.presenting) .reset { flex-basis: 140px !important; width: 140px !important;
                                                         height: 56px !important; }
"""
# Settings a beginner does not need at first: they wait under "More settings".
MORE_SETTINGS = ("optimizer", "init", "regularization", "regularization_rate", "batch_size", "sum_gradients",
                 "speed", "stop_epoch", "target_loss", "seed")


def applicable(settings, n_inputs):
    """The names of the controls that do something for ``settings``' data and network.

    n_inputs : int, the raw inputs of the data (input features are made from two).
    """
    names = set(settings.param) - {"name"}
    if settings.dataset in ("exam", "digits", OWN_DATA):  # their rows are given, not generated
        names -= {"n_samples", "noise"}
    if n_inputs != 2 or settings.dataset in ("exam", "digits"):  # features are made from points on a plane
        names -= {"features"}
    if not settings.hidden_sizes:
        names -= {"activation"}
    if len(settings.param.loss.objects) < 2:
        names -= {"loss"}
    if settings.regularization == "none":
        names -= {"regularization_rate"}
    return names


def _widget(settings, name, **kwargs):
    parameter = settings.param[name]
    if isinstance(parameter, param.Boolean):
        widget_type = pn.widgets.Checkbox
    elif isinstance(parameter, param.Selector):
        widget_type = pn.widgets.Select
    elif isinstance(parameter, param.Integer):
        widget_type = pn.widgets.IntInput
    else:
        widget_type = pn.widgets.FloatInput
    return widget_type.from_param(parameter, name=SETTING_LABELS[name], css_classes=[f"setting-{name}"], **kwargs)


class ControlVisibility(param.Parameterized):
    """Shows each registered control only if a teacher has not hidden it and it applies."""

    playground = param.ClassSelector(class_=Playground)

    def __init__(self, **params):
        super().__init__(**params)
        self._views = {}

    def register(self, name, view):
        """Let ``view`` follow the rules under ``name`` (a setting, or a panel of HIDEABLE); returns it."""
        self._views.setdefault(name, []).append(view)
        self.apply()
        return view

    # Shallower names first: param watches nothing but the deepest ones when a deeper name comes first.
    @param.depends("playground.structure", "playground.settings.hidden_controls", "playground.settings.regularization",
                   watch=True)
    def apply(self):
        settings = self.playground.settings
        shown = applicable(settings, self.playground.experiment.dataset.X.shape[1])
        for name, views in self._views.items():
            visible = name not in settings.hidden_controls and (name not in settings.param or name in shown)
            for view in views:
                if view.visible != visible:
                    view.visible = visible


class TrainingButtons(Viewer):
    """Play/Pause (the largest control), Step 1, 10 and 100 epochs, and Reset; on a projector,
    Play, Step 1 and Reset, large."""

    playground = param.ClassSelector(class_=Playground)
    presenting = param.Boolean(False, doc="Large buttons, and only Play, Step 1 and Reset.")

    def __init__(self, **params):
        super().__init__(**params)
        playground = self.playground
        self.play_button = pn.widgets.Button(name=PLAY, button_type="primary", css_classes=["play"], width=120,
                                             height=44, margin=(4, 8, 4, 4))
        self.play_button.on_click(lambda event: playground.pause() if playground.is_running else playground.play())
        self.step_buttons = [pn.widgets.Button(name=f"Step {n}", css_classes=[f"step-{n}"], margin=(4, 3),
                                               width=66 if n < 100 else 78, height=36)
                             for n in (1, 10, 100)]
        for button, n in zip(self.step_buttons, (1, 10, 100)):
            button.on_click(lambda event, n=n: playground.step(n))
        self.reset_button = pn.widgets.Button(name="↺ Reset", css_classes=["reset"], width=76, height=36,
                                              margin=(4, 3))
        self.reset_button.on_click(lambda event: playground.reset())
        self._row = wrapping_row(self.play_button, *self.step_buttons, self.reset_button,
                                 css_classes=["training-buttons"], stylesheets=[BUTTONS_CSS])

    @param.depends("presenting", watch=True)
    def _present(self):
        for button in self.step_buttons[1:]:
            button.visible = not self.presenting
        for button in (self.play_button, self.step_buttons[0], self.reset_button):
            plain = [name for name in button.css_classes if name != "big"]
            button.css_classes = [*plain, "big"] if self.presenting else plain
        self._row.css_classes = ["training-buttons", *(["presenting"] if self.presenting else [])]

    @param.depends("playground.is_running", watch=True)
    def _show_running(self):
        self.play_button.param.update(name=PAUSE if self.playground.is_running else PLAY,
                                      css_classes=[*self.play_button.css_classes[:1], *(["is-running"] if self.playground.is_running else []),
                                                   *(["big"] if self.presenting else [])])

    def __panel__(self):
        return self._row


class LayerEditor(Viewer):
    """Add or remove hidden layers; each layer's size and, with ``show_activations``, its own activation."""

    playground = param.ClassSelector(class_=Playground)
    show_activations = param.Boolean(False, doc="Offer each layer its own activation (with More settings open).")

    def __init__(self, **params):
        super().__init__(**params)
        playground = self.playground
        self.add_layer = pn.widgets.Button(name="+ layer", width=74, css_classes=["add-layer"], margin=(4, 3))
        self.remove_layer = pn.widgets.Button(name="− layer", width=74, css_classes=["remove-layer"], margin=(4, 3))
        self.add_layer.on_click(lambda event: playground.set_hidden_sizes(playground.settings.hidden_sizes + [2]))
        self.remove_layer.on_click(lambda event: playground.set_hidden_sizes(playground.settings.hidden_sizes[:-1]))
        self.layer_row = wrapping_row(css_classes=["layer-boxes"])
        self._layout = pn.Column(
            pn.Row(pn.pane.HTML("<b>Hidden layers</b>", margin=(12, 5, 0, 5)), self.remove_layer, self.add_layer,
                   margin=0),
            self.layer_row, sizing_mode="stretch_width", margin=0, css_classes=["layer-editor"])
        self._show_layers()

    @param.depends("playground.choices", "playground.structure", "playground.settings.hidden_sizes",
                   "playground.settings.layer_activations", watch=True)
    def _show_layers(self):
        """One size box and activation menu per hidden layer. The boxes of layers that stay are kept
        and given their new values: a box just typed in may still send changes from the page, which
        Python would drop, with a warning in the console, if the box had been replaced."""
        settings = self.playground.settings
        sizes = settings.hidden_sizes
        boxes = list(self.layer_row.objects[: len(sizes)])
        boxes += [self._layer_box(index) for index in range(len(boxes), len(sizes))]
        choices = {"(as all)": "", **labelled("activation", HIDDEN_ACTIVATIONS)}
        for index, (size, box) in enumerate(zip(sizes, boxes)):
            spinner, activation = box.objects
            spinner.value = size
            own = settings.layer_activations[index] if index < len(settings.layer_activations) else ""
            activation.param.update(options=choices, value=own, visible=self.show_activations)
        if len(boxes) != len(self.layer_row.objects):
            self.layer_row.objects = boxes
        self.add_layer.disabled = len(sizes) >= MAX_HIDDEN_LAYERS
        self.remove_layer.disabled = len(sizes) == 0

    def _layer_box(self, index):
        """Layer ``index``'s size box over its activation menu (values are set by ``_show_layers``)."""
        # No bounds on the box: a size out of range is refused with a message, not silently clamped.
        spinner = pn.widgets.IntInput(name=f"Layer {index + 1}", value=1, width=74, margin=(2, 3),
                                      css_classes=[f"layer-size-{index + 1}"])
        spinner.param.watch(lambda event: self._resize(index, event), ["value"])
        activation = pn.widgets.Select(options={"(as all)": ""}, value="", width=110, name="", margin=(2, 3),
                                       css_classes=[f"layer-activation-{index + 1}"], visible=self.show_activations)
        activation.param.watch(lambda event: self._set_activation(index, event.new), ["value"])
        return pn.Column(spinner, activation, margin=(0, 2), css_classes=["layer-box"])

    @param.depends("show_activations", watch=True)
    def _offer_activations(self):
        for box in self.layer_row.objects:
            box.objects[1].visible = self.show_activations

    def _set_activation(self, index, name):
        activations = list(self.playground.settings.layer_activations)
        activations += [""] * (index + 1 - len(activations))
        activations[index] = name or ""
        while activations and not activations[-1]:
            activations.pop()
        self.playground.settings.layer_activations = activations

    def _resize(self, index, event):
        """A typed size: taken if the page can draw it, else refused with a message and put back."""
        sizes = list(self.playground.settings.hidden_sizes)
        if index >= len(sizes) or sizes[index] == event.new:
            return
        if event.new is None or not 1 <= event.new <= MAX_NEURONS_PER_LAYER:
            self.playground.message = (f"Not changed: layer {index + 1} can have 1 to {MAX_NEURONS_PER_LAYER} "
                                       f"neurons, not {'nothing' if event.new is None else event.new}.")
            event.obj.value = sizes[index]
            return
        sizes[index] = event.new
        self.playground.set_hidden_sizes(sizes)

    def __panel__(self):
        return self._layout


class Settings(Viewer):
    """The settings a beginner needs beside the network, and the rest under "More settings"."""

    playground = param.ClassSelector(class_=Playground)
    visibility = param.ClassSelector(class_=ControlVisibility)

    def __init__(self, **params):
        super().__init__(**params)
        make = self.setting
        self.main = wrapping_row(make("learning_rate", step=0.01, width=120), make("activation", width=130),
                                 make("loss", width=190), make("use_bias", margin=(30, 10, 5, 10)),
                                 css_classes=["main-settings"])
        # A toggle and a row, not a collapsed Card: BokehJS never draws a collapsed card's inputs and
        # then fails to set their values when a preset changes them.
        self.more_toggle = pn.widgets.Toggle(name="▸ More settings", css_classes=["more-settings"], width=170,
                                             margin=(6, 4))
        self.more_body = wrapping_row(*[make(name, width=180 if name in ("optimizer", "init", "regularization", "speed")
                                             else 150) for name in MORE_SETTINGS],
                                      css_classes=["more-settings-body"], visible=False)
        self.more = pn.Column(self.more_toggle, self.more_body, sizing_mode="stretch_width", margin=0)
        self.more_toggle.param.watch(self._fold, ["value"])

    def _fold(self, event):
        self.more_body.visible = self.more_toggle.value
        self.more_toggle.name = ("▾ " if self.more_toggle.value else "▸ ") + "More settings"

    def setting(self, name, **kwargs):
        """The widget of setting ``name``, shown by the visibility rules."""
        kwargs.setdefault("margin", (5, 6))
        return self.visibility.register(name, _widget(self.playground.settings, name, **kwargs))

    def data_settings(self):
        """Points, noise and the test share: beside the datasets."""
        return wrapping_row(self.setting("n_samples", width=100), self.setting("noise", step=0.05, width=100),
                            self.setting("test_ratio", step=0.1, width=100), css_classes=["data-settings"])

    def __panel__(self):
        return self.main
