"""Optimisers checked against numbers worked by hand, and against a scalar reference.

The 2-2-1 network: linear layers, no biases, squared error, one sample x = (1, 2), y = 1,
W1 = [[0.1, 0.2], [0.3, 0.4]], W2 = [[0.5], [0.6]], learning rate 0.1.
  h = x·W1 = (1·0.1 + 2·0.3, 1·0.2 + 2·0.4) = (0.7, 1.0);  ŷ = 0.7·0.5 + 1.0·0.6 = 0.95
  δ2 = ŷ − y = −0.05;  ∂J/∂W2 = h·δ2 = (−0.035, −0.05)
  δ1 = δ2·W2 = (−0.025, −0.03);  ∂J/∂W1 = xᵀδ1 = [[−0.025, −0.03], [−0.05, −0.06]]
"""
import numpy as np
import pytest

from nn_core.network import Config, Network

GRADIENT = np.array([-0.025, -0.03, -0.05, -0.06, -0.035, -0.05])  # W1 row by row, then W2


def hand_network(optimizer, learning_rate=0.1, momentum=0.9):
    network = Network(Config(layer_sizes=(2, 2, 1), activations=("linear", "linear"), optimizer=optimizer,
                             learning_rate=learning_rate, momentum=momentum, reduction="sum"))
    network.weights[0][...] = [[0.1, 0.2], [0.3, 0.4]]
    network.weights[1][...] = [[0.5], [0.6]]
    network.set_data([[1.0, 2.0]], [[1.0]])
    network.use_fast_path = False
    return network


def test_the_hand_networks_gradient_is_the_one_worked_out_above():
    np.testing.assert_allclose(hand_network("sgd").gradients([[1.0, 2.0]], [[1.0]]), GRADIENT, rtol=1e-14)


def test_one_sgd_step_matches_the_hand_computation():
    network = hand_network("sgd")
    network.train_epoch()
    # w − 0.1·g: 0.1 + 0.0025, 0.2 + 0.003, 0.3 + 0.005, 0.4 + 0.006, 0.5 + 0.0035, 0.6 + 0.005
    np.testing.assert_allclose(network.params, [0.1025, 0.203, 0.305, 0.406, 0.5035, 0.605], rtol=1e-14)


def test_two_momentum_steps_match_the_hand_computation():
    network = hand_network("momentum")
    network.train_epoch()
    # Step 1: v = g, so w − 0.1·g, as SGD.
    np.testing.assert_allclose(network.params, [0.1025, 0.203, 0.305, 0.406, 0.5035, 0.605], rtol=1e-14)
    # Step 2 from W1 = [[0.1025, 0.203], [0.305, 0.406]], W2 = (0.5035, 0.605):
    #   h = (0.1025 + 0.61, 0.203 + 0.812) = (0.7125, 1.015); ŷ = 0.7125·0.5035 + 1.015·0.605 = 0.35874375 + 0.614075 = 0.97281875
    #   δ2 = −0.02718125; g = (x ⊗ δ2·W2, h·δ2), then v = 0.9·g1 + g2 and w −= 0.1·v.
    d2 = 0.7125 * 0.5035 + 1.015 * 0.605 - 1.0
    g2 = np.array([d2 * 0.5035, d2 * 0.605, 2 * d2 * 0.5035, 2 * d2 * 0.605, 0.7125 * d2, 1.015 * d2])
    expected = np.array([0.1025, 0.203, 0.305, 0.406, 0.5035, 0.605]) - 0.1 * (0.9 * GRADIENT + g2)
    network.train_epoch()
    np.testing.assert_allclose(network.params, expected, rtol=1e-14)
    assert d2 == pytest.approx(-0.02718125, abs=1e-15)


def test_one_adam_step_matches_algorithm_1():
    network = hand_network("adam")
    network.train_epoch()
    # t = 1: m = 0.1·g, v = 0.001·g², so m̂ = g and v̂ = g²: w − 0.1·g / (|g| + 1e-8).
    # For W1[0, 0]: 0.1 + 0.1 · 0.025 / 0.02500001 = 0.19999996000001602.
    expected = [0.19999996000001602, 0.2999999666666778, 0.39999998000000403, 0.4999999833333361,
                0.5999999714285796, 0.699999980000004]
    np.testing.assert_allclose(network.params, expected, rtol=1e-15)


def test_adams_epsilon_is_added_after_the_bias_correction():
    network = hand_network("adam")
    for _ in range(3):
        network.train_epoch()
    optimizer = network.optimizer
    before = network.params - network.last_update
    t = optimizer.n_steps
    m_hat = optimizer.first_moment / (1 - 0.9**t)
    v_hat = optimizer.second_moment / (1 - 0.999**t)
    np.testing.assert_allclose(network.params, before - 0.1 * m_hat / (np.sqrt(v_hat) + 1e-8), rtol=1e-15)


def test_a_new_learning_rate_acts_at_once_on_momentum():
    # v ← μv + g; w ← w − ηv: the velocity holds no learning rate, so after η changes from 0.5
    # to 0.05 each step is 0.05·v, with v built from the gradients alone.
    network = hand_network("momentum", learning_rate=0.5)
    velocity = np.zeros(6)
    for epoch in range(6):
        if epoch == 3:
            network.update_training(learning_rate=0.05)
        rate = 0.5 if epoch < 3 else 0.05
        gradient = network.gradients(network.X_train, network.y_train)
        velocity = 0.9 * velocity + gradient
        expected = network.params - rate * velocity
        network.train_epoch()
        np.testing.assert_allclose(network.params, expected, rtol=1e-13)
