"""Two runs side by side, in CPython: run B starts where run A starts, trains as A trains, and the
verdict is nn_core's race between their loss histories."""
import numpy as np
import pytest

from nn_core import Experiment
from nn_core.history import race
from pyscript_app.app import create_app
from pyscript_app.compare import COMPARABLE, describe, start_comparison, suggestion


@pytest.fixture
def page():
    return create_app()


def test_run_b_starts_from_run_a_s_weights_and_trains_each_epoch_a_trains(page):
    playground, comparison = page.playground, page.comparison
    playground.step(7)  # a comparison starts both runs again
    assert start_comparison(comparison, {"compare": "learning_rate:0.1"}) == []
    other = comparison.other
    assert playground.epoch == other.epoch == 0 and comparison.same_start
    np.testing.assert_array_equal(other.experiment.network.params, playground.experiment.network.params)
    assert other.settings.learning_rate == 0.1 and playground.settings.learning_rate == 1.0
    playground.step(100)
    assert other.epoch == 100
    # B is nn_core's tutorial run at learning rate 0.1, from the same seed.
    reference = Experiment.tutorial(seed=0)
    reference.network.update_training(learning_rate=0.1)
    reference.train(epochs=100)
    np.testing.assert_allclose(other.experiment.network.params, reference.network.params, rtol=1e-12)
    loss, epoch_a, epoch_b = race(playground.history, other.history)
    assert f"{loss:.4g}" in comparison.verdict.object and f"epoch <b>{epoch_b:,}</b>" in comparison.verdict.object
    assert "Run <b class='winner'>A</b>" in comparison.verdict.object  # the tutorial's rate of 1 is faster here
    assert comparison.chart.other is other.history
    assert comparison.chart.other_source.data["loss"] == list(other.history.loss)


def test_a_step_or_a_reset_draws_the_comparison_once(page, monkeypatch):
    playground, comparison = page.playground, page.comparison
    assert start_comparison(comparison, {"compare": "learning_rate:0.1"}) == []
    drawn = []
    update = comparison.update
    monkeypatch.setattr(comparison, "update", lambda: drawn.append(playground.epoch) or update())
    playground.step(10)
    playground.reset()
    assert drawn == [10, 0] and comparison.other.epoch == 0


def test_a_reset_starts_both_again_and_a_changed_setting_ends_the_comparison(page):
    playground, comparison = page.playground, page.comparison
    comparison.start("optimizer", "adam")
    playground.step(20)
    playground.reset()
    assert comparison.other.epoch == 0
    np.testing.assert_array_equal(comparison.other.experiment.network.params, playground.experiment.network.params)
    playground.settings.learning_rate = 0.5
    assert comparison.other is None and "Comparison ended" in playground.message
    assert comparison.chart.other is None and comparison.chart.other_source.data["loss"] == []


def test_a_change_of_shape_starts_b_from_its_own_seed_and_says_so(page):
    comparison = page.comparison
    assert comparison.start("hidden_sizes", "4,4")
    assert not comparison.same_start and "own starting weights" in comparison.title.object
    assert comparison.other.experiment.network.config.layer_sizes == (2, 4, 4, 1)
    assert comparison.start("use_bias", "1") and not comparison.same_start  # biases add weights too


@pytest.mark.parametrize("text, says", [
    ("learning_rate:abc", "could not convert"),
    ("seed:3", "run B can change"),
    ("learning_rate:1", "is run A's too"),
    ("hidden_sizes:1,2,3,4,5,6,7,8,9", "too many layers"),
])
def test_a_comparison_link_that_cannot_be_made_says_why_and_the_page_goes_on(page, text, says):
    messages = start_comparison(page.comparison, {"compare": text})
    assert len(messages) == 1 and says in messages[0], messages
    assert page.comparison.other is None and page.playground.message == ""
    page.playground.step(3)
    assert page.playground.epoch == 3


def test_every_setting_run_b_may_change_has_a_suggestion_that_differs_and_words(page):
    settings = page.playground.settings
    for name in COMPARABLE:
        text = suggestion(settings, name)
        assert page.comparison.start(name, text), (name, text, page.playground.message)
        assert getattr(page.comparison.other.settings, name) != getattr(settings, name)
        words = describe(page.comparison.other.settings, name)
        assert "_" not in words and words.split()[0].isalpha(), words
        page.playground.step(2)
        assert page.comparison.other.epoch == 2


def test_ending_goes_back_to_one_run_and_the_chooser_offers_again(page):
    comparison = page.comparison
    comparison._show_chooser()
    assert comparison.value == "0.1"  # a tenth of the tutorial's rate
    comparison.setting = "activation"
    assert comparison.value == "tanh"
    comparison.start(comparison.setting, comparison.value)
    comparison.end()
    assert comparison.other is None and comparison.change is None
    assert comparison.open_button.visible and not comparison._runs.visible and comparison._runs.objects == []
    page.playground.step(5)
    assert page.playground.epoch == 5
