"""A fast path for small networks trained in mini-batches: one epoch's batches as straight-line Python.

A mini-batch of 10 samples through a 2-4-2-1 network is a few hundred multiplications, and
NumPy spends a microsecond on each of the two dozen calls a batch needs: the calls cost
more than the maths. So for small networks trained by plain SGD in mini-batches we
generate, once per network, a Python function with one statement per neuron and per weight
of a whole batch, and run every batch of an epoch through it on Python floats. The samples
come in shuffled as NumPy's path shuffles them (the network draws the order), so the two
paths train on the same batches; the loss after the epoch is NumPy's. The NumPy path stays
the reference: the tests hold the two equal. Used only when ``eligible`` says so.
Each activation's straight-line form is in its record (activations.py).
Imports nothing but the standard library and nn_core's activation and loss records.
"""
import math

from .activations import activation_text
from .losses import LOSSES

# Straight-line code costs about the same per sample and parameter whatever the batch size;
# NumPy costs about the same per batch and layer whatever the batch holds (its calls, a few
# microseconds). They break even near batch_size × n_parameters = 120 × n_layers (measured on
# 250 points, CPython 3.11: 2-4-2-1 in batches of 10 is 1.6 times faster written out, 2-8-1 and
# 2-6-6-1 in batches of 10 are 1.3 and 1.5 times slower).
MAX_SIZE_PER_LAYER = 120


def eligible(config, n_samples):
    """True when the straight-line batches compute what the NumPy path would, to rounding."""
    sizes = config.layer_sizes
    n_layers = len(sizes) - 1
    n_parameters = sum((n_in + config.use_bias) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    output_loss = LOSSES[config.loss].from_sums.get(config.activations[-1])
    return (
        config.optimizer == "sgd"
        and 0 < config.batch_size < n_samples
        and all(activation_text(name, "straight_line") for name in config.activations)
        # mse works from the outputs; a loss from the sums only where its delta is a - y
        and (config.loss == "mse" or (output_loss is not None and output_loss.collapses))
        and config.batch_size * n_parameters <= MAX_SIZE_PER_LAYER * n_layers
    )


def compile_batches(config, n_samples):
    """A function ``run(params, batches, last)`` that trains one epoch's batches of ``n_samples``.

    ``params`` is the flat parameter list (laid out as Network.params). ``batches`` lists every
    batch but the last, each one flat list of its samples' inputs then targets, sample after
    sample, and holds ``batch_size`` samples; ``last`` is the last batch, in the same form, with the samples
    left over (``batch_size`` of them when it divides ``n_samples``). Returns (params, params_before_last_batch,
    squared_norm_of_the_last_gradient). math.exp raises OverflowError where NumPy's would
    overflow; a blow-up to inf or NaN shows in the returned numbers.
    """
    sizes = config.layer_sizes
    names = []  # the flat parameter layout of Network: per layer, W row-major, then b
    for k in range(len(sizes) - 1):
        names += [f"w{k}_{i}_{j}" for i in range(sizes[k]) for j in range(sizes[k + 1])]
        if config.use_bias:
            names += [f"b{k}_{j}" for j in range(sizes[k + 1])]
    full = _batch_lines(config, names, config.batch_size)
    last_size = n_samples - (n_samples - 1) // config.batch_size * config.batch_size
    source = [
        # exp and tanh are bound as locals: a global look-up per use is slower.
        "def run(params, batches, last, exp=exp, tanh=tanh):",
        f"    {', '.join(names)}, = params",
        f"    for {_sample_names(sizes, config.batch_size)}, in batches:",
        *(f"        {line}" for line in full),
        f"    previous = [{', '.join(names)}]",
        f"    {_sample_names(sizes, last_size)}, = last",
        *(f"    {line}" for line in _batch_lines(config, names, last_size, with_norm=True)),
        f"    return [{', '.join(names)}], previous, norm",
    ]
    namespace = {"exp": math.exp, "tanh": math.tanh}
    exec(compile("\n".join(source), "<batch path>", "exec"), namespace)
    return namespace["run"]


def _sample_names(sizes, n_samples):
    """The names a flat batch unpacks into: sample after sample, its inputs then its targets."""
    return ", ".join(
        name for s in range(n_samples)
        for name in [f"x{s}_{i}" for i in range(sizes[0])] + [f"y{s}_{j}" for j in range(sizes[-1])]
    )


def _batch_lines(config, names, n_samples, with_norm=False):
    """Statements of one SGD step on a batch of ``n_samples``, as NumPy's path computes it."""
    sizes, n_layers = config.layer_sizes, len(config.layer_sizes) - 1
    last = n_layers - 1
    lines = []
    # Forward pass, sample by sample, neuron by neuron.
    for s in range(n_samples):
        previous = [f"x{s}_{i}" for i in range(sizes[0])]
        for k in range(n_layers):
            function, _ = activation_text(config.activations[k], "straight_line")
            current = []
            for j in range(sizes[k + 1]):
                terms = [f"{previous[i]} * w{k}_{i}_{j}" for i in range(sizes[k])]
                if config.use_bias:
                    terms.append(f"b{k}_{j}")
                total = " + ".join(terms)
                if function.count("{z}") == 1:  # no need to name the sum (relu's has two uses)
                    lines.append(f"a{k}_{s}_{j} = {function.format(z=f'({total})')}")
                else:
                    lines.append(f"z{k}_{s}_{j} = {total}")
                    lines.append(f"a{k}_{s}_{j} = {function.format(z=f'z{k}_{s}_{j}')}")
                current.append(f"a{k}_{s}_{j}")
            previous = current
    # Backward pass: deltas d{k}_{s}_{j} = dJ/dz, as Network._backward forms them.
    divide = f" / {n_samples}" if config.reduction == "mean" else ""
    for s in range(n_samples):
        for k in range(last, -1, -1):
            _, derivative = activation_text(config.activations[k], "straight_line")
            for j in range(sizes[k + 1]):
                a = f"a{k}_{s}_{j}"
                if k == last and config.loss == "mse":
                    delta = f"(a{k}_{s}_{j} - y{s}_{j}) * {derivative.format(a=a)}{divide}"
                elif k == last:  # a cross-entropy from the sums, whose delta collapses to a - y
                    delta = f"(a{k}_{s}_{j} - y{s}_{j}){divide}"
                else:
                    incoming = " + ".join(f"d{k + 1}_{s}_{m} * w{k + 1}_{j}_{m}" for m in range(sizes[k + 2]))
                    delta = f"({incoming}) * {derivative.format(a=a)}"
                lines.append(f"d{k}_{s}_{j} = {delta}")
    # Gradients in the flat layout (with the penalty on weights), then the update.
    gradients = {}
    for k in range(n_layers):
        for i in range(sizes[k]):
            inputs = [f"x{s}_{i}" if k == 0 else f"a{k - 1}_{s}_{i}" for s in range(n_samples)]
            for j in range(sizes[k + 1]):
                gradients[f"w{k}_{i}_{j}"] = " + ".join(f"{a} * d{k}_{s}_{j}" for s, a in enumerate(inputs))
        for j in range(sizes[k + 1]):
            gradients[f"b{k}_{j}"] = " + ".join(f"d{k}_{s}_{j}" for s in range(n_samples))
    rate = config.regularization_rate
    for index, name in enumerate(names):
        gradient = gradients[name]
        if name.startswith("w") and rate and config.regularization == "l2":
            gradient = f"({gradient}) + {rate!r} * {name}"
        elif name.startswith("w") and rate and config.regularization == "l1":
            gradient = f"({gradient}) + ({rate!r} if {name} > 0.0 else {-rate!r} if {name} < 0.0 else 0.0)"
        if with_norm:  # the last batch: its gradient's norm is the epoch's
            lines.append(f"g{index} = {gradient}")
        else:
            lines.append(f"{name} -= {config.learning_rate!r} * ({gradient})")
    if with_norm:
        lines.append(f"norm = {' + '.join(f'g{i} * g{i}' for i in range(len(names)))}")
        lines.extend(f"{name} -= {config.learning_rate!r} * g{index}" for index, name in enumerate(names))
    return lines
