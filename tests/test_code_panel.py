"""Your Python in CPython: code checked by a click trains the network; errors and files never break the page."""
import os

import pytest

pytest.importorskip("panel")

from nn_core import custom
from nn_core.custom_templates import TEMPLATES
from pyscript_app.code_panel import CodePanel
from pyscript_app.controls import LayerEditor
from pyscript_app.playground import Playground
from pyscript_app.state import PlaygroundState, apply_query, settings_to_query

pytestmark = pytest.mark.usefixtures("no_custom_code")


@pytest.fixture
def panel():
    return CodePanel(playground=Playground())


def type_code(panel, text):
    panel.editor.value_input = text  # as the browser sends it, key by key


def test_checking_the_example_activation_makes_the_hidden_layers_use_it(panel):
    playground = panel.playground
    controls = LayerEditor(playground=playground)
    panel.check_and_use()
    assert "Checks passed" in panel.result.object and "relative error" in panel.result.object
    assert playground.settings.activation == "custom"
    assert playground.experiment.network.config.activations == ("custom", "sigmoid")
    assert "custom" in controls.layer_row.objects[0].objects[1].options.values()
    loss = playground.loss
    playground.step(10)
    assert playground.epoch == 10 and playground.loss != loss and playground.message == ""


@pytest.mark.parametrize("kind, setting, value", [
    ("loss", "loss", "custom"),
    ("feature", "features", ["x1", "x2", "custom"]),
    ("dataset", "dataset", "custom"),
])
def test_each_kind_of_code_is_picked_and_trained_with(panel, kind, setting, value):
    playground = panel.playground
    panel.kind.value = kind
    assert panel.editor.value == TEMPLATES[kind]
    panel.check_and_use()
    assert "Checks passed" in panel.result.object, panel.result.object
    assert getattr(playground.settings, setting) == value
    assert "custom" in playground.settings.param[setting].objects
    experiment = playground.experiment
    if kind == "loss":
        assert experiment.network.config.loss == "custom"
    elif kind == "feature":
        assert experiment.input_names == ("x1", "x2", "custom")
    else:
        assert experiment.dataset.name == "custom" and experiment.dataset.task == "binary"
    playground.step(5)
    assert playground.epoch == 5 and playground.message == ""


def test_an_error_shows_the_last_traceback_line_escaped_and_the_network_stays(panel):
    playground = panel.playground
    network = playground.experiment.network
    type_code(panel, "def activation(z):\n    return z\n\ndef derivative(a):\n    raise ValueError('<b>no</b>')\n")
    panel.check_and_use()
    assert panel.result.object == (
        "<div class='error'><b>Not used:</b> ValueError: &lt;b&gt;no&lt;/b&gt; (line 5)</div>")
    assert playground.experiment.network is network and playground.settings.activation == "sigmoid"
    playground.step(1)
    assert playground.epoch == 1


def test_code_that_fails_during_training_stops_it_with_a_message(panel):
    playground = panel.playground
    type_code(panel, "def activation(z):\n    if np.abs(z).max() > 60:\n        raise OverflowError('too big')\n"
                     "    return z\n\ndef derivative(a):\n    return np.ones_like(a)\n")
    panel.check_and_use()
    playground.experiment.network.weights[0][...] = 1000.0
    playground.step(1)
    assert playground.message == "Stopped: OverflowError: too big (line 3)"
    assert not playground.is_running
    playground.reset()
    playground.step(1)
    assert playground.epoch == 1


def test_a_loaded_file_is_shown_under_its_kind_and_not_run(panel):
    source = ("import os\nos.environ['OWN_CODE_RAN'] = '1'\n\n"
              "def generate(n_samples, noise, rng):\n    return rng.normal(0, 1, (n_samples, 2)), np.zeros(n_samples)\n")
    panel.file.filename = "mine.py"
    panel.file.value = source.encode()
    assert panel.kind.value == "dataset" and panel.source() == source
    assert "has not run" in panel.result.object
    assert "OWN_CODE_RAN" not in os.environ and not custom.is_registered("dataset")
    panel.file.value = b"\xff\xfe"
    assert "not UTF-8" in panel.result.object


def test_switching_the_kind_keeps_what_was_typed_for_each(panel):
    type_code(panel, "# my activation\n")
    panel.kind.value = "loss"
    assert panel.source() == TEMPLATES["loss"]
    panel.kind.value = "activation"
    assert panel.source() == "# my activation\n"
    panel.example_button.clicks += 1
    assert panel.source() == TEMPLATES["activation"]


@pytest.mark.parametrize("query", [
    {"activation": "custom"}, {"layer_activations": ",custom"}, {"loss": "custom"},
    {"features": "x1,custom"}, {"dataset": "custom"},
])
@pytest.mark.parametrize("registered", [False, True])
def test_a_link_naming_custom_code_is_refused_with_a_message_and_the_default(query, registered):
    settings = PlaygroundState()
    if registered:  # even on a page that has the learner's code, a link never picks it
        for kind in custom.KINDS:
            custom.register(custom.check_code(kind, TEMPLATES[kind]))
        settings.refresh_choices()
    before = settings.param.values()
    messages = apply_query(settings, query)
    assert len(messages) == 1 and "links never carry code" in messages[0] and "The default is used" in messages[0]
    assert settings.param.values() == before


def test_a_link_from_a_page_with_custom_code_names_it_and_opens_with_the_default(panel):
    panel.check_and_use()
    query = settings_to_query(panel.playground.settings)
    assert query["activation"] == "custom"
    for kind in custom.KINDS:
        custom.unregister(kind)
    opened = PlaygroundState()
    messages = apply_query(opened, query)
    assert opened.activation == "sigmoid" and any("links never carry code" in message for message in messages)


def test_new_data_code_of_another_task_brings_that_tasks_network(panel):
    playground = panel.playground
    panel.kind.value = "dataset"
    panel.check_and_use()
    assert playground.experiment.dataset.task == "binary"
    type_code(panel, "def generate(n_samples, noise, rng):\n    X = rng.uniform(-1, 1, (n_samples, 2))\n"
                     "    return X, X[:, 0] * 3.5 + X[:, 1]\n")
    panel.check_and_use()
    assert playground.experiment.dataset.task == "regression"
    assert playground.settings.param.loss.objects == ["mse"] and playground.experiment.config.loss == "mse"
    assert playground.experiment.config.activations[-1] == "linear"
