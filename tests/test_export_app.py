"""Saving, loading and exporting the page's network, in CPython: what the Export panel does."""
import base64
import json

import numpy as np
import pytest

pytest.importorskip("panel")

from nn_core import Experiment, make_dataset, parse_csv
from nn_core.custom import CUSTOM, check_code, unregister
from nn_core.export import to_notebook, to_script
from pyscript_app.export_view import ExportPanel
from pyscript_app.playground import Playground
from pyscript_app.state import OWN_DATA, settings_to_query


def trained_circle():
    playground = Playground()
    playground.settings.dataset = "circle"
    playground.settings.param.update(hidden_sizes=[5, 3], activation="relu", layer_activations=["", "tanh"],
                                     learning_rate=0.1, noise=0.2, n_samples=120, features=["x1", "x2", "x1²"],
                                     regularization="l2", regularization_rate=0.001, seed=7)
    playground.step(40)
    return playground


def test_a_saved_network_loads_into_another_page_with_its_weights_settings_and_losses():
    saved = trained_circle()
    page = Playground()
    page.step(3)
    page.load_network(saved.network_json())
    assert page.message.startswith("Loaded the circle network, trained for 40 epochs")
    np.testing.assert_array_equal(page.experiment.network.params, saved.experiment.network.params)
    assert settings_to_query(page.settings) == settings_to_query(saved.settings)
    assert page.experiment.config == saved.experiment.config and page.epoch == 40
    assert (page.loss, page.test_loss) == (saved.loss, saved.test_loss)
    assert page.edited_data is None  # the settings make the same data again
    page.step(5)
    assert page.epoch == 45


def test_points_added_by_clicking_come_back_and_stay_through_a_rebuild():
    saved = trained_circle()
    saved.click_on_plane(0.05, -0.05)
    page = Playground()
    page.load_network(saved.network_json())
    np.testing.assert_array_equal(page.experiment.train_set.X, saved.experiment.train_set.X)
    assert page.loss == saved.experiment.network.loss(saved.experiment.network.X_train,
                                                        saved.experiment.network.y_train)
    page.settings.hidden_sizes = [4]
    assert len(page.experiment.dataset.X) == len(saved.experiment.dataset.X)


def test_a_network_written_by_nn_core_loads_when_the_page_can_show_it():
    experiment = Experiment.tutorial(seed=3)
    experiment.train(epochs=300)
    page = Playground()
    page.settings.dataset = "xor"
    page.load_network(experiment.to_json())
    assert page.settings.dataset == "exam" and page.settings.seed == 3 and page.epoch == 300
    np.testing.assert_array_equal(page.experiment.predict([[4, 8]]), experiment.predict([[4, 8]]))


def test_a_bad_file_is_refused_with_a_message_and_the_page_keeps_its_network():
    big = Experiment.build(make_dataset("circle", n_samples=40), (20,))
    odd_momentum = Experiment.build(make_dataset("xor", n_samples=40), (3,), momentum=0.5)
    cases = {
        "{": "invalid JSON",
        "[1, 2]": 'no "format"',
        big.to_json(): "too many neurons",
        odd_momentum.to_json(): "cannot set this network's momentum",
    }
    page = trained_circle()
    before, settings = page.experiment.network.params.copy(), settings_to_query(page.settings)
    for text, message in cases.items():
        page.load_network(text)
        assert page.message.startswith("Not loaded:") and message in page.message, page.message
        np.testing.assert_array_equal(page.experiment.network.params, before)
        assert settings_to_query(page.settings) == settings
    page.step(1)
    assert page.epoch == 41


def click(button):
    """What a click on a FileDownload does: Python writes the file and hands the page its bytes."""
    button._clicks += 1
    return base64.b64decode(button.data.split(",", 1)[1]).decode("utf-8")


def test_each_download_is_written_from_the_network_as_it_is_when_clicked():
    playground = trained_circle()
    panel = ExportPanel(playground=playground)
    script, notebook, network = panel.downloads
    playground.step(10)
    assert click(script) == to_script(playground.experiment) and script.filename == "circle_network.py"
    assert click(notebook) == to_notebook(playground.experiment) and notebook.filename == "circle_network.ipynb"
    assert json.loads(click(network))["epoch"] == 50 and network.filename == "circle_network.json"
    playground.step(1)
    assert "trained for 51 epochs" in click(script)


def test_uploading_a_saved_network_loads_it_and_other_files_say_why_not():
    saved = trained_circle()
    page = Playground()
    panel = ExportPanel(playground=page)
    panel.upload.value = b"\xff\xfe not text"
    assert page.message.startswith("Not loaded: the file is not text")
    panel.upload.value = b"{}"
    assert page.message.startswith('Not loaded: not a saved network: the file has no "format"')
    panel.upload.value = saved.network_json().encode("utf-8")
    assert page.message.startswith("Loaded the circle network")
    np.testing.assert_array_equal(page.experiment.network.params, saved.experiment.network.params)


def test_replay_of_a_loaded_network_starts_at_its_epoch():
    saved = trained_circle()
    page = Playground()
    page.load_network(saved.network_json())
    page.step(10)
    page.replay(0)
    assert page.replay_epoch == 40
    np.testing.assert_array_equal(page.experiment.network.params, saved.experiment.network.params)


def test_a_network_with_the_learners_own_activation_saves_as_json_but_not_as_a_script():
    playground = Playground()
    panel = ExportPanel(playground=playground)
    source = "def activation(z):\n    return np.tanh(z)\n\ndef derivative(a):\n    return 1 - a * a\n"
    try:
        playground.use_code(check_code("activation", source))
        assert playground.experiment.config.activations[0] == CUSTOM
        script, notebook, network = panel.downloads
        assert script.disabled and notebook.disabled and not network.disabled
        assert "the activation &#x27;custom&#x27;" in panel.note.object
        assert json.loads(click(network))["config"]["activations"][0] == CUSTOM
        playground.settings.activation = "tanh"
        assert not script.disabled and panel.note.object == ""
    finally:
        unregister("activation")


def test_a_network_with_the_learners_own_activation_loads_only_where_that_code_is_in_use():
    source = "def activation(z):\n    return np.tanh(z)\n\ndef derivative(a):\n    return 1 - a * a\n"
    saved = Playground()
    try:
        saved.use_code(check_code("activation", source))
        saved.step(10)
        text = saved.network_json()
        page = Playground()
        page.load_network(text)
        assert page.settings.activation == CUSTOM and page.epoch == 10
        np.testing.assert_array_equal(page.experiment.network.params, saved.experiment.network.params)
    finally:
        unregister("activation")
    page = Playground()
    page.load_network(text)
    assert page.message.startswith("Not loaded:") and "under Your Python" in page.message


def test_a_network_trained_on_the_learners_own_csv_brings_that_data_back():
    rows = [(1, 5), (2, 9), (3, 6), (4, 8), (5, 7), (6, 6), (7, 5), (8, 8)]
    grades = parse_csv("hours,sleep,score\n" + "\n".join(f"{h},{s},{50 + 5 * h + 2 * s}" for h, s in rows),
                       name="grades")
    saved = Playground()
    assert saved.use_data(grades)
    saved.settings.test_ratio = 0.25
    saved.step(20)
    page = Playground()
    page.load_network(saved.network_json())
    assert page.message.startswith("Loaded the grades network")
    assert page.settings.dataset == OWN_DATA and page.settings.own_data.feature_names == ("hours", "sleep")
    assert (page.loss, page.test_loss) == (saved.loss, saved.test_loss)
    page.settings.hidden_sizes = [4]  # a rebuild trains on the same rows
    assert page.experiment.dataset.name == "grades" and len(page.experiment.dataset.X) == 8


def test_a_download_during_replay_takes_the_weights_training_reached():
    playground = trained_circle()
    live = playground.experiment.network.params.copy()
    script = ExportPanel(playground=playground).downloads[0]
    playground.replay(0)
    assert not np.array_equal(playground.experiment.network.params, live)
    text = click(script)
    assert playground.replay_epoch is None and "trained for 40 epochs" in text
    np.testing.assert_array_equal(playground.experiment.network.params, live)
    assert text == to_script(playground.experiment)
