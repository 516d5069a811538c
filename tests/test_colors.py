"""The page's colours stay apart for red-green colour-blind eyes, and the keys say what they mean."""
import itertools

import numpy as np
import pytest

from color_vision import ciede2000, distance, simulate, srgb
from pyscript_app.colors import CLASS_COLORS, NEGATIVE, POSITIVE, class_name, graph_key, map_key

# Least ΔE00 between two colours that must read as different things. About 1 is just noticeable
# between two large patches side by side; for marks as small as the map's points (6 pixels) the
# difference needed is several times larger (Stone, Szafir and Setlur, "An engineering model for
# color difference as a function of size", 2014), and a projector washes colours out further.
# 20 asks for a difference that stays obvious there; the palette before this test had 5.2
# between orange and green under protanopia.
DISTINCT = 20.0
DEFICIENCIES = [None, "protanopia", "deuteranopia"]


@pytest.mark.parametrize("lab1, lab2, expected", [
    # Sharma, Wu and Dalal (2005), table 1: pairs 1, 2, 3, 7, 17 and 25.
    ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
    ((50, 3.1571, -77.2803), (50, 0, -82.7485), 2.8615),
    ((50, 2.8361, -74.0200), (50, 0, -82.7485), 3.4412),
    ((50, 0, 0), (50, -1, 2), 2.3669),
    ((50, 2.5, 0), (73, 25, -18), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
])
def test_ciede2000_gives_the_published_differences(lab1, lab2, expected):
    assert ciede2000(np.array(lab1), np.array(lab2)) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize("color, deficiency, expected", [
    # colorspacious 1.1.2, cspace_convert(rgb, {"name": "sRGB1+CVD", "cvd_type": ..., "severity": 100}, "sRGB1")
    ("#0877bd", "protanopia", [0.3324, 0.4798, 0.7525]),
    ("#e8710a", "protanopia", [0.5803, 0.5091, 0.0]),
    ("#882255", "protanopia", [0.2082, 0.2472, 0.3386]),
    ("#0877bd", "deuteranopia", [0.2311, 0.4221, 0.7360]),
    ("#e8710a", "deuteranopia", [0.6928, 0.6157, 0.0064]),
    ("#882255", "deuteranopia", [0.3199, 0.3209, 0.3242]),
])
def test_the_simulation_agrees_with_colorspacious(color, deficiency, expected):
    np.testing.assert_allclose(srgb(simulate(color, deficiency)), expected, atol=1e-4)


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_three_classes_stay_apart_for_normal_protanopic_and_deuteranopic_eyes(deficiency):
    for first, second in itertools.combinations(CLASS_COLORS[:3], 2):
        assert distance(first, second, deficiency) >= DISTINCT, (first, second, deficiency)


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_positive_and_negative_stay_apart_for_normal_protanopic_and_deuteranopic_eyes(deficiency):
    assert distance(POSITIVE, NEGATIVE, deficiency) >= DISTINCT


def test_red_and_green_would_fail_the_check():
    assert distance("#d62728", "#2ca02c", "deuteranopia") < DISTINCT  # the check can fail


def test_the_graph_key_names_both_signs_the_width_and_the_fill_and_the_maps_only_with_maps():
    key = graph_key(with_maps=False)
    assert POSITIVE in key and NEGATIVE in key
    assert "positive weight" in key and "negative weight" in key and "thicker" in key and "output" in key
    assert "inside a neuron" not in key and "inside a neuron" in graph_key(with_maps=True)


def test_the_map_key_gives_each_class_its_colour_and_name():
    key = map_key("classes", names=["class 0", "class 1", "class 2"], what="most likely class:")
    for color, name in zip(CLASS_COLORS, ["class 0", "class 1", "class 2"]):
        assert color in key and name in key
    assert "training point" in key and "test point" in key


def test_the_map_key_of_values_shows_both_ends_escaped():
    key = map_key("values", "<3", "98.5", what="predicted test score:")
    assert "&lt;3" in key and "98.5" in key and "predicted test score" in key


@pytest.mark.parametrize("target, index, expected", [("class=2", 2, "class 2"), ("class", 0, "class 0"),
                                                     ("digit=7", 7, "digit 7")])
def test_classes_read_as_words(target, index, expected):
    assert class_name(target, index) == expected
