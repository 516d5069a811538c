"""What the learner puts into the playground by hand: own data, own code, points, weights.

Each edit asks the store (``Playground``) to rebuild or redraw through its public actions;
an edit that cannot be taken changes nothing and says why in the store's ``message``.
"""
import numpy as np

from nn_core import Experiment
from nn_core.custom import CUSTOM, register

from .state import URL_SETTINGS, loss_choices


class Edits:
    """The learner's own data, code, points and weights, handed to the playground."""

    def __init__(self, playground):
        self.playground = playground

    def use_data(self, dataset):
        """Train on the learner's own data (a Dataset from nn_core's parse_csv) as the dataset "csv".

        The settings become those that suit a real table (see ``PlaygroundState.apply_preset``);
        the ones in force before are offered back (``previous_settings``). The network is first
        built on a copy of the settings: if that fails, ``message`` says why, and the current
        data and network keep training. Returns whether the data was taken.
        """
        playground = self.playground
        trial = playground.settings.copy()
        trial.use_own_data(dataset)
        try:
            Experiment.build(dataset, **trial.experiment_settings())
        except ValueError as error:
            playground.message = f"Not changed: {error}"
            return False
        settings = playground.settings
        # Whatever the own data's preset changes is offered back; the data and lesson are not settings to keep.
        before = {name: getattr(settings, name) for name in URL_SETTINGS if name not in ("dataset", "lesson")}
        playground.apply_together(lambda: settings.use_own_data(dataset))
        playground.previous_settings = {name: value for name, value in before.items()
                                        if getattr(settings, name) != value}
        return True

    def keep_previous_settings(self):
        """Back to the settings in force before "Use this data" chose its own; the data stays.

        A loss that does not suit the data's task, and input features of data without exactly
        two inputs, stay as chosen. Returns False when the network could not be built with them."""
        playground = self.playground
        settings = playground.settings
        previous, playground.previous_settings = dict(playground.previous_settings), {}
        if previous.get("loss", settings.loss) not in loss_choices(settings.task()):
            previous.pop("loss")
        if settings.own_data.X.shape[1] != 2:
            previous.pop("features", None)
        return playground.apply_together(lambda: settings.param.update(**previous))

    def edit_data(self, X, y):
        """Train on the learner's own version of a small dataset (original units)."""
        playground = self.playground
        base = playground.experiment.dataset
        edited = base._replace(name=f"{playground.settings.dataset} (edited)", X=np.asarray(X, float),
                               y=np.asarray(y, float))
        previous, playground.edited_data = playground.edited_data, edited
        if not playground.rebuild():
            playground.edited_data = previous
        playground.tick += 1

    def click_on_plane(self, x, y, other_class=False, within=0.25):
        """A click on the data plane: remove the point under it, or add one (class 1; class 0 with shift)."""
        playground = self.playground
        playground.end_replay()
        experiment = playground.experiment
        if experiment.dataset.task != "binary":
            playground.message = "Points can be added by clicking on two-class data (circle, xor, gaussians, spiral)."
            return
        try:
            index = experiment.nearest_point([x, y], within)
            if index is None:
                experiment.add_point([x, y], [0.0 if other_class else 1.0])
            else:
                experiment.remove_point(index)
        except ValueError as error:
            playground.message = f"Not changed: {error}"
            return
        playground.edited_data = experiment.dataset
        network = experiment.network
        playground.param.update(loss=network.loss(network.X_train, network.y_train), message="")
        playground.data_edits += 1
        playground.tick += 1

    def set_weight(self, layer, row, column, value):
        """A learner typed a weight: the network takes it, the views redraw."""
        playground = self.playground
        playground.end_replay()
        network = playground.experiment.network
        try:
            network.set_weight(layer, row, column, float(value))
        except (ValueError, TypeError) as error:
            playground.message = f"Not changed: {error}"
            return
        playground.param.update(loss=network.loss(network.X_train, network.y_train), message="")
        playground.tick += 1

    def use_code(self, custom):
        """Train with the learner's checked code (an nn_core.custom.CustomCode): offer it, pick it, rebuild.

        Returns False when the network could not be built with it (``message`` says why)."""
        playground = self.playground
        register(custom)
        settings = playground.settings
        settings.refresh_choices()
        playground.choices += 1

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
        return playground.apply_together(pick)
