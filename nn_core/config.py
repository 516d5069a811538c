"""A network's settings: shape, activations, loss, optimiser and training, checked on creation.

``Config`` is frozen, so a network's settings never change behind its back;
``replace(...)`` makes a checked copy. Imports nothing but NumPy and the standard library.
"""
from dataclasses import asdict, dataclass

import numpy as np

from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from .initializers import INITIALIZERS
from .losses import LOSSES, check_pairing
from .optimizers import OPTIMIZERS

REDUCTIONS = ("mean", "sum")
REGULARIZATIONS = ("none", "l1", "l2")


@dataclass(frozen=True)
class Config:
    """Every setting of a network and of its training, checked on creation."""

    layer_sizes: tuple = (2, 3, 1)  # inputs, hidden layers..., outputs
    activations: tuple = ("sigmoid", "sigmoid")  # one per weight layer; a name means all
    loss: str = "mse"
    use_bias: bool = False
    learning_rate: float = 1.0
    optimizer: str = "sgd"
    momentum: float = 0.9  # used by "momentum" only
    batch_size: int = 0  # 0: the whole training set at once; 1: one sample at a time
    reduction: str = "mean"  # "sum" adds per-sample gradients, as the tutorial does
    regularization: str = "none"
    regularization_rate: float = 0.0
    init: str = "normal"
    seed: int = 0

    def __post_init__(self):
        sizes = tuple(self.layer_sizes)
        if len(sizes) < 2 or not all(isinstance(s, (int, np.integer)) and s >= 1 for s in sizes):
            raise ValueError(
                f"layer_sizes must be at least two positive integers (inputs, ..., outputs), "
                f"got {self.layer_sizes!r}; try (2, 3, 1)."
            )
        object.__setattr__(self, "layer_sizes", tuple(int(s) for s in sizes))
        activations = self.activations
        if isinstance(activations, str):
            activations = (activations,) * (len(sizes) - 1)
        activations = tuple(activations)
        if len(activations) != len(sizes) - 1:
            raise ValueError(
                f"{len(sizes) - 1} weight layers need {len(sizes) - 1} activations, "
                f"got {len(activations)}: {activations!r}."
            )
        for index, name in enumerate(activations):
            allowed = ACTIVATIONS if index == len(activations) - 1 else HIDDEN_ACTIVATIONS
            _check_choice(f"activation of layer {index + 1}", name, allowed)
        object.__setattr__(self, "activations", activations)
        _check_choice("loss", self.loss, LOSSES)
        check_pairing(self.loss, activations[-1])
        _check_choice("optimizer", self.optimizer, OPTIMIZERS)
        _check_choice("reduction", self.reduction, REDUCTIONS)
        _check_choice("regularization", self.regularization, REGULARIZATIONS)
        _check_choice("init", self.init, INITIALIZERS)
        _check_number("learning_rate", self.learning_rate, 0.0, 100.0, "try 0.1")
        _check_number("momentum", self.momentum, 0.0, 0.999, "try 0.9")
        _check_number("regularization_rate", self.regularization_rate, 0.0, 10.0, "try 0.001")
        if not isinstance(self.batch_size, (int, np.integer)) or self.batch_size < 0:
            raise ValueError(f"batch_size must be 0 (whole set) or a positive integer, got {self.batch_size!r}.")
        if not isinstance(self.seed, (int, np.integer)) or not 0 <= self.seed < 2**32:
            raise ValueError(f"seed must be an integer from 0 to 4294967295, got {self.seed!r}.")

    @classmethod
    def tutorial(cls, seed=0):
        """The tutorial's network: 2-3-1 sigmoid, no bias, learning rate 1, summed gradients."""
        return cls(seed=seed, reduction="sum")

    def replace(self, **changes):
        """A copy with some settings changed (checked again)."""
        return Config(**{**asdict(self), **changes})

    def to_dict(self):
        return {**asdict(self), "layer_sizes": list(self.layer_sizes), "activations": list(self.activations)}


def _check_choice(what, value, allowed):
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; choose one of: {', '.join(allowed)}.")


def _check_number(what, value, low, high, hint):
    if not isinstance(value, (int, float, np.floating, np.integer)) or not low <= value <= high:
        raise ValueError(f"{what} must be a number from {low:g} to {high:g}, got {value!r}; {hint}.")
