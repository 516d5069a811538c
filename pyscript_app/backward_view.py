"""Show the backward pass: the controls, a caption, and what is drawn over the network graph.

While a step is shown, a white veil dims the graph and the phase's layer lights up on top of
it: in the forward pass each neuron with its value; going back, each neuron with its δ and
each synapse with a pulse that runs right to left, as big as its weight's gradient ∂J/∂w;
in the update, every synapse's width moves with its weight. Every number comes from the
``BackwardPass``'s StepExplanation (``nn_core.stepmath``), written as the maths tab writes it.
A phase is drawn once; while it plays, each frame only moves its pulses or widths.
"""
import html

import numpy as np
import panel as pn
import param
from bokeh.models import BoxAnnotation, ColumnDataSource, HoverTool, LabelSet
from panel.viewable import Viewer

from .backward import TITLES, BackwardPass, phase_detail
from .colors import NEGATIVE, POSITIVE, edge_colors, value_colors
from .formulas import number
from .graph_layout import VALUE_FONT, edge_widths, end_shift, is_dense, layer_name, neuron_slice, text_width
from .layout import wrapping_row
from .playground import Playground

PLAY, PAUSE = "▶ Play step", "❚❚ Pause step"  # not Play and Pause: those train on
VEIL_ALPHA = 0.8  # how much the parts of the graph that are not lit fade
MOTION_SHARE = 0.7  # of a phase's time, the share its pulses or widths move; then they rest to be read
ALONG = (0.12, 0.5)  # where a pulse starts and stops, as a share of its synapse from the right end
PULSE_SIZE = (5.0, 20.0)  # pixels at scale 1: the smallest gradient's pulse, the largest one's
VISIBLE_CHANGE = 3.0  # pixels at scale 1: the largest change of width is drawn at least this wide
SHOWN_NUMBERS = 16  # numbers listed in the caption for one layer; a bigger layer's are in the tooltips
OUTLINE = "#222222"
LABEL_FONT = VALUE_FONT + 2  # pixels at scale 1: the lit numbers, bold, a little bigger than the graph's


# ----- what is drawn, as pure functions -------------------------------------------------------
def edge_slice(layer_sizes, k):
    """Where the synapses of weight matrix ``k`` (from layer k to layer k + 1) are in weight order."""
    counts = [n_in * n_out for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])]
    start = sum(counts[:k])
    return slice(start, start + counts[k])


def pulse_sizes(gradients, largest, scale=1.0):
    """A pulse's size per synapse: its |∂J/∂w| against the step's ``largest``, on an area scale."""
    share = np.sqrt(np.abs(gradients) / largest) if largest > 0 else np.zeros(len(gradients))
    low, high = PULSE_SIZE
    return scale * (low + (high - low) * share)


def pulse_positions(x0, y0, x1, y1, motion):
    """Where the pulses are when their motion has gone ``motion`` (0 to 1) of its way: they run from
    near each synapse's right end (x1, y1) towards its left end."""
    along = ALONG[0] + (ALONG[1] - ALONG[0]) * motion
    return x1 + (x0 - x1) * along, y1 + (y0 - y1) * along


def update_widths(old_weights, new_weights, scale, motion):
    """(width per synapse when the update has gone ``motion`` of its way, magnification).

    A step moves weights by little: the change of width is magnified until the largest one is
    VISIBLE_CHANGE pixels, and the caption says by how much."""
    old, new = edge_widths(old_weights, scale), edge_widths(new_weights, scale)
    change = new - old
    largest = np.abs(change).max()
    magnify = max(1.0, VISIBLE_CHANGE * scale / largest) if largest > 0 else 1.0
    return np.maximum(old + change * magnify * motion, 0.5 * scale), magnify


def label_shifts(layer, n_layers, texts, font, radius):
    """Pixels to move each label so that a first or last column's stays inside the picture."""
    return [-end_shift(layer, n_layers, text_width(text, font) + 8, radius) for text in texts]


def listed(values, prefix=""):
    """Numbers as the caption lists them: the maths tab's writing, the first SHOWN_NUMBERS of them."""
    texts = [prefix + number(v) for v in values]
    more = f", … ({len(texts)} in all: point at a neuron to read it)" if len(texts) > SHOWN_NUMBERS else ""
    return ", ".join(texts[:SHOWN_NUMBERS]) + more


def _sized(css_class):
    """A control's class and stylesheet: it fits its words, whose size follows ``--backward-scale``."""
    return {"css_classes": [css_class],
            "stylesheets": [".bk-btn { font-size: calc(13px * var(--backward-scale, 1)); }"]}


class BackwardView(Viewer):
    """The "Show the backward pass" control, its caption, and its drawing over the graph."""

    playground = param.ClassSelector(class_=Playground, doc="The store whose next step is shown.")
    graph = param.Parameter(doc="The NetworkGraph the step is drawn over.")
    steps = param.ClassSelector(class_=BackwardPass, doc="Which phase is shown (made from the playground).")

    def __init__(self, **params):
        params.setdefault("steps", BackwardPass(playground=params["playground"]))
        super().__init__(**params)
        self.edges = ColumnDataSource(data=self._empty("x0", "y0", "x1", "y1", "width", "color"), name="backward-edges")
        self.neurons = ColumnDataSource(data=self._empty("x", "y", "size", "fill", "text", "value", "shift", "name"),
                                        name="backward-neurons")
        self.pulses = ColumnDataSource(data=self._empty("x", "y", "size", "color", "name", "gradient"),
                                       name="backward-pulses")
        self._draw_over(self.graph.figure)
        # No tooltips: on a phone they reach past the screen's edge; the caption says what happens.
        self.show_button = pn.widgets.Button(name="Show the backward pass", **_sized("backward-show"))
        self.back_button = pn.widgets.Button(name="◀ Back", **_sized("backward-back"))
        self.play_button = pn.widgets.Button(name=PLAY, **_sized("backward-play"))
        self.next_button = pn.widgets.Button(name="Next ▶", **_sized("backward-next"))
        self.close_button = pn.widgets.Button(name="✕ Close", **_sized("backward-close"))
        self.speed = pn.widgets.RadioButtonGroup.from_param(self.steps.param.speed, **_sized("backward-speed"))
        self.controls = wrapping_row(self.back_button, self.play_button, self.next_button, self.speed,
                                     self.close_button, css_classes=["backward-controls"])
        self.caption = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["backward-caption"], margin=(0, 8),
                                    stylesheets=[":host { font-size: calc(14px * var(--backward-scale, 1)); }"])
        self.column = pn.Column(self.show_button, self.controls, self.caption, sizing_mode="stretch_width", margin=0,
                                css_classes=["backward"])
        self._size_controls()
        self.show_button.on_click(lambda event: self.steps.play())
        self.back_button.on_click(lambda event: self.steps.back())
        self.next_button.on_click(lambda event: self.steps.next())
        self.close_button.on_click(lambda event: self.steps.close())
        self.play_button.on_click(lambda event: self.steps.pause() if self.steps.is_playing else self.steps.play())
        self.draw()

    @param.depends("graph.scale", watch=True)
    def _size_controls(self):
        """Controls and caption grow with the graph's scale, for a projector: one CSS variable that
        every control's stylesheet reads, so a new scale is one small change, not one per control."""
        self.column.styles = {"--backward-scale": f"{self.graph.scale:g}"}

    @staticmethod
    def _empty(*columns):
        return {column: [] for column in columns}

    def _draw_over(self, figure):
        """The veil, the lit synapses, neurons and pulses, and their labels, on top of the graph."""
        self.veil = BoxAnnotation(fill_color="#ffffff", fill_alpha=VEIL_ALPHA, line_alpha=0, level="guide",
                                  visible=False)
        figure.add_layout(self.veil)
        figure.segment("x0", "y0", "x1", "y1", source=self.edges, line_width="width", line_color="color",
                       line_alpha=0.9, level="annotation")
        lit = figure.scatter("x", "y", source=self.neurons, size="size", fill_color="fill", line_color=OUTLINE,
                             line_width=2.5, level="annotation", name="backward-lit-neurons")
        pulses = figure.scatter("x", "y", source=self.pulses, size="size", fill_color="color", line_color="#ffffff",
                                line_width=1.5, level="annotation", name="backward-pulse-dots")
        self.labels = LabelSet(x="x", y="y", text="text", x_offset="shift", source=self.neurons, text_align="center",
                               text_baseline="middle", background_fill_color="#ffffff", background_fill_alpha=0.92,
                               border_line_color=OUTLINE, border_line_width=1, level="overlay",
                               text_font_style="bold")
        figure.add_layout(self.labels)
        figure.add_tools(HoverTool(renderers=[lit], tooltips=[("neuron", "@name"), ("", "@value")]))
        figure.add_tools(HoverTool(renderers=[pulses], tooltips=[("synapse", "@name"), ("∂J/∂w", "@gradient")]))

    # ----- following the steps --------------------------------------------------------------------
    @param.depends("steps.is_open", "steps.phase", "steps.message", "graph.scale", watch=True)
    def draw(self):
        """Draw the phase shown (or nothing) and say what it is."""
        steps, graph = self.steps, self.graph
        is_open = steps.is_open
        self.veil.visible = is_open
        graph.labels["value"].visible = not is_open  # the lit layer's numbers replace them
        self.show_button.visible = not is_open
        self.controls.visible = is_open
        self.back_button.disabled = steps.phase == 0
        self.labels.text_font_size = f"{LABEL_FONT * graph.scale:g}px"
        if not is_open:
            for source in (self.edges, self.neurons, self.pulses):
                source.data = self._empty(*source.data)
            message = html.escape(steps.message)
            self.caption.object = f"<div class='backward-message'>{message}</div>" if message else ""
            return
        phase = steps.current
        explanation, sample = steps.explanation, steps.sample
        sizes = explanation_sizes(explanation)
        neurons, edges, pulses, numbers = self._phase_drawing(phase, explanation, sample, sizes)
        self.neurons.data, self.edges.data, self.pulses.data = neurons, edges, pulses
        self.move()
        config = self.playground.experiment.network.config
        self.caption.object = (
            f"<div role='status'><b>Phase {steps.phase + 1} of {len(steps.phases)} · {TITLES[phase.stage]}</b><br>"
            f"{html.escape(phase_detail(phase, config))}<br>"
            f"<span class='backward-numbers'>{html.escape(numbers)}</span></div>")

    def _phase_drawing(self, phase, explanation, sample, sizes):
        """(neurons, edges, pulses, numbers): the three sources' data for ``phase`` and its caption's numbers."""
        graph, scale = self.graph, self.graph.scale
        n_layers, layer = len(sizes), phase.layer
        at = graph.neurons.data
        edge_names = list(graph.edges.data["name"])
        neurons, edges, pulses = (self._empty(*source.data) for source in (self.neurons, self.edges, self.pulses))
        numbers = ""
        name = layer_name(layer, n_layers)
        if phase.stage == "update":
            edges = self._edges(slice(0, None), edge_colors(explanation.new_weights), scale)
            old = np.concatenate([W.ravel() for W in explanation.weights])
            new = np.concatenate([W.ravel() for W in explanation.new_weights])
            i = int(np.argmax(np.abs(new - old)))
            _, magnify = update_widths(explanation.weights, explanation.new_weights, scale, 1.0)
            numbers = f"Biggest move: {edge_names[i]}, w = {number(old[i])} → {number(new[i])}."
            if magnify > 1:
                numbers += f" The changes of width are drawn {magnify:,.0f}× bigger, so that you can see them."
            return neurons, edges, pulses, numbers + " " + self._after_update(explanation)
        if phase.stage == "forward":
            values = explanation.activations[layer][sample]
            texts, fill = [number(v) for v in values], value_colors(values)
            numbers = (f"{name}, sample {sample + 1}: " + ("x (scaled) = " if layer == 0 else "a = ")
                       + listed(values))
            if layer > 0:
                edges = self._edges(edge_slice(sizes, layer - 1), edge_colors([explanation.weights[layer - 1]]), scale)
        else:
            if layer > 0:
                deltas = explanation.deltas[layer - 1][sample]
                texts = ["δ " + number(d) for d in deltas]
                fill = value_colors(deltas, scale=max(np.abs(deltas).max(), 1e-12))
                numbers = f"{name}, sample {sample + 1}: δ = {listed(deltas)}."
            else:
                texts, fill = [""] * sizes[0], ["#ffffff"] * sizes[0]
            if layer < n_layers - 1:
                edges = self._edges(edge_slice(sizes, layer), ["#aaaaaa"] * (sizes[layer] * sizes[layer + 1]), scale)
                pulses = self._pulses(explanation, layer, edge_names, scale)
                biggest = int(np.argmax(np.abs(explanation.weight_gradients[layer].ravel())))
                numbers += (f" Biggest pulse: {pulses['name'][biggest]}, ∂J/∂w = {pulses['gradient'][biggest]}"
                            f" (over all {len(explanation.X)} samples).")
        where = neuron_slice(sizes, layer)
        # A dense layer's dots are too close to label: the tooltips have its numbers.
        texts_shown = [""] * sizes[layer] if is_dense(sizes[layer]) else texts
        size = np.asarray(at["size"][where], dtype=float)
        neurons = {"x": list(at["x"][where]), "y": list(at["y"][where]), "size": list(size), "fill": list(fill),
                   "text": texts_shown, "value": texts, "name": list(at["name"][where]),
                   "shift": label_shifts(layer, n_layers, texts_shown, LABEL_FONT * scale, size.max() / 2)}
        return neurons, edges, pulses, numbers.strip()

    def _edges(self, where, colors, scale):
        data = self.graph.edges.data
        return {"x0": list(data["x0"][where]), "y0": list(data["y0"][where]), "x1": list(data["x1"][where]),
                "y1": list(data["y1"][where]), "width": list(data["width"][where]), "color": list(colors)}

    def _pulses(self, explanation, k, edge_names, scale):
        """The pulses of weight matrix ``k``, where they start."""
        sizes = explanation_sizes(explanation)
        where = edge_slice(sizes, k)
        gradients = explanation.weight_gradients[k].ravel()
        largest = max(np.abs(G).max() for G in explanation.weight_gradients)
        data = self.graph.edges.data
        pulses = {"x": list(data["x1"][where]), "y": list(data["y1"][where]),
                  "size": list(pulse_sizes(gradients, largest, scale)),
                  "color": [POSITIVE if g >= 0 else NEGATIVE for g in gradients],
                  "name": edge_names[where], "gradient": [number(g) for g in gradients]}
        return pulses

    def _after_update(self, explanation):
        network = self.playground.experiment.network
        batch = network.config.batch_size
        if batch and batch < len(explanation.X):
            return f"Training takes batches of {batch}, so this step is shown, not taken."
        return "At the end, the step is taken: the same one Step takes."

    @param.depends("steps.progress", watch=True)
    def move(self):
        """One frame: the pulses run on, or the widths move; nothing else is sent."""
        steps = self.steps
        if not steps.is_open:
            return
        motion = min(steps.progress / MOTION_SHARE, 1.0)
        explanation, phase = steps.explanation, steps.current
        if phase.stage == "update":
            widths, _ = update_widths(explanation.weights, explanation.new_weights, self.graph.scale, motion)
            self.edges.data.update(width=list(widths))
        elif self.pulses.data["x"]:
            edges = self.edges.data
            x, y = pulse_positions(*(np.asarray(edges[c], dtype=float) for c in ("x0", "y0", "x1", "y1")), motion)
            self.pulses.data.update(x=list(x), y=list(y))

    @param.depends("steps.is_playing", watch=True)
    def _follow_playing(self):
        self.play_button.name = PAUSE if self.steps.is_playing else PLAY

    def __panel__(self):
        return self.column


def explanation_sizes(explanation):
    """The layer sizes of the network a StepExplanation is of, inputs first."""
    return [explanation.X.shape[1]] + [W.shape[1] for W in explanation.weights]
