"""Mutation testing of the engine's maths with mutmut: how many deliberate bugs the tests catch.

    .venv/bin/pip install mutmut
    .venv/bin/python benchmarks/mutation.py

mutmut changes network.py, optimizers.py, losses.py, activations.py and fastpath.py one small
edit at a time (a + for a -, 1.0 for 2.0, a dropped line) and runs the fast engine tests on
each mutant (the files and tests are listed under [tool.mutmut] in pyproject.toml). A mutant
the tests still pass is a bug they would miss. One worker, at the lowest priority: the run
takes a long time and should not slow anything else. Not part of CI; the score goes in
docs/benchmarks.md by hand.
"""
import collections
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    mutmut = [sys.executable, "-m", "mutmut"]
    started = time.perf_counter()
    subprocess.run(["nice", "-n", "19", *mutmut, "run", "--max-children", "1"], cwd=ROOT, check=False)
    results = subprocess.run([*mutmut, "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True).stdout
    statuses = collections.Counter(line.rsplit(":", 1)[1].strip() for line in results.splitlines() if ":" in line)
    killed, survived = statuses.get("killed", 0), statuses.get("survived", 0)
    judged = killed + survived
    print(f"mutants: {dict(statuses)}")
    if judged:
        print(f"killed {killed} of {judged} ({100 * killed / judged:.1f} %) in {time.perf_counter() - started:.0f} s")
    print("survivors: `.venv/bin/python -m mutmut results`; show one with `mutmut show NAME`")


if __name__ == "__main__":
    main()
