"""The loss chart: training and test loss per epoch, from epoch 0, streamed while training.

Two figures share one source, one with a log scale (the default: the tutorial's loss falls
from 0.1 to 1e-13) and one linear; the checkbox swaps which one the pane shows. Ranges are set
here, not auto-ranged by the browser, so the page never sends range changes back mid-training.
When the loss explodes, the chart marks the epoch where training stopped. While two runs are
compared, the other run's training loss is drawn dashed in the same chart (``show_other``).
"""
import math

import panel as pn
import param
from bokeh.core.properties import value
from bokeh.models import (
    CDSView,
    ColumnDataSource,
    IndexFilter,
    Legend,
    LegendItem,
    NoOverlap,
    NumeralTickFormatter,
    Range1d,
)
from bokeh.plotting import figure

from nn_core.history import LossHistory

from .colors import NEGATIVE, POSITIVE
from .playground import Playground

STOPPED = "#b03a00"  # the page's colour for what went wrong
STOP_TEXT = "training stopped: the loss exploded"
# Epochs as "0, 500, 1.5k, 20k, 1.2m": short enough that tick labels never collide.
EPOCH_FORMAT = "0.[0]a"


def loss_range(losses, log_scale):
    """(start, end) of the y axis that shows every finite, positive loss with a margin."""
    values = [v for v in losses if v is not None and math.isfinite(v) and (v > 0 or not log_scale)]
    if not values:
        return (1e-4, 1.0) if log_scale else (0.0, 1.0)
    low, high = min(values), max(values)
    if log_scale:
        return low / 2.0, high * 2.0
    return 0.0, (high * 1.1 if high > 0 else 1.0)


def stop_mark(history, divergence, y_range, log_scale):
    """Columns of the mark where training stopped: a dashed line from the last loss drawn up to a
    cross near the top of the chart at the epoch that exploded, and its words. Empty without one.

    divergence : nn_core's Divergence (its ``epoch``), or None.
    """
    if divergence is None:
        return {"x0": [], "y0": [], "x1": [], "y1": [], "text": []}
    start, end = y_range
    if log_scale:  # a little under the top, evenly on either axis
        top = math.exp(math.log(end) - 0.15 * (math.log(end) - math.log(start)))
    else:
        top = end - 0.08 * (end - start)
    finite = [(epoch, loss) for epoch, loss in zip(history.epoch, history.loss) if math.isfinite(loss)]
    x0, y0 = finite[-1] if finite else (divergence.epoch, top)
    return {"x0": [x0], "y0": [y0], "x1": [divergence.epoch], "y1": [top], "text": [STOP_TEXT]}


class LossChart(pn.viewable.Viewer):
    """The loss chart and its log-scale checkbox."""

    playground = param.ClassSelector(class_=Playground, doc="The store whose loss history is drawn.")
    log_scale = param.Boolean(True, doc="Show the loss on a logarithmic axis.")
    scale = param.Number(1.0, bounds=(0.5, 3.0),
                         doc="Size of type and lines: 1 on a screen, about 1.6 for a projector.")
    height = param.Integer(200, bounds=(120, 1200), doc="The chart's height in pixels.")
    other = param.ClassSelector(class_=LossHistory, allow_None=True,
                                doc="A second run's loss history, drawn dashed beside this one's (a comparison).")

    def __init__(self, **params):
        super().__init__(**params)
        self.source = ColumnDataSource(data={"epoch": [], "loss": [], "test_loss": []}, name="loss-history")
        self.stop = ColumnDataSource(data=stop_mark(None, None, (1e-4, 1.0), True), name="loss-stop")
        self.other_source = ColumnDataSource(data={"epoch": [], "loss": []}, name="loss-history-b")
        self._other_drawn = (None, None, 0)  # the compared history drawn, its generation and rows
        self._legends = {}  # figure name: (its Legend, (training entry, test entry, other run's entry))
        # One pane shows one of the figures; the checkbox swaps which. The linear one is made when
        # first shown: a figure is about 25 models, and most learners keep the log scale.
        self._figures = {"log": self._make_figure("log", "loss-log")}
        self.pane = pn.pane.Bokeh(self.log_figure, sizing_mode="stretch_width")
        toggle = pn.widgets.Checkbox.from_param(self.param.log_scale, name="log scale", css_classes=["log-toggle"])
        self._view = pn.Column(self.pane, toggle, sizing_mode="stretch_width")
        self._style()
        self.redraw()

    def __panel__(self):
        return self._view

    @property
    def log_figure(self):
        return self._figures["log"]

    @property
    def linear_figure(self):
        """The figure with a linear loss axis, made (styled and labelled) the first time it is asked
        for; it shares the log figure's data, and gets its ranges when it is shown (``_set_ranges``)."""
        if "linear" not in self._figures:
            self._figures["linear"] = self._make_figure("linear", "loss-linear")
            self._style()
            self._label()
        return self._figures["linear"]

    def _make_figure(self, axis_type, name):
        fig = figure(height=self.height, sizing_mode="stretch_width", y_axis_type=axis_type, toolbar_location=None,
                     tools="", x_range=Range1d(0, 1), y_range=Range1d(1e-4, 1), x_axis_label="epoch",
                     y_axis_label="loss", min_border_left=50, name=name)
        training = fig.line("epoch", "loss", source=self.source, line_color=POSITIVE, name="line")
        test = fig.line("epoch", "test_loss", source=self.source, line_color=NEGATIVE, line_dash="dashed", name="line")
        # The loss before training, as a dot: one row is not yet a line.
        fig.scatter("epoch", "loss", source=self.source, view=CDSView(filter=IndexFilter([0])), fill_color=POSITIVE,
                    line_color=POSITIVE, name="start")
        other = fig.line("epoch", "loss", source=self.other_source, line_color=POSITIVE, line_dash=[7, 4],
                         line_alpha=0.8, name="line", visible=False)
        fig.segment("x0", "y0", "x1", "y1", source=self.stop, line_color=STOPPED, line_dash="dotted", name="line")
        fig.scatter("x1", "y1", source=self.stop, marker="x", line_color=STOPPED, name="cross")
        fig.text("x1", "y1", text="text", source=self.stop, text_align="right", text_baseline="middle",
                 text_color=STOPPED, name="words")
        fig.xaxis.formatter = NumeralTickFormatter(format=EPOCH_FORMAT)
        for axis in (fig.xaxis, fig.yaxis):
            axis.major_label_policy = NoOverlap()
        fig.xaxis.ticker.desired_num_ticks = 5
        fig.xaxis.ticker.min_interval = 1  # whole epochs: no "0.2 epoch" before the first step
        if axis_type == "log":  # a narrow log range packs its minor ticks into a black bar
            fig.yaxis.minor_tick_line_color = None
        # Above the plot, not on the curves; the test entry only when there is test data (``redraw``).
        entries = (LegendItem(label="training", renderers=[training]), LegendItem(label="test", renderers=[test]),
                   LegendItem(label="run B, training", renderers=[other]))
        self._legends[name] = (Legend(items=list(entries), orientation="horizontal", location="top_right",
                                      border_line_alpha=0, padding=2, margin=0), entries)
        fig.add_layout(self._legends[name][0], "above")
        return fig

    @param.depends("scale", "height", watch=True)
    def _style(self):
        scale = self.scale
        for fig in self._figures.values():
            fig.height = self.height
            for axis in (fig.xaxis, fig.yaxis):
                axis.major_label_text_font_size = f"{11 * scale:g}px"
                axis.axis_label_text_font_size = f"{12 * scale:g}px"
            legend, _ = self._legends[fig.name]
            legend.update(label_text_font_size=f"{12 * scale:g}px", glyph_width=int(20 * scale))
            styles = {"line": {"line_width": 2 * scale}, "start": {"size": 6 * scale},
                      "cross": {"size": 12 * scale, "line_width": 2.5 * scale},
                      "words": {"text_font_size": f"{12 * scale:g}px", "x_offset": -10 * scale}}
            for renderer in fig.renderers:
                renderer.glyph.update(**styles[renderer.name])

    @param.depends("log_scale", watch=True)
    def _show_scale(self):
        self.pane.object = self.log_figure if self.log_scale else self.linear_figure
        self._set_ranges()

    @param.depends("playground.structure", watch=True)
    def redraw(self):
        """Everything again from the playground's history (after a reset or a thinning)."""
        history = self.playground.history
        self.source.data = history.columns()
        self._drawn = (history.generation, len(history))
        self._label()
        self.show_other()

    def _label(self):
        """Each figure's legend and lines: "test" only with test data; run B only while comparing,
        and then run A says so."""
        has_test = self.playground.experiment.network.X_test is not None
        comparing = self.other is not None
        for legend, (training, test, other) in self._legends.values():
            training.label = value("run A, training" if comparing else "training")
            legend.items = [training, *([test] if has_test else []), *([other] if comparing else [])]
            test.renderers[0].visible = has_test
            other.renderers[0].visible = comparing

    @param.depends("other", watch=True)
    def _on_other(self):
        self.redraw()

    def show_other(self):
        """Send the compared run's new rows (all of them after a thinning or a new run), and fit
        the ranges to both runs."""
        other, (run, generation, rows) = self.other, self._other_drawn
        if other is None:
            self.other_source.data = {"epoch": [], "loss": []}
        elif other is not run or other.generation != generation:
            self.other_source.data = {"epoch": list(other.epoch), "loss": list(other.loss)}
        elif len(other) > rows:
            self.other_source.stream({"epoch": other.epoch[rows:], "loss": other.loss[rows:]})
        self._other_drawn = (other, getattr(other, "generation", None), len(other) if other is not None else 0)
        self._set_ranges()

    @param.depends("playground.tick", watch=True)
    def update(self):
        """Stream the rows added since the last update, or redraw if older rows changed."""
        history = self.playground.history
        generation, drawn_rows = self._drawn
        if history.generation != generation:
            self.redraw()
            return
        if len(history) > drawn_rows:
            self.source.stream({key: values[drawn_rows:] for key, values in history.columns().items()})
            self._drawn = (generation, len(history))
        self._set_ranges()

    def _set_ranges(self):
        """Ranges of the figure on show (the other one gets its ranges when it is shown), and the stop mark."""
        history = self.playground.history
        divergence = self.playground.experiment.network.divergence
        fig = self.log_figure if self.log_scale else self.linear_figure
        other = self.other.loss if self.other is not None else []
        start, end = loss_range(history.loss + history.test_loss + other, self.log_scale)
        fig.y_range.update(start=start, end=end)
        first = history.epoch[0] if history.epoch else 0
        last = max(history.epoch[-1] if history.epoch else 0, first + 1)
        if divergence is not None:  # room for the mark at the epoch that exploded
            last = divergence.epoch + 0.04 * (divergence.epoch - first)
        fig.x_range.update(start=first, end=last)
        mark = stop_mark(history, divergence, (start, end), self.log_scale)
        if mark != self.stop.data:
            self.stop.data = mark
