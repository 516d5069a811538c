"""How often a view redraws while the network trains: each view owns a ``Throttle``.

A frame of play trains for a few milliseconds and then asks every view to follow. Some views
cost more to draw than a frame's budget (a map is a forward pass over a grid), and a learner
cannot read them thirty times a second anyway; they redraw at most every ``interval`` seconds
while playing, and at once when paused, stepped or rebuilt.
"""
import time

# While playing, maps and tables are redrawn at most this often (seconds).
MAP_INTERVAL = 0.2
# ... and the maths tab's grids of numbers at most this often: each rewrite makes the page measure
# and lay out every cell again (about a tenth of the page's time at five a second), and nobody
# reads numbers that change five times a second.
TABLE_INTERVAL = 1.0


class Throttle:
    """Says whether its view may redraw now: always when not playing, otherwise once per ``interval``."""

    def __init__(self, interval=MAP_INTERVAL):
        self.interval = interval
        self.drawn_at = float("-inf")

    def due(self, is_running):
        """True when the view may redraw now; a True answer counts as a redraw."""
        now = time.perf_counter()
        if is_running and now - self.drawn_at < self.interval:
            return False
        self.drawn_at = now
        return True

    def force(self):
        """The next ``due`` says yes, playing or not (e.g. after the network changed shape)."""
        self.drawn_at = float("-inf")
