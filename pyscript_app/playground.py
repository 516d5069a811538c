"""The playground's store: the settings, the nn_core experiment built from them, and the results.

Views watch this object and only draw it. A setting change rebuilds the experiment (or, for
the learning rate and its kin, changes training on the fly); a failed rebuild keeps the last
good experiment and says why in ``message``. Training happens in ticks: each trains for a
time budget (or a number of epochs), then bumps ``tick`` once, and the views redraw once.

The store keeps the state and the rebuild policy; its parts do one job each and change the
store only through its public actions: ``PlayLoop`` plays (play_loop.py), ``Replay`` shows
earlier epochs (replay.py), ``SavedNetworks`` saves and loads (saving.py), and ``Edits`` takes
the learner's own data, code, points and weights (edits.py). The store's actions of the same
names hand over to them, so views and tests speak to the store alone.
"""
import time

import numpy as np
import param

from nn_core import Experiment, make_dataset, train_test_split
from nn_core.history import LossHistory

from .edits import Edits
from .lessons import LESSONS
from .play_loop import PlayLoop
from .replay import Replay
from .saving import SavedNetworks
from .state import OWN_DATA, TRAINING_SETTINGS, URL_SETTINGS, PlaygroundState, apply_query

# Points kept in the loss chart; longer runs are thinned evenly.
HISTORY_POINTS = 2000
# Data tables this small can be edited cell by cell.
EDITABLE_ROWS = 12

# Settings that only steer the play loop: no rebuild.
PLAY_SETTINGS = ("speed", "stop_epoch", "target_loss")
EXPERIMENT_SETTINGS = [
    name for name in PlaygroundState.param
    if name not in ("name", "dataset", "lesson", *PLAY_SETTINGS, *TRAINING_SETTINGS)
]


class Playground(param.Parameterized):
    settings = param.ClassSelector(class_=PlaygroundState)
    epoch = param.Integer(0, doc="Epochs trained since the last reset.")
    loss = param.Number(None, allow_None=True, doc="Training loss now.")
    test_loss = param.Number(None, allow_None=True, doc="Test loss now (None without test data).")
    message = param.String("", doc="Plain text: what went wrong, or what just happened.")
    is_running = param.Boolean(False, doc="Playing: training frame after frame.")
    tick = param.Integer(0, doc="Bumped once after every bit of training: views redraw on it.")
    structure = param.Integer(0, doc="Bumped when the network or the data is rebuilt.")
    data_edits = param.Integer(0, doc="Bumped when points are added or removed; the network stays.")
    sample_index = param.Integer(0, bounds=(0, None), doc="Training sample whose values the graph shows.")
    epochs_per_second = param.Number(0.0, doc="Training speed of the last frame.")
    replay_epoch = param.Integer(None, allow_None=True,
                                 doc="Epoch of the snapshot the views show while replaying; None: the live network.")
    focused_neuron = param.Tuple(None, length=2, allow_None=True,
                                 doc="(layer, neuron) whose map the big map shows; None: the output.")
    choices = param.Integer(0, doc="Bumped when the learner's own code joins the choices.")
    previous_settings = param.Dict({}, doc="Settings in force before own data chose its own: offered back.")

    def __init__(self, **params):
        params.setdefault("settings", PlaygroundState())
        super().__init__(**params)
        self.edited_data = None  # the learner's own edits of a small dataset
        self.history = LossHistory(HISTORY_POINTS)
        self.replaying = Replay(self)
        self.play_loop = PlayLoop(self)
        self.files = SavedNetworks(self)
        self.edits = Edits(self)
        self.experiment = None
        self._applying_preset = False
        self.rebuild()
        self.settings.param.watch(self._on_dataset, ["dataset"])
        self.settings.param.watch(self._on_lesson, ["lesson"])
        self.settings.param.watch(self._on_experiment_setting, EXPERIMENT_SETTINGS)
        self.settings.param.watch(self._on_training_setting, list(TRAINING_SETTINGS))

    # ----- building -----------------------------------------------------------------------
    def dataset(self):
        settings = self.settings
        if self.edited_data is not None and self.edited_data.name.startswith(settings.dataset):
            return self.edited_data
        if settings.dataset == OWN_DATA:
            return settings.own_data
        return make_dataset(settings.dataset, n_samples=settings.n_samples, noise=settings.noise, seed=settings.seed)

    @property
    def snapshots(self):
        """Weight snapshots of the run (nn_core's WeightSnapshots), for replay."""
        return self.replaying.snapshots

    def rebuild(self):
        """A new experiment from the settings; on a bad setting, keep the old one and say why.
        Returns whether the network was rebuilt."""
        try:
            experiment = Experiment.build(self.dataset(), **self.settings.experiment_settings())
        except ValueError as error:
            self.message = f"Not changed: {error}"
            return False
        self.replaying.forget()  # a replay of the old network ends with it
        self.experiment = experiment
        self._restart()
        self.param.update(structure=self.structure + 1, message="")
        return True

    def _restart(self):
        """Charts, snapshots and the views start again from the network as it is (epoch 0, or a loaded one's)."""
        network = self.experiment.network
        self.replaying.restart(network)
        loss = network.loss(network.X_train, network.y_train)
        test_loss = None if network.X_test is None else network.loss(network.X_test, network.y_test)
        self.history.start(network.epoch, loss, test_loss)  # the chart starts from the untrained loss
        self.param.update(epoch=network.epoch, loss=loss, test_loss=test_loss, sample_index=0, focused_neuron=None,
                          replay_epoch=None)

    def _on_dataset(self, event):
        """A new dataset brings its preset settings, and ends a lesson about other data."""
        self.previous_settings = {}

        def change():
            lesson = self.settings.lesson
            if lesson and LESSONS[lesson][1]["dataset"] != event.new:
                self.settings.lesson = ""
            self.settings.apply_preset()

        self.apply_together(change if not self._applying_preset else self.settings.apply_preset)

    def pick_dataset(self, name):
        """The learner chose data (a picture): its preset follows (see ``_on_dataset``)."""
        self.settings.dataset = name

    def _on_lesson(self, event):
        """A lesson brings its settings."""
        if event.new:
            self.apply_together(lambda: apply_query(self.settings, LESSONS[event.new][1]))

    def apply_together(self, change):
        """Many setting changes, one rebuild (none when an outer change will rebuild).

        Returns False when the rebuild was refused (``message`` says why)."""
        outer, self._applying_preset = self._applying_preset, True
        try:
            change()
        finally:
            self._applying_preset = outer
        if outer:
            return True
        self.edited_data = None
        rebuilt = self.rebuild()
        self.tick += 1
        return rebuilt

    def _on_experiment_setting(self, *events):
        if not self._applying_preset:
            self.rebuild()
            self.tick += 1

    def _on_training_setting(self, *events):
        if self._applying_preset:
            return
        try:
            self.experiment.network.update_training(**self.settings.training_settings())
        except ValueError as error:
            self.message = f"Not changed: {error}"

    def set_hidden_sizes(self, sizes):
        """Change the hidden layers, or say why not (e.g. more than the page can draw)."""
        try:
            self.settings.hidden_sizes = self.settings.check_hidden_sizes(sizes)
        except ValueError as error:
            self.message = f"Not changed: {error}"

    # ----- the learner's own data, code, points and weights: see edits.py ------------------
    def use_data(self, dataset):
        return self.edits.use_data(dataset)

    def keep_previous_settings(self):
        return self.edits.keep_previous_settings()

    def edit_data(self, X, y):
        self.edits.edit_data(X, y)

    def click_on_plane(self, x, y, other_class=False, within=0.25):
        self.edits.click_on_plane(x, y, other_class, within)

    def set_weight(self, layer, row, column, value):
        self.edits.set_weight(layer, row, column, value)

    def use_code(self, custom):
        return self.edits.use_code(custom)

    # ----- saving and loading -------------------------------------------------------------
    def live_experiment(self):
        """The experiment with the weights training reached: a replay ends first, so that what is
        saved or exported is never an old snapshot labelled with the latest epoch."""
        if self.replay_epoch is not None:
            self.replay(None)
        return self.experiment

    def network_json(self):
        """The network, its data and the page's settings, as nn_core's saved-network JSON (saving.py)."""
        return self.files.to_json()

    def load_network(self, text):
        self.files.load(text)

    def adopt(self, experiment, settings, message=""):
        """Take a whole experiment (a loaded file's) with its settings (a PlaygroundState), without
        a rebuild: every setting at once, and the network as it is; ``message`` says so."""
        self.pause()
        outer, self._applying_preset = self._applying_preset, True
        try:
            if settings.own_data is not None:
                self.settings.own_data = settings.own_data
            self.settings.refresh_choices()  # as the loaded settings offered them
            self.settings.lesson = ""
            self.settings.dataset = settings.dataset
            self.settings.param.update({name: getattr(settings, name) for name in URL_SETTINGS
                                        if name not in ("lesson", "dataset")})
        finally:
            self._applying_preset = outer
        self.previous_settings = {}
        self.edited_data = None
        if self.settings.dataset != OWN_DATA:  # own data is the file's already; nn_core's is made again
            generated = train_test_split(self.dataset(), experiment.test_ratio, experiment.split_seed)
            saved = (experiment.train_set, experiment.test_set)
            if not all(np.array_equal(ours.X, theirs.X) and np.array_equal(ours.y, theirs.y)
                       for ours, theirs in zip(generated, saved)):
                self.edited_data = experiment.dataset  # data the settings cannot make again (edited points, say)
        self.experiment = experiment
        self._restart()
        self.param.update(structure=self.structure + 1, message=message)
        self.tick += 1

    # ----- training -----------------------------------------------------------------------
    def step(self, epochs=1):
        """Train a number of epochs now, then redraw once."""
        self.train(epochs=epochs)

    def reset(self):
        """New starting weights from the seed; the data stays."""
        self._start_again(lambda network: None)

    def start_from(self, weights):
        """Start again from these weights (one array per layer, e.g. the tutorial's own), as Reset
        starts from the seed's: epoch 0, the charts and snapshots begun anew."""
        def set_weights(network):
            for layer, values in enumerate(weights):
                for (row, column), value in np.ndenumerate(np.asarray(values, dtype=float)):
                    network.set_weight(layer, row, column, value)
        self._start_again(set_weights)

    def start_like(self, other):
        """Start again from the weights and biases another network (of the same shape) has now."""
        self._start_again(lambda network: network.load_params(other.params.copy()))

    def _start_again(self, set_weights):
        """Epoch 0 again: the seed's weights, then ``set_weights(network)``; charts and snapshots anew."""
        self.pause()
        self.replaying.forget()  # the replayed weights go too
        network = self.experiment.network
        network.reset()
        set_weights(network)
        self._restart()
        self.message = ""
        self.tick += 1

    def train(self, epochs=None, seconds=None, target_loss=None, redraw=True):
        """Train (see nn_core's Experiment.train) and record the run; ``redraw``: bump ``tick``.
        Returns the run, or None when training could not go on (``message`` says why)."""
        self.end_replay()
        network = self.experiment.network
        if network.divergence is not None:
            self.param.update(message=f"Stopped: {network.divergence.message}", is_running=False)
            return None
        start = time.perf_counter()
        try:
            run = self.experiment.train(epochs=epochs, seconds=seconds, target_loss=target_loss)
        except ValueError as error:  # the learner's own code failed on the training data
            self.param.update(message=f"Stopped: {error}", is_running=False)
            return None
        elapsed = time.perf_counter() - start
        self.history.extend(run)
        self.replaying.record(network)
        last = run.last
        updates = {"epoch": network.epoch}
        if last is not None:
            updates.update(loss=last.loss, test_loss=last.test_loss,
                           epochs_per_second=len(run.epoch) / elapsed if elapsed > 0 else 0.0)
        if network.divergence is not None:
            updates.update(message=f"Stopped: {network.divergence.message}", is_running=False)
        self.param.update(**updates)
        if redraw:
            self.tick += 1
        return run

    def play(self):
        """Start training frame after frame, without blocking the page (play_loop.py)."""
        self.play_loop.start()

    def pause(self):
        self.play_loop.stop()

    # ----- replay: see replay.py ------------------------------------------------------------
    def replay(self, epoch):
        """Pause and show the weights kept nearest ``epoch``; ``None`` goes back to the live network.
        Step, Play or any edit also go back first, so training always goes on from where it was."""
        if epoch is None:
            self.end_replay()
        else:
            self.replaying.show(epoch)
        self.tick += 1

    def end_replay(self):
        self.replaying.end()

    # ----- reading ------------------------------------------------------------------------
    def scores(self):
        """The experiment's metrics, computed once per tick however many views read them."""
        key = (self.tick, self.structure, id(self.experiment))
        if getattr(self, "_scores_key", None) != key:
            self._scores_key, self._scores = key, self.experiment.metrics()
        return self._scores

    def sample_values(self):
        """Weighted sums and activations of every layer for the chosen training sample."""
        network = self.experiment.network
        index = min(self.sample_index, len(network.X_train) - 1)
        return network.forward(network.X_train[index : index + 1])
