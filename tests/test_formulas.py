"""The formulas of one neuron or synapse: well-formed MathML whose written-out arithmetic,
evaluated again here, gives the value the step really has."""
import itertools
import re
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest

from nn_core.activations import sigmoid
from nn_core.stepmath import explain_step
from test_stepmath import small_network

pytest.importorskip("panel")
from pyscript_app.formulas import (  # noqa: E402
    locate, locate_synapse, neuron_formulas, number, synapse_formulas,
)

FUNCTIONS = {"σ": sigmoid, "tanh": np.tanh, "relu": lambda z: max(z, 0.0), "linear": lambda z: z}


def sides(line):
    """The text of each side of a MathML equation, tags stripped."""
    root = ElementTree.fromstring(line).find("math")
    text = "".join(root.itertext())
    return text.split("=")


def arithmetic(text, magnitude=False):
    """Evaluate a side made of numbers, × − + / ( ) and activation names; None if it has symbols."""
    expression = text.replace("×", "*").replace("−", "-")
    if magnitude:  # an upper bound of every term: how much rounding to 4 digits can move the result
        expression = re.sub(r"(?<![eE])-", "+", expression)
    if re.search(r"[^\d.eE*+\-/() ]", re.sub("|".join(FUNCTIONS), "", expression)):
        return None
    value = eval(expression, {name: function for name, function in FUNCTIONS.items()})  # numbers only
    return abs(value) if magnitude else value


def check(lines):
    """Every line ends in its written-out arithmetic's value; returns how many lines had some."""
    checked = 0
    for line in lines:
        parts = sides(line)
        shown, worked = parts[-1], parts[-2]
        value = arithmetic(worked)
        if value is None:
            continue
        bound = arithmetic(worked, magnitude=True)
        assert abs(value - float(shown.strip("()"))) <= 3e-3 * bound + 1e-9, line
        checked += 1
    return checked


def all_formulas(network, sample=0):
    explanation = explain_step(network)
    sizes, config = network.config.layer_sizes, network.config
    neurons = [neuron_formulas(explanation, *locate(i, sizes), sample, config) for i in range(sum(sizes))]
    synapses = [synapse_formulas(explanation, *locate_synapse(e, sizes), sample, config)
                for e in range(sum(a * b for a, b in zip(sizes[:-1], sizes[1:])))]
    return explanation, neurons, synapses


def test_the_tutorials_formulas_end_in_the_numbers_of_its_next_step():
    network = small_network("sigmoid", "sigmoid", use_bias=False, reduction="sum")
    network.train(epochs=10)
    explanation, neurons, synapses = all_formulas(network, sample=1)
    first_hidden = neurons[2]
    assert sides(first_hidden[0])[-1] == number(explanation.sums[0][1, 0])
    assert sides(first_hidden[2])[-1].strip("()") == number(explanation.deltas[0][1, 0]).strip("()")
    assert sides(synapses[0][-1])[-1].strip("()") == number(explanation.new_weights[0][0, 0])
    assert all(check(lines) >= 2 for lines in neurons[2:])  # z, a and δ written out with numbers
    assert all(check(lines) >= 2 for lines in synapses)  # this sample's share and the new weight


@pytest.mark.parametrize("hidden, output_and_loss, use_bias, optimizer, regularization", list(itertools.product(
    ["tanh", "relu"], [("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy"), ("softmax", "mse"),
                       ("linear", "mse")],
    [False, True], ["sgd", "adam"], ["none", "l2"])))
def test_every_formula_is_well_formed_and_its_arithmetic_holds(hidden, output_and_loss, use_bias, optimizer,
                                                                regularization):
    output, loss = output_and_loss
    network = small_network(hidden, output, loss, use_bias, optimizer, regularization)
    network.train(epochs=3)
    _, neurons, synapses = all_formulas(network, sample=2)
    assert sum(check(lines) for lines in neurons + synapses) > len(neurons) + len(synapses)


def test_big_sums_are_summarised_not_written_out():
    from nn_core.network import Config, Network

    network = Network(Config(layer_sizes=(9, 2, 1), activations=("tanh", "sigmoid")))
    network.set_data(np.ones((4, 9)), np.ones((4, 1)))
    explanation = explain_step(network)
    z_line = neuron_formulas(explanation, 1, 0, 0, network.config)[0]
    assert "5 more" in z_line and z_line.count("×") == 4


def test_positions_in_the_graph_map_to_layers():
    assert locate(0, (2, 3, 1)) == (0, 0) and locate(4, (2, 3, 1)) == (1, 2) and locate(5, (2, 3, 1)) == (2, 0)
    assert locate_synapse(5, (2, 3, 1)) == (1, 1, 2) and locate_synapse(6, (2, 3, 1)) == (2, 0, 0)
    with pytest.raises(IndexError):
        locate(6, (2, 3, 1))
