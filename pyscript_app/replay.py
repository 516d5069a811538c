"""Replay: snapshots of the weights as training goes, and an earlier epoch shown on the network.

While an old snapshot is shown, the live weights are put aside; Step, Play and every edit put
them back first (``end``), so training always goes on from where it was.
"""
from nn_core.history import WeightSnapshots

# Weight snapshots kept for replay; a long run keeps an even sample of itself.
MAX_SNAPSHOTS = 200


class Replay:
    """The playground's snapshots, and the live network while an earlier one is shown."""

    def __init__(self, playground):
        self.playground = playground
        self.snapshots = WeightSnapshots(MAX_SNAPSHOTS)
        self._live = None  # (params, epoch, loss, test_loss) of the live network while replaying

    def restart(self, network):
        """A new (or reset, or loaded) network: its weights are the first snapshot."""
        self.snapshots.clear()
        self.snapshots.record(network.epoch, network.params)
        self._live = None

    def record(self, network):
        self.snapshots.record(network.epoch, network.params)

    def forget(self):
        """The network was replaced: the weights put aside belong to the old one."""
        self._live = None

    def show(self, epoch):
        """Pause and show the weights kept nearest ``epoch``, saying which epoch that is."""
        playground = self.playground
        playground.pause()
        network = playground.experiment.network
        if self._live is None:
            self._live = (network.params.copy(), playground.epoch, playground.loss, playground.test_loss)
        index = self.snapshots.nearest(epoch)
        network.load_params(self.snapshots.params[index])
        shown, live_epoch = self.snapshots.epochs[index], self._live[1]
        test_loss = None if network.X_test is None else network.loss(network.X_test, network.y_test)
        playground.param.update(
            replay_epoch=shown, epoch=shown, loss=network.loss(network.X_train, network.y_train), test_loss=test_loss,
            message=f"Replaying epoch {shown:,} of {live_epoch:,}; Step or Play goes on from {live_epoch:,}.")

    def end(self):
        """Put the live weights back, if an earlier epoch is shown."""
        if self._live is None:
            return
        params, epoch, loss, test_loss = self._live
        self._live = None
        self.playground.experiment.network.load_params(params)
        self.playground.param.update(replay_epoch=None, epoch=epoch, loss=loss, test_loss=test_loss, message="")
