"""The loss chart: training and test loss per epoch, streamed while training.

Two figures share one source, one with a log scale (the default: the tutorial's loss falls
from 0.1 to 1e-13) and one linear; the toggle swaps which one the pane shows. Ranges are set here, not
auto-ranged by the browser, so the page never sends range changes back mid-training.
"""
import math

import panel as pn
import param
from bokeh.models import ColumnDataSource, Range1d
from bokeh.plotting import figure

from .graph_view import NEGATIVE, POSITIVE


def loss_range(losses, log_scale):
    """(start, end) of the y axis that shows every finite, positive loss with a margin."""
    values = [v for v in losses if v is not None and math.isfinite(v) and (v > 0 or not log_scale)]
    if not values:
        return (1e-4, 1.0) if log_scale else (0.0, 1.0)
    low, high = min(values), max(values)
    if log_scale:
        return low / 2.0, high * 2.0
    return 0.0, (high * 1.1 if high > 0 else 1.0)


class LossChart(param.Parameterized):
    playground = param.Parameter()
    log_scale = param.Boolean(True, doc="Show the loss on a logarithmic axis.")

    def __init__(self, **params):
        super().__init__(**params)
        self.source = ColumnDataSource(data={"epoch": [], "loss": [], "test_loss": []}, name="loss-history")
        self.log_figure = self._make_figure("log")
        self.linear_figure = self._make_figure("linear")
        self.log_figure.name, self.linear_figure.name = "loss-log", "loss-linear"
        # One pane shows one of the figures; the toggle swaps which.
        self.pane = pn.pane.Bokeh(self.log_figure, sizing_mode="stretch_width")
        self.redraw()
        self.playground.param.watch(lambda *events: self.update(), ["tick"])
        self.playground.param.watch(lambda *events: self.redraw(), ["structure"])
        self.param.watch(self._on_scale, ["log_scale"])

    def _make_figure(self, axis_type):
        fig = figure(
            height=200, sizing_mode="stretch_width", y_axis_type=axis_type, toolbar_location=None, tools="",
            x_range=Range1d(0, 1), y_range=Range1d(1e-4, 1), x_axis_label="epoch", y_axis_label="loss",
            min_border_left=50,
        )
        fig.line("epoch", "loss", source=self.source, line_color=POSITIVE, line_width=2, legend_label="training")
        fig.line("epoch", "test_loss", source=self.source, line_color=NEGATIVE, line_width=2, line_dash="dashed",
                 legend_label="test")
        fig.legend.location = "top_right"
        fig.legend.background_fill_alpha = 0.6
        return fig

    def _on_scale(self, event):
        self.pane.object = self.log_figure if self.log_scale else self.linear_figure
        self._set_ranges()

    def redraw(self):
        """Everything again from the playground's history (after a reset or a thinning)."""
        history = self.playground.history
        self.source.data = history.columns()
        self._drawn = (history.generation, len(history))
        self._set_ranges()

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
        """Ranges of the figure on show (the other one gets its ranges when it is shown)."""
        history = self.playground.history
        shown = ((self.log_figure, True),) if self.log_scale else ((self.linear_figure, False),)
        for fig, log_scale in shown:
            start, end = loss_range(history.loss + history.test_loss, log_scale)
            fig.y_range.update(start=start, end=end)
            fig.x_range.update(start=0, end=max(history.epoch[-1] if history.epoch else 1, 1))
