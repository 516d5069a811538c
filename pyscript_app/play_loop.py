"""Play: train frame after frame without blocking the page, and stop when asked.

Each frame trains for a time budget (or the chosen number of epochs), then the playground
bumps ``tick`` once and the views redraw once. While the page is still drawing the last
frame, the loop trains on and leaves the views be; Pause is handled between frames.

Pausing only flips ``is_running``: the button's new label leaves for the page at once, and the
loop, on its next turn, bumps ``tick`` once more so that every view draws the paused network in
full (maps and tables skipped while playing included).
"""
import asyncio

from .runtime import frame_sent, page_is_behind

# A frame trains for this long, then the views redraw: about 30 frames a second.
FRAME_SECONDS = 0.025


class PlayLoop:
    """Plays the playground's training: ``start``, ``stop``, and the stops it was asked for."""

    def __init__(self, playground):
        self.playground = playground
        self._task = None

    def start(self):
        playground = self.playground
        if playground.is_running:
            return
        playground.is_running = True
        if playground.message.startswith("Stopped"):
            playground.message = ""
        if self._task is None or self._task.done():  # else the loop, paused a moment ago, plays on
            self._task = asyncio.ensure_future(self._run())

    def stop(self):
        self.playground.is_running = False

    async def _run(self):
        playground, settings = self.playground, self.playground.settings
        while playground.is_running:
            epochs = settings.epochs_per_frame()
            stop_epoch, target = settings.stop_epoch or 0, settings.target_loss or 0.0
            if stop_epoch:
                if playground.epoch >= stop_epoch:
                    playground.param.update(message=f"Paused at epoch {playground.epoch:,}, as asked.", is_running=False)
                    break
                epochs = min(epochs or stop_epoch, stop_epoch - playground.epoch)
            drawn = not page_is_behind()
            seconds = FRAME_SECONDS if settings.epochs_per_frame() is None else None
            run = playground.train(epochs=epochs, seconds=seconds, target_loss=target or None, redraw=drawn)
            if drawn:
                frame_sent()
            if run is not None and run.stop_reason == "target":
                playground.param.update(message=f"Paused at epoch {playground.epoch:,}: the loss reached {target:g}.",
                                        is_running=False)
            # Give the page a turn: clicks (pause!) are handled between frames.
            await asyncio.sleep(0 if settings.epochs_per_frame() is None else 0.02)
        playground.tick += 1  # paused: the last frame, drawn in full
