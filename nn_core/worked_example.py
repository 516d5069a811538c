"""The tutorial's worked example, recomputed by the engine, beside the numbers the tutorial printed.

The tutorial ("Build a Neural Network") works one forward pass out by hand: 2 hours studied
and 9 slept, the weights .2 .6 .1 / .8 .3 .7 into its three hidden neurons and .4 .5 .9 out of
them, sigmoid everywhere, no biases. Two slips crept in. It printed S(7.5) = 1.000553 for the
middle neuron, whose sum is 3.9 (and no sigmoid reaches 1); and it cut .99950 to .9994 and
.99850 to .9984 instead of rounding them. So its output sum (1.79832) and answer (.8579) are off.

``worked_example()`` lists each number the tutorial printed, quoted as text, beside the value
the engine's own forward pass gives and one sentence on the difference. Only the quotations
are written here; every true number is computed.
Imports nothing but NumPy and the standard library.
"""
from typing import NamedTuple

import numpy as np

from .network import Config, Network

# The example's input in raw hours (the tutorial's picture does not scale it) and its weights.
INPUT = (2.0, 9.0)  # hours studied, hours slept
WEIGHTS = (
    ((0.2, 0.6, 0.1), (0.8, 0.3, 0.7)),  # W1 (2, 3): row i holds the weights out of input i
    ((0.4,), (0.5,), (0.9,)),  # W2 (3, 1)
)

# What the tutorial printed, word for word: (sums into the hidden layer), (their sigmoids, as
# "S(z) = a"), the hidden values as its output sum wrote them, the output sum, the output.
PRINTED_SUMS = ("7.6", "3.9", "6.5")
PRINTED_HIDDEN = (("7.6", "0.999499799"), ("7.5", "1.000553084"), ("6.5", "0.998498818"))
PRINTED_IN_SUM = (".9994", "1.000", ".9984")
PRINTED_OUTPUT_SUM = "1.79832"
PRINTED_OUTPUT = ("1.79832", ".8579443067")


class Printed(NamedTuple):
    """One number of the worked example: what the tutorial printed and what it should be."""

    quantity: str  # what the number is, e.g. "hidden neuron 2: a = S(z)"
    printed: str  # the tutorial's text, quoted as it stands
    true: float  # the engine's value
    true_text: str  # the engine's value to as many decimals as the tutorial printed
    is_right: bool  # the printed text is the true value to its own number of decimals
    note: str  # one sentence a learner can follow: why the two agree or differ


def _decimals(text):
    return len(text.split(".")[1]) if "." in text else 0


def _to_decimals_of(value, printed):
    return f"{value:.{_decimals(printed)}f}"


def _row(quantity, printed, true, note_if_wrong, note_if_right="The tutorial has this one right."):
    true_text = _to_decimals_of(true, printed)
    is_right = float(true_text) == float(printed)
    return Printed(quantity, printed, float(true), true_text, is_right, note_if_right if is_right else note_if_wrong)


def worked_example():
    """Every number of the tutorial's worked example, in the order it prints them: a list of Printed."""
    network = Network(Config.tutorial())
    for W, values in zip(network.weights, WEIGHTS):
        W[...] = values
    sums, activations = network.forward(np.array([INPUT]))
    hidden_sums, hidden = sums[0][0], activations[1][0]  # (3,) each
    output_sum, output = sums[1][0, 0], activations[2][0, 0]
    W1, W2 = np.array(WEIGHTS[0]), np.array(WEIGHTS[1])[:, 0]
    rows = []
    for j, printed in enumerate(PRINTED_SUMS):
        terms = " + ".join(f"{x:g} × {w:g}" for x, w in zip(INPUT, W1[:, j]))
        rows.append(_row(f"hidden neuron {j + 1}: z = {terms}", printed, hidden_sums[j],
                         f"The inputs times their weights add up to {hidden_sums[j]:g}."))
    for j, (printed_z, printed_a) in enumerate(PRINTED_HIDDEN):
        rows.append(_row(
            f"hidden neuron {j + 1}: a = S(z), printed as S({printed_z})", printed_a, hidden[j],
            f"A sigmoid never gives more than 1, so {printed_a} is impossible: this neuron's sum is "
            f"{hidden_sums[j]:g}, not {printed_z}, and S({hidden_sums[j]:g}) = {hidden[j]:.6f}."))
    sigmoid_rows = rows[-len(PRINTED_HIDDEN):]
    for j, printed in enumerate(PRINTED_IN_SUM):
        if not sigmoid_rows[j].is_right:
            note = (f"This carries the wrong {sigmoid_rows[j].printed} on into the output sum; "
                    f"it should be {_to_decimals_of(hidden[j], printed)}.")
        else:
            note = (f"{hidden[j]:.7f} rounded to {_decimals(printed)} decimals is {_to_decimals_of(hidden[j], printed)}"
                    ": the tutorial cut off the later digits instead of rounding.")
        rows.append(_row(f"hidden neuron {j + 1} in the output sum", printed, hidden[j], note))
    terms = " + ".join(f"{w:g} × a{j + 1}" for j, w in enumerate(W2))
    rows.append(_row(
        f"output: z = {terms}", PRINTED_OUTPUT_SUM, output_sum,
        f"The sum used the wrong hidden values above; with the true ones it is {output_sum:.5f}."))
    rows.append(_row(
        f"output: a = S(z), printed as S({PRINTED_OUTPUT[0]})", PRINTED_OUTPUT[1], output,
        f"S({PRINTED_OUTPUT[0]}) is worked out right, but of the wrong sum: the network's real answer is "
        f"S({output_sum:.5f}) = {output:.6f}, a score of {100 * output:.1f} rather than "
        f"{100 * float(PRINTED_OUTPUT[1]):.1f}."))
    return rows
