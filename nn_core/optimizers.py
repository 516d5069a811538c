"""Optimisers: how a gradient becomes a change of the weights.

Every optimiser works in place on one flat parameter vector (all weights and biases of the
network side by side), so an update is a handful of NumPy calls whatever the depth.
They remember things between steps (velocity, moment estimates), so they are small classes.
Imports nothing but NumPy.
"""
import numpy as np


class SGD:
    """Plain gradient descent: params -= learning_rate * grads."""

    formula = "w ← w − η·∂J/∂w"

    def __init__(self, n_parameters, learning_rate, momentum=0.9):
        self.learning_rate = learning_rate

    def step(self, params, grads, update):
        """Apply one step in place; write the change made to ``params`` into ``update``."""
        np.multiply(grads, -self.learning_rate, out=update)
        params += update


class Momentum(SGD):
    """Gradient descent with a velocity that keeps rolling: v = μ·v − η·g; params += v."""

    formula = "v ← μ·v − η·∂J/∂w;  w ← w + v"

    def __init__(self, n_parameters, learning_rate, momentum=0.9):
        super().__init__(n_parameters, learning_rate)
        self.momentum = momentum
        self.velocity = np.zeros(n_parameters)

    def step(self, params, grads, update):
        self.velocity *= self.momentum
        self.velocity -= self.learning_rate * grads
        update[:] = self.velocity
        params += update


class Adam(SGD):
    """Adam (Kingma & Ba, 2015) with its usual constants β1 = 0.9, β2 = 0.999, ε = 1e-8."""

    formula = "m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  w ← w − η·m̂ / (√v̂ + ε)"
    beta1, beta2, epsilon = 0.9, 0.999, 1e-8

    def __init__(self, n_parameters, learning_rate, momentum=0.9):
        super().__init__(n_parameters, learning_rate)
        self.first_moment = np.zeros(n_parameters)
        self.second_moment = np.zeros(n_parameters)
        self.n_steps = 0

    def step(self, params, grads, update):
        self.n_steps += 1
        self.first_moment *= self.beta1
        self.first_moment += (1.0 - self.beta1) * grads
        self.second_moment *= self.beta2
        self.second_moment += (1.0 - self.beta2) * grads * grads
        # Bias correction folded into the step size: the moments start at zero.
        correction = np.sqrt(1.0 - self.beta2**self.n_steps) / (1.0 - self.beta1**self.n_steps)
        np.divide(self.first_moment, np.sqrt(self.second_moment) + self.epsilon, out=update)
        update *= -self.learning_rate * correction
        params += update


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}
