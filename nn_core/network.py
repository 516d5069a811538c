"""The multilayer perceptron: forward pass, backprop and epochs of training (settings: config.py).

The tutorial's 2-3-1 network is one configuration of this class (``Config.tutorial()``).
Everything is whole-array NumPy: one matrix product per layer for the whole batch. All
weights and biases live side by side in one flat vector ``params`` (``weights[k]`` and
``biases[k]`` are views into it), so an optimiser step or a gradient norm is one call.
After every step the arrays of that step (weighted sums, activations, deltas, gradients,
the update applied) stay readable in ``network.trace`` for the views.
Imports nothing but NumPy and the standard library.
"""
import math
import time
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from . import batchpath, fastpath
from .activations import ACTIVATIONS
from .config import Config
from .initializers import INITIALIZERS
from .losses import LOSSES
from .optimizers import OPTIMIZERS

__all__ = ["Config", "Network", "Record", "TrainingRun", "StepTrace", "Divergence"]

# A loss this large (or not finite) means training blew up, whatever the problem.
EXPLODED_LOSS = 1e6
# The largest weight growing this many times over in one epoch (from at least 1) is a blow-up
# too: a saturated sigmoid or a capped loss can hide it from the loss for many epochs.
EXPLODED_GROWTH = 100.0


class Record(NamedTuple):
    """What one epoch reports. ``test_loss`` is None when there is no test data."""

    epoch: int
    loss: float
    test_loss: float | None
    gradient_norm: float


@dataclass
class TrainingRun:
    """Per-epoch columns of a run of epochs, and why it stopped."""

    epoch: list = field(default_factory=list)
    loss: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)
    gradient_norm: list = field(default_factory=list)
    stop_reason: str = "epochs"  # "epochs", "target", "time" or "diverged"

    def append(self, record):
        self.epoch.append(record.epoch)
        self.loss.append(record.loss)
        self.test_loss.append(record.test_loss)
        self.gradient_norm.append(record.gradient_norm)

    @property
    def last(self):
        if not self.epoch:
            return None
        return Record(self.epoch[-1], self.loss[-1], self.test_loss[-1], self.gradient_norm[-1])


class StepTrace(NamedTuple):
    """The arrays of the last gradient step (one batch). Item k of each list is layer k.

    ``activations[0]`` is the batch's input (n_samples, n_inputs); ``sums[k]`` and
    ``activations[k + 1]`` are (n_samples, layer_sizes[k + 1]); ``deltas[k]`` = dJ/dsums[k];
    gradients and updates have the shape of the weights (n_in, n_out) and biases (n_out,).
    """

    sums: list
    activations: list
    target: np.ndarray
    deltas: list
    weight_gradients: list
    bias_gradients: list
    weight_updates: list
    bias_updates: list


class Divergence(NamedTuple):
    epoch: int
    loss: float
    message: str


class Network:
    """A multilayer perceptron and its training state (weights, optimiser, epoch, data)."""

    def __init__(self, config=None):
        self.config = config if config is not None else Config()
        sizes, use_bias = self.config.layer_sizes, self.config.use_bias
        shapes = [(n_in, n_out) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        n_parameters = sum(n_in * n_out + (n_out if use_bias else 0) for n_in, n_out in shapes)
        self.params = np.zeros(n_parameters)
        self.grads = np.zeros(n_parameters)
        self.last_update = np.zeros(n_parameters)
        self._backup = np.zeros(n_parameters)
        self.weights, self.biases = _views(self.params, shapes, use_bias)
        self.weight_gradients, self.bias_gradients = _views(self.grads, shapes, use_bias)
        self.weight_updates, self.bias_updates = _views(self.last_update, shapes, use_bias)
        # Regularisation touches weights, never biases.
        self._weight_mask = np.concatenate(
            [np.concatenate([np.ones(n_in * n_out), np.zeros(n_out if use_bias else 0)]) for n_in, n_out in shapes]
        )
        self._activations = [ACTIVATIONS[name] for name in self.config.activations]
        self._loss = LOSSES[self.config.loss]
        # The cross-entropies come from the output's weighted sums (exact); other losses from its outputs.
        self._output_loss = self._loss.from_sums.get(self.config.activations[-1])
        self.X_train = self.y_train = self.X_test = self.y_test = None
        self.use_fast_path = True  # straight-line Python for small networks (fastpath.py, batchpath.py)
        self._fast_run = None
        self._batch_run = None  # the compiled mini-batch code, False where it cannot be used
        self._rows = None  # training inputs and targets side by side, (n_samples, n_inputs + n_outputs)
        self._pending_step = None
        self.reset()

    # ----- set-up -------------------------------------------------------------------------
    @property
    def n_inputs(self):
        return self.config.layer_sizes[0]

    @property
    def n_outputs(self):
        return self.config.layer_sizes[-1]

    def reset(self, seed=None):
        """New starting weights from ``seed`` (default: the config's), zero biases, epoch 0."""
        seed = self.config.seed if seed is None else seed
        # Weights come from default_rng(seed) alone, W1 then W2, as np.random.randn would draw
        # them; shuffling has its own stream so that batch size never changes the start.
        init_rng = np.random.default_rng(seed)
        self._shuffle_rng = np.random.default_rng([seed, 1])
        initializer = INITIALIZERS[self.config.init]
        for W in self.weights:
            W[...] = initializer(init_rng, *W.shape)
        for b in self.biases:
            b[...] = 0.0
        self.grads[:] = 0.0
        self.last_update[:] = 0.0
        self.optimizer = OPTIMIZERS[self.config.optimizer](
            self.params.size, self.config.learning_rate, self.config.momentum
        )
        self.epoch = 0
        self.divergence = None
        self._last_step = None
        self._pending_step = None
        self._forward_cache = None
        self.initial_loss = None

    def set_data(self, X_train, y_train, X_test=None, y_test=None):
        """Data to train on, already scaled. X: (n_samples, n_inputs), y: (n_samples, n_outputs)."""
        self.X_train, self.y_train = self._checked_data(X_train, y_train, "training")
        if X_test is not None and len(X_test):
            self.X_test, self.y_test = self._checked_data(X_test, y_test, "test")
        else:
            self.X_test = self.y_test = None
        self._forward_cache = None
        self._fast_run = None
        self._batch_run = None
        self.initial_loss = None

    def _checked_data(self, X, y, what):
        X = np.ascontiguousarray(X, dtype=float)
        y = np.ascontiguousarray(y, dtype=float)
        if y.ndim == 1:
            y = y[:, None]
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise ValueError(f"{what} X has shape {X.shape}, the network expects (n_samples, {self.n_inputs}).")
        if y.ndim != 2 or y.shape != (X.shape[0], self.n_outputs):
            raise ValueError(
                f"{what} y has shape {y.shape}, the network expects ({X.shape[0]}, {self.n_outputs})."
            )
        if X.shape[0] == 0:
            raise ValueError(f"the {what} data has no rows.")
        if not (np.isfinite(X).all() and np.isfinite(y).all()):
            raise ValueError(f"the {what} data holds NaN or infinite values; clean or drop those rows.")
        return X, y

    def update_training(self, **changes):
        """Change how training goes on (learning rate, optimiser, batches, regularisation)
        without touching the weights. Changing the optimiser restarts its memory."""
        allowed = {"learning_rate", "momentum", "optimizer", "batch_size", "reduction",
                   "regularization", "regularization_rate"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"update_training cannot change {sorted(unknown)}; build a new Network for those.")
        old = self.config
        self.config = old.replace(**changes)
        self._fast_run = None
        self._batch_run = None
        if self.config.optimizer != old.optimizer or self.config.momentum != old.momentum:
            self.optimizer = OPTIMIZERS[self.config.optimizer](
                self.params.size, self.config.learning_rate, self.config.momentum
            )
        else:
            self.optimizer.learning_rate = self.config.learning_rate

    def set_weight(self, layer, row, column, value):
        """Set one weight by hand (a learner typing into a synapse)."""
        if not math.isfinite(value):
            raise ValueError(f"a weight must be a finite number, got {value!r}.")
        self.weights[layer][row, column] = value
        self._forward_cache = None

    def load_params(self, flat):
        """Put back a copy of ``params`` (a flat array of the same size), e.g. a replayed snapshot."""
        flat = np.asarray(flat, dtype=float)
        if flat.shape != self.params.shape:
            raise ValueError(f"params have shape {flat.shape}, this network has {self.params.shape}.")
        if not np.isfinite(flat).all():
            raise ValueError("params hold NaN or infinite values.")
        self.params[:] = flat
        self._forward_cache = None

    # ----- the maths ----------------------------------------------------------------------
    def forward(self, X):
        """Weighted sums and activations of every layer for inputs X (n_samples, n_inputs).

        Returns (sums, activations): sums[k] has shape (n_samples, layer_sizes[k + 1]);
        activations[0] is X and activations[k + 1] = activation_k(sums[k]).
        """
        a = np.asarray(X, dtype=float)
        sums, activations = [], [a]
        for k, W in enumerate(self.weights):
            z = a @ W  # (n_samples, n_out)
            if self.config.use_bias:
                z += self.biases[k]
            a = self._activations[k].function(z)
            sums.append(z)
            activations.append(a)
        return sums, activations

    def predict(self, X):
        """The network's output for scaled inputs X (n_samples, n_inputs): (n_samples, n_outputs)."""
        return self.forward(X)[1][-1]

    def loss(self, X, y):
        """The loss the chart shows (a mean over samples) for scaled data."""
        return self._reported_loss(self.forward(X), _targets(y, len(X)))

    def _reported_loss(self, forward, y):
        sums, activations = forward
        if self._output_loss is not None:
            return float(np.mean(self._output_loss.cost(sums[-1], y)))
        return self._loss.value(activations[-1], y)

    def objective(self, X, y):
        """The cost J that gradient descent minimises: summed or averaged sample costs + regularisation."""
        sums, activations = self.forward(X)
        y = _targets(y, len(X))
        if self._output_loss is not None:
            costs = self._output_loss.cost(sums[-1], y)
        else:
            costs = self._loss.cost(activations[-1], y)
        total = costs.sum() if self.config.reduction == "sum" else costs.mean()
        return float(total + self._penalty())

    def _penalty(self):
        rate = self.config.regularization_rate
        weights = self.params[self._weight_mask == 1.0]
        if self.config.regularization == "l2":
            return 0.5 * rate * float(weights @ weights)
        if self.config.regularization == "l1":
            return rate * float(np.abs(weights).sum())
        return 0.0

    def gradients(self, X, y):
        """dJ/dparams for scaled data, as a flat copy laid out like ``params``."""
        sums, activations = self.forward(X)
        self._backward(sums, activations, _targets(y, len(X)))
        return self.grads.copy()

    def step_arrays(self, X, y):
        """(sums, activations, deltas, flat gradients) of one gradient step on scaled X, y,
        worked out without changing the network (copies, for the maths view)."""
        y = _targets(y, len(X))
        saved = self.grads.copy()
        sums, activations = self.forward(X)
        deltas = [delta.copy() for delta in self._backward(sums, activations, y)]
        grads = self.grads.copy()
        self.grads[:] = saved
        return sums, activations, deltas, grads

    @property
    def loss_function(self):
        """The Loss (value, cost, gradient, formula) the network trains with."""
        return self._loss

    @property
    def canonical_output(self):
        """True when the output delta is simply output - target (sigmoid + BCE, softmax + CE)."""
        return self._output_loss is not None and self._output_loss.collapses

    def _backward(self, sums, activations, y):
        """Fill ``self.grads`` with dJ/dparams; return the deltas dJ/dsums of every layer."""
        output = activations[-1]
        if self._output_loss is not None:
            delta = self._output_loss.delta(sums[-1], output, y)  # from z: exact where the output saturates
        else:
            delta = self._activations[-1].backward(output, self._loss.gradient(output, y))
        if self.config.reduction == "mean":
            delta /= len(y)
        deltas = [delta]
        for k in range(len(self.weights) - 1, -1, -1):
            np.matmul(activations[k].T, delta, out=self.weight_gradients[k])  # (n_in, n_out)
            if self.config.use_bias:
                np.add.reduce(delta, axis=0, out=self.bias_gradients[k])  # delta.sum(0), minus a wrapper
            if k > 0:
                # Hidden layers are elementwise (Config allows softmax on the output layer only).
                delta = delta @ self.weights[k].T  # dJ/da of the layer below, (n_samples, n_in)
                delta *= self._activations[k - 1].derivative(activations[k])  # in place: one array fewer
                deltas.append(delta)
        rate = self.config.regularization_rate
        if self.config.regularization == "l2":
            self.grads += rate * self.params * self._weight_mask
        elif self.config.regularization == "l1":
            self.grads += rate * np.sign(self.params) * self._weight_mask
        return deltas[::-1]

    def _gradient_step(self, X, y, forward=None):
        sums, activations = forward if forward is not None else self.forward(X)
        deltas = self._backward(sums, activations, y)
        self.optimizer.step(self.params, self.grads, self.last_update)
        self._last_step = (sums, activations, y, deltas)

    @property
    def trace(self):
        """The arrays of the last gradient step (a StepTrace), or None before the first."""
        if self._last_step is None:
            return None
        return StepTrace(*self._last_step, self.weight_gradients, self.bias_gradients,
                         self.weight_updates, self.bias_updates)

    # ----- training -----------------------------------------------------------------------
    def train_epoch(self):
        """One pass over the training data; returns its Record (loss after the update)."""
        record = self._epoch()
        self._restore_pending_step()
        return record

    def _epoch(self):
        if self.X_train is None:
            raise ValueError("no training data: call set_data(X, y) first.")
        if self.divergence is not None:
            raise ValueError(f"training diverged: {self.divergence.message}")
        self._backup[:] = self.params
        epoch = self.epoch + 1
        # Overflow and NaN raise here instead of warning, and become the reason training stopped;
        # underflow stays quiet: e^-800 is 0, and rightly so.
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            try:
                if self.initial_loss is None:
                    self.initial_loss = self.loss(self.X_train, self.y_train)
                record = self._train_one_epoch()
                why = why_diverged(record.loss, record.test_loss, self._backup, self.params)
                if why is None and not all(np.isfinite(z).all() for z in self._forward_cache[0]):
                    why = "the weighted sums overflowed"
            except FloatingPointError as error:  # e.g. "overflow encountered in matmul"
                record = Record(epoch, math.nan, None, math.nan)
                why = f"the arithmetic broke down ({error})"
        self.epoch = epoch
        if why is not None:
            self._diverged(record.loss, why)
        return record

    def _train_one_epoch(self):
        X, y = self.X_train, self.y_train
        n_samples, batch_size = len(X), self.config.batch_size
        gradient_norm = None
        if batch_size == 0 or batch_size >= n_samples:
            self._gradient_step(X, y, self._forward_cache)
        else:
            # Shuffle once per epoch; each batch is then a cheap slice.
            order = self._shuffle_rng.permutation(n_samples)
            gradient_norm = self._train_batches_fast(order)
            if gradient_norm is None:
                X_shuffled, y_shuffled = X.take(order, axis=0), y.take(order, axis=0)
                for start in range(0, n_samples, batch_size):
                    stop = start + batch_size
                    self._gradient_step(X_shuffled[start:stop], y_shuffled[start:stop])
        if gradient_norm is None:
            gradient_norm = math.sqrt(float(self.grads @ self.grads))
        self.epoch += 1
        # The forward pass that measures the loss is the next full-batch step's forward pass.
        self._forward_cache = self.forward(X)
        loss = self._reported_loss(self._forward_cache, y)
        test_loss = None if self.X_test is None else self.loss(self.X_test, self.y_test)
        return Record(self.epoch, loss, test_loss, gradient_norm)

    def _train_batches_fast(self, order):
        """Train the epoch's batches, samples in ``order``, in straight-line Python (batchpath.py).

        Returns the norm of the last batch's gradient, or None when this epoch is NumPy's to train
        (the parameters are then untouched). The trace of the last batch waits in ``_pending_step``.
        """
        if not self.use_fast_path or self._batch_run is False:
            return None
        n_samples, batch_size = len(self.X_train), self.config.batch_size
        if self._batch_run is None:
            if not batchpath.eligible(self.config, n_samples):
                self._batch_run = False
                return None
            self._batch_run = batchpath.compile_batches(self.config, n_samples)
            self._rows = np.hstack([self.X_train, self.y_train])
        rows = self._rows.take(order, axis=0)  # (n_samples, n_inputs + n_outputs)
        n_before_last = (n_samples - 1) // batch_size * batch_size
        batches = rows[:n_before_last].reshape(-1, batch_size * rows.shape[1]).tolist()
        try:
            params, previous, squared_norm = self._batch_run(
                self.params.tolist(), batches, rows[n_before_last:].ravel().tolist()
            )
        except OverflowError:  # math.exp: NumPy redoes the epoch and says what broke
            return None
        params = np.array(params)
        # Past 1e100 a product of floats can overflow to inf unnoticed, where NumPy would raise:
        # NumPy redoes such an epoch (and any that went non-finite) so that it reports the same.
        if not (np.abs(params).max() <= 1e100 and math.isfinite(squared_norm)):
            return None
        self.params[:] = params
        self._pending_step = (previous, rows[n_before_last:])
        return math.sqrt(squared_norm)

    def _restore_pending_step(self):
        """Redo the last batch of straight-line epochs with NumPy, from the parameters before it,
        so that its trace, gradients and update are there for the views."""
        if self._pending_step is None:
            return
        previous, rows = self._pending_step
        self._pending_step = None
        after = self.params.copy()
        self.params[:] = previous
        self._gradient_step(rows[:, : self.n_inputs], rows[:, self.n_inputs :])
        self.params[:] = after

    def _diverged(self, loss, why):
        """Roll back to the weights before epoch ``self.epoch`` and remember why training cannot go on."""
        self.params[:] = self._backup
        self._forward_cache = None
        self.epoch -= 1
        rate = self.config.learning_rate
        message = (
            f"{why} at epoch {self.epoch + 1}: learning rate {rate:g} is too high for this network. "
            f"Lower it (try {rate / 10:g}) and reset; the weights are back to those before that epoch."
        )
        self.divergence = Divergence(self.epoch + 1, loss, message)

    def train(self, epochs=None, seconds=None, target_loss=None):
        """Train until ``epochs`` more epochs, ``seconds`` of time, loss ≤ ``target_loss``, or divergence.

        Returns a TrainingRun whose ``stop_reason`` says which came first. With no limit at
        all it trains one epoch.
        """
        run = TrainingRun()
        if epochs is not None and epochs < 0:
            raise ValueError(f"epochs must be 0 or more, got {epochs}.")
        if epochs is None and seconds is None and target_loss is None:
            epochs = 1
        deadline = None if seconds is None else time.perf_counter() + seconds
        if epochs != 0 and self._fast_path_ready():
            run = self._train_fast(epochs, deadline, target_loss)
            if run.stop_reason != "overflow":
                return run
            # It overflowed: NumPy carries on from the last good epoch, and sets the stop reason.
        while True:
            if target_loss is not None and run.loss and run.loss[-1] <= target_loss:
                run.stop_reason = "target"
                break
            if epochs is not None and len(run.epoch) >= epochs:
                run.stop_reason = "epochs"
                break
            if deadline is not None and run.epoch and time.perf_counter() >= deadline:
                run.stop_reason = "time"
                break
            record = self._epoch()
            if self.divergence is not None:  # the rolled-back epoch is not part of the run
                run.stop_reason = "diverged"
                break
            run.append(record)
        self._restore_pending_step()
        return run

    def _fast_path_ready(self):
        if not self.use_fast_path or self._fast_run is False or self.X_train is None or self.divergence:
            return False
        if self._fast_run is None:
            if not fastpath.eligible(self.config, len(self.X_train), self.X_test is not None):
                self._fast_run = False
                return False
            self._fast_run = fastpath.compile_epochs(self.config, self.X_train, self.y_train)
        return True

    def _train_fast(self, epochs, deadline, target_loss):
        """Run epochs in the straight-line code, then restore the trace of the last one with NumPy."""
        if self.initial_loss is None:
            self.initial_loss = self.loss(self.X_train, self.y_train)
        reason, params, previous, losses, norms = self._fast_run(
            self.params.tolist(),
            epochs if epochs is not None else 2**62,
            -math.inf if target_loss is None else target_loss,
            math.inf if deadline is None else deadline,
            EXPLODED_LOSS,
            EXPLODED_GROWTH,
        )
        done = len(losses) - (reason == "diverged")
        run = TrainingRun(
            epoch=list(range(self.epoch + 1, self.epoch + done + 1)),
            loss=losses[:done],
            test_loss=[None] * done,
            gradient_norm=[math.sqrt(n) for n in norms[:done]],
            stop_reason=reason,
        )
        if reason == "overflow":
            self._fast_run = False
        if reason == "diverged":
            self._backup[:] = previous
            self.epoch += done + 1
            self._diverged(losses[-1], why_diverged(losses[-1], None, previous, params))
            return run
        if done:
            # Redo the last epoch's gradient with NumPy so that the trace, the gradients
            # and the update of that epoch are there for the views.
            self.params[:] = previous
            self._gradient_step(self.X_train, self.y_train)
            self.params[:] = params
            self.last_update[:] = self.params - np.asarray(previous)
        self.epoch += done
        self._forward_cache = None
        return run


def why_diverged(loss, test_loss, before, after):
    """Why an epoch that took the flat parameters from ``before`` to ``after`` blew up, or None."""
    if not np.isfinite(after).all():
        return "the weights became infinite or NaN"
    # The loss first where it shows the blow-up too: it is what the learner is watching.
    if math.isnan(loss) or (test_loss is not None and not math.isfinite(test_loss)):
        return "the loss became NaN"
    if not loss <= EXPLODED_LOSS:
        return f"the loss exploded to {loss:.3g}"
    largest_before, largest_after = float(np.abs(before).max()), float(np.abs(after).max())
    if not largest_after <= EXPLODED_GROWTH * max(largest_before, 1.0):
        return f"the largest weight grew from {largest_before:.3g} to {largest_after:.3g} in one epoch"
    return None


def _targets(y, n_samples):
    """Targets as floats of shape (n_samples, n_outputs); a flat y is one output."""
    return np.asarray(y, dtype=float).reshape(n_samples, -1)


def _views(flat, shapes, use_bias):
    """Split a flat vector into per-layer weight (n_in, n_out) and bias (n_out,) views."""
    weights, biases, start = [], [], 0
    for n_in, n_out in shapes:
        weights.append(flat[start : start + n_in * n_out].reshape(n_in, n_out))
        start += n_in * n_out
        if use_bias:
            biases.append(flat[start : start + n_out])
            start += n_out
    return weights, biases
