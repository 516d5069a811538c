"""A trained experiment as code a learner can run anywhere: a standalone NumPy script, and a
Jupyter notebook holding the same code.

Both carry the architecture, the trained weights, the scalers, the input features and a
``predict`` function that takes raw inputs in original units and gives outputs in original
units (class probabilities, and ``predict_class``, for classification). Every float is written
with ``repr``, which reads back as the very same float, and the code runs the engine's NumPy
operations in the engine's order, so its predictions equal ``Experiment.predict``.
The notebook is nbformat 4 JSON, written with the standard library.
Imports nothing but NumPy and the standard library.
"""
import json
import re
import textwrap
from typing import NamedTuple

import numpy as np

from .activations import ACTIVATIONS, activation_text
from .data import example_input

# Each input feature (features.py) as NumPy code over the raw inputs X of shape (n_samples, 2).
FEATURE_CODE = {
    "x1": "X[:, 0]",
    "x2": "X[:, 1]",
    "x1²": "X[:, 0] ** 2",
    "x2²": "X[:, 1] ** 2",
    "x1·x2": "X[:, 0] * X[:, 1]",
    "sin x1": "np.sin(X[:, 0])",
    "sin x2": "np.sin(X[:, 1])",
}

# Training inputs written into the code, for its demo: enough to see, few enough to read.
MAX_EXAMPLES = 10

_RULE_WIDTH = 78


class Part(NamedTuple):
    """One step of the exported code: a comment block in the script, two cells in the notebook."""

    heading: str
    text: str  # a sentence or two: comment lines in the script, markdown in the notebook
    code: str


# ----- the pieces of code ------------------------------------------------------------------
def _float(value):
    return repr(float(value))  # the shortest text that reads back as the same float


def _vector(values):
    return "np.array([" + ", ".join(_float(v) for v in np.ravel(values)) + "])"


def _matrix(rows):
    lines = ["    [" + ", ".join(_float(v) for v in row) + "]," for row in np.asarray(rows)]
    return "np.array([\n" + "\n".join(lines) + "\n])"


def _names(names):
    # JSON's escapes are Python's: any name becomes a valid string literal.
    return "[" + ", ".join(json.dumps(name, ensure_ascii=False) for name in names) + "]"


def _plain(text):
    """``text`` safe inside a docstring: no quotes, backslashes or line breaks (names come from data files)."""
    return re.sub(r'["\\\x00-\x1f\x7f\x85\u2028\u2029]+', " ", text)


def _scaled(scaler):
    """(has an offset, has a scale): which constants of a Scaler the code needs (0 and 1 change nothing)."""
    return bool((scaler.offset != 0.0).any()), bool((scaler.scale != 1.0).any())


def _is_classification(experiment):
    return experiment.dataset.task != "regression"


def output_names(experiment):
    """What each output column means: the target names, or class probabilities."""
    dataset = experiment.dataset
    if dataset.task == "binary":
        return [f"P({dataset.target_names[0]} = 1)"]
    if dataset.task == "multiclass":
        return [f"P({name})" for name in dataset.target_names]
    return list(dataset.target_names)


def describe(experiment):
    """The network in one line, e.g. ``2 inputs → 3 sigmoid → 1 sigmoid, no biases``."""
    config = experiment.config
    inputs = f"{len(experiment.dataset.feature_names)} inputs"
    if experiment.features:
        inputs += f" → {len(experiment.features)} input features ({', '.join(experiment.features)})"
    layers = [f"{size} {name}" for size, name in zip(config.layer_sizes[1:], config.activations)]
    biases = "with biases" if config.use_bias else "no biases"
    return " → ".join([inputs, *layers]) + f", {biases}"


def _data_part(experiment):
    X = experiment.train_set.X
    shown = X[:MAX_EXAMPLES]
    which = (f"The {len(X)} training inputs" if len(shown) == len(X)
             else f"The first {len(shown)} of {len(X)} training inputs")
    code = [
        f"INPUT_NAMES = {_names(experiment.dataset.feature_names)}  # raw inputs, in original units",
        f"OUTPUT_NAMES = {_names(output_names(experiment))}",
    ]
    if experiment.dataset.task == "multiclass":
        code.append(f"CLASS_NAMES = {_names(experiment.dataset.target_names)}  # class k is output column k")
    code.append(f"EXAMPLES = {_matrix(shown)}  # {shown.shape}: {which.lower()}")
    text = (f"What the network reads and what it answers ({experiment.dataset.task}). "
            f"{which}, in original units, to try it on.")
    return Part("The data", text, "\n".join(code))


def check_exportable(experiment):
    """Raise ValueError, naming it, when the network uses a function the exported code cannot
    write out: the learner's own Python, which lives only in the page."""
    unknown = [f"activation {name!r}" for name in dict.fromkeys(experiment.config.activations)
               if activation_text(name, "numpy_code") is None]
    unknown += [f"input feature {name!r}" for name in experiment.features or () if name not in FEATURE_CODE]
    if unknown:
        raise ValueError(f"the network uses the {' and the '.join(unknown)}, which has no NumPy code to write "
                         "into a script; train it with built-in ones to export it, or save it as JSON.")


def _features_part(experiment):
    width = max(len(FEATURE_CODE[name]) for name in experiment.features) + 1
    columns = "\n".join(f"        {FEATURE_CODE[name] + ',':<{width}}  # {name}" for name in experiment.features)
    code = (
        "def input_features(X):\n"
        "    \"\"\"The input neurons from raw inputs X (n_samples, 2): "
        f'shape (n_samples, {len(experiment.features)})."""\n'
        f"    return np.column_stack([\n{columns}\n    ])"
    )
    text = "The network does not see x1 and x2 themselves but these functions of them, one per input neuron."
    return Part("Input features", text, code)


def _scaling_part(experiment):
    lines, notes = [], []
    for prefix, scaler, names in (("INPUT", experiment.input_scaler, experiment.input_names),
                                  ("TARGET", experiment.target_scaler, experiment.dataset.target_names)):
        has_offset, has_scale = _scaled(scaler)
        if has_offset:
            lines.append(f"{prefix}_OFFSET = {_vector(scaler.offset)}")
        if has_scale:
            lines.append(f"{prefix}_SCALE = {_vector(scaler.scale)}")
        if scaler.method != "none":
            notes.append(", ".join(scaler.describe(names)))
    text = ("The network learned on scaled numbers, (x - OFFSET) / SCALE with constants fitted on the training "
            "data: " + ("; ".join(notes) if notes else "none here") + ". predict() scales new inputs the same "
            "way and turns outputs back into original units.")
    return Part("Scaling", text, "\n".join(lines) or "# nothing: the network reads and answers in original units")


def _activations_part(experiment):
    functions = []
    for name in dict.fromkeys(experiment.config.activations):  # each once, in layer order
        docstring = f'"""{ACTIVATIONS[name].formula}, for z of shape (n_samples, n_neurons)."""'
        code = activation_text(name, "numpy_code")
        functions.append(f"def {name}(z):\n    {docstring}\n" + textwrap.indent(code, "    "))
    text = "Each neuron adds up its weighted inputs (z) and passes the sum through its layer's activation."
    return Part("Activations", text, "\n\n\n".join(functions))


def _weights_part(experiment):
    network, lines = experiment.network, []
    for k, W in enumerate(network.weights, start=1):
        lines.append(f"# W{k}: {W.shape}, row i holds the weights out of neuron i of layer {k - 1}")
        lines.append(f"W{k} = {_matrix(W)}")
        if experiment.config.use_bias:
            lines.append(f"# b{k}: ({W.shape[1]},), one bias per neuron of layer {k}")
            lines.append(f"b{k} = {_vector(network.biases[k - 1])}")
    text = (f"Trained for {network.epoch:,} epochs. Layer 0 is the input layer; W{len(network.weights)} "
            "leads to the output layer.")
    return Part("Weights", text, "\n".join(lines))


def _predict_part(experiment):
    config, n_raw = experiment.config, len(experiment.dataset.feature_names)
    inputs = "input_features(X)" if experiment.features else "X"
    has_offset, has_scale = _scaled(experiment.input_scaler)
    if has_offset:
        inputs = f"({inputs} - INPUT_OFFSET)"
    if has_scale:
        inputs = f"{inputs} / INPUT_SCALE"
    sizes = config.layer_sizes
    body = [f"a0 = {inputs}  # (n_samples, {sizes[0]}): what the input neurons hold"]
    for k, name in enumerate(config.activations, start=1):
        bias = f" + b{k}" if config.use_bias else ""
        layer = "the output layer" if k == len(sizes) - 1 else f"hidden layer {k}"
        body.append(f"a{k} = {name}(a{k - 1} @ W{k}{bias})  # (n_samples, {sizes[k]}): {layer}")
    output = f"a{len(sizes) - 1}"
    has_offset, has_scale = _scaled(experiment.target_scaler)
    if has_scale:
        output = f"{output} * TARGET_SCALE"
    if has_offset:
        output = f"{output} + TARGET_OFFSET"
    answers = "class probabilities" if _is_classification(experiment) else "outputs in original units"
    body.append(f"return {output}  # (n_samples, {sizes[-1]}): {answers}")
    code = (
        "def predict(X):\n"
        f'    """{answers.capitalize()} for raw inputs X of shape (n_samples, {n_raw}) in original units."""\n'
        "    X = np.asarray(X, dtype=float)\n"
        "    if X.ndim == 1:\n"
        "        X = X[None, :]  # one input → a batch of one\n"
        f"    if X.ndim != 2 or X.shape[1] != {n_raw}:\n"
        f'        raise ValueError(f"give {n_raw} numbers per input ({{\', \'.join(INPUT_NAMES)}}), "\n'
        '                         f"got shape {X.shape}.")\n'
        + textwrap.indent("\n".join(body), "    ")
    )
    if experiment.dataset.task == "binary":
        code += ('\n\n\ndef predict_class(X):\n    """Class 1 where its probability is at least 0.5, else 0: '
                 'shape (n_samples,)."""\n    return (predict(X)[:, 0] >= 0.5).astype(int)')
    elif experiment.dataset.task == "multiclass":
        code += ('\n\n\ndef predict_class(X):\n    """The most probable class of each input, as an index into '
                 'CLASS_NAMES: shape (n_samples,)."""\n    return predict(X).argmax(axis=1)')
    text = "The forward pass: one matrix product per layer, for every input at once."
    return Part("Prediction", text, code)


def parts(experiment):
    """The exported code, step by step: data, features, scaling, activations, weights, predict."""
    check_exportable(experiment)
    steps = [_data_part(experiment)]
    if experiment.features:
        steps.append(_features_part(experiment))
    steps += [_scaling_part(experiment), _activations_part(experiment), _weights_part(experiment),
              _predict_part(experiment)]
    return steps


# ----- the script --------------------------------------------------------------------------
def file_name(experiment, extension):
    """A name for an exported file, e.g. ``exam_network.py``: letters, digits and underscores."""
    stem = re.sub(r"[^A-Za-z0-9]+", "_", experiment.dataset.name).strip("_") or "my"
    return f"{stem}_network.{extension}"


def _comment(text):
    return textwrap.fill(text, _RULE_WIDTH, initial_indent="# ", subsequent_indent="# ")


_MAIN = '''if __name__ == "__main__":
    # No arguments: predict the examples above. Numbers as arguments: predict that one input.
    X = np.array([sys.argv[1:]], dtype=float) if len(sys.argv) > 1 else EXAMPLES
    rows = csv.writer(sys.stdout)
'''


def _main(experiment):
    if experiment.dataset.task == "regression":
        header, row = "INPUT_NAMES + OUTPUT_NAMES", "x + y"
        pairs = "zip(X.tolist(), predict(X).tolist())"
    else:
        label = "[CLASS_NAMES[k]]" if experiment.dataset.task == "multiclass" else "[k]"
        header, row = 'INPUT_NAMES + OUTPUT_NAMES + ["predicted class"]', f"x + p + {label}"
        pairs = "zip(X.tolist(), predict(X).tolist(), predict_class(X).tolist())"
    names = "x, y" if experiment.dataset.task == "regression" else "x, p, k"
    return (_MAIN + f"    rows.writerow({header})\n"
            f"    for {names} in {pairs}:\n        rows.writerow({row})\n")


def _summary(experiment):
    """(what goes in and comes out, the network and its training), in words."""
    dataset = experiment.dataset
    return (f"{', '.join(dataset.feature_names)} → {', '.join(output_names(experiment))} ({dataset.task})",
            f"{describe(experiment)}; trained for {experiment.network.epoch:,} epochs")


def to_script(experiment):
    """A Python file that runs with nothing but NumPy and predicts as ``experiment.predict`` does."""
    name = file_name(experiment, "py")
    question = " ".join(f"{value:g}" for value in example_input(experiment.dataset))
    what, network = map(_plain, _summary(experiment))
    data = _plain(experiment.dataset.name)
    header = f'''"""A neural network trained in Backprop Playground on the {data} data, as plain NumPy.

{what}
Network: {network}.

    python {name}{" " * len(question)}   prints the predictions for the examples below, as CSV
    python {name} {question}  predicts one input ({_plain(", ".join(experiment.dataset.feature_names))})

predict(X) takes inputs in original units and answers in original units, as the playground did.
It needs nothing but NumPy.
"""
import csv
import sys

import numpy as np
'''
    sections = [header]
    for part in parts(experiment):
        rule = f"# ----- {part.heading} ".ljust(_RULE_WIDTH, "-")
        sections.append(f"{rule}\n{_comment(part.text)}\n{part.code}\n")
    sections.append(_main(experiment))
    return "\n\n".join(sections)


# ----- the notebook ------------------------------------------------------------------------
def _cell(kind, source, number):
    lines = source.splitlines(keepends=True)
    cell = {"cell_type": kind, "id": f"cell-{number}", "metadata": {}, "source": lines}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def to_notebook(experiment):
    """The same code as a Jupyter notebook (nbformat 4.5 JSON): text, weights, predict, predictions."""
    dataset = experiment.dataset
    what, network = _summary(experiment)
    intro = (
        f"# A network trained on the {dataset.name} data\n\n"
        f"Trained in Backprop Playground: {what}.\n\n"
        f"**Network:** {network}.\n\n"
        "Each layer takes the layer before it, multiplies by its weights, adds its biases (if any) and "
        "applies its activation: `a_k = f(a_(k-1) @ W_k + b_k)`. The cells below hold every number the "
        "network learned and a `predict` function that needs nothing but NumPy."
    )
    cells = [("markdown", intro), ("code", "import numpy as np")]
    for part in parts(experiment):
        cells += [("markdown", f"## {part.heading}\n\n{part.text}"), ("code", part.code)]
    predictions = "predict(EXAMPLES)"
    if _is_classification(experiment):
        predictions = "predict_class(EXAMPLES), predict(EXAMPLES)"
    question = example_input(dataset)
    cells += [
        ("markdown", "## Predictions\n\nFor the training inputs above:"),
        ("code", predictions),
        ("markdown", "And for a new input: "
                     + ", ".join(f"{name} = {value:g}" for name, value in zip(dataset.feature_names, question)) + "."),
        ("code", f"predict([[{', '.join(_float(value) for value in question)}]])"),
    ]
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
        "cells": [_cell(kind, source, number) for number, (kind, source) in enumerate(cells, start=1)],
    }
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
