"""Engine speed: microseconds per epoch on three reference problems, ours against TF Playground's.

    python benchmarks/engine.py [--repeats 5]
    npm install --prefix benchmarks/tf_playground --no-save typescript@5   (once, for TF's side)

An epoch is one pass over the training data plus the training loss after it, which is
what the playground does on every epoch. TF Playground's engine (benchmarks/tf_playground/nn.ts,
run by Node) trains on the same points with the same shape, batch size and learning rate, as
its oneStep() does, in the same run. Prints the median over repeats, the machine and the Python
that ran it, and the ratio TF's time / ours (above 1: ours is faster). Not a test: figures, for
the record. In Pyodide (benchmarks/engine_pyodide.js) the JavaScript side times TF's engine.
"""
import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nn_core import Experiment, make_dataset  # noqa: E402

TF_PLAYGROUND = Path(__file__).resolve().parent / "tf_playground"

# name: (how to build it, epochs per timing, TF Playground's output activation for it)
PROBLEMS = {
    "exam 2-3-1 sigmoid, full batch (the tutorial)": (lambda: Experiment.tutorial(seed=0), 20_000, "sigmoid"),
    "circle 250 points, 2-4-2-1 tanh, batch 10, lr 0.03": (
        lambda: Experiment.build(
            make_dataset("circle", n_samples=500, noise=0.0, seed=0), (4, 2), hidden_activation="tanh",
            learning_rate=0.03, batch_size=10, use_bias=True, test_ratio=0.5, seed=0,
        ),
        300,
        "tanh",  # TF Playground's classification output
    ),
    "spiral 250 points, 6x8 tanh, batch 10, lr 0.03": (
        lambda: Experiment.build(
            make_dataset("spiral", n_samples=500, noise=0.0, seed=0), (8,) * 6, hidden_activation="tanh",
            learning_rate=0.03, batch_size=10, use_bias=True, test_ratio=0.5, seed=0,
        ),
        100,
        "tanh",
    ),
}


def microseconds_per_epoch(make, epochs):
    experiment = make()
    experiment.network.set_data(experiment.network.X_train, experiment.network.y_train)  # no test loss
    experiment.train(epochs=1)  # writes the straight-line code once, as TF's side lets the JIT warm up
    start = time.perf_counter()
    experiment.train(epochs=epochs)
    return (time.perf_counter() - start) / epochs * 1e6


def measure(repeats):
    """Our median µs per epoch for each problem, in PROBLEMS order."""
    return [statistics.median(microseconds_per_epoch(make, epochs) for _ in range(repeats))
            for make, epochs, _ in PROBLEMS.values()]


def tf_request(repeats):
    """The same problems as TF Playground's engine takes them (benchmarks/tf_playground/epochs.js)."""
    problems = []
    for name, (make, epochs, output_activation) in PROBLEMS.items():
        network = make().network
        config = network.config
        n_samples = len(network.X_train)
        problems.append({
            "name": name,
            "shape": list(config.layer_sizes),
            "activation": config.activations[0],
            "outputActivation": output_activation,
            "batchSize": config.batch_size or n_samples,
            "learningRate": config.learning_rate,
            "epochs": epochs,
            "inputs": network.X_train.tolist(),
            "labels": network.y_train[:, 0].tolist(),
        })
    return {"problems": problems, "repeats": repeats}


def tf_timings(repeats):
    """TF Playground's median µs per epoch for each problem, or None (and why) without Node or TypeScript."""
    if shutil.which("node") is None or not (TF_PLAYGROUND / "node_modules" / "typescript").is_dir():
        print("TF Playground's side needs node and: npm install --prefix benchmarks/tf_playground --no-save typescript@5")
        return None
    result = subprocess.run(["node", str(TF_PLAYGROUND / "epochs.js")], input=json.dumps(tf_request(repeats)),
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def report(ours, theirs=None):
    print(f"{'ours':>10}  {'TF':>10}  {'TF/ours':>7}  (µs per epoch)")
    for index, name in enumerate(PROBLEMS):
        tf = "" if theirs is None else f"{theirs[index]:10.1f}  {theirs[index] / ours[index]:6.2f}x"
        print(f"{ours[index]:10.1f}  {tf:19}  {name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
          f"{platform.system()}; median of {args.repeats} runs")
    ours = measure(args.repeats)
    report(ours, None if sys.platform == "emscripten" else tf_timings(args.repeats))


if __name__ == "__main__":
    main()
