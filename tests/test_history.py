"""The loss history stays bounded however long training runs."""
import math

from nn_core.history import LossHistory, first_epoch_at, race
from nn_core.network import TrainingRun


def run_of(first, count, test=False):
    epochs = list(range(first, first + count))
    return TrainingRun(epoch=epochs, loss=[1.0 / e for e in epochs],
                       test_loss=[2.0 / e if test else None for e in epochs], gradient_norm=[0.0] * count)


def test_short_runs_keep_every_epoch_and_report_new_rows():
    history = LossHistory(max_points=100)
    rows, thinned = history.extend(run_of(1, 10))
    assert not thinned and rows["epoch"] == list(range(1, 11))
    rows, thinned = history.extend(run_of(11, 5))
    assert rows["epoch"] == list(range(11, 16)) and len(history) == 15


def test_a_million_epochs_stay_within_the_bound_and_span_the_run():
    history = LossHistory(max_points=1000)
    for first in range(1, 1_000_001, 10_000):
        history.extend(run_of(first, 10_000))
    assert len(history) <= 1000
    assert history.epoch[-1] >= 1_000_000 - history.stride
    assert history.epoch[0] <= 2 * history.stride
    assert history.epoch == sorted(history.epoch)


def test_thinning_changes_the_generation_so_charts_redraw():
    history = LossHistory(max_points=10)
    generation = history.generation
    _, thinned = history.extend(run_of(1, 25))
    assert thinned and history.generation != generation and len(history) <= 10


def test_missing_test_loss_is_stored_as_a_gap():
    history = LossHistory()
    history.extend(run_of(1, 3))
    assert all(math.isnan(v) for v in history.test_loss)


def test_the_loss_before_training_is_the_first_row_and_thinning_keeps_it():
    history = LossHistory(max_points=100)
    history.start(0, 2.0, test_loss=None)
    assert history.columns()["epoch"] == [0] and math.isnan(history.test_loss[0])
    for first in range(1, 100_001, 1000):
        history.extend(run_of(first, 1000))
    assert len(history) <= 100 and history.stride > 1
    assert history.epoch[0] == 0 and history.loss[0] == 2.0 and history.epoch[1] == history.stride


def test_a_loaded_networks_first_epoch_stays_first_whatever_the_stride():
    history = LossHistory(max_points=10)
    history.start(12_345, 0.5, test_loss=0.7)
    history.extend(run_of(12_346, 100))
    assert history.epoch[0] == 12_345 and history.test_loss[0] == 0.7
    assert all(epoch % history.stride == 0 for epoch in history.epoch[1:])


def test_starting_again_forgets_the_old_rows_and_changes_the_generation():
    history = LossHistory()
    history.start(0, 1.0)
    history.extend(run_of(1, 5))
    generation = history.generation
    history.start(0, 3.0)
    assert history.columns()["loss"] == [3.0] and history.generation != generation


def _history(losses):
    history = LossHistory()
    history.start(0, losses[0])
    history.extend(TrainingRun(epoch=list(range(1, len(losses))), loss=list(losses[1:]),
                               test_loss=[None] * (len(losses) - 1), gradient_norm=[0.0] * (len(losses) - 1)))
    return history


def test_a_race_names_the_lowest_loss_both_runs_reached_and_when_each_got_there():
    fast = _history([1.0, 0.5, 0.1, 0.05, 0.01])
    slow = _history([1.0, 0.9, 0.6, 0.3, 0.1])
    assert race(fast, slow) == (0.1, 2, 4)
    assert race(slow, fast) == (0.1, 4, 2)
    assert first_epoch_at(fast, 0.04) == 4 and first_epoch_at(fast, 0.001) is None


def test_a_race_with_a_run_that_exploded_counts_only_its_finite_losses():
    exploded = _history([1.0, 0.8, math.nan])
    assert race(_history([1.0, 0.5]), exploded) == (0.8, 1, 1)
    assert race(_history([math.nan]), exploded) == (None, None, None)
