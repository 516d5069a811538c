"""A bounded loss history: every epoch of a short run, an even sample of a long one.

A loss chart cannot hold a million points, and a learner cannot see them. ``LossHistory``
keeps one epoch in every ``stride``; when it holds more than ``max_points`` rows it drops
every other row and doubles the stride, so memory stays bounded and the whole run stays
in view. Its first row (the loss before training, from ``start``) always stays. ``WeightSnapshots`` does the same for copies of the weights, for replay.
Imports nothing but the standard library.
"""
import math


class LossHistory:
    """Loss per epoch, thinned to at most ``max_points`` rows."""

    def __init__(self, max_points=2000):
        if max_points < 2:
            raise ValueError(f"max_points must be at least 2, got {max_points}.")
        self.max_points = max_points
        self.clear()

    def clear(self):
        self.epoch, self.loss, self.test_loss = [], [], []
        self.stride = 1
        self.generation = getattr(self, "generation", -1) + 1  # changes whenever old rows change

    def start(self, epoch, loss, test_loss=None):
        """Forget every row and begin with the loss before training: epoch 0, or a loaded network's."""
        self.clear()
        self.epoch.append(epoch)
        self.loss.append(loss)
        self.test_loss.append(math.nan if test_loss is None else test_loss)

    def __len__(self):
        return len(self.epoch)

    def extend(self, run):
        """Add a TrainingRun's epochs. Returns (new_rows, thinned).

        ``new_rows`` are the columns just added (for a chart's stream); ``thinned`` is True
        when older rows were dropped, and a chart should then redraw from ``columns()``.
        Missing test losses are stored as NaN, which a chart leaves as a gap.
        """
        if not run.epoch:
            return self._rows(0), False
        start = (-run.epoch[0]) % self.stride
        before = len(self.epoch)
        self.epoch.extend(run.epoch[start :: self.stride])
        self.loss.extend(run.loss[start :: self.stride])
        self.test_loss.extend(math.nan if v is None else v for v in run.test_loss[start :: self.stride])
        thinned = False
        while len(self.epoch) > self.max_points:
            self._halve()
            thinned = True
        return (self.columns() if thinned else self._rows(before)), thinned

    def _halve(self):
        self.stride *= 2
        self.generation += 1
        # Keep the first row (where the chart starts) and the rows whose epoch is a multiple of the new stride.
        keep = [i for i, epoch in enumerate(self.epoch) if i == 0 or epoch % self.stride == 0]
        self.epoch = [self.epoch[i] for i in keep]
        self.loss = [self.loss[i] for i in keep]
        self.test_loss = [self.test_loss[i] for i in keep]

    def _rows(self, start):
        return {"epoch": self.epoch[start:], "loss": self.loss[start:], "test_loss": self.test_loss[start:]}

    def columns(self):
        """All rows, as columns: {"epoch": [...], "loss": [...], "test_loss": [...]}."""
        return self._rows(0)


def first_epoch_at(history, loss):
    """The first epoch of ``history`` (a LossHistory) whose training loss is at most ``loss``, or None."""
    return next((epoch for epoch, value in zip(history.epoch, history.loss) if value <= loss), None)


def race(first, second):
    """Which of two runs got down to the loss both have reached, and when.

    Returns (loss, epoch of ``first``, epoch of ``second``): the lower of the two runs' worst
    best losses (the lowest loss both reached), and the first epoch each reached it at; a
    thinned history gives the first kept epoch. (None, None, None) while either run has no
    finite loss.
    """
    lows = [min((v for v in history.loss if math.isfinite(v)), default=None) for history in (first, second)]
    if None in lows:
        return None, None, None
    loss = max(lows)
    return loss, first_epoch_at(first, loss), first_epoch_at(second, loss)


class WeightSnapshots:
    """Copies of the flat weights at chosen epochs, for replaying a run; at most ``max_snapshots``.

    A snapshot is kept when at least ``stride`` epochs have passed since the last one; when
    there are too many, every other one goes and the stride doubles, so a long run keeps an
    even sample of itself in bounded memory.
    """

    def __init__(self, max_snapshots=200):
        if max_snapshots < 2:
            raise ValueError(f"max_snapshots must be at least 2, got {max_snapshots}.")
        self.max_snapshots = max_snapshots
        self.clear()

    def clear(self):
        self.epochs, self.params = [], []
        self.stride = 1

    def __len__(self):
        return len(self.epochs)

    def record(self, epoch, params):
        """Keep a copy of ``params`` (a flat array) as the weights after ``epoch``, if it is due."""
        if self.epochs and epoch < self.epochs[-1] + self.stride:
            return False
        self.epochs.append(epoch)
        self.params.append(params.copy())
        if len(self.epochs) > self.max_snapshots:
            self.stride *= 2
            self.epochs, self.params = self.epochs[::2], self.params[::2]
        return True

    def nearest(self, epoch):
        """Index of the snapshot closest to ``epoch`` (the earlier one on a tie)."""
        if not self.epochs:
            raise ValueError("no snapshots yet: train a few epochs first.")
        return min(range(len(self.epochs)), key=lambda i: (abs(self.epochs[i] - epoch), i))
