"""The maths view, the gradient check and replay in CPython: the store and the views, no browser."""
import html

import numpy as np
import pytest

pytest.importorskip("panel")
from nn_core.losses import LOSSES  # noqa: E402
from nn_core.stepmath import explain_step  # noqa: E402
from nn_core.worked_example import worked_example  # noqa: E402
from pyscript_app.graph_view import NetworkGraph  # noqa: E402
from pyscript_app.maths_view import GradientCheckView, MathsView, number  # noqa: E402
from pyscript_app.playground import Playground  # noqa: E402
from pyscript_app.replay import MAX_SNAPSHOTS  # noqa: E402
from pyscript_app.replay_view import ReplayBar  # noqa: E402


@pytest.fixture
def views():
    playground = Playground()
    graph = NetworkGraph(playground=playground)
    maths = MathsView(playground=playground, graph=graph, active=True)
    return playground, graph, maths


def test_the_tables_show_the_chosen_samples_numbers_of_the_next_step(views):
    playground, graph, maths = views
    playground.step(20)
    playground.sample_index = 2
    explanation = explain_step(playground.experiment.network)
    neurons, synapses = maths.neurons.data, maths.synapses.data
    assert neurons["neuron"][:3] == ["hours studied", "hours slept", "hidden 1 · 1"]
    assert neurons["a"][:2] == [number(v) for v in explanation.X[2]]
    assert neurons["z"][2:5] == [number(v) for v in explanation.sums[0][2]]
    assert neurons["delta"][-1] == number(explanation.deltas[1][2, 0])
    assert len(synapses["synapse"]) == len(graph.edges.data["weight"]) == 9
    assert synapses["synapse"][0] == "W1[0, 0]: hours studied → hidden 1 · 1"
    assert synapses["new"][-1] == number(explanation.new_weights[1][2, 0])
    assert maths.lines.data["code"][0] == "z1 = X @ W1"


def test_step_applies_the_update_the_view_showed(views):
    playground, graph, maths = views
    playground.step(5)
    shown = list(maths.synapses.data["new"])
    playground.step(1)
    assert [number(w) for W in playground.experiment.network.weights for w in W.ravel()] == shown


def test_selecting_a_row_selects_the_synapse_in_the_graph_and_back(views):
    playground, graph, maths = views
    maths.synapses.selected.indices = [4]
    assert graph.edges.selected.indices == [4]
    graph.neurons.selected.indices = [3]
    assert maths.neurons.selected.indices == [3]
    assert playground.focused_neuron == (1, 1)


def test_the_selected_synapse_or_neuron_gets_its_formulas_titled_as_its_row(views):
    playground, graph, maths = views
    assert maths.formula.object.startswith("<b>output · 1</b>")  # nothing selected: the output's
    graph.edges.selected.indices = [7]
    assert maths.formula.object.startswith(f"<b>{maths.synapses.data['synapse'][7]}</b>")
    assert "<math>" in maths.formula.object
    graph.neurons.selected.indices = [3]
    assert maths.formula.object.startswith("<b>hidden 1 · 2</b>")


def test_a_selection_left_from_a_bigger_network_falls_back_to_the_output(views):
    playground, graph, maths = views
    graph.edges.selected.indices = [8]
    playground.settings.hidden_sizes = [1]  # 3 synapses now
    assert maths.formula.object.startswith("<b>output · 1</b>")


def test_a_hidden_maths_view_works_nothing_out(views):
    playground, graph, maths = views
    maths.active = False
    before = dict(maths.synapses.data)
    playground.step(3)
    assert maths.synapses.data["new"] == before["new"]


def test_the_gradient_check_table_lists_every_weight_and_agrees(views):
    playground = views[0]
    check = GradientCheckView(playground=playground)
    playground.step(10)
    check.check()
    assert len(check.rows.data["parameter"]) == 9
    assert max(float(v) for v in check.rows.data["relative_error"]) < 1e-6
    assert "agree" in check.summary.object
    playground.settings.hidden_sizes = [4]
    assert check.rows.data == {}


def test_replay_shows_old_weights_and_step_goes_on_from_the_live_ones():
    playground = Playground()
    bar = ReplayBar(playground=playground)
    playground.step(10)
    after_10 = playground.experiment.network.params.copy()
    playground.step(10)
    live = playground.experiment.network.params.copy()
    playground.replay(10)
    np.testing.assert_array_equal(playground.experiment.network.params, after_10)
    assert playground.epoch == 10 and "Replaying epoch 10 of 20" in playground.message
    assert not bar.live.disabled
    playground.step(1)
    assert playground.epoch == 21 and playground.replay_epoch is None
    network = playground.experiment.network
    assert not np.array_equal(network.params, live)  # trained on from epoch 20's weights
    playground.replay(0)
    bar.live.clicks += 1
    assert playground.epoch == 21 and bar.live.disabled


def test_the_replay_slider_pauses_and_replays_the_snapshot_it_points_at():
    playground = Playground()
    bar = ReplayBar(playground=playground)
    for _ in range(3):
        playground.step(100)
    assert playground.snapshots.epochs == [0, 100, 200, 300] and bar.slider.end == 3 and bar.slider.value == 3
    bar.slider.value = 1
    assert playground.replay_epoch == 100 and playground.epoch == 100


def test_a_long_run_keeps_a_bounded_number_of_snapshots():
    playground = Playground()
    for _ in range(3 * MAX_SNAPSHOTS):
        playground.step(1)
    assert len(playground.snapshots) <= MAX_SNAPSHOTS


def test_the_maths_view_shows_the_tutorials_worked_example_beside_the_true_numbers(views):
    playground, graph, maths = views
    assert playground.experiment.dataset.name == "exam" and maths.tutorial.visible
    shown = maths.tutorial.object
    for row in worked_example():
        expected = (f">{html.escape(row.quantity)}</td>", f">{row.printed}</td><td>{row.true_text}</td>",
                    html.escape(row.note))
        assert all(part in shown for part in expected), row.quantity
    assert "1.000553084" in shown and "0.980159694" in shown and "1.79832" in shown and "1.78853" in shown


def test_the_tutorials_worked_example_is_left_out_on_other_data(views):
    playground, graph, maths = views
    playground.settings.dataset = "circle"
    assert not maths.tutorial.visible
    playground.settings.dataset = "exam"
    assert maths.tutorial.visible


def test_the_heading_states_the_cost_the_losss_record_gives(views):
    playground, graph, maths = views
    assert LOSSES["mse"].cost_formula in maths.heading.object  # the exam network's squared error
    playground.settings.dataset = "xor"  # two classes: binary cross-entropy, which has no cost formula of its own
    assert playground.experiment.config.loss == "binary_cross_entropy"
    assert f"Loss {html.escape(LOSSES['binary_cross_entropy'].formula)};" in maths.heading.object
