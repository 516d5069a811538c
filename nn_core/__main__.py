"""Train a network from a terminal: ``python -m nn_core exam --epochs 100000 --seed 0 --predict 4,8``.

The first argument is a dataset name (``exam`` is the tutorial) or the path of a CSV file
(header row; the last column is the target unless --target says otherwise). Progress is
printed as training goes; ``--json`` prints a single JSON object at the end instead.
Bad arguments get a one-line message and exit code 2.
"""
import argparse
import json
import math
import sys

from .data import DATASETS, make_dataset, parse_csv
from .experiment import Experiment, dataset_settings

N_PROGRESS_LINES = 10


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def _parse_args(argv):
    parser = _Parser(prog="python -m nn_core", description=__doc__.split("\n\n")[0])
    parser.add_argument("data", help=f"a dataset ({', '.join(DATASETS)}) or a CSV file")
    parser.add_argument("--epochs", type=int, default=1000, help="epochs to train at most (default 1000)")
    parser.add_argument("--target-loss", type=float, help="stop as soon as the loss is at most this")
    parser.add_argument("--seed", type=int, default=0, help="starting weights and data (default 0)")
    parser.add_argument("--hidden", help="hidden layer sizes, e.g. 3 or 4,2")
    parser.add_argument("--activation", help="activation of the hidden layers")
    parser.add_argument("--learning-rate", type=float)
    parser.add_argument("--bias", action=argparse.BooleanOptionalAction, default=None)
    parser.add_argument("--batch-size", type=int, help="0 for the whole set at once")
    parser.add_argument("--optimizer")
    parser.add_argument("--test-ratio", type=float, default=0.0)
    parser.add_argument("--samples", type=int, default=500, help="points for generated datasets")
    parser.add_argument("--noise", type=float, default=0.0)
    parser.add_argument("--target", help="CSV: the target column (default: the last)")
    parser.add_argument("--predict", help="inputs in original units, comma separated, e.g. 4,8")
    parser.add_argument("--json", action="store_true", help="print one JSON object at the end")
    return parser.parse_args(argv)


def _numbers(text, what, kind=float):
    try:
        return [kind(part) for part in text.split(",")]
    except ValueError:
        raise ValueError(f"{what} must be numbers separated by commas, got {text!r}.") from None


def _build_experiment(args):
    if args.data in DATASETS:
        dataset = make_dataset(args.data, n_samples=args.samples, noise=args.noise, seed=args.seed)
    else:
        try:
            with open(args.data, encoding="utf-8") as file:
                text = file.read()
        except OSError as error:
            raise ValueError(
                f"{args.data!r} is neither a dataset ({', '.join(DATASETS)}) nor a readable file: {error.strerror}."
            ) from None
        dataset = parse_csv(text, target_columns=[args.target] if args.target else None, name=args.data)
    settings = dataset_settings(dataset.name, dataset.task)
    overrides = {
        "hidden_sizes": None if args.hidden is None else _numbers(args.hidden, "--hidden", int),
        "hidden_activation": args.activation,
        "learning_rate": args.learning_rate,
        "use_bias": args.bias,
        "batch_size": args.batch_size,
        "optimizer": args.optimizer,
    }
    settings.update({key: value for key, value in overrides.items() if value is not None})
    return Experiment.build(dataset, seed=args.seed, test_ratio=args.test_ratio, split_seed=args.seed, **settings)


def _describe(experiment, inputs, outputs):
    names = experiment.dataset.feature_names
    left = ", ".join(f"{name} = {value:g}" for name, value in zip(names, inputs))
    right = ", ".join(f"{name} = {value:.4g}" for name, value in zip(experiment.dataset.target_names, outputs))
    return f"{left} → {right}"


def main(argv=None):
    try:
        args = _parse_args(sys.argv[1:] if argv is None else argv)
        if args.epochs < 0:
            raise ValueError(f"--epochs must be 0 or more, got {args.epochs}.")
        experiment = _build_experiment(args)
        query = None
        if args.predict is not None:
            query = _numbers(args.predict, "--predict")
            experiment.predict([query])  # check the inputs before training, not after
    except (_UsageError, ValueError) as error:
        print(f"python -m nn_core: error: {error}", file=sys.stderr)
        return 2
    network = experiment.network
    report_every = max(1, args.epochs // N_PROGRESS_LINES)
    run = None
    while network.epoch < args.epochs:
        chunk = min(report_every, args.epochs - network.epoch)
        run = experiment.train(epochs=chunk, target_loss=args.target_loss)
        if not args.json and run.last is not None:
            test = "" if run.last.test_loss is None else f"  test loss {run.last.test_loss:.4g}"
            print(f"epoch {network.epoch:>8}  loss {run.last.loss:.4g}{test}")
        if run.stop_reason in ("target", "diverged"):
            break
    loss = network.loss(network.X_train, network.y_train)
    result = {
        "dataset": experiment.dataset.name,
        "epochs": network.epoch,
        "loss": loss,
        "stop_reason": "epochs" if run is None else run.stop_reason,
        "seed": args.seed,
    }
    if network.divergence is not None:
        result["message"] = network.divergence.message
    if query is not None:
        prediction = experiment.predict([query])[0]
        tutorial = experiment.predict_tutorial_scaling([query])[0]
        result["predict"] = query
        result["prediction"] = prediction[0] if len(prediction) == 1 else prediction.tolist()
        result["prediction_tutorial_scaling"] = tutorial[0] if len(tutorial) == 1 else tutorial.tolist()
    if args.json:
        print(json.dumps({key: (None if isinstance(v, float) and not math.isfinite(v) else v)
                          for key, v in result.items()}))
        return 0
    if network.divergence is not None:
        print(f"stopped: {network.divergence.message}")
    print(f"trained {network.epoch} epochs: loss {loss:.4g} ({result['stop_reason']})")
    if query is not None:
        print("prediction:", _describe(experiment, query, experiment.predict([query])[0]))
        print("with the tutorial's scaling of the new input:",
              _describe(experiment, query, experiment.predict_tutorial_scaling([query])[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
