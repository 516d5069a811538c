"""The engine against an independent reference: scalar Python, one sample and one weight at a
time, written from the textbook formulas (backprop by the chain rule; SGD; momentum
v ← μv + g, w ← w − ηv; Adam as Kingma & Ba's Algorithm 1), not from the engine's code.
Every optimiser × batch size (with a last partial batch) × regularisation × bias, 5 epochs.
"""
import itertools
import math

import numpy as np
import pytest

from nn_core.network import Config, Network

SIZES = (2, 3, 1)
N_SAMPLES = 5


def reference_training(config, weights, biases, X, y, epochs):
    """Weights and biases (nested lists) after ``epochs`` epochs, computed scalar by scalar."""
    W = [[list(row) for row in layer] for layer in weights]
    b = [list(layer) for layer in biases]
    params = [("W", k, i, j) for k in range(2) for i in range(SIZES[k]) for j in range(SIZES[k + 1])]
    params += [("b", k, 0, j) for k in range(2) for j in range(SIZES[k + 1])] if config.use_bias else []
    memory = {p: [0.0, 0.0] for p in params}  # velocity, or Adam's two moments
    t = 0
    shuffle = np.random.default_rng([config.seed, 1])  # the engine's documented shuffling stream
    size = config.batch_size if 0 < config.batch_size < N_SAMPLES else N_SAMPLES
    for _ in range(epochs):
        order = list(shuffle.permutation(N_SAMPLES)) if size < N_SAMPLES else list(range(N_SAMPLES))
        for start in range(0, N_SAMPLES, size):
            batch = order[start:start + size]
            grad = {p: 0.0 for p in params}
            for s in batch:
                hidden = [math.tanh(sum(X[s][i] * W[0][i][j] for i in range(2)) + (b[0][j] if config.use_bias else 0))
                          for j in range(3)]
                z = sum(hidden[j] * W[1][j][0] for j in range(3)) + (b[1][0] if config.use_bias else 0)
                out = 1 / (1 + math.exp(-z))
                d_out = (out - y[s][0]) * out * (1 - out)  # d(½(a − y)²)/dz
                d_hidden = [d_out * W[1][j][0] * (1 - hidden[j] ** 2) for j in range(3)]
                for j in range(3):
                    grad[("W", 1, j, 0)] += hidden[j] * d_out
                    for i in range(2):
                        grad[("W", 0, i, j)] += X[s][i] * d_hidden[j]
                if config.use_bias:
                    grad[("b", 1, 0, 0)] += d_out
                    for j in range(3):
                        grad[("b", 0, 0, j)] += d_hidden[j]
            t += 1
            for p in params:
                kind, k, i, j = p
                value = W[k][i][j] if kind == "W" else b[k][j]
                g = grad[p] / len(batch) if config.reduction == "mean" else grad[p]
                if kind == "W" and config.regularization == "l2":
                    g += config.regularization_rate * value
                elif kind == "W" and config.regularization == "l1":
                    g += config.regularization_rate * (1 if value > 0 else -1 if value < 0 else 0)
                if config.optimizer == "sgd":
                    value -= config.learning_rate * g
                elif config.optimizer == "momentum":
                    memory[p][0] = config.momentum * memory[p][0] + g
                    value -= config.learning_rate * memory[p][0]
                else:
                    m = memory[p][0] = 0.9 * memory[p][0] + 0.1 * g
                    v = memory[p][1] = 0.999 * memory[p][1] + 0.001 * g * g
                    m_hat, v_hat = m / (1 - 0.9 ** t), v / (1 - 0.999 ** t)
                    value -= config.learning_rate * m_hat / (math.sqrt(v_hat) + 1e-8)
                if kind == "W":
                    W[k][i][j] = value
                else:
                    b[k][j] = value
    return W, b


@pytest.mark.parametrize("optimizer, batch_size, regularization, use_bias, reduction", [
    *itertools.product(["sgd", "momentum", "adam"], [0, 1, 2, 3], ["none", "l1", "l2"], [False, True], ["mean"]),
    *itertools.product(["sgd", "momentum", "adam"], [0, 2], ["none"], [True], ["sum"]),
])
def test_the_engine_trains_as_the_scalar_reference_does(optimizer, batch_size, regularization, use_bias, reduction):
    config = Config(layer_sizes=SIZES, activations=("tanh", "sigmoid"), use_bias=use_bias, optimizer=optimizer,
                    learning_rate=0.3 if optimizer != "adam" else 0.05, momentum=0.8, batch_size=batch_size,
                    reduction=reduction, regularization=regularization,
                    regularization_rate=0.05 if regularization != "none" else 0.0, seed=4)
    rng = np.random.default_rng(7)
    X, y = rng.normal(0, 1, (N_SAMPLES, 2)), rng.uniform(0.1, 0.9, (N_SAMPLES, 1))
    network = Network(config)
    if use_bias:
        for bias in network.biases:
            bias[...] = rng.normal(0, 0.5, bias.shape)
    weights, biases = [W.tolist() for W in network.weights], [b.tolist() for b in network.biases] or [[0.0] * 3, [0.0]]
    network.set_data(X, y)
    network.use_fast_path = False
    network.train(epochs=5)
    W, b = reference_training(config, weights, biases, X.tolist(), y.tolist(), 5)
    for k in range(2):
        np.testing.assert_allclose(network.weights[k], W[k], rtol=1e-12, atol=1e-14)
        if use_bias:
            np.testing.assert_allclose(network.biases[k], b[k], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("config", [Config.tutorial(seed=3), Config.tutorial(seed=3).replace(use_bias=True)])
def test_the_fast_path_trains_as_the_scalar_reference_does(config):
    config = config.replace(activations=("tanh", "sigmoid"), layer_sizes=SIZES, learning_rate=0.3)
    rng = np.random.default_rng(8)
    X, y = rng.normal(0, 1, (N_SAMPLES, 2)), rng.uniform(0.1, 0.9, (N_SAMPLES, 1))
    network = Network(config)
    weights, biases = [W.tolist() for W in network.weights], [b.tolist() for b in network.biases] or [[0.0] * 3, [0.0]]
    network.set_data(X, y)
    network.train(epochs=5)
    W, b = reference_training(config, weights, biases, X.tolist(), y.tolist(), 5)
    for k in range(2):
        np.testing.assert_allclose(network.weights[k], W[k], rtol=1e-12, atol=1e-14)
