"""One training step, played slowly: the phases of "Show the backward pass" and the clock that walks them.

The forward pass lights up the layers left to right, the error flows back right to left, and
then every weight moves. ``phases`` lists these steps for a network's shape; ``BackwardPass``
remembers which one is shown, how far its motion has gone, and the step's numbers. Those come
from ``nn_core.stepmath.explain_step``, the function the maths tab writes out, so the picture
and the tables show the same step. Drawing is ``backward_view``'s job.

The clock is an asyncio task that moves the motion on a little, lets the views draw once and
gives the page a turn, about 30 times a second, like the play loop: the page never waits for it.
"""
import asyncio
import time
from typing import NamedTuple

import numpy as np
import param

from nn_core.stepmath import explain_step

from .graph_layout import layer_name
from .playground import Playground
from .runtime import frame_sent, page_is_behind

# The clock moves the motion on this often (seconds): about 30 small updates a second.
FRAME_SECONDS = 1 / 30
# Seconds each phase takes while playing, by the speed's name.
SPEEDS = {"Slow": 3.0, "Normal": 1.6, "Fast": 0.7}

TITLES = {
    "forward": "Forward: each neuron's value",
    "backward": "Backward: how much each neuron is to blame (δ)",
    "update": "Update: each weight moves",
}


class Phase(NamedTuple):
    """One phase: what happens ("forward", "backward" or "update") and to which layer (0 is the inputs).

    forward k: layer k's neurons show their values, and the synapses into it light up.
    backward k: layer k's neurons show their δ (the inputs have none), and pulses run back along
    the synapses out of it, each as big as its weight's gradient ∂J/∂w.
    update: every synapse's width moves with its weight's update.
    """

    stage: str
    layer: int


def phases(layer_sizes):
    """Every phase of one step of a network with ``layer_sizes`` (inputs first), in order."""
    last = len(layer_sizes) - 1
    return ([Phase("forward", k) for k in range(last + 1)]
            + [Phase("backward", k) for k in range(last, -1, -1)]
            + [Phase("update", last)])


def phase_detail(phase, config):
    """A sentence or two on what ``phase`` shows, in a learner's words. config : the network's Config."""
    n_layers = len(config.layer_sizes)
    name = layer_name(phase.layer, n_layers)
    if phase.stage == "forward":
        if phase.layer == 0:
            return "The inputs: the numbers of one training sample go in."
        bias = ", plus its bias" if config.use_bias else ""
        return (f"{name.capitalize()}: each neuron adds up the values coming in, each times its weight{bias}, "
                f"and puts the sum through {config.activations[phase.layer - 1]}.")
    if phase.stage == "backward":
        if phase.layer == n_layers - 1:
            return ("The output compares its answer with the target. Its δ is how much it is to blame for the "
                    "error: how far off it is, times how steeply its activation changes there.")
        pulses = ("The blame flows back. Each pulse is one weight's gradient ∂J/∂w (blue +, orange −): "
                  "the bigger the pulse, the more that weight is to blame.")
        if phase.layer == 0:
            return pulses + " The inputs are the data, so nothing is blamed on them."
        return (f"{pulses} Each neuron of {name} adds up the blame coming back along its synapses: "
                "that is its δ.")
    return ("Each weight takes a small step against its gradient, scaled by the learning rate "
            f"η = {config.learning_rate:g}. Weights that were much to blame move most.")


class BackwardPass(param.Parameterized):
    """Which phase of the step is shown and how far its motion has gone; plays, steps and ends."""

    playground = param.ClassSelector(class_=Playground, doc="The store whose next step is shown.")
    is_open = param.Boolean(False, doc="The step is being shown on the graph.")
    phase = param.Integer(0, bounds=(0, None), doc="Index of the phase shown, in phases(layer_sizes).")
    progress = param.Number(1.0, bounds=(0.0, 1.0), doc="How far the phase's motion has gone: 0 start, 1 done.")
    is_playing = param.Boolean(False, doc="The phases follow each other by themselves.")
    speed = param.Selector(default="Normal", objects=list(SPEEDS), doc="How long each phase takes while playing.")
    message = param.String("", doc="Why the step cannot be shown, or what happened at its end.")

    def __init__(self, **params):
        super().__init__(**params)
        self.phases = []
        self.explanation = None  # nn_core's StepExplanation of the step shown
        self.sample = 0  # the training sample whose values and δ are shown
        self._params = None  # the weights the step starts from: if they change, the step shown is stale
        self._task = None
        self.playground.param.watch(self._on_change, ["tick", "structure", "sample_index"])

    # ----- what the learner does -------------------------------------------------------------
    def open(self):
        """Work out the next step and show its first phase; training pauses."""
        playground = self.playground
        playground.pause()
        network = playground.experiment.network
        try:
            explanation = explain_step(network)
        except ValueError as error:
            self.message = f"Cannot show the step: {error}"
            return False
        self.explanation = explanation
        self.sample = min(playground.sample_index, len(explanation.X) - 1)
        self.phases = phases(network.config.layer_sizes)
        self._params = network.params.copy()
        self.param.update(phase=0, progress=0.0, message="", is_open=True)
        return True

    def play(self):
        """Let the phases follow each other, from the start if the last one is done."""
        if not self.is_open and not self.open():
            return
        if self.phase == len(self.phases) - 1 and self.progress >= 1.0:
            self.param.update(phase=0, progress=0.0)
        self.is_playing = True
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._run())

    def pause(self):
        self.is_playing = False

    def next(self):
        """Pause and show the next phase whole; after the last one, take the step."""
        if self.phase < len(self.phases) - 1:
            self.param.update(phase=self.phase + 1, progress=1.0)
            self.pause()  # after the phase: the page learns of the pause once the phase is drawn
        else:
            self.finish()

    def back(self):
        """Pause and show the phase before whole (the first one stays)."""
        self.param.update(phase=max(self.phase - 1, 0), progress=1.0)
        self.pause()

    def close(self):
        self.pause()
        self.is_open = False

    def finish(self):
        """The update is shown: take the step, unless training takes batches and so another step."""
        network = self.playground.experiment.network
        batch, n_samples = network.config.batch_size, len(self.explanation.X)
        self.close()
        if batch and batch < n_samples:
            self.message = (f"Training takes batches of {batch}, so Step would take other steps: "
                            "this one was shown, not taken.")
            return
        self.playground.step(1)  # closed first: this step's tick is no news
        self.message = f"Step taken: epoch {self.playground.epoch:,}."

    # ----- the clock ---------------------------------------------------------------------------
    def advance(self, seconds):
        """Move the motion on by ``seconds`` at the chosen speed; a finished phase gives way to the
        next one, and the last one takes the step. At most one phase ends per call."""
        progress = self.progress + seconds / SPEEDS[self.speed]
        if progress < 1.0:
            self.progress = progress
        elif self.progress < 1.0:
            self.progress = 1.0  # the motion ends where it should before the next phase starts
        elif self.phase < len(self.phases) - 1:
            self.param.update(phase=self.phase + 1, progress=0.0)
        else:
            self.finish()

    async def _run(self):
        last = time.perf_counter()
        while self.is_playing and self.is_open:
            await asyncio.sleep(FRAME_SECONDS)  # the page's turn: clicks are handled between frames
            now = time.perf_counter()
            if not (self.is_playing and self.is_open):
                break  # paused or closed meanwhile: Next has shown its phase, which must stay
            if page_is_behind():
                continue  # the motion waits for the page rather than queueing frames
            self.advance(min(now - last, 4 * FRAME_SECONDS))
            last = now
            frame_sent()

    # ----- reading -------------------------------------------------------------------------------
    @property
    def current(self):
        """The Phase shown."""
        return self.phases[self.phase]

    def _on_change(self, *events):
        """Training, an edit or another sample makes the step shown stale: stop showing it."""
        if not self.is_open:
            return
        network = self.playground.experiment.network
        if (any(event.name != "tick" for event in events) or network.params.shape != self._params.shape
                or not np.array_equal(network.params, self._params)):
            self.close()
