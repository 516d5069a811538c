"""Replay: a slider back through the weights kept while training.

The store keeps snapshots of the weights (``Playground.snapshots``, bounded: a long run keeps an
even sample). Dragging the slider pauses and shows the snapshot nearest the chosen epoch in the
graph, the maps and the maths view; **Live** (or Step, or Play) goes back to the latest weights.
"""
import panel as pn
import param
from panel.viewable import Viewer

from .playground import Playground
from .throttle import Throttle


class ReplayBar(Viewer):
    """The replay slider and its Live button; follows the snapshots as they are kept."""

    playground = param.ClassSelector(class_=Playground, doc="The store whose snapshots are replayed.")

    def __init__(self, **params):
        super().__init__(**params)
        self.slider = pn.widgets.IntSlider(name="Replay: epoch 0", start=0, end=1, value=1, step=1, show_value=False,
                                           sizing_mode="stretch_width", css_classes=["replay-slider"])
        self.live = pn.widgets.Button(name="Live", width=70, disabled=True, css_classes=["replay-live"])
        self.throttle = Throttle()
        self._following = False  # True while the slider is moved from here, not by the learner
        self.slider.param.watch(self._on_slide, ["value"])
        self.live.on_click(lambda event: self.playground.replay(None))
        self.update()

    @param.depends("playground.tick", "playground.structure", "playground.replay_epoch", watch=True)
    def update(self):
        playground = self.playground
        replaying = playground.replay_epoch is not None
        if not self.throttle.due(playground.is_running):
            return
        epochs = playground.snapshots.epochs
        last = max(len(epochs) - 1, 1)
        index = playground.snapshots.nearest(playground.replay_epoch) if replaying else last
        self._following = True
        try:
            self.slider.param.update(end=last, value=index, disabled=len(epochs) < 2,
                                     name=f"Replay: epoch {epochs[min(index, len(epochs) - 1)]:,}"
                                     + ("" if replaying else " (live)"))
        finally:
            self._following = False
        self.live.disabled = not replaying

    def _on_slide(self, event):
        if self._following:
            return
        epochs = self.playground.snapshots.epochs
        self.playground.replay(epochs[min(event.new, len(epochs) - 1)])

    def __panel__(self):
        return pn.Row(self.slider, self.live, sizing_mode="stretch_width", css_classes=["replay"])
