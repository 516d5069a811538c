"""The formulas of one neuron or synapse in one step, with the step's own numbers put in.

Written as MathML, which Chromium, Firefox and Safari draw natively: the page needs no maths
renderer and no fonts of its own. Every number comes from an ``nn_core.stepmath``
StepExplanation; this module only writes it out, so ``z = 0.5 × 0.2 + … = 0.37`` ends in
the same value the tables show.
"""
import html

import numpy as np

from nn_core.activations import activation_text

from .graph_layout import edge_position, neuron_position

# Terms of a weighted sum written out before the rest is summarised.
SHOWN_TERMS = 4


def number(value):
    """A number as the maths view prints it: four significant digits, blank for NaN."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    value = float(value)
    return f"{value:.4g}" if value == 0 or 1e-3 <= abs(value) < 1e5 else f"{value:.3e}"


def mi(text):
    return f"<mi>{html.escape(text)}</mi>"


def mo(text):
    return f"<mo>{html.escape(text)}</mo>"


def mn(value):
    """A number; negative ones in brackets, so that "× −0.5" reads as a product."""
    text = number(value)
    if text.startswith("-"):
        return f"<mrow><mo>(</mo><mn>{html.escape(text)}</mn><mo>)</mo></mrow>"
    return f"<mn>{html.escape(text)}</mn>"


def sub(base, index, sup=None):
    """base with an index below (and a layer number above): w_12, a⁽¹⁾_2."""
    below = f"<mn>{index}</mn>" if str(index).isdigit() else mi(str(index))
    if sup is None:
        return f"<msub>{mi(base)}{below}</msub>"
    return f"<msubsup>{mi(base)}{below}<mn>({sup})</mn></msubsup>"


def row(*parts):
    return "<mrow>" + "".join(parts) + "</mrow>"


def equation(*sides):
    """One line of maths: sides joined by = signs."""
    return ("<div style='font-size: 125%; margin: 3px 0 3px 12px'><math>" + mo("=").join(row(side) for side in sides)
            + "</math></div>")


def _sum(terms):
    """a + b + c, with SHOWN_TERMS terms written out and the rest counted."""
    shown = mo("+").join(terms[:SHOWN_TERMS])
    hidden = len(terms) - SHOWN_TERMS
    return shown + (mo("+") + mo("⋯") + mi(f"({hidden} more)") if hidden > 0 else "")


def _function(name, mark=""):
    """An activation as a formula names it (σ for sigmoid; the learner's own by its name), with ``mark``."""
    return mi((activation_text(name, "symbol") or name) + mark)


def _product(left, right):
    return left + mo("×") + right


def neuron_formulas(explanation, layer, index, sample, config):
    """MathML lines for neuron ``index`` of ``layer`` (0 = inputs) for training sample ``sample``."""
    if layer == 0:
        return [equation(sub("a", index + 1, 0), sub("x", index + 1), mn(explanation.X[sample, index]))]
    k = layer - 1  # index of the layer's arrays in the explanation
    name = config.activations[k]
    a_in = explanation.activations[k][sample]
    W = explanation.weights[k]
    z, a = explanation.sums[k][sample, index], explanation.activations[layer][sample, index]
    delta = explanation.deltas[k][sample, index]
    symbolic = row(mo("∑"), sub("a", "i", k), sub("w", f"i{index + 1}")) + (mo("+") + sub("b", index + 1)
                                                                            if config.use_bias else "")
    terms = [_product(mn(a_in[i]), mn(W[i, index])) for i in range(len(a_in))]
    bias = mo("+") + mn(explanation.biases[k][index]) if config.use_bias else ""
    lines = [
        equation(sub("z", index + 1, layer), symbolic, _sum(terms) + bias, mn(z)),
        equation(sub("a", index + 1, layer), _function(name) + mo("(") + mn(z) + mo(")"), mn(a)),
    ]
    lines.append(_delta_formula(explanation, layer, index, sample, config, delta))
    if config.use_bias:
        lines += _update_formulas("b", index + 1, layer, explanation.biases[k][index],
                                  explanation.bias_gradients[k][index], explanation.bias_updates[k][index],
                                  explanation.new_biases[k][index], config)
    return lines


def _delta_formula(explanation, layer, index, sample, config, delta):
    k = layer - 1
    name = config.activations[k]
    per_sample = (mo("/") + mi("n")) if config.reduction == "mean" else ""
    n = len(explanation.X)
    divide = (mo("/") + mn(n)) if config.reduction == "mean" else ""
    derivative = explanation.derivatives[k]
    is_output = layer == len(explanation.sums)
    target = sub("δ", index + 1, layer)
    if is_output and explanation.canonical:
        a, y = explanation.activations[layer][sample, index], explanation.y[sample, index]
        return equation(target, mo("(") + sub("a", index + 1, layer) + mo("−") + sub("y", index + 1) + mo(")")
                        + per_sample, mo("(") + mn(a) + mo("−") + mn(y) + mo(")") + divide, mn(delta))
    if is_output:
        error = explanation.output_error[sample, index]
        if derivative is None:  # softmax without cross-entropy: its Jacobian mixes the outputs
            return equation(target, mi("softmax Jacobian · ∂C/∂a") + per_sample, mn(delta))
        slope = derivative[sample, index]
        return equation(target, mi("∂C/∂a") + mo("×") + _function(name, "′") + per_sample,
                        _product(mn(error), mn(slope)) + divide, mn(delta))
    W_next, deltas_next = explanation.weights[layer], explanation.deltas[layer][sample]
    terms = [_product(mn(W_next[index, m]), mn(deltas_next[m])) for m in range(len(deltas_next))]
    slope = derivative[sample, index]
    return equation(target, mo("(") + mo("∑") + sub("w", f"{index + 1}m") + sub("δ", "m", layer + 1) + mo(")")
                    + mo("×") + _function(name, "′"),
                    mo("(") + _sum(terms) + mo(")") + mo("×") + mn(slope), mn(delta))


def _update_formulas(symbol, index, layer, value, gradient, update, new, config):
    """∂J/∂p and the new value of one weight or bias ``symbol`` (as the optimiser applies it)."""
    target = sub(symbol, index, layer)
    gradient_of = mo("∂") + mi("J") + mo("/") + mo("∂") + target
    delta_sum = mo("∑") + mi("samples") + (sub("a", "i", layer - 1) + mo("·") if symbol == "w" else "") + mi("δ")
    penalty = ""
    if symbol == "w" and config.regularization != "none":
        penalty = mo("+") + mi("λ") + (mo("·") + target if config.regularization == "l2" else mi("sign") + mo("(")
                                       + target + mo(")"))
    lines = [equation(gradient_of, delta_sum + penalty, mn(gradient))]
    if config.optimizer == "sgd":
        lines.append(equation(mi("new ") + target, target + mo("−") + mi("η") + mo("×") + gradient_of,
                              mn(value) + mo("−") + _product(mn(config.learning_rate), mn(gradient)), mn(new)))
    else:
        lines.append(equation(mi("new ") + target, target + mo("+") + mi(f"update ({config.optimizer})"),
                              mn(value) + mo("+") + mn(update), mn(new)))
    return lines


def synapse_formulas(explanation, layer, source, target, sample, config):
    """MathML lines for the weight from neuron ``source`` of ``layer - 1`` to ``target`` of ``layer``."""
    k = layer - 1
    a_in = explanation.activations[k][sample, source]
    delta = explanation.deltas[k][sample, target]
    name = f"{source + 1}{target + 1}"
    lines = [equation(sub("a", source + 1, k) + mo("·") + sub("δ", target + 1, layer) + mi(" (this sample)"),
                      _product(mn(a_in), mn(delta)), mn(a_in * delta))]
    return lines + _update_formulas("w", name, layer, explanation.weights[k][source, target],
                                    explanation.weight_gradients[k][source, target],
                                    explanation.weight_updates[k][source, target],
                                    explanation.new_weights[k][source, target], config)


def locate(index, sizes):
    """(layer, position) of neuron ``index`` in the graph's order (layer by layer)."""
    return neuron_position(sizes, index)


def locate_synapse(index, sizes):
    """(layer, source, target) of synapse ``index`` in the graph's order; layer 1 holds W1."""
    weights, source, target = edge_position(sizes, index)
    return weights + 1, source, target
