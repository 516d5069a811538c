"""Saving and loading: the network, its data and the page's settings as one JSON file.

The file is nn_core's saved-network JSON with the page's settings added; loading it checks
everything before anything changes, then hands the network and settings to the store.
"""
import json

from nn_core import Experiment
from nn_core.custom import CUSTOM

from .state import settings_for, settings_to_query


class SavedNetworks:
    """The playground's network to a file and back."""

    def __init__(self, playground):
        self.playground = playground

    def to_json(self):
        """The network (the live one, never a replayed snapshot), its data and the page's settings."""
        playground = self.playground
        return playground.live_experiment().to_json(settings=settings_to_query(playground.settings))

    def load(self, text):
        """Take a network saved by ``to_json`` (or nn_core's ``to_json``): its weights, data and
        settings. A file that is not one changes nothing and ``message`` says what is wrong."""
        try:
            experiment = Experiment.from_json(text)
            settings = settings_for(experiment, json.loads(text).get("settings"))
        except ValueError as error:
            hint = ""
            if repr(CUSTOM) in str(error):  # files never carry code: the learner brings it back
                hint = " It uses your own Python: check and use it under Your Python, then load the file again."
            self.playground.message = f"Not loaded: {error}{hint}"
            return
        self.playground.adopt(experiment, settings, message=f"Loaded the {experiment.dataset.name} network, "
                                                            f"trained for {experiment.network.epoch:,} epochs.")
