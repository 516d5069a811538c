"""The playground's store: the settings, the nn_core experiment built from them, and the results.

Views watch this object and only draw it. A setting change rebuilds the experiment (or, for
the learning rate and its kin, changes training on the fly); a failed rebuild keeps the last
good experiment and says why in ``message``. Training happens in ticks: each trains for a
time budget (or a number of epochs), then bumps ``tick`` once, and the views redraw once.
"""
import asyncio
import json
import time

import numpy as np
import param

from nn_core import Experiment, make_dataset, train_test_split
from nn_core.custom import CUSTOM, register
from nn_core.history import LossHistory, WeightSnapshots

from .lessons import LESSONS
from .runtime import frame_sent, page_is_behind
from .state import (OWN_DATA, PRESET_SETTINGS, TRAINING_SETTINGS, URL_SETTINGS, PlaygroundState, apply_query, loss_choices,
                    settings_for, settings_to_query)

# A frame trains for this long, then the views redraw: about 30 frames a second.
FRAME_SECONDS = 0.025
# Points kept in the loss chart; longer runs are thinned evenly.
HISTORY_POINTS = 2000
# Weight snapshots kept for replay; a long run keeps an even sample of itself.
MAX_SNAPSHOTS = 200
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
        self.snapshots = WeightSnapshots(MAX_SNAPSHOTS)
        self._live = None  # (params, epoch, loss, test_loss) of the live network while replaying
        self.experiment = None
        self._play_task = None
        self._applying_preset = False
        self._rebuild()
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

    def _rebuild(self):
        """A new experiment from the settings; on a bad setting, keep the old one and say why."""
        try:
            experiment = Experiment.build(self.dataset(), **self.settings.experiment_settings())
        except ValueError as error:
            self.message = f"Not changed: {error}"
            return False
        self._live = None  # a replay of the old network ends with it
        self.experiment = experiment
        self._restart()
        self.param.update(structure=self.structure + 1, message="")
        return True

    def _restart(self):
        """Charts, snapshots and the views start again from the network as it is (epoch 0, or a loaded one's)."""
        network = self.experiment.network
        self.snapshots.clear()
        self.snapshots.record(network.epoch, network.params)
        self._live = None
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

        self._apply_together(change if not self._applying_preset else self.settings.apply_preset)

    def pick_dataset(self, name):
        """The learner chose data (a picture): its preset follows (see ``_on_dataset``)."""
        self.settings.dataset = name

    def _on_lesson(self, event):
        """A lesson brings its settings."""
        if event.new:
            self._apply_together(lambda: apply_query(self.settings, LESSONS[event.new][1]))

    def _apply_together(self, change):
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
        rebuilt = self._rebuild()
        self.tick += 1
        return rebuilt

    def use_code(self, custom):
        """Train with the learner's checked code (an nn_core.custom.CustomCode): offer it, pick it, rebuild.

        Returns False when the network could not be built with it (``message`` says why)."""
        register(custom)
        settings = self.settings
        settings.refresh_choices()
        self.choices += 1

        def pick():
            if custom.kind == "activation":
                settings.activation = CUSTOM
            elif custom.kind == "loss":
                settings.loss = CUSTOM
            elif custom.kind == "feature":
                # Beside the features already chosen; with none chosen, beside the raw inputs.
                chosen = list(settings.features) or ["x1", "x2"]
                settings.features = chosen if CUSTOM in chosen else [*chosen, CUSTOM]
            else:
                settings.dataset = CUSTOM

        # Even when "custom" was already picked, the network is rebuilt: the code is new.
        return self._apply_together(pick)

    def _on_experiment_setting(self, *events):
        if not self._applying_preset:
            self._rebuild()
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

    def set_weight(self, layer, row, column, value):
        """A learner typed a weight: the network takes it, the views redraw."""
        self._end_replay()
        try:
            self.experiment.network.set_weight(layer, row, column, float(value))
        except (ValueError, TypeError) as error:
            self.message = f"Not changed: {error}"
            return
        loss = self.experiment.network.loss(self.experiment.network.X_train, self.experiment.network.y_train)
        self.param.update(loss=loss, message="")
        self.tick += 1

    def click_on_plane(self, x, y, other_class=False, within=0.25):
        """A click on the data plane: remove the point under it, or add one (class 1; class 0 with shift)."""
        self._end_replay()
        experiment = self.experiment
        if experiment.dataset.task != "binary":
            self.message = "Points can be added by clicking on two-class data (circle, xor, gaussians, spiral)."
            return
        try:
            index = experiment.nearest_point([x, y], within)
            if index is None:
                experiment.add_point([x, y], [0.0 if other_class else 1.0])
            else:
                experiment.remove_point(index)
        except ValueError as error:
            self.message = f"Not changed: {error}"
            return
        self.edited_data = experiment.dataset
        network = experiment.network
        self.param.update(loss=network.loss(network.X_train, network.y_train), message="")
        self.data_edits += 1
        self.tick += 1

    def use_data(self, dataset):
        """Train on the learner's own data (a Dataset from nn_core's parse_csv) as the dataset "csv".

        The input and output layers follow the data, the output and loss its task; the other
        settings stay. The network is first built on a copy of the settings: if that fails,
        ``message`` says why, and the current data and network keep training. Returns
        whether the data was taken.
        """
        trial = self.settings.copy()
        trial.use_own_data(dataset)
        try:
            Experiment.build(dataset, **trial.experiment_settings())
        except ValueError as error:
            self.message = f"Not changed: {error}"
            return False
        before = {name: getattr(self.settings, name) for name in PRESET_SETTINGS}
        self._apply_together(lambda: self.settings.use_own_data(dataset))
        self.previous_settings = {name: value for name, value in before.items() if getattr(self.settings, name) != value}
        return True

    def keep_previous_settings(self):
        """Back to the settings in force before "Use this data" chose its own; the data stays.

        A loss that does not suit the data's task, and input features of data without exactly
        two inputs, stay as chosen. Returns False when the network could not be built with them."""
        previous, self.previous_settings = dict(self.previous_settings), {}
        if previous.get("loss", self.settings.loss) not in loss_choices(self.settings.task()):
            previous.pop("loss")
        if self.settings.own_data.X.shape[1] != 2:
            previous.pop("features", None)
        return self._apply_together(lambda: self.settings.param.update(**previous))

    def edit_data(self, X, y):
        """Train on the learner's own version of a small dataset (original units)."""
        base = self.experiment.dataset
        edited = base._replace(name=f"{self.settings.dataset} (edited)", X=np.asarray(X, float), y=np.asarray(y, float))
        previous, self.edited_data = self.edited_data, edited
        if not self._rebuild():
            self.edited_data = previous
        self.tick += 1

    # ----- saving and loading -------------------------------------------------------------
    def live_experiment(self):
        """The experiment with the weights training reached: a replay ends first, so that what is
        saved or exported is never an old snapshot labelled with the latest epoch."""
        if self.replay_epoch is not None:
            self.replay(None)
        return self.experiment

    def network_json(self):
        """The network, its data and the page's settings, as nn_core's saved-network JSON."""
        return self.live_experiment().to_json(settings=settings_to_query(self.settings))

    def load_network(self, text):
        """Take a network saved by ``network_json`` (or nn_core's ``to_json``): its weights, data
        and settings. A file that is not one changes nothing and ``message`` says what is wrong."""
        try:
            experiment = Experiment.from_json(text)
            settings = settings_for(experiment, json.loads(text).get("settings"))
        except ValueError as error:
            hint = ""
            if repr(CUSTOM) in str(error):  # files never carry code: the learner brings it back
                hint = " It uses your own Python: check and use it under Your Python, then load the file again."
            self.message = f"Not loaded: {error}{hint}"
            return
        self.pause()
        outer, self._applying_preset = self._applying_preset, True
        try:  # every setting at once, and no rebuild: the loaded network is the one to keep
            if settings.own_data is not None:
                self.settings.own_data = settings.own_data
            self.settings.refresh_choices()  # as settings_for offered them
            self.settings.lesson = ""
            self.settings.dataset = settings.dataset
            self.settings.param.update({name: getattr(settings, name) for name in URL_SETTINGS
                                        if name not in ("lesson", "dataset")})
        finally:
            self._applying_preset = outer
        self.edited_data = None
        if self.settings.dataset != OWN_DATA:  # own data is the file's already; nn_core's is made again
            generated = train_test_split(self.dataset(), experiment.test_ratio, experiment.split_seed)
            saved = (experiment.train_set, experiment.test_set)
            if not all(np.array_equal(ours.X, theirs.X) and np.array_equal(ours.y, theirs.y)
                       for ours, theirs in zip(generated, saved)):
                self.edited_data = experiment.dataset  # data the settings cannot make again (edited points, say)
        self.experiment = experiment
        self._restart()
        self.param.update(structure=self.structure + 1,
                          message=f"Loaded the {experiment.dataset.name} network, trained for "
                                  f"{experiment.network.epoch:,} epochs.")
        self.tick += 1

    # ----- training -----------------------------------------------------------------------
    def step(self, epochs=1):
        """Train a number of epochs now, then redraw once."""
        self._train(epochs=epochs)

    def reset(self):
        """New starting weights from the seed; the data stays."""
        self.pause()
        self._live = None  # the replayed weights go too
        self.experiment.network.reset()
        self._restart()
        self.message = ""
        self.tick += 1

    def _train(self, epochs=None, seconds=None, target_loss=None, redraw=True):
        self._end_replay()
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
        self.snapshots.record(network.epoch, network.params)
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
        """Start training frame after frame, without blocking the page."""
        if self.is_running:
            return
        self.is_running = True
        if self.message.startswith("Stopped"):
            self.message = ""
        self._play_task = asyncio.ensure_future(self._play_loop())

    def pause(self):
        self.is_running = False

    async def _play_loop(self):
        drawn = True
        while self.is_running:
            epochs = self.settings.epochs_per_frame()
            stop_epoch, target = self.settings.stop_epoch or 0, self.settings.target_loss or 0.0
            if stop_epoch:
                if self.epoch >= stop_epoch:
                    self.param.update(message=f"Paused at epoch {self.epoch:,}, as asked.", is_running=False)
                    break
                epochs = min(epochs or stop_epoch, stop_epoch - self.epoch)
            # While the page is still drawing the last frame, train on and leave the views be.
            drawn = not page_is_behind()
            seconds = FRAME_SECONDS if self.settings.epochs_per_frame() is None else None
            run = self._train(epochs=epochs, seconds=seconds, target_loss=target or None, redraw=drawn)
            if drawn:
                frame_sent()
            if run is not None and run.stop_reason == "target":
                self.param.update(message=f"Paused at epoch {self.epoch:,}: the loss reached {target:g}.",
                                  is_running=False)
            # Give the page a turn: clicks (pause!) are handled between frames.
            await asyncio.sleep(0 if self.settings.epochs_per_frame() is None else 0.02)
        if not drawn:
            self.tick += 1  # the last frame's numbers were not drawn yet

    # ----- replay -------------------------------------------------------------------------
    def replay(self, epoch):
        """Pause and show the weights kept nearest ``epoch``; ``None`` goes back to the live network.
        Step, Play or any edit also go back first, so training always goes on from where it was."""
        if epoch is None:
            self._end_replay()
            self.tick += 1
            return
        self.pause()
        network = self.experiment.network
        if self._live is None:
            self._live = (network.params.copy(), self.epoch, self.loss, self.test_loss)
        index = self.snapshots.nearest(epoch)
        network.load_params(self.snapshots.params[index])
        shown, live_epoch = self.snapshots.epochs[index], self._live[1]
        test_loss = None if network.X_test is None else network.loss(network.X_test, network.y_test)
        self.param.update(replay_epoch=shown, epoch=shown, loss=network.loss(network.X_train, network.y_train),
                          test_loss=test_loss,
                          message=f"Replaying epoch {shown:,} of {live_epoch:,}; Step or Play goes on from {live_epoch:,}.")
        self.tick += 1

    def _end_replay(self):
        if self._live is None:
            return
        params, epoch, loss, test_loss = self._live
        self._live = None
        self.experiment.network.load_params(params)
        self.param.update(replay_epoch=None, epoch=epoch, loss=loss, test_loss=test_loss, message="")

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
