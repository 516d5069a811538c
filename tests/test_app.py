"""The app's logic in CPython: a setting or a click → an nn_core call → the data the views draw."""
import asyncio
import html

import numpy as np
import pytest

pytest.importorskip("panel")

from conftest import run_coroutine  # noqa: E402
from pyscript_app.app import create_app, wants_embed  # noqa: E402
from pyscript_app.colors import NEGATIVE, POSITIVE, edge_colors  # noqa: E402
from pyscript_app.graph_layout import edge_endpoints, edge_widths, neuron_positions  # noqa: E402
from pyscript_app.loss_view import LossChart, loss_range  # noqa: E402
from pyscript_app.panels import DataTable, PredictionPanel, StatusLine  # noqa: E402
from pyscript_app.graph_view import NetworkGraph  # noqa: E402
from pyscript_app.playground import Playground  # noqa: E402
from pyscript_app.state import MAX_NEURONS_PER_LAYER  # noqa: E402


@pytest.fixture
def playground():
    return Playground()


def test_the_playground_opens_on_the_tutorials_network(playground):
    network = playground.experiment.network
    assert network.config.layer_sizes == (2, 3, 1)
    assert playground.experiment.dataset.name == "exam" and playground.epoch == 0
    assert playground.loss == pytest.approx(network.loss(network.X_train, network.y_train))


def test_a_step_trains_one_epoch_and_moves_the_synapses(playground):
    graph = NetworkGraph(playground=playground)
    widths = list(graph.edges.data["width"])
    playground.step(1)
    assert playground.epoch == 1
    assert list(graph.edges.data["width"]) != widths
    playground.step(100)
    assert playground.epoch == 101 and len(playground.history) == 1 + 101  # epoch 0, before training, too


def test_changing_the_layers_redraws_the_graph_with_the_new_neurons(playground):
    graph = NetworkGraph(playground=playground)
    playground.set_hidden_sizes([5, 4])
    assert playground.experiment.network.config.layer_sizes == (2, 5, 4, 1)
    assert len(graph.neurons.data["x"]) == 2 + 5 + 4 + 1
    assert len(graph.edges.data["x0"]) == 2 * 5 + 5 * 4 + 4 * 1


def test_too_many_neurons_are_refused_with_the_limit_named(playground):
    playground.set_hidden_sizes([MAX_NEURONS_PER_LAYER + 1])
    assert f"at most {MAX_NEURONS_PER_LAYER}" in playground.message
    assert playground.experiment.network.config.layer_sizes == (2, 3, 1)


def test_changing_the_learning_rate_keeps_the_weights(playground):
    playground.step(10)
    weights = playground.experiment.network.params.copy()
    playground.settings.learning_rate = 0.5
    np.testing.assert_array_equal(playground.experiment.network.params, weights)
    assert playground.experiment.network.optimizer.learning_rate == 0.5
    assert playground.epoch == 10


def test_picking_another_dataset_brings_its_preset(playground):
    graph = NetworkGraph(playground=playground)
    playground.settings.dataset = "circle"
    config = playground.experiment.network.config
    assert config.layer_sizes == (2, 4, 2, 1) and config.loss == "binary_cross_entropy"
    assert playground.settings.learning_rate == 0.03 and playground.settings.use_bias
    assert len(graph.neurons.data["x"]) == 9
    playground.settings.dataset = "exam"
    assert playground.experiment.network.config == playground.experiment.network.config.tutorial()


def test_a_learning_rate_that_explodes_stops_training_with_a_plain_message(playground):
    playground.settings.dataset = "plane"  # a linear output: nothing saturates, the loss can explode
    playground.settings.learning_rate = 10.0
    for _ in range(20):
        playground.step(10)
    assert playground.message.startswith("Stopped: the loss")
    assert "lower it" in playground.message.lower()
    assert np.isfinite(playground.history.loss).all()
    playground.reset()
    assert playground.message == "" and playground.epoch == 0


def test_play_trains_in_frames_until_paused(playground):
    async def play_for_a_while():
        playground.play()
        await asyncio.sleep(0.3)
        playground.pause()
        await asyncio.sleep(0.05)

    run_coroutine(play_for_a_while())
    assert playground.epoch > 100 and not playground.is_running
    epoch = playground.epoch
    run_coroutine(asyncio.sleep(0.05))
    assert playground.epoch == epoch


def test_while_the_page_is_behind_play_trains_on_without_redrawing_and_draws_the_end(playground, monkeypatch):
    behind = [True]
    monkeypatch.setattr("pyscript_app.play_loop.page_is_behind", lambda: behind[0])
    ticks = []
    playground.param.watch(lambda event: ticks.append(playground.epoch), ["tick"])

    async def play(seconds):
        playground.play()
        await asyncio.sleep(seconds)
        playground.pause()
        await asyncio.sleep(0.05)

    run_coroutine(play(0.2))
    assert playground.epoch > 100 and ticks == [playground.epoch]  # one redraw, of the last frame
    behind[0], ticks[:] = False, []
    run_coroutine(play(0.2))
    assert len(ticks) > 2 and ticks[-1] == playground.epoch  # the page keeps up: every frame is drawn


def test_editing_a_cell_trains_on_the_edited_data(playground):
    table = DataTable(playground=playground)
    table.editor.objects[0].objects[2].value = 50.0  # first student's score
    assert playground.experiment.dataset.name == "exam (edited)"
    assert playground.experiment.dataset.y[0, 0] == 50.0
    assert "50" in table.table.object


def test_prediction_reads_in_points_and_shows_the_tutorials_scaling(playground):
    panel = PredictionPanel(playground=playground)
    playground.step(1000)
    text = panel.result.object
    assert "4 h studied, 8 h slept → <b>" in text and "points" in text
    assert "own maximum (0.5, 1)" in text


def test_status_line_escapes_messages(playground):
    status = StatusLine(playground=playground)
    playground.message = "<script>alert(1)</script>"
    assert "<script>" not in status.pane.object and "&lt;script&gt;" in status.pane.object


def test_loss_chart_streams_new_epochs_and_redraws_after_reset(playground):
    chart = LossChart(playground=playground)
    playground.step(10)
    assert chart.source.data["epoch"] == list(range(0, 11))
    playground.reset()
    assert chart.source.data["epoch"] == [0]


def test_loss_range_keeps_the_log_axis_positive():
    assert loss_range([1e-3, 1e-1, float("nan")], log_scale=True) == (5e-4, 0.2)
    assert loss_range([], log_scale=True)[0] > 0


def test_edge_display_follows_weight_size_and_sign():
    weights = [np.array([[0.0, -1.0], [5.0, 2.0]])]
    widths = edge_widths(weights, max_width=8.0, saturation=3.0)
    assert widths[0] < widths[3] < widths[2] == 8.0
    assert edge_colors(weights) == [POSITIVE, NEGATIVE, POSITIVE, POSITIVE]


def test_graph_geometry_puts_layers_in_columns():
    xs, ys = neuron_positions((2, 3, 1))
    assert list(xs) == [0, 0, 1, 1, 1, 2] and list(ys) == [0.5, -0.5, 1, 0, -1, 0]
    x0, y0, x1, y1 = edge_endpoints((2, 3, 1))
    assert len(x0) == 9 and list(x1[:3]) == [1, 1, 1] and list(x0[6:]) == [1, 1, 1]


@pytest.mark.parametrize("embed", [False, True])
def test_the_page_builds(embed):
    page = create_app(embed=embed)
    assert page.playground.experiment.network.config.layer_sizes == (2, 3, 1)


def parts_of(page):
    """The names of the page's parts (leaf-...) in the order they are laid out, columns included."""
    def walk(item):
        names = [css[5:] for css in getattr(item, "css_classes", []) if css.startswith("leaf-")]
        if names:
            return names
        return [name for child in getattr(item, "objects", []) for name in walk(child)]
    return [name for item in page.objects for name in walk(item)]


def test_the_page_reads_data_features_network_output_and_switches_to_the_compact_embed_layout_and_back():
    page = create_app()
    assert parts_of(page) == ["header", "buttons", "status", "links", "data", "more", "teacher", "features",
                              "tour", "settings", "graph", "extras", "loss", "output", "tools"]
    page.set_embed(True)
    assert parts_of(page) == ["tour", "status", "buttons", "graph", "loss"]
    page.playground.step(5)
    page.set_embed(False)
    assert page.playground.epoch == 5 and "tools" in parts_of(page)


def test_the_presenter_view_keeps_the_graph_the_chart_and_play_step_reset():
    page = create_app(mode="present")
    assert parts_of(page) == ["header", "tour", "buttons", "status", "graph", "loss"]
    page.set_mode("full")
    assert "settings" in parts_of(page)


@pytest.mark.parametrize("search, expected", [("?embed=1", True), ("", False), ("?embed=0", False), ("?x=1&embed=true", True)])
def test_embed_is_read_from_the_address(search, expected):
    assert wants_embed(search) is expected


def test_the_log_scale_toggle_swaps_the_loss_figure(playground):
    chart = LossChart(playground=playground)
    assert chart.pane.object is chart.log_figure
    chart.log_scale = False
    assert chart.pane.object is chart.linear_figure


def test_the_linear_loss_figure_is_made_when_first_shown_as_the_log_one_is_drawn(playground):
    playground.settings.dataset = "circle"  # test data: a test line in the legend
    playground.step(5)
    chart = LossChart(playground=playground, scale=1.8, height=300)
    assert list(chart._figures) == ["log"]  # the page starts without it
    chart.log_scale = False
    log, linear = chart.log_figure, chart.linear_figure
    assert chart.pane.object is linear and linear.height == 300 == log.height
    assert linear.xaxis[0].major_label_text_font_size == log.xaxis[0].major_label_text_font_size == "19.8px"
    assert [item.label.value for item in linear.above[0].items] == ["training", "test"]
    assert linear.y_range.end > 0 and linear.x_range.end == playground.history.epoch[-1]


@pytest.mark.parametrize("name", ["n_samples", "noise", "test_ratio", "learning_rate", "batch_size",
                                  "regularization_rate", "seed"])
def test_clearing_a_number_box_says_what_is_missing_and_keeps_the_network(playground, name):
    playground.settings.dataset = "circle"  # its preset has no penalty: turn one on after it
    playground.settings.regularization = "l2"
    network = playground.experiment.network
    setattr(playground.settings, name, None)
    assert playground.message.startswith("Not changed:")
    assert playground.experiment.network is network
    playground.step(1)
    assert playground.epoch == 1


def test_a_link_sets_up_the_page_and_a_bad_value_is_named():
    from bokeh.document import Document
    from panel.io.state import set_curdoc, state
    from panel.util import edit_readonly

    import panel as pn
    from pyscript_app.app import create_page

    document = Document()
    with set_curdoc(document):
        state.curdoc = document
        with edit_readonly(pn.state.location):
            pn.state.location.search = "?dataset=circle&hidden_sizes=6,3&learning_rate=oops"
        page = create_page()
        assert page.playground.experiment.network.config.layer_sizes == (2, 6, 3, 1)
        assert "learning_rate='oops'" in page.playground.message
        page.playground.settings.seed = 7
        assert "seed=7" in pn.state.location.search
        page.playground.settings.dataset = "xor"  # a preset: many settings change at once
        assert "dataset=xor" in pn.state.location.search


def test_classification_predictions_read_as_probabilities(playground):
    panel = PredictionPanel(playground=playground)
    playground.settings.dataset = "circle"
    assert "P(class 1) = " in panel.result.object


def test_the_decision_map_changes_while_training(playground):
    from pyscript_app.map_view import DecisionMap

    playground.settings.dataset = "circle"
    decision = DecisionMap(playground=playground)
    before = np.array(decision.image.data["image"][0])
    assert before.shape == (50, 50)
    assert len(decision.train_points.data["x"]) + len(decision.test_points.data["x"]) == 200
    playground.step(20)
    assert not np.allclose(np.array(decision.image.data["image"][0]), before)


def test_play_pauses_at_the_epoch_asked_for(playground):
    playground.settings.stop_epoch = 250

    async def play_until_paused():
        playground.play()
        while playground.is_running:
            await asyncio.sleep(0.01)

    run_coroutine(asyncio.wait_for(play_until_paused(), 10))
    assert playground.epoch == 250 and "Paused at epoch 250" in playground.message


def test_play_pauses_when_the_loss_reaches_the_target(playground):
    playground.settings.target_loss = 1e-3

    async def play_until_paused():
        playground.play()
        while playground.is_running:
            await asyncio.sleep(0.01)

    run_coroutine(asyncio.wait_for(play_until_paused(), 10))
    assert playground.loss <= 1e-3 and "the loss reached 0.001" in playground.message


def test_status_shows_accuracy_for_classes_and_rmse_for_scores(playground):
    status = StatusLine(playground=playground)
    assert "RMSE" in status.pane.object and "points" in status.pane.object
    playground.settings.dataset = "circle"
    assert "accuracy" in status.pane.object and "test accuracy" in status.pane.object


@pytest.mark.parametrize("lesson", ["tutorial", "bias", "learning-rate", "xor", "spiral", "importance"])
def test_every_lesson_sets_up_its_network_and_shows_its_text(playground, lesson):
    from pyscript_app.lessons import LESSONS
    from pyscript_app.panels import LessonPanel

    panel = LessonPanel(playground=playground)
    playground.settings.lesson = lesson
    title, query, _ = LESSONS[lesson]
    assert playground.settings.dataset == query["dataset"]
    assert playground.experiment.dataset.name.startswith(query["dataset"])
    assert html.escape(title) in panel.text.object
    playground.step(5)


def test_the_bias_lesson_builds_a_network_without_biases(playground):
    playground.settings.lesson = "bias"
    assert not playground.experiment.network.config.use_bias
    assert playground.experiment.network.config.layer_sizes == (2, 4, 2, 1)


def test_the_learning_rate_lesson_stops_with_a_message(playground):
    playground.settings.lesson = "learning-rate"
    playground.step(10)
    assert playground.message.startswith("Stopped: the loss exploded")


def test_importance_chart_has_a_bar_pair_per_input_from_nn_core(playground):
    from nn_core import weight_path_importance
    from pyscript_app.panels import LessonPanel

    panel = LessonPanel(playground=playground)
    playground.step(100)
    assert not panel.chart.visible and panel.chart.objects == []  # the chart is made when first asked for
    panel.show_importance()
    data = panel.importance.data
    assert panel.chart.visible and data["input"] == ["hours studied", "hours slept"]
    assert panel.chart.objects[0].object is panel.figure and list(panel.figure.y_range.factors) == data["input"][::-1]
    np.testing.assert_allclose(data["weights"], weight_path_importance(playground.experiment.network.weights))
    assert sum(data["shuffle"]) == pytest.approx(1.0)
    playground.settings.hidden_sizes = [4]
    assert not panel.chart.visible  # a new network hides the old answer


def test_confusion_matrix_counts_every_training_and_test_point(playground):
    from pyscript_app.panels import ConfusionMatrix

    matrix = ConfusionMatrix(playground=playground)
    assert matrix.pane.object == ""  # the exam scores are numbers, not classes
    playground.settings.dataset = "circle"
    playground.step(10)
    scores = playground.scores()
    assert scores["train"]["confusion"].sum() == 100 and scores["test"]["confusion"].sum() == 100
    assert "rows: the true class · columns: the guess" in matrix.pane.object


def test_confusion_table_shades_each_cell_by_its_share_of_the_row():
    from pyscript_app.colors import NEGATIVE, POSITIVE, mix
    from pyscript_app.panels import confusion_table

    table = confusion_table("train", np.array([[3, 1], [0, 4]]), ["0", "1"])
    assert f"background:{mix(POSITIVE, 0.15 + 0.35 * 0.75)}'>3<" in table  # 3 of 4 right
    assert f"background:{mix(NEGATIVE, 0.15 + 0.35 * 0.25)}'>1<" in table  # 1 of 4 wrong
    assert "background:#ffffff'>0<" in table and f"background:{mix(POSITIVE, 0.5)}'>4<" in table


def test_clicking_a_synapse_shows_its_weight_and_typing_changes_it(playground):
    from pyscript_app.panels import WeightEditor

    graph = NetworkGraph(playground=playground)
    editor = WeightEditor(graph=graph)
    assert editor.input.disabled
    graph.edges.selected.indices = [7]  # layer 2, from hidden neuron 2 to the output
    assert editor.input.name == "Weight, layer 2: 2 → 1"
    assert editor.input.value == pytest.approx(playground.experiment.network.weights[1][1, 0], abs=1e-6)
    playground.step(10)
    assert editor.input.value == pytest.approx(playground.experiment.network.weights[1][1, 0], abs=1e-6)
    editor.input.value = 2.5
    assert playground.experiment.network.weights[1][1, 0] == 2.5
    assert graph.edges.data["weight"][7] == 2.5


def test_clicking_the_plane_adds_and_removes_points_without_resetting(playground):
    from pyscript_app.map_view import DecisionMap

    playground.settings.dataset = "circle"
    decision = DecisionMap(playground=playground)
    playground.step(5)
    weights = playground.experiment.network.params.copy()
    playground.click_on_plane(4.9, 4.9)
    assert len(decision.train_points.data["x"]) == 101
    assert playground.experiment.train_set.y[-1, 0] == 1.0
    playground.click_on_plane(-4.9, 4.9, other_class=True)
    assert playground.experiment.train_set.y[-1, 0] == 0.0
    np.testing.assert_array_equal(playground.experiment.network.params, weights)
    playground.click_on_plane(-4.9, 4.9, within=0.1)  # on the point just added: removes it
    assert len(decision.train_points.data["x"]) == 101
    assert playground.epoch == 5


def test_a_teacher_hides_controls_and_gets_the_link_and_snippet_for_that_view():
    from pyscript_app.classroom import ClassroomPanel

    page = create_app()
    playground = page.playground
    classroom = ClassroomPanel(playground=playground)
    classroom.card.collapsed = False
    playground.settings.hidden_controls = ["learning_rate", "prediction"]
    assert "hidden_controls=learning_rate%2Cprediction" in classroom.link.value
    assert "embed=1" in classroom.snippet.value and classroom.snippet.value.startswith("<iframe")
    restored = create_app()
    from pyscript_app.state import apply_query
    from urllib.parse import parse_qsl, urlsplit

    assert apply_query(restored.playground.settings, dict(parse_qsl(urlsplit(classroom.link.value).query))) == []
    assert restored.playground.settings.hidden_controls == ["learning_rate", "prediction"]


def test_three_classes_get_a_softmax_output_and_a_map_of_classes(playground):
    from pyscript_app.map_view import CLASS_COLORS, DecisionMap

    playground.settings.dataset = "three_clouds"
    decision = DecisionMap(playground=playground)
    config = playground.experiment.network.config
    assert config.layer_sizes[-1] == 3 and config.activations[-1] == "softmax" and config.loss == "cross_entropy"
    playground.step(200)
    assert set(np.unique(decision.image.data["image"][0])) == {0.0, 1.0, 2.0}
    assert set(decision.train_points.data["color"]) == set(CLASS_COLORS[:3])
    assert playground.scores()["test"]["accuracy"] > 0.9


def test_each_hidden_layer_can_have_its_own_activation(playground):
    from pyscript_app.controls import LayerEditor
    from pyscript_app.state import apply_query, settings_to_query

    controls = LayerEditor(playground=playground)
    playground.set_hidden_sizes([4, 3])
    controls.layer_row.objects[1].objects[1].value = "relu"  # layer 2's activation box
    assert playground.experiment.network.config.activations == ("sigmoid", "relu", "sigmoid")
    query = settings_to_query(playground.settings)
    assert query["layer_activations"] == ",relu"
    restored = Playground()
    assert apply_query(restored.settings, query) == []
    assert restored.experiment.network.config.activations == ("sigmoid", "relu", "sigmoid")


def test_every_hidden_and_output_neuron_gets_its_map_on_two_input_data(playground):
    graph = NetworkGraph(playground=playground)
    assert len(graph.neuron_maps.data["image"]) == 3 + 1
    playground.settings.dataset = "circle"
    before = [image.copy() for image in graph.neuron_maps.data["image"]]
    assert len(before) == 4 + 2 + 1 and before[0].shape == (16, 16)
    playground.step(20)
    assert any(not np.allclose(a, b) for a, b in zip(before, graph.neuron_maps.data["image"]))


def test_input_features_become_the_input_neurons(playground):
    graph = NetworkGraph(playground=playground)
    playground.settings.dataset = "circle"
    playground.settings.features = ["x1²", "x2²"]
    assert playground.experiment.network.config.layer_sizes == (2, 4, 2, 1)
    assert graph.neurons.data["input_label"][:2] == ["x1²", "x2²"]
    playground.settings.features = ["x1", "x2", "x1²", "x2²", "sin x1"]
    assert playground.experiment.network.config.layer_sizes[0] == 5
    assert len(graph.neuron_maps.data["image"]) == 4 + 2 + 1
    playground.step(50)
    assert playground.scores()["train"]["accuracy"] > 0.9


def test_clicking_a_hidden_neuron_shows_its_map_large(playground):
    from pyscript_app.map_view import DecisionMap

    playground.settings.dataset = "circle"
    graph = NetworkGraph(playground=playground)
    decision = DecisionMap(playground=playground)
    output_map = np.array(decision.image.data["image"][0])
    graph.neurons.selected.indices = [3]  # inputs 0-1, hidden 1 neurons 2-5: the second hidden neuron
    assert playground.focused_neuron == (1, 1)
    assert decision.figure.title.text == "hidden 1, neuron 2"
    assert not np.allclose(decision.image.data["image"][0], output_map)
    graph.neurons.selected.indices = []
    assert playground.focused_neuron is None and "output" in decision.figure.title.text


def test_maps_are_redrawn_at_most_five_times_a_second_while_playing(playground):
    from pyscript_app.map_view import DecisionMap

    decision = DecisionMap(playground=playground)
    playground.is_running = True  # as during play, without the loop
    playground.step(1)
    drawn = np.array(decision.image.data["image"][0])
    playground.step(50)  # within MAP_INTERVAL of the last drawing: the map waits
    np.testing.assert_array_equal(decision.image.data["image"][0], drawn)
    playground.is_running = False
    playground.tick += 1  # what the play loop does once paused
    assert not np.array_equal(decision.image.data["image"][0], drawn)


def test_pause_answers_at_once_and_the_loop_then_draws_the_paused_network_in_full(playground):
    from pyscript_app.map_view import DecisionMap

    decision = DecisionMap(playground=playground)
    ticks = []
    playground.param.watch(lambda event: ticks.append(playground.is_running), ["tick"])

    async def play_then_pause():
        playground.play()
        await asyncio.sleep(0.3)
        ticks.clear()
        playground.pause()
        redrawn_by_pausing = list(ticks)
        await asyncio.sleep(0.05)
        return redrawn_by_pausing

    assert run_coroutine(play_then_pause()) == []  # the click's answer waits for no drawing
    assert ticks == [False]  # one more frame, drawn as paused
    fresh = DecisionMap(playground=playground)
    np.testing.assert_array_equal(decision.image.data["image"][0], fresh.image.data["image"][0])


def test_play_pressed_again_while_the_loop_winds_down_keeps_one_loop(playground):
    async def pause_and_play_again():
        playground.play()
        await asyncio.sleep(0.1)
        first = playground.play_loop._task
        playground.pause()
        playground.play()  # before the loop has had its turn
        again = playground.play_loop._task
        await asyncio.sleep(0.1)
        playground.pause()
        await asyncio.sleep(0.05)
        return first, again

    first, again = run_coroutine(pause_and_play_again())
    assert again is first and first.done() and not playground.is_running


def test_the_prediction_panel_predicts_with_input_features_on(playground):
    playground.settings.features = ["x1", "x2", "x1²"]
    panel = PredictionPanel(playground=playground)
    playground.step(10)
    panel.update()
    assert "points</b>" in panel.result.object and "error" not in panel.result.object
    assert "tutorial" not in panel.result.object


def test_the_network_summary_names_every_layer_for_screen_readers(playground):
    from pyscript_app.panels import network_summary

    assert network_summary(playground.experiment) == (
        "The network: 2 inputs (hours studied, hours slept), 1 hidden layer: 3 neurons (sigmoid), "
        "and 1 output (test score, sigmoid).")
    playground.set_hidden_sizes([])
    assert "no hidden layer" in network_summary(playground.experiment)


def test_own_data_is_asked_about_at_its_means_without_the_tutorials_sentence(playground):
    from nn_core.csv_data import parse_csv

    rows = "\n".join(f"{height},{100 + 2 * height}" for height in (150, 160, 170, 180, 190))
    assert playground.use_data(parse_csv("height,weight\n" + rows))
    panel = PredictionPanel(playground=playground)
    assert [widget.value for widget in panel.inputs.objects] == [170.0]  # the mean, not 0
    playground.step(10)
    panel.update()
    assert "height" in panel.result.object and "tutorial" not in panel.result.object
