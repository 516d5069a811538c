"""The controls: stepping and playing, the network's shape, and every setting.

Setting widgets are made with ``from_param`` so they stay two-way with the state. Buttons
only call the Playground. Nothing here computes anything.
"""
import panel as pn
import param

from nn_core import HIDDEN_ACTIVATIONS

from .state import MAX_HIDDEN_LAYERS, MAX_NEURONS_PER_LAYER

LABELS = {
    "lesson": "Lesson", "dataset": "Data", "features": "Input features (none: x1, x2 as they are)", "n_samples": "Points", "noise": "Noise", "test_ratio": "Test share",
    "activation": "Activation", "loss": "Loss", "learning_rate": "Learning rate", "use_bias": "Biases",
    "batch_size": "Batch size (0 = all)", "sum_gradients": "Add up gradients (tutorial)",
    "optimizer": "Optimizer", "regularization": "Regularization", "regularization_rate": "Regularization rate",
    "init": "Starting weights", "seed": "Seed", "speed": "Speed",
    "stop_epoch": "Pause at epoch (0 = never)", "target_loss": "Pause at loss ≤ (0 = never)",
}


def _widget(settings, name, **kwargs):
    parameter = settings.param[name]
    if isinstance(parameter, param.ListSelector):
        widget_type = pn.widgets.CheckButtonGroup
    elif isinstance(parameter, param.Boolean):
        widget_type = pn.widgets.Checkbox
    elif isinstance(parameter, param.Selector):
        widget_type = pn.widgets.Select
    elif isinstance(parameter, param.Integer):
        widget_type = pn.widgets.IntInput
    else:
        widget_type = pn.widgets.FloatInput
    return widget_type.from_param(parameter, name=LABELS[name], sizing_mode="stretch_width",
                                  css_classes=[f"setting-{name}"], **kwargs)


class Controls(param.Parameterized):
    playground = param.Parameter()

    def __init__(self, **params):
        super().__init__(**params)
        playground = self.playground
        self.step_buttons = [
            pn.widgets.Button(name=f"Step {n}", button_type="default", width=62 if n < 100 else 72,
                              css_classes=[f"step-{n}"])
            for n in (1, 10, 100)
        ]
        for button, n in zip(self.step_buttons, (1, 10, 100)):
            button.on_click(lambda event, n=n: playground.step(n))
        self.play_button = pn.widgets.Button(name="▶ Play", button_type="primary", width=82, css_classes=["play"])
        self.play_button.on_click(self._on_play)
        self.reset_button = pn.widgets.Button(name="↺ Reset", width=72, css_classes=["reset"])
        self.reset_button.on_click(lambda event: playground.reset())
        playground.param.watch(self._show_running, ["is_running"])
        self._hideable = {}
        playground.settings.param.watch(self._apply_hidden, ["hidden_controls"])
        self.layer_row = pn.Row(sizing_mode="stretch_width", margin=0)
        self.add_layer = pn.widgets.Button(name="+ layer", width=70, css_classes=["add-layer"])
        self.remove_layer = pn.widgets.Button(name="− layer", width=70, css_classes=["remove-layer"])
        self.add_layer.on_click(lambda event: playground.set_hidden_sizes(playground.settings.hidden_sizes + [2]))
        self.remove_layer.on_click(lambda event: playground.set_hidden_sizes(playground.settings.hidden_sizes[:-1]))
        self._show_layers()
        playground.settings.param.watch(lambda *events: self._show_layers(), ["hidden_sizes"])
        playground.param.watch(lambda *events: self._show_layers(), ["choices"])  # the learner's own activation

    def _on_play(self, event):
        if self.playground.is_running:
            self.playground.pause()
        else:
            self.playground.play()

    def _show_running(self, event):
        self.play_button.name = "❚❚ Pause" if event.new else "▶ Play"

    def _show_layers(self):
        settings = self.playground.settings
        sizes = settings.hidden_sizes
        inputs = []
        for index, size in enumerate(sizes):
            spinner = pn.widgets.IntInput(
                name=f"Layer {index + 1}", value=size, start=1, end=MAX_NEURONS_PER_LAYER, width=70,
                css_classes=[f"layer-size-{index + 1}"],
            )
            spinner.param.watch(lambda event, index=index: self._resize(index, event.new), ["value"])
            own = settings.layer_activations[index] if index < len(settings.layer_activations) else ""
            activation = pn.widgets.Select(options={"(same)": "", **{name: name for name in HIDDEN_ACTIVATIONS}},
                                           value=own, width=70, css_classes=[f"layer-activation-{index + 1}"])
            activation.param.watch(lambda event, index=index: self._set_activation(index, event.new), ["value"])
            inputs.append(pn.Column(spinner, activation, margin=0))
        self.layer_row.objects = inputs
        self.add_layer.disabled = len(sizes) >= MAX_HIDDEN_LAYERS
        self.remove_layer.disabled = len(sizes) == 0

    def _set_activation(self, index, name):
        activations = list(self.playground.settings.layer_activations)
        activations += [""] * (index + 1 - len(activations))
        activations[index] = name or ""
        while activations and not activations[-1]:
            activations.pop()
        self.playground.settings.layer_activations = activations

    def _resize(self, index, size):
        sizes = list(self.playground.settings.hidden_sizes)
        if size is None or index >= len(sizes) or sizes[index] == size:
            return
        sizes[index] = size
        self.playground.set_hidden_sizes(sizes)

    def sample_picker(self):
        """Which training sample the neuron values in the graph are for."""
        picker = pn.widgets.IntInput(name="Values for training sample", start=1, width=170,
                                     value=self.playground.sample_index + 1, css_classes=["sample-picker"])

        def follow_data(event=None):
            picker.end = len(self.playground.experiment.network.X_train)
            picker.value = min(picker.value or 1, picker.end)

        picker.param.watch(lambda event: setattr(self.playground, "sample_index", (event.new or 1) - 1), ["value"])
        self.playground.param.watch(follow_data, ["structure"])
        follow_data()
        return picker

    def training_buttons(self):
        return pn.Row(*self.step_buttons, self.play_button, self.reset_button, sizing_mode="stretch_width")

    def shape_editor(self):
        return self.hideable("hidden_sizes", pn.Column(
            pn.pane.HTML("<b>Hidden layers</b>", margin=(0, 5)),
            pn.Row(self.remove_layer, self.add_layer),
            self.layer_row,
            sizing_mode="stretch_width",
        ))

    def lesson_picker(self):
        from .lessons import LESSONS

        settings = self.playground.settings
        titles = {"(none)": "", **{title: name for name, (title, _, _) in LESSONS.items()}}
        picker = pn.widgets.Select.from_param(settings.param.lesson, name="Lesson", options=titles,
                                              sizing_mode="stretch_width", css_classes=["setting-lesson"])
        return self.hideable("lesson", picker)

    def _setting(self, name, **kwargs):
        return self.hideable(name, _widget(self.playground.settings, name, **kwargs))

    def hideable(self, name, view):
        """Register a control or panel that a teacher may hide; returns it."""
        self._hideable.setdefault(name, []).append(view)
        view.visible = name not in self.playground.settings.hidden_controls
        return view

    def _apply_hidden(self, *events):
        hidden = self.playground.settings.hidden_controls
        for name, views in self._hideable.items():
            for view in views:
                view.visible = name not in hidden

    def data_settings(self):
        return pn.Column(
            self._setting("dataset"),
            pn.Row(self._setting("n_samples"), self._setting("noise", step=0.05)),
            pn.Row(self._setting("test_ratio", step=0.1), self._setting("seed")),
            pn.pane.HTML("Input features (none ticked: x1, x2 as they are)", margin=(0, 5)),
            self._setting("features", button_type="light", orientation="horizontal"),
            sizing_mode="stretch_width",
        )

    def model_settings(self):
        return pn.Column(
            pn.Row(self._setting("activation"), self._setting("loss")),
            pn.Row(self._setting("learning_rate", step=0.01), self._setting("optimizer")),
            pn.Row(self._setting("batch_size"), self._setting("init")),
            pn.Row(self._setting("regularization"), self._setting("regularization_rate", step=0.001)),
            pn.Row(self._setting("use_bias"), self._setting("sum_gradients")),
            self._setting("speed"),
            pn.Row(self._setting("stop_epoch"), self._setting("target_loss", step=0.0001)),
            sizing_mode="stretch_width",
        )
