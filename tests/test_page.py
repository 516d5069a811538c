"""The page's words, pictures and rules, without a browser: labels for every choice, the dataset
and feature pictures, which controls apply, and links that bring back exactly what was shown."""
import re

import numpy as np
import pytest

from nn_core import DATASETS, make_dataset
from nn_core.features import FEATURES
from pyscript_app.controls import applicable
from pyscript_app.data_picker import dataset_thumbnail, feature_thumbnail, point_colors
from pyscript_app.lessons import LESSONS
from pyscript_app.playground import Playground
from pyscript_app.state import URL_SETTINGS, PlaygroundState, apply_query, settings_to_query
from pyscript_app.words import CHOICE_LABELS, label


def test_every_choice_of_every_menu_has_words_of_its_own():
    settings = PlaygroundState()
    for task_dataset in ("exam", "circle", "three_clouds"):
        settings.dataset = task_dataset
        settings.refresh_choices()
        for name in settings.param:
            parameter = settings.param[name]
            names = getattr(parameter, "names", None)
            if name in CHOICE_LABELS:
                assert names, f"{name} offers bare names"
                for shown, value in names.items():
                    assert shown == CHOICE_LABELS[name][value] and "_" not in shown


def test_a_name_without_words_reads_without_underscores():
    assert label("dataset", "my_own_data") == "my own data"
    assert label("loss", "binary_cross_entropy") == "Cross-entropy (2 classes)"


@pytest.mark.parametrize("name", list(DATASETS))
def test_each_dataset_picture_is_drawn_from_its_own_points(name):
    dataset = make_dataset(name, n_samples=200, seed=0)
    svg = dataset_thumbnail(dataset)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    if name == "digits":
        assert svg.count("<rect") > 10  # the first image's inked pixels
    else:
        dots = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="[\d.]+" fill="(#[0-9a-f]{6})"', svg)
        assert len(dots) == min(len(dataset.X), 60)
        colors = {color for _, _, color in dots}
        assert len(colors) >= (2 if dataset.task != "multiclass" else 3)


def test_classes_are_coloured_as_the_decision_map_colours_them():
    from pyscript_app.colors import NEGATIVE, POSITIVE

    circle = make_dataset("circle", n_samples=100, seed=0)
    colors = point_colors(circle)
    assert {colors[i] for i in np.flatnonzero(circle.y[:, 0] == 1)} == {POSITIVE}
    assert {colors[i] for i in np.flatnonzero(circle.y[:, 0] == 0)} == {NEGATIVE}


@pytest.mark.parametrize("name", list(FEATURES))
def test_each_feature_picture_shows_its_values_over_the_plane(name):
    svg = feature_thumbnail(name)
    cells = re.findall(r'fill="(#[0-9a-f]{6})"', svg)
    assert len(cells) == 1 + 10 * 10  # the background and the grid
    assert len(set(cells)) > 3


def test_the_x1_picture_is_orange_on_the_left_and_blue_on_the_right():
    from pyscript_app.colors import NEGATIVE, POSITIVE

    cells = re.findall(r'fill="(#[0-9a-f]{6})"', feature_thumbnail("x1"))[1:]
    assert cells[0] == NEGATIVE and cells[9] == POSITIVE


@pytest.mark.parametrize("dataset, hidden, shown", [
    ("exam", {"n_samples", "noise", "features", "loss"}, {"learning_rate", "activation", "test_ratio"}),
    ("circle", set(), {"n_samples", "noise", "features", "loss"}),
    ("digits", {"n_samples", "noise", "features"}, {"loss", "test_ratio"}),
])
def test_controls_that_do_nothing_for_the_data_are_not_offered(dataset, hidden, shown):
    playground = Playground()
    playground.settings.dataset = dataset
    offered = applicable(playground.settings, playground.experiment.dataset.X.shape[1])
    assert not hidden & offered and shown <= offered


def test_the_activation_is_not_offered_without_hidden_layers_nor_the_rate_without_a_penalty():
    playground = Playground()
    playground.set_hidden_sizes([])
    offered = applicable(playground.settings, 2)
    assert "activation" not in offered and "regularization_rate" not in offered
    playground.settings.regularization = "l2"
    assert "regularization_rate" in applicable(playground.settings, 2)


def reopened(settings):
    """The settings a fresh page has after opening the link of ``settings``."""
    fresh = PlaygroundState()
    assert apply_query(fresh, settings_to_query(settings)) == []
    return fresh


def assert_same(settings, other):
    different = {name: (getattr(settings, name), getattr(other, name)) for name in URL_SETTINGS
                 if getattr(settings, name) != getattr(other, name)}
    assert different == {}


@pytest.mark.parametrize("lesson", list(LESSONS))
def test_a_lesson_picked_from_the_menu_comes_back_from_its_link(lesson):
    playground = Playground()
    playground.settings.lesson = lesson
    query = settings_to_query(playground.settings)
    assert query["lesson"] == lesson
    assert_same(playground.settings, reopened(playground.settings))


@pytest.mark.parametrize("lesson", list(LESSONS))
def test_a_lesson_with_changes_on_top_comes_back_with_them(lesson):
    playground = Playground()
    playground.settings.lesson = lesson
    playground.set_hidden_sizes([*playground.settings.hidden_sizes, 3])
    playground.settings.param.update(learning_rate=0.3, seed=4, hidden_controls=["noise", "prediction"])
    assert_same(playground.settings, reopened(playground.settings))


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_each_dataset_comes_back_from_its_link_even_with_no_hidden_layer(dataset):
    playground = Playground()
    playground.pick_dataset(dataset)
    assert_same(playground.settings, reopened(playground.settings))
    playground.set_hidden_sizes([])
    query = settings_to_query(playground.settings)
    assert query["hidden_sizes"] == ""
    assert_same(playground.settings, reopened(playground.settings))


def test_picking_other_data_ends_the_lesson_about_the_first():
    playground = Playground()
    playground.settings.lesson = "xor"
    playground.pick_dataset("spiral")
    assert playground.settings.lesson == "" and "lesson" not in settings_to_query(playground.settings)


def test_a_blank_value_in_the_address_is_kept_as_no_hidden_layer():
    from pyscript_app.app import query_of

    query = query_of("?dataset=circle&hidden_sizes=&seed=3&seed=4")
    assert query == {"dataset": "circle", "hidden_sizes": "", "seed": "4"}
    settings = PlaygroundState()
    assert apply_query(settings, query) == [] and settings.hidden_sizes == []


@pytest.mark.parametrize("search, mode", [("", "full"), ("?embed=1", "embed"), ("?present=1&dataset=xor", "present"),
                                          ("?present=0", "full")])
def test_the_address_chooses_the_page_s_mode(search, mode):
    from pyscript_app.app import wants_mode

    assert wants_mode(search) == mode
