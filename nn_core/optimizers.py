"""Optimisers: how a gradient becomes a change of the weights.

Every optimiser works in place on one flat parameter vector (all weights and biases of the
network side by side), so an update is a handful of NumPy calls whatever the depth.
They remember things between steps (velocity, moment estimates), so they are small classes.
Each is built as ``OPTIMIZERS[name](n_parameters, learning_rate, momentum)`` and takes what it needs.
Imports nothing but NumPy.
"""
import numpy as np


class SGD:
    """Plain gradient descent: params -= learning_rate * grads."""

    formula = "w ← w − η·∂J/∂w"

    def __init__(self, n_parameters, learning_rate, momentum):
        self.learning_rate = learning_rate

    def step(self, params, grads, update):
        """Apply one step in place; write the change made to ``params`` into ``update``."""
        np.multiply(grads, -self.learning_rate, out=update)
        params += update


class Momentum(SGD):
    """Gradient descent with a velocity of summed past gradients: v ← μ·v + g; w ← w − η·v.

    This is PyTorch's form (SGD with momentum, dampening 0). The velocity holds gradients only,
    so a new learning rate acts on the very next step; the other form, v ← μ·v − η·g, would
    keep the old rate inside v for many steps.
    """

    formula = "v ← μ·v + ∂J/∂w;  w ← w − η·v"

    def __init__(self, n_parameters, learning_rate, momentum):
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.velocity = np.zeros(n_parameters)

    def step(self, params, grads, update):
        self.velocity *= self.momentum
        self.velocity += grads
        np.multiply(self.velocity, -self.learning_rate, out=update)
        params += update


class Adam(SGD):
    """Adam exactly as Algorithm 1 of Kingma & Ba (2015), and as PyTorch computes it:
    m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ), w ← w − η·m̂ / (√v̂ + ε), with β₁ = 0.9, β₂ = 0.999,
    ε = 1e-8. ε is added to √v̂ after the bias correction, as the formula shows."""

    formula = "m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  w ← w − η·m̂ / (√v̂ + ε)"
    beta1, beta2, epsilon = 0.9, 0.999, 1e-8

    def __init__(self, n_parameters, learning_rate, momentum):
        self.learning_rate = learning_rate
        self.first_moment = np.zeros(n_parameters)
        self.second_moment = np.zeros(n_parameters)
        self.n_steps = 0

    def step(self, params, grads, update):
        self.n_steps += 1
        self.first_moment *= self.beta1
        self.first_moment += (1.0 - self.beta1) * grads
        self.second_moment *= self.beta2
        self.second_moment += (1.0 - self.beta2) * grads * grads
        # The moments start at zero, so early on they are too small by 1 - βᵗ: divide that out.
        corrected_first = self.first_moment / (1.0 - self.beta1**self.n_steps)
        corrected_second = self.second_moment / (1.0 - self.beta2**self.n_steps)
        np.divide(corrected_first, np.sqrt(corrected_second) + self.epsilon, out=update)
        update *= -self.learning_rate
        params += update


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}
