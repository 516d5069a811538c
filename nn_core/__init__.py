"""nn_core: the NumPy backpropagation engine of Backprop Playground.

Pure NumPy and the standard library, nothing else, so it runs unchanged in CPython and in
Pyodide in the browser. The app only calls it; nothing here knows about pages or widgets.

    >>> from nn_core import Experiment
    >>> experiment = Experiment.tutorial(seed=0)       # the tutorial's 2-3-1 exam network
    >>> run = experiment.train(epochs=1000)
    >>> experiment.predict([[4, 8]])                   # a test score, in points
"""
from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from .data import DATASETS, Dataset, csv_columns, make_dataset, parse_csv, to_csv, train_test_split
from .experiment import Experiment
from .initializers import INITIALIZERS
from .insight import permutation_importance, weight_path_importance
from .losses import LOSSES
from .network import Config, Network, Record, TrainingRun
from .optimizers import OPTIMIZERS
from .scaling import Scaler, tutorial_scaling

__all__ = [
    "ACTIVATIONS", "HIDDEN_ACTIVATIONS", "DATASETS", "Dataset", "make_dataset", "parse_csv", "to_csv",
    "csv_columns", "train_test_split", "Experiment", "INITIALIZERS", "permutation_importance", "weight_path_importance",
    "LOSSES", "Config", "Network", "Record", "TrainingRun", "OPTIMIZERS", "Scaler", "tutorial_scaling",
]
