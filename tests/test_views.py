"""The three pictures in CPython: the network graph, the loss chart and the decision map follow the store."""
import math
import re

import numpy as np
import pytest

pytest.importorskip("panel")

import panel as pn  # noqa: E402

from pyscript_app.graph_layout import graph_layout  # noqa: E402
from pyscript_app.graph_view import NetworkGraph  # noqa: E402
from pyscript_app.lessons import LESSONS  # noqa: E402
from pyscript_app.loss_view import EPOCH_FORMAT, STOP_TEXT, LossChart  # noqa: E402
from pyscript_app.map_view import DecisionMap  # noqa: E402
from pyscript_app.panels import StatusLine  # noqa: E402
from pyscript_app.playground import HISTORY_POINTS, Playground  # noqa: E402
from pyscript_app.throttle import Throttle  # noqa: E402


@pytest.fixture
def playground():
    return Playground()


def legend_labels(chart):
    legend, _ = chart._legends["loss-log"]
    return [item.label.value for item in legend.items]


# ----- the graph -------------------------------------------------------------------------------
def test_the_graph_is_a_panel_component_whose_height_follows_the_network(playground):
    graph = NetworkGraph(playground=playground)
    assert isinstance(pn.panel(graph), pn.pane.Bokeh) and pn.panel(graph).object is graph.figure
    small = graph.height
    assert small == graph.figure.height == graph_layout((2, 3, 1), ("sigmoid", "sigmoid"), ("a", "b"), ("c",)).height
    playground.settings.dataset = "circle"
    playground.settings.hidden_sizes = [16] * 8
    assert graph.height == graph.figure.height > small + 200
    playground.settings.hidden_sizes = [3]
    assert graph.height < small + 100


def test_the_presenters_scale_enlarges_neurons_type_and_synapses(playground):
    graph = NetworkGraph(playground=playground)
    sizes, widths, height = list(graph.neurons.data["size"]), list(graph.edges.data["width"]), graph.height
    graph.scale = 1.6
    np.testing.assert_allclose(graph.neurons.data["size"], np.array(sizes) * 1.6)
    np.testing.assert_allclose(graph.edges.data["width"], np.array(widths) * 1.6)
    assert graph.labels["title"].text_font_size == "19.2px" and graph.height > 1.5 * height
    playground.step(1)  # a tick keeps the scale
    assert graph.edges.data["width"][0] >= 0.5 * 1.6


def test_neuron_maps_are_round_and_the_key_mentions_them_only_on_a_plane(playground):
    graph = NetworkGraph(playground=playground)
    playground.settings.dataset = "circle"
    image = graph.neuron_maps.data["image"][0]
    assert np.isnan(image[0, 0]) and np.isnan(image[-1, -1]) and not np.isnan(image[8, 8])
    assert list(graph.neuron_maps.data["size"]) == list(graph.neurons.data["size"][2:])  # each fills its circle
    assert "inside a neuron" in graph.key.object
    playground.settings.dataset = "digits"
    assert graph.neuron_maps.data["image"] == [] and "inside a neuron" not in graph.key.object


def test_synapses_and_neurons_are_named_for_their_tooltips(playground):
    graph = NetworkGraph(playground=playground)
    assert graph.edges.data["name"][0] == "hours studied → hidden 1 · 1"
    assert graph.edges.data["name"][-1] == "hidden 1 · 3 → test score"
    assert graph.neurons.data["output_label"][-1] == "test score"
    playground.settings.dataset = "three_clouds"
    assert graph.neurons.data["output_label"][-3:] == ["class 0", "class 1", "class 2"]


def test_biases_are_written_under_neurons_only_where_there_is_room(playground):
    graph = NetworkGraph(playground=playground)
    playground.settings.dataset = "circle"  # 2-4-2-1 with biases
    assert graph.neurons.data["bias_label"][2] == "b 0" and graph.neurons.data["bias_label"][0] == ""
    playground.settings.hidden_sizes = [16] * 8
    assert set(graph.neurons.data["bias_label"]) == {""}  # the tooltips have them
    assert not math.isnan(graph.neurons.data["bias"][2])


# ----- the loss chart --------------------------------------------------------------------------
def test_the_loss_chart_starts_at_epoch_0_and_keeps_it_through_thinning(playground):
    chart = LossChart(playground=playground)
    assert chart.source.data["epoch"] == [0] and chart.source.data["loss"] == [playground.loss]
    playground.step(3 * HISTORY_POINTS)
    assert playground.history.stride > 1  # thinned
    assert chart.source.data["epoch"][0] == 0 and chart.log_figure.x_range.start == 0
    assert chart.log_figure.x_range.end == 3 * HISTORY_POINTS


def test_epochs_are_written_short_so_tick_labels_never_collide(playground):
    chart = LossChart(playground=playground)
    formatter = chart.log_figure.xaxis[0].formatter
    assert formatter.format == EPOCH_FORMAT == "0.[0]a"  # 0, 500, 1.5k, 20k, 1.2m
    assert all(type(axis.major_label_policy).__name__ == "NoOverlap"
               for fig in (chart.log_figure, chart.linear_figure) for axis in (*fig.xaxis, *fig.yaxis))


def test_the_axes_show_whole_epochs_and_no_bar_of_log_minor_ticks(playground):
    chart = LossChart(playground=playground)
    assert all(fig.xaxis[0].ticker.min_interval == 1 for fig in (chart.log_figure, chart.linear_figure))
    assert chart.log_figure.yaxis[0].minor_tick_line_color is None  # a narrow log range packs them into a bar
    assert chart.linear_figure.yaxis[0].minor_tick_line_color is not None


def test_the_legend_sits_above_the_curves_and_has_no_test_entry_without_test_data(playground):
    chart = LossChart(playground=playground)
    assert chart.log_figure.above and chart.log_figure.above[0] is chart._legends["loss-log"][0]
    assert legend_labels(chart) == ["training"]  # the tutorial's three rows: nothing held out
    playground.settings.dataset = "circle"
    assert legend_labels(chart) == ["training", "test"]
    playground.settings.test_ratio = 0.0
    assert legend_labels(chart) == ["training"]


def test_an_exploding_loss_is_drawn_up_to_the_explosion_and_marked(playground):
    chart = LossChart(playground=playground)
    playground.settings.lesson = "learning-rate"
    playground.step(1)
    assert playground.message.startswith("Stopped: the loss exploded")
    assert chart.source.data["epoch"] == [0]  # the loss before training is drawn
    stop = chart.stop.data
    assert stop["text"] == [STOP_TEXT] and stop["x1"] == [1] and stop["x0"] == [0]
    assert stop["y1"][0] < chart.log_figure.y_range.end and chart.log_figure.x_range.end > 1
    playground.reset()
    assert chart.stop.data["text"] == []


def test_the_learning_rate_lesson_suggests_what_the_message_suggests_and_it_works(playground):
    playground.settings.lesson = "learning-rate"
    playground.step(1)
    suggested = re.search(r"try ([0-9.]+)", playground.message).group(1)
    assert f"to {suggested}," in LESSONS["learning-rate"][2]
    playground.settings.learning_rate = float(suggested)
    playground.reset()
    start = playground.loss
    playground.step(200)
    assert playground.experiment.network.divergence is None and playground.loss < start / 10


# ----- the decision map -----------------------------------------------------------------------
def test_the_map_key_names_the_classes_the_values_and_a_chosen_neuron(playground):
    decision = DecisionMap(playground=playground)
    assert "predicted test score" in decision.key.object  # the tutorial's data: a number in points
    playground.settings.dataset = "three_clouds"
    assert all(f"class {k}" in decision.key.object for k in range(3))
    playground.settings.dataset = "circle"
    assert "class 0" in decision.key.object and "class 1" in decision.key.object
    playground.focused_neuron = (1, 0)
    assert "hidden 1, neuron 1" in decision.key.object
    playground.settings.dataset = "digits"
    assert not pn.panel(decision).visible  # no plane to draw on


def test_an_untrained_network_s_map_of_a_number_spans_its_guesses_not_one_flat_colour(playground):
    decision = DecisionMap(playground=playground)  # the tutorial: scores 86-92, an untrained net guesses ~63
    image = decision.image.data["image"][0]
    low, high = decision.mapper.low, decision.mapper.high
    assert low <= image.min() and image.max() <= high  # every pixel inside the colour range
    assert low < 0.86 and high >= 0.92 - 1e-12  # and the students' scores too
    shown = [float(number) for number in re.findall(r"\b\d+(?:\.\d+)?\b", decision.key.object)]
    assert min(shown) < 86 and max(shown) >= 92
    playground.step(2000)
    decision.update()
    assert decision.mapper.high - decision.mapper.low < high - low  # trained: the range closes in


def test_a_status_line_says_a_negative_r2_in_words(playground):
    status = StatusLine(playground=playground)
    assert "worse than guessing the average" in status.pane.object  # untrained: R² about -101
    playground.step(3000)
    status.update()
    assert "worse than guessing" not in status.pane.object and re.search(r"R² <b[^>]*>0\.\d{3}<", status.pane.object)


# ----- redrawing ------------------------------------------------------------------------------
def test_a_throttle_lets_a_playing_view_redraw_once_per_interval_and_a_paused_one_always():
    throttle = Throttle(interval=60.0)
    assert throttle.due(is_running=True) and not throttle.due(is_running=True)
    assert throttle.due(is_running=False)
    throttle.force()
    assert throttle.due(is_running=True)


@pytest.mark.parametrize("module", ["graph_view", "loss_view", "map_view"])
def test_the_views_redraw_on_declared_dependencies_not_hand_wired_watchers(module):
    from pathlib import Path

    source = (Path(__file__).parent.parent / "pyscript_app" / f"{module}.py").read_text()
    assert "param.watch(" not in source and "@param.depends(" in source


def test_a_layer_box_typed_in_stays_on_the_page_while_layers_come_and_go(playground):
    from pyscript_app.controls import LayerEditor

    controls = LayerEditor(playground=playground)
    first = controls.layer_row.objects[0]
    first.objects[0].value = 5  # typed in the page: the page may still send this box's changes
    assert playground.settings.hidden_sizes == [5] and controls.layer_row.objects[0] is first
    controls.add_layer.clicks += 1
    assert playground.settings.hidden_sizes == [5, 2] and controls.layer_row.objects[0] is first
    assert [box.objects[0].value for box in controls.layer_row.objects] == [5, 2]
    controls.remove_layer.clicks += 1
    assert len(controls.layer_row.objects) == 1 and controls.layer_row.objects[0] is first


def test_a_layer_size_out_of_range_is_refused_with_a_message_and_put_back(playground):
    from pyscript_app.controls import LayerEditor

    editor = LayerEditor(playground=playground)
    box = editor.layer_row.objects[0].objects[0]
    for typed in (100, 0, None):
        box.value = typed
        assert box.value == 3 and playground.settings.hidden_sizes == [3]
        assert "layer 1 can have 1 to 16 neurons" in playground.message
