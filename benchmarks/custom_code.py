"""The learner's own code: how long its checks take, how soon an endless loop is stopped, and
what a custom activation costs per epoch against the built-in one it copies.

    python benchmarks/custom_code.py [--repeats 5]

Prints the best of the repeats (the machine's other work only ever adds time), with the
machine and the Python that ran it. Not a test: figures, for the record.
"""
import argparse
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nn_core import Experiment, custom, make_dataset  # noqa: E402
from nn_core.custom_templates import TEMPLATES  # noqa: E402

TANH = "def activation(z):\n    return np.tanh(z)\n\n\ndef derivative(a):\n    return 1.0 - a * a\n"
ENDLESS = "while True:\n    pass\n"
EPOCHS = 200


def seconds(action, repeats):
    """Shortest wall time of ``action()`` over ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def stopped_loop():
    try:
        custom.check_code("feature", ENDLESS)
    except ValueError as error:
        assert str(error).startswith("Stopped")


def microseconds_per_epoch(activation, fast_path):
    experiment = Experiment.build(make_dataset("circle", n_samples=250, seed=0), (4, 2), hidden_activation=activation,
                                  learning_rate=0.03, batch_size=10, use_bias=True, seed=0)
    experiment.network.use_fast_path = fast_path
    return seconds(lambda: experiment.train(epochs=EPOCHS), 1) / EPOCHS * 1e6


def tutorial_microseconds_per_epoch(activation):
    experiment = Experiment.tutorial(seed=0)
    if activation != "sigmoid":
        experiment = Experiment.build(make_dataset("exam"), hidden_sizes=(3,), hidden_activation=activation,
                                      output_activation="sigmoid", use_bias=False, learning_rate=1.0,
                                      reduction="sum", target_scaling="fixed", target_scale=100.0)
    return seconds(lambda: experiment.train(epochs=5000), 1) / 5000 * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}")
    for kind in custom.KINDS:
        check = seconds(lambda kind=kind: custom.check_code(kind, TEMPLATES[kind]), args.repeats)
        print(f"check of the {kind} example: {check * 1e3:8.1f} ms")
    print(f"endless loop stopped after {custom.MAX_CHECK_LINES:,} lines: "
          f"{seconds(stopped_loop, args.repeats) * 1e3:8.1f} ms")
    custom.register(custom.check_code("activation", TANH))
    try:
        for name in ("tanh", "custom"):
            figure = min(microseconds_per_epoch(name, False) for _ in range(args.repeats))
            print(f"circle 250 points, 2-4-2-1, batch 10, {name:6} (tanh by hand for custom): {figure:8.1f} µs/epoch")
        for name in ("sigmoid", "custom"):
            figure = min(tutorial_microseconds_per_epoch(name) for _ in range(args.repeats))
            note = "fast path" if name == "sigmoid" else "NumPy path, tanh by hand"
            print(f"exam 2-3-1, full batch, {name:7} ({note}): {figure:8.1f} µs/epoch")
    finally:
        custom.unregister("activation")


if __name__ == "__main__":
    main()
