"""The settings object: presets, limits, and the round trip through a link."""
import pytest

pytest.importorskip("param")

from nn_core.losses import TASKS  # noqa: E402

from pyscript_app.state import MAX_HIDDEN_LAYERS, PlaygroundState, apply_query, settings_to_query  # noqa: E402


def test_exam_preset_is_the_tutorial():
    settings = PlaygroundState()
    settings.apply_preset()
    assert settings.hidden_sizes == [3] and settings.activation == "sigmoid" and settings.learning_rate == 1.0
    assert settings.sum_gradients and not settings.use_bias


def test_state_survives_url_round_trip():
    settings = PlaygroundState()
    apply_query(settings, {"dataset": "circle"})
    settings.param.update(hidden_sizes=[6, 3, 2], learning_rate=0.1, activation="relu", seed=42, noise=0.2)
    query = settings_to_query(settings)
    restored = PlaygroundState()
    assert apply_query(restored, query) == []
    for name in ("dataset", "hidden_sizes", "learning_rate", "activation", "seed", "noise", "use_bias", "loss"):
        assert getattr(restored, name) == getattr(settings, name), name


def test_a_default_link_names_only_the_dataset():
    assert settings_to_query(PlaygroundState()) == {"dataset": "exam"}


@pytest.mark.parametrize(
    "query, fragment",
    [
        ({"learning_rate": "fast"}, "learning_rate='fast'"),
        ({"learning_rate": "1e9"}, "from 0.0001 to 10"),
        ({"learning_rate": "nan"}, "from 0.0001 to 10"),
        ({"activation": "<script>"}, "expected one of"),
        ({"hidden_sizes": ",".join(["4"] * (MAX_HIDDEN_LAYERS + 1))}, "too many layers"),
        ({"hidden_sizes": "999"}, "too many neurons"),
        ({"use_bias": "maybe"}, "expected 1 or 0"),
        ({"seed": "-3"}, "expected a number"),
        ({"dataset": "imagenet"}, "expected one of"),
        ({"evil": "1"}, "no such setting"),
    ],
)
def test_a_bad_link_value_gives_a_message_and_keeps_the_default(query, fragment):
    settings = PlaygroundState()
    before = settings.param.values()
    messages = apply_query(settings, query)
    assert len(messages) == 1 and fragment in messages[0]
    assert settings.param.values() == before


@pytest.mark.parametrize("dataset", ["plane", "xor", "three_clouds"])
def test_the_losses_offered_are_those_nn_core_says_suit_the_task(dataset):
    settings = PlaygroundState(dataset=dataset)
    settings.apply_preset()
    suited = TASKS[settings.task()].losses
    assert list(settings.param.loss.objects) == list(suited) and settings.loss == suited[0]
