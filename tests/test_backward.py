"""Show the backward pass, in CPython: the phases, the clock that walks them, and what is drawn."""
import asyncio

import numpy as np
import pytest

pytest.importorskip("panel")

import panel as pn  # noqa: E402

from conftest import run_coroutine  # noqa: E402
from nn_core.stepmath import explain_step  # noqa: E402
from pyscript_app.app import create_app  # noqa: E402
from pyscript_app.backward import Phase, phases  # noqa: E402
from pyscript_app.backward_view import (  # noqa: E402
    BackwardView, pulse_positions, pulse_sizes, update_widths,
)
from pyscript_app.graph_view import NetworkGraph  # noqa: E402
from pyscript_app.maths_view import MathsView  # noqa: E402
from pyscript_app.playground import Playground  # noqa: E402


@pytest.fixture
def playground():
    return Playground()  # the tutorial's exam data on a 2-3-1 network


def backward_view(playground):
    return BackwardView(playground=playground, graph=NetworkGraph(playground=playground))


def test_a_step_goes_forward_left_to_right_then_back_right_to_left_then_updates():
    assert phases([2, 3, 1]) == [
        Phase("forward", 0), Phase("forward", 1), Phase("forward", 2),
        Phase("backward", 2), Phase("backward", 1), Phase("backward", 0),
        Phase("update", 2)]
    four_layers = phases([2, 4, 3, 2, 1])
    assert len(four_layers) == 11
    assert [phase.layer for phase in four_layers if phase.stage == "backward"] == [4, 3, 2, 1, 0]


def test_next_and_back_step_through_the_phases_and_next_after_the_update_takes_the_step(playground):
    view = backward_view(playground)
    steps = view.steps
    explanation = explain_step(playground.experiment.network)
    assert steps.open() and steps.phase == 0
    steps.back()
    assert steps.phase == 0
    for expected in range(1, 7):
        steps.next()
        assert steps.phase == expected and steps.is_open
    steps.back()
    assert steps.current == Phase("backward", 0)
    steps.next()
    steps.next()  # after the update: the step is taken, and it is the step the maths tab explained
    assert not steps.is_open and playground.epoch == 1
    for W, new in zip(playground.experiment.network.weights, explanation.new_weights):
        np.testing.assert_allclose(W, new, rtol=0, atol=1e-14)  # the fast path may differ in the last bit
    assert "Step taken" in view.caption.object


def test_the_clock_shows_every_phase_in_order_and_ends_with_the_step(playground):
    view = backward_view(playground)
    steps = view.steps
    steps.open()
    steps.speed = "Fast"
    seen = []
    while steps.is_open:
        if not seen or seen[-1] != steps.phase:
            seen.append(steps.phase)
        steps.advance(0.1)
    assert seen == list(range(7))
    assert playground.epoch == 1


def test_play_runs_on_the_event_loop_until_the_step_is_taken(playground):
    steps = backward_view(playground).steps

    async def play_to_the_end():
        steps.speed = "Fast"
        steps.play()
        for _ in range(2000):  # a generous cap: the condition ends the wait
            if not steps.is_open:
                break
            await asyncio.sleep(0.01)

    run_coroutine(play_to_the_end())
    assert not steps.is_open and not steps.is_playing and playground.epoch == 1


def test_each_delta_on_the_graph_is_the_maths_tabs_delta_of_that_neuron():
    playground = Playground()
    playground.settings.hidden_sizes = [4, 3, 2]
    view = backward_view(playground)
    maths = MathsView(playground=playground, graph=view.graph, active=True)
    sizes = playground.experiment.network.config.layer_sizes
    deltas = maths.neurons.data["delta"]
    view.steps.open()
    for index, phase in enumerate(view.steps.phases):
        view.steps.param.update(phase=index)
        start = sum(sizes[:phase.layer])
        if phase.stage == "backward" and phase.layer > 0:
            assert view.neurons.data["text"] == ["δ " + d for d in deltas[start : start + sizes[phase.layer]]]
        if phase.stage == "forward":
            assert view.neurons.data["text"] == maths.neurons.data["a"][start : start + sizes[phase.layer]]


def test_pulses_run_right_to_left_and_grow_with_the_gradient(playground):
    view = backward_view(playground)
    steps = view.steps
    steps.open()
    steps.param.update(phase=4, progress=0.0)  # back from the output into hidden 1
    start_x = list(view.pulses.data["x"])
    steps.progress = 0.5
    assert all(later < earlier for later, earlier in zip(view.pulses.data["x"], start_x))
    gradients = np.array([0.0, -0.1, 0.4, 0.2])
    sizes = pulse_sizes(gradients, largest=0.4)
    assert sizes[0] < sizes[1] < sizes[3] < sizes[2]
    x, _ = pulse_positions(np.zeros(2), np.zeros(2), np.ones(2), np.ones(2), motion=1.0)
    assert np.all((0 < x) & (x < 1))


def test_the_update_moves_each_width_visibly_and_says_by_how_much_it_is_magnified(playground):
    old = [np.array([[0.5, -1.0]])]
    new = [np.array([[0.5001, -1.0002]])]
    before, magnify = update_widths(old, new, scale=1.0, motion=0.0)
    after, _ = update_widths(old, new, scale=1.0, motion=1.0)
    assert magnify > 1 and np.abs(after - before).max() == pytest.approx(3.0)
    view = backward_view(playground)
    view.steps.open()
    view.steps.param.update(phase=6)
    assert "drawn" in view.caption.object and "bigger" in view.caption.object


def test_training_or_a_new_network_ends_the_step_shown_but_a_redraw_does_not(playground):
    steps = backward_view(playground).steps
    steps.open()
    playground.tick += 1  # a redraw of the same weights
    assert steps.is_open
    playground.step(1)
    assert not steps.is_open
    steps.open()
    playground.settings.hidden_sizes = [2]
    assert not steps.is_open


def test_with_mini_batches_the_step_is_shown_but_not_taken(playground):
    playground.settings.batch_size = 1
    view = backward_view(playground)
    view.steps.open()
    for _ in range(7):
        view.steps.next()
    assert not view.steps.is_open and playground.epoch == 0
    assert "shown, not taken" in view.caption.object


@pytest.mark.parametrize("dataset", ["digits", "three_clouds", "circle"])
def test_every_network_the_page_draws_can_be_shown_and_big_layers_go_unlabelled(dataset):
    playground = Playground()
    playground.settings.dataset = dataset
    view = backward_view(playground)
    view.steps.open()
    for index, phase in enumerate(view.steps.phases):
        view.steps.param.update(phase=index, progress=0.5)
        assert "Phase" in view.caption.object
        if dataset == "digits" and phase.layer == 0 and phase.stage == "forward":
            assert set(view.neurons.data["text"]) == {""}  # 64 dots: the tooltips have the numbers
            assert all(view.neurons.data["value"])


@pytest.mark.parametrize("mode", ["full", "present", "embed"])
def test_the_control_sits_under_the_graph_in_every_layout(mode):
    page = create_app(mode=mode)
    names = [button.name for button in page.select(pn.widgets.Button)]
    assert "Show the backward pass" in names


def test_a_projectors_scale_enlarges_the_controls_and_the_caption_with_one_change(playground):
    view = backward_view(playground)
    view.graph.scale = 1.6
    assert view.column.styles == {"--backward-scale": "1.6"}  # what every control's and the caption's size reads
    assert all("var(--backward-scale, 1)" in widget.stylesheets[-1]
               for widget in (view.show_button, view.back_button, view.play_button, view.speed, view.caption))
