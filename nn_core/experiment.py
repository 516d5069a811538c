"""An experiment: a dataset, its train/test split, its scalers and the network that learns it.

This is what the playground and the command line train. Data goes in and predictions come
out in original units; the network only ever sees scaled numbers. An experiment saves to
JSON (architecture, hyper-parameters, weights, scalers, names) and loads back, and exports
its weights as text like the tutorial's ``np.savetxt``.
Imports nothing but NumPy and the standard library.
"""
import io
import json

import numpy as np

from . import metrics
from .data import Dataset, make_dataset, to_csv, train_test_split
from .features import feature_matrix
from .losses import TASKS
from .network import Config, Network
from .scaling import Scaler, tutorial_scaling

FORMAT = "backprop-playground-network"
FORMAT_VERSION = 1

# How targets are scaled by default: classes are already 0/1; numbers go onto [0, 1] so a
# sigmoid output can reach them. The exam's scores are divided by 100, as in the tutorial.
DEFAULT_TARGET_SCALING = {"regression": "minmax", "binary": "none", "multiclass": "none"}

# The tutorial's network and training, as Experiment.build settings.
TUTORIAL_SETTINGS = {
    "hidden_sizes": (3,),
    "hidden_activation": "sigmoid",
    "output_activation": "sigmoid",
    "loss": "mse",
    "use_bias": False,
    "learning_rate": 1.0,
    "optimizer": "sgd",
    "batch_size": 0,
    "reduction": "sum",  # W += X.T @ delta adds up the samples' gradients
    "init": "normal",
    "input_scaling": "max",
    "target_scaling": "fixed",
    "target_scale": 100.0,  # "max test score is 100"
}


def suggested_settings(task):
    """Experiment.build settings that suit a task: TF Playground's defaults (4-2 tanh,
    learning rate 0.03, batches of 10, biases) with the output layer and loss of the task."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of: {', '.join(TASKS)}.")
    return {
        "hidden_sizes": (4, 2),
        "hidden_activation": "tanh",
        "output_activation": TASKS[task].output_activation,
        "loss": TASKS[task].losses[0],
        "use_bias": True,
        "learning_rate": 0.03,
        "optimizer": "sgd",
        "batch_size": 10,
        "reduction": "mean",
        "init": "glorot",
    }


def dataset_settings(name, task):
    """Experiment.build settings for the dataset ``name`` of kind ``task``: the tutorial's for the
    exam data, ``DIGITS_SETTINGS`` for the digits, else ``suggested_settings(task)``."""
    if name == "exam":
        return dict(TUTORIAL_SETTINGS)
    if name == "digits":
        return dict(DIGITS_SETTINGS)
    return suggested_settings(task)


# A real table (the learner's own CSV: tens to hundreds of rows, a handful to tens of columns)
# with the tutorial's settings (sigmoid, no biases, learning rate 1 on summed gradients) guesses
# or diverges. These suit such tables: columns brought to mean 0 and spread 1 so that no unit
# of measure dominates, biases, tanh, Adam (which adapts its step to each weight, so one rate
# suits every table), mini-batches, a third of the rows held back to test, and a small L2
# penalty: tens of rows per weight are few, and without it the test score falls as Play runs
# on (a noisy number's R² from 0.38 after 10 epochs to -0.09 after 1,260). Measured on
# look-alike tables against scikit-learn's MLP in benchmarks/real_data.py.
OWN_DATA_SETTINGS = {
    "hidden_sizes": (8,),
    "hidden_activation": "tanh",
    "use_bias": True,
    "learning_rate": 0.01,
    "optimizer": "adam",
    "batch_size": 10,
    "reduction": "mean",
    "init": "glorot",
    "regularization": "l2",
    "regularization_rate": 0.03,
    "test_ratio": 0.3,
    "input_scaling": "standard",
}


def own_data_settings(task):
    """Experiment.build settings for a real table of kind ``task``: ``OWN_DATA_SETTINGS`` with the
    output layer and loss of the task, and numbers to predict scaled like the inputs."""
    output = suggested_settings(task)
    settings = {**OWN_DATA_SETTINGS, "output_activation": output["output_activation"], "loss": output["loss"]}
    if task == "regression":
        settings["target_scaling"] = "standard"  # a linear output reaches any number
    return settings


# The digits: 16 tanh neurons and Adam reach about 97 % on held-out images within 5 epochs of
# batches of 32. Pixels are already shares of ink from 0 to 1, so they go in unscaled, and the
# first layer's weights then read as pictures of what each neuron looks for.
DIGITS_SETTINGS = {**suggested_settings("multiclass"), "hidden_sizes": (16,), "learning_rate": 0.01,
                   "optimizer": "adam", "batch_size": 32, "input_scaling": "none"}


class Experiment:
    """A network with the data it learns from and the scalers between them."""

    def __init__(self, dataset, config, test_ratio=0.0, split_seed=0,
                 input_scaling="max", target_scaling=None, target_scale=None, features=None):
        # Input features (x1², sin x1, …) replace the raw inputs of 2-input data when given.
        self.features = tuple(features) if features else None
        self.input_names = self.features or tuple(dataset.feature_names)
        expected = (len(self.input_names), dataset.y.shape[1])
        actual = (config.layer_sizes[0], config.layer_sizes[-1])
        if expected != actual:
            raise ValueError(
                f"the data has {expected[0]} inputs and {expected[1]} outputs, the network "
                f"{actual[0]} and {actual[1]}; build the config with Experiment.build(...)."
            )
        self.dataset = dataset
        self.config = config
        self.test_ratio = test_ratio
        self.split_seed = split_seed
        self.train_set, self.test_set = train_test_split(dataset, test_ratio, split_seed)
        if target_scaling is None:
            target_scaling = DEFAULT_TARGET_SCALING[dataset.task]
        self.input_scaler = Scaler.fit(self._features(self.train_set.X), input_scaling)
        self.target_scaler = Scaler.fit(self.train_set.y, target_scaling, target_scale)
        self.network = Network(config)
        self.network.set_data(
            self.to_network(self.train_set.X),
            self.target_scaler.transform(self.train_set.y),
            self.to_network(self.test_set.X) if len(self.test_set.X) else None,
            self.target_scaler.transform(self.test_set.y) if len(self.test_set.y) else None,
        )

    def _features(self, X):
        return X if self.features is None else feature_matrix(X, self.features)

    def to_network(self, X):
        """Raw inputs in original units (n_samples, n_features) → what the network's input layer sees."""
        return self.input_scaler.transform(self._features(X))

    @classmethod
    def build(cls, dataset, hidden_sizes=(3,), hidden_activation="tanh", output_activation=None, **settings):
        """An experiment whose input and output layers follow the data.

        ``settings`` are Config fields (not layer_sizes or activations) plus test_ratio,
        split_seed, input_scaling, target_scaling and target_scale. The output activation
        and the loss default to what suits the task (see ``suggested_settings``).
        """
        experiment_keys = {"test_ratio", "split_seed", "input_scaling", "target_scaling", "target_scale", "features"}
        extra = {key: settings.pop(key) for key in list(settings) if key in experiment_keys}
        if output_activation is None:
            output_activation = suggested_settings(dataset.task)["output_activation"]
        settings.setdefault("loss", suggested_settings(dataset.task)["loss"])
        hidden_sizes = tuple(hidden_sizes)
        # One name for every hidden layer, or one per layer.
        hidden = ((hidden_activation,) * len(hidden_sizes) if isinstance(hidden_activation, str)
                  else tuple(hidden_activation))
        n_inputs = len(extra["features"]) if extra.get("features") else dataset.X.shape[1]
        config = Config(
            layer_sizes=(n_inputs, *hidden_sizes, dataset.y.shape[1]),
            activations=hidden + (output_activation,),
            **settings,
        )
        return cls(dataset, config, **extra)

    @classmethod
    def tutorial(cls, seed=0):
        """The tutorial, exactly: exam data, 2-3-1 sigmoid, no bias, inputs ÷ column max, scores ÷ 100."""
        return cls.build(make_dataset("exam"), **TUTORIAL_SETTINGS, seed=seed)

    # ----- using it -----------------------------------------------------------------------
    def train(self, epochs=None, seconds=None, target_loss=None):
        """Train the network; see Network.train."""
        return self.network.train(epochs=epochs, seconds=seconds, target_loss=target_loss)

    def predict(self, X):
        """Predictions in original units for inputs X in original units, shape (n_samples, n_features)."""
        return self.target_scaler.inverse_transform(self.network.predict(self.to_network(self._checked_inputs(X))))

    def predict_tutorial_scaling(self, X):
        """What the tutorial's code predicts: the new input divided by its own maximum."""
        if self.features is not None:
            raise ValueError("the tutorial's scaling applies to the raw inputs, not to input features.")
        scaled = tutorial_scaling(self._checked_inputs(X))
        return self.target_scaler.inverse_transform(self.network.predict(scaled))

    def metrics(self):
        """{"train": {...}, "test": {...}}: accuracy and a confusion matrix for classes, RMSE
        (original units) and R² for numbers; empty for a part without rows."""
        scores = {}
        for part, data in (("train", self.train_set), ("test", self.test_set)):
            if not len(data.X):
                scores[part] = {}
                continue
            predicted = self.predict(data.X)
            scores[part] = metrics.summary(predicted, data.y, self.dataset.task)
            if self.dataset.task != "regression":
                n_classes = max(2, data.y.shape[1])
                scores[part]["confusion"] = metrics.confusion_matrix(predicted, data.y, n_classes)
        return scores

    def scaling(self):
        """How each column reaches the network, from the training rows: a dict per input (after
        input features), then per target column.

        Keys: "name"; "role", "input" or "target"; "method" (a ``scaling.METHODS`` name);
        "formula" such as "(x1 − 2) ÷ 4"; "offset" and "scale" of scaled = (x − offset) ÷ scale;
        "min", "max", "mean" and "std" in original units; "scaled_min" and "scaled_max" as
        the network sees them.
        """
        rows = []
        for role, names, scaler, values in (
            ("input", self.input_names, self.input_scaler, self._features(self.train_set.X)),
            ("target", self.dataset.target_names, self.target_scaler, self.train_set.y),
        ):
            scaled = scaler.transform(values)  # (n_train, n_columns)
            formulas = scaler.describe(names)
            for column, name in enumerate(names):
                rows.append({
                    "name": name, "role": role, "method": scaler.method, "formula": formulas[column],
                    "offset": float(scaler.offset[column]), "scale": float(scaler.scale[column]),
                    "min": float(values[:, column].min()), "max": float(values[:, column].max()),
                    "mean": float(values[:, column].mean()), "std": float(values[:, column].std()),
                    "scaled_min": float(scaled[:, column].min()), "scaled_max": float(scaled[:, column].max()),
                })
        return rows

    def to_csv(self):
        """The data as CSV text: the training rows, then the test rows, after a first column
        "part" that says which (see ``csv_data.to_csv``)."""
        train, test = self.train_set, self.test_set
        rows = self.dataset._replace(X=np.vstack([train.X, test.X]), y=np.vstack([train.y, test.y]))
        return to_csv(rows, parts=["train"] * len(train.X) + ["test"] * len(test.X))

    def _checked_inputs(self, X):
        X = np.asarray(X, dtype=float)
        if X.ndim == 1:
            X = X[None, :]
        n_features = len(self.dataset.feature_names)
        if X.ndim != 2 or X.shape[1] != n_features:
            raise ValueError(
                f"give {n_features} input values ({', '.join(self.dataset.feature_names)}), got {X.shape[-1]}."
            )
        if not np.isfinite(X).all():
            raise ValueError("inputs must be finite numbers.")
        return X

    def add_point(self, x, target):
        """Add a training row (original units) and keep training: the scalers and weights stay."""
        x = self._checked_inputs(x)
        target = np.asarray(target, dtype=float).reshape(1, -1)
        self._set_training_rows(np.vstack([self.train_set.X, x]), np.vstack([self.train_set.y, target]))

    def remove_point(self, index):
        """Remove training row ``index``; at least two rows stay."""
        if len(self.train_set.X) <= 2:
            raise ValueError("the training data needs at least 2 points; add one before removing another.")
        keep = np.arange(len(self.train_set.X)) != index
        self._set_training_rows(self.train_set.X[keep], self.train_set.y[keep])

    def nearest_point(self, x, within):
        """Index of the training row nearest to ``x`` (original units), if closer than ``within``."""
        distance = np.hypot(*(self.train_set.X - np.asarray(x, dtype=float)).T)
        index = int(distance.argmin())
        return index if distance[index] <= within else None

    def _set_training_rows(self, X, y):
        self.train_set = self.train_set._replace(X=X, y=y)
        self.dataset = self.dataset._replace(
            name=self.dataset.name if self.dataset.name.endswith("(edited)") else f"{self.dataset.name} (edited)",
            X=np.vstack([X, self.test_set.X]), y=np.vstack([y, self.test_set.y]))
        network = self.network
        network.set_data(self.to_network(X), self.target_scaler.transform(y), network.X_test, network.y_test)

    # ----- saving -------------------------------------------------------------------------
    def to_dict(self):
        """Everything needed to rebuild this experiment: settings, weights, scalers and the data."""
        network = self.network
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "config": self.config.to_dict(),
            "epoch": network.epoch,
            "weights": [W.tolist() for W in network.weights],
            "biases": [b.tolist() for b in network.biases],
            "input_scaler": self.input_scaler.to_dict(),
            "target_scaler": self.target_scaler.to_dict(),
            "feature_names": list(self.dataset.feature_names),
            "features": list(self.features) if self.features else None,
            "target_names": list(self.dataset.target_names),
            "task": self.dataset.task,
            "dataset": self.dataset.name,
            "test_ratio": self.test_ratio,
            "split_seed": self.split_seed,
            # The two parts as they are: after points were added or removed, no seed makes them again.
            "data": {part: {"X": rows.X.tolist(), "y": rows.y.tolist()}
                     for part, rows in (("train", self.train_set), ("test", self.test_set))},
        }

    def to_json(self, **extra):
        """``to_dict`` as JSON text; ``extra`` adds top-level fields (say, a page's settings)."""
        return json.dumps({**self.to_dict(), **extra}, indent=1)

    @classmethod
    def from_json(cls, text, dataset=None):
        """Rebuild an experiment saved with to_json: weights, scalers, and the training and test data.

        ``dataset`` replaces the saved data (and is split again). A file without data gets one
        placeholder row, enough for ``predict``. Raises ValueError saying what is wrong with a
        file that is not a saved network.
        """
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"not a saved network: invalid JSON ({error.msg} at line {error.lineno}).") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f'not a saved network: the file has no "format": "{FORMAT}".')
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"saved with format version {data.get('version')!r}; this app reads {FORMAT_VERSION}.")
        try:
            config = Config(**{**data["config"], "layer_sizes": tuple(data["config"]["layer_sizes"]),
                               "activations": tuple(data["config"]["activations"])})
            input_scaler = Scaler.from_dict(data["input_scaler"])
            target_scaler = Scaler.from_dict(data["target_scaler"])
            weights = [np.asarray(W, dtype=float) for W in data["weights"]]
            biases = [np.asarray(b, dtype=float) for b in data["biases"]]
            # Before any network is built: its size must be the size of the arrays in the file.
            _check_saved_arrays(config, weights, biases, input_scaler, target_scaler)
            parts = None
            if dataset is None:
                dataset, parts = _saved_dataset(data, config, target_scaler)
            experiment = cls(dataset, config, test_ratio=data.get("test_ratio", 0.0),
                             split_seed=data.get("split_seed", 0), features=data.get("features"))
            if parts is not None:
                experiment.train_set, experiment.test_set = parts
            experiment._restore(weights, biases, input_scaler, target_scaler, int(data.get("epoch", 0)))
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
            # Config, Scaler and NumPy say what was wrong with a value; a KeyError names the missing field.
            raise ValueError(f"the saved network is missing or has a malformed field: {error}") from None
        return experiment

    def _restore(self, weights, biases, input_scaler, target_scaler, epoch):
        """Take saved weights, scalers and epoch; the training and test data are scaled again."""
        network = self.network
        for target, source in zip(network.weights + network.biases, weights + biases):
            target[...] = source
        self.input_scaler, self.target_scaler = input_scaler, target_scaler
        network.epoch = epoch
        train, test = self.train_set, self.test_set
        network.set_data(self.to_network(train.X), target_scaler.transform(train.y),
                         self.to_network(test.X) if len(test.X) else None,
                         target_scaler.transform(test.y) if len(test.y) else None)

    def weights_as_text(self):
        """Each weight matrix as ``np.savetxt(..., fmt="%s")`` writes it: {"w1.txt": "...", ...}."""
        files = {}
        for k, W in enumerate(self.network.weights, start=1):
            buffer = io.StringIO()
            np.savetxt(buffer, W, fmt="%s")
            files[f"w{k}.txt"] = buffer.getvalue()
        return files


def _check_saved_arrays(config, weights, biases, input_scaler, target_scaler):
    """Raise ValueError unless the saved weights (n_in, n_out), biases (n_out,) and scalers fit ``config``."""
    sizes = config.layer_sizes
    if (input_scaler.scale.size, target_scaler.scale.size) != (sizes[0], sizes[-1]):
        raise ValueError(f"its scalers have {input_scaler.scale.size} and {target_scaler.scale.size} columns; "
                         f"the network has {sizes[0]} inputs and {sizes[-1]} outputs.")
    expected = [(n_in, n_out) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    expected_biases = [(n_out,) for n_out in sizes[1:]] if config.use_bias else []
    if [W.shape for W in weights] != expected or [b.shape for b in biases] != expected_biases:
        raise ValueError(f"its weights have shapes {[W.shape for W in weights]} and biases "
                         f"{[b.shape for b in biases]}; layer sizes {list(sizes)} need {expected} "
                         f"and {expected_biases}.")
    if not all(np.isfinite(array).all() for array in weights + biases):
        raise ValueError("its weights hold values that are not finite numbers.")


def _saved_dataset(data, config, target_scaler):
    """(dataset, (train, test)) as a file holds them (``data``: its parsed JSON); without data, a
    one-row placeholder dataset and None."""
    name, inputs, targets = data.get("dataset", "saved"), tuple(data["feature_names"]), tuple(data["target_names"])
    if data.get("data") is None:
        X, y = np.ones((1, len(inputs))), target_scaler.inverse_transform(np.zeros((1, config.layer_sizes[-1])))
        return Dataset(name, X, y, inputs, targets, data["task"]), None
    parts = [_saved_rows(data["data"][part], len(inputs), len(targets), part) for part in ("train", "test")]
    if not len(parts[0][0]):
        raise ValueError("the saved training data has no rows.")
    dataset = Dataset(name, np.vstack([parts[0][0], parts[1][0]]), np.vstack([parts[0][1], parts[1][1]]),
                      inputs, targets, data["task"])
    return dataset, tuple(dataset._replace(name=f"{name} ({part})", X=X, y=y)
                          for part, (X, y) in zip(("train", "test"), parts))


def _saved_rows(rows, n_inputs, n_targets, part):
    """X (n_samples, n_inputs) and y (n_samples, n_targets) of one saved part, checked."""
    X, y = np.asarray(rows["X"], dtype=float), np.asarray(rows["y"], dtype=float)
    X, y = (X.reshape(0, n_inputs) if not X.size else X), (y.reshape(0, n_targets) if not y.size else y)
    if X.ndim != 2 or y.ndim != 2 or len(X) != len(y) or X.shape[1] != n_inputs or y.shape[1] != n_targets:
        raise ValueError(f"the saved {part} data has inputs of shape {X.shape} and targets of shape {y.shape}; "
                         f"expected {n_inputs} inputs and {n_targets} targets per row.")
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise ValueError(f"the saved {part} data holds values that are not finite numbers.")
    return X, y
