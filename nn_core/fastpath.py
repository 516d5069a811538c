"""A fast path for tiny networks: the epoch loop written out as straight-line Python on floats.

For the tutorial's 2-3-1 network on 3 samples NumPy's cost is all per-call overhead (each
call costs about a microsecond, and an epoch needs dozens). So for small full-batch SGD
networks we generate, once per network and data set, a Python function with one statement
per neuron and per weight, with the data inlined as constants, and run many epochs in it.
The NumPy path stays the reference: the tests hold the two equal. Used only when
``eligible`` says so; anything it cannot do goes the NumPy way.
Each activation's straight-line form is in its record (activations.py).
Imports nothing but the standard library and nn_core's activation records.
"""
import math
import time

from .activations import activation_text

# Largest (samples × weights) we write out: beyond it, the generated code grows and NumPy wins.
MAX_SIZE = 800


def eligible(config, n_samples, has_test_data):
    """True when the straight-line path computes exactly what the NumPy path would."""
    sizes = config.layer_sizes
    n_weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    return (
        not has_test_data
        and config.optimizer == "sgd"
        and (config.regularization == "none" or config.regularization_rate == 0.0)
        and (config.batch_size == 0 or config.batch_size >= n_samples)
        and all(activation_text(name, "straight_line") for name in config.activations)
        and config.loss == "mse"
        and n_samples * n_weights <= MAX_SIZE
    )


def compile_epochs(config, X, y):
    """A function ``run(params, n_epochs, target_loss, deadline, exploded, growth)`` for this network and data.

    It trains up to ``n_epochs`` epochs on the flat parameter list ``params`` (laid out as
    Network.params) and returns (stop_reason, params, previous_params, losses, squared_norms):
    losses[i] is the training loss after epoch i + 1. It stops early when the loss reaches
    ``target_loss`` ("target"), when perf_counter() passes ``deadline`` ("time"), or when the
    loss is not finite or exceeds ``exploded``, or the largest |parameter| grew more than
    ``growth`` times over (from at least 1) in one epoch ("diverged": params are those that blew
    up, previous_params those before, and the bad loss is the last item of losses). On a float
    overflow it returns "overflow" with the parameters of the last complete epoch.
    """
    sizes = config.layer_sizes
    n_samples, n_layers = len(X), len(sizes) - 1
    names = []  # the flat parameter layout of Network: per layer, W row-major, then b
    for k in range(n_layers):
        names += [f"w{k}_{i}_{j}" for i in range(sizes[k]) for j in range(sizes[k + 1])]
        if config.use_bias:
            names += [f"b{k}_{j}" for j in range(sizes[k + 1])]
    scale = 1.0 if config.reduction == "sum" else 1.0 / n_samples
    lr = config.learning_rate
    forward, backward = [], []  # statements of one epoch
    # Forward pass, sample by sample, neuron by neuron; inputs are constants.
    for s in range(n_samples):
        previous = [repr(float(v)) for v in X[s]]
        for k in range(n_layers):
            function, _ = activation_text(config.activations[k], "straight_line")
            current = []
            for j in range(sizes[k + 1]):
                terms = [_product(previous[i], f"w{k}_{i}_{j}") for i in range(sizes[k])]
                if config.use_bias:
                    terms.append(f"b{k}_{j}")
                forward.append(f"z{k}_{s}_{j} = {' + '.join(terms)}")
                forward.append(f"a{k}_{s}_{j} = {function.format(z=f'z{k}_{s}_{j}')}")
                current.append(f"a{k}_{s}_{j}")
            previous = current
    last = n_layers - 1
    errors = []
    for s in range(n_samples):
        for j in range(sizes[-1]):
            forward.append(f"e{s}_{j} = a{last}_{s}_{j} - {float(y[s][j])!r}")
            errors.append(f"e{s}_{j} * e{s}_{j}")
    # Backward pass: deltas d{k}_{s}_{j} = dJ/dz, layer by layer from the output.
    for s in range(n_samples):
        for k in range(last, -1, -1):
            _, derivative = activation_text(config.activations[k], "straight_line")
            for j in range(sizes[k + 1]):
                if k == last:
                    incoming = _product(repr(scale), f"e{s}_{j}")
                else:
                    incoming = "(" + " + ".join(f"d{k + 1}_{s}_{m} * w{k + 1}_{j}_{m}" for m in range(sizes[k + 2])) + ")"
                backward.append(f"d{k}_{s}_{j} = {incoming} * {derivative.format(a=f'a{k}_{s}_{j}')}")
    # Gradients in the flat layout, the squared norm, then the update.
    gradients = {}
    for k in range(n_layers):
        for i in range(sizes[k]):
            inputs = [repr(float(X[s][i])) if k == 0 else f"a{k - 1}_{s}_{i}" for s in range(n_samples)]
            for j in range(sizes[k + 1]):
                gradients[f"w{k}_{i}_{j}"] = " + ".join(_product(a, f"d{k}_{s}_{j}") for s, a in enumerate(inputs))
        for j in range(sizes[k + 1] if config.use_bias else 0):
            gradients[f"b{k}_{j}"] = " + ".join(f"d{k}_{s}_{j}" for s in range(n_samples))
    for index, name in enumerate(names):
        backward.append(f"g{index} = {gradients[name]}")
    backward.append(f"norm = {' + '.join(f'g{i} * g{i}' for i in range(len(names)))}")
    backward.append("append_norm(norm)")
    # No parameter moved by more than lr·|g|: an upper bound of the largest |parameter|, kept up
    # to date for a few operations instead of a max over every |parameter| each epoch.
    backward.append(f"bound += {lr!r} * norm ** 0.5")
    backward.append(f"previous = [{', '.join(names)}]")
    backward.extend(f"{name} -= {_product(repr(lr), f'g{index}')}" for index, name in enumerate(names))
    largest = f"max({', '.join(f'abs({name})' for name in names)}, 1.0)"
    checks = [
        f"loss = ({' + '.join(errors)}) * {1.0 / (n_samples * sizes[-1])!r}",
        "append_loss(loss)",
        "if not loss <= exploded:",
        "    reason = 'diverged'",
        "    break",
        # Below half the growth limit (rounding cannot take the bound that far) the largest
        # |parameter| cannot have grown ``growth`` times over; above it, measure it.
        "if not bound <= safe:",
        f"    bound = {largest}",
        "    if not bound <= growth * max(max(map(abs, previous)), 1.0):",
        "        reason = 'diverged'",
        "        break",
        "if loss <= target_loss:",
        "    reason = 'target'",
        "    break",
        "if epoch == n_epochs:",
        "    break",
        "if not epoch & 15 and perf_counter() >= deadline:",  # a clock read costs as much as an epoch
        "    reason = 'time'",
        "    break",
    ]
    current = f"[{', '.join(names)}]"
    source = "\n".join([
        # exp, tanh and the clock are bound as locals: a global look-up per use is slower.
        "def run(params, n_epochs, target_loss, deadline, exploded, growth, exp=exp, tanh=tanh, "
        "perf_counter=perf_counter):",
        f"    {', '.join(names)}, = params",
        f"    bound, safe = {largest}, 0.5 * growth",
        "    previous = list(params)",
        "    losses, norms, reason = [], [], 'epochs'",
        "    append_loss, append_norm = losses.append, norms.append",
        "    try:",
        "        for epoch in range(n_epochs + 1):",
        *(f"            {line}" for line in forward),
        "            if epoch:",
        *(f"                {line}" for line in checks),
        *(f"            {line}" for line in backward),
        "    except OverflowError:",
        "        # The epoch whose forward pass overflowed is undone; NumPy takes over.",
        "        return 'overflow', previous, previous, losses, norms[: len(losses)]",
        f"    return reason, {current}, previous, losses, norms",
    ])
    namespace = {"exp": math.exp, "tanh": math.tanh, "perf_counter": time.perf_counter}
    exec(compile(source, "<fast path>", "exec"), namespace)
    return namespace["run"]


def _product(coefficient, name):
    """``coefficient * name`` as code, or ``name`` when the coefficient is 1.0 (x * 1.0 is x, exactly)."""
    return name if coefficient == "1.0" else f"{coefficient} * {name}"
