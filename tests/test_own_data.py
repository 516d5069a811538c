"""The learner's own data in CPython: paste or upload a CSV, choose columns and task, train on it,
read its scaling, download it; bad data is named in the panel and the network stays."""
import numpy as np
import pytest

pytest.importorskip("panel")

from nn_core import parse_csv
from pyscript_app.app import create_app
from pyscript_app.data_panel import EXAMPLE, OwnDataPanel, default_columns
from pyscript_app.panels import DataTable
from pyscript_app.playground import Playground
from pyscript_app.state import OWN_DATA, PlaygroundState, apply_query, settings_to_query

# 3 inputs, 2 targets, and a column of names that is not offered as an input.
THREE_IN_TWO_OUT = "name,a,b,c,y1,y2\n" + "".join(
    f"row {i},{i},{i % 3},{(i * i) % 7},{0.5 * i},{(i * 3) % 5}\n" for i in range(10)
)
THREE_CLASSES = "x1,x2,kind\n" + "".join(f"{i},{i % 4},{i % 3}\n" for i in range(12))


@pytest.fixture
def playground():
    return Playground()


@pytest.fixture
def panel(playground):
    return OwnDataPanel(playground=playground)


def paste(panel, text):
    panel.text.value = text


def test_your_data_is_a_tab_of_the_tools_under_the_playground():
    page = create_app()
    assert "Your data" in page.tools.titles


def test_the_default_columns_are_the_number_columns_with_the_last_one_as_target():
    assert default_columns(("name", "a", "b", "y"), (False, True, True, True)) == (["a", "b"], ["y"])
    assert default_columns(("a", "b"), (True, False)) == (["a"], ["b"])  # reading them will say what is wrong


def test_the_panel_opens_on_the_tutorials_data_and_its_scaling(panel):
    assert panel.text.value == EXAMPLE
    assert panel.inputs.value == ["hours studied", "hours slept"] and panel.targets.value == ["test score"]
    assert panel.task.value == "regression" and "3 rows: 2 inputs" in panel.report.object
    assert "hours slept ÷ 9" in panel.scaling.object and "test score ÷ 100" in panel.scaling.object


def test_a_bad_cell_is_named_by_line_and_column_and_the_network_keeps_training(playground, panel):
    playground.step(5)
    experiment = playground.experiment
    paste(panel, "a,b,y\n1,2,3\n4,<b>five</b>,6\n")
    assert "line 3, column &#x27;b&#x27;: &#x27;&lt;b&gt;five&lt;/b&gt;&#x27; is not a number" in panel.report.object
    assert panel.use() is False
    assert "csv-error" in panel.report.object and playground.experiment is experiment
    playground.step(1)
    assert playground.epoch == 6 and playground.settings.dataset == "exam"


def test_three_inputs_and_two_targets_become_three_input_and_two_output_neurons(playground, panel):
    playground.settings.hidden_sizes = [5]
    playground.settings.learning_rate = 0.1
    paste(panel, THREE_IN_TWO_OUT)
    assert panel.inputs.value == ["a", "b", "c", "y1"] and panel.targets.value == ["y2"]
    panel.targets.value = ["y1", "y2"]
    assert panel.inputs.value == ["a", "b", "c"]  # a target is no longer an input
    assert panel.use() is True
    config = playground.experiment.network.config
    assert config.layer_sizes == (3, 8, 2) and config.activations[-1] == "linear" and config.loss == "mse"
    assert playground.settings.dataset == OWN_DATA and playground.settings.learning_rate == 0.01
    assert "Training on the text in the box: 10 rows: 3 inputs (a, b, c) → 2 outputs (y1, y2)" in panel.report.object
    assert panel.keep_button.visible
    assert panel.keep_previous() is True  # the learner's network and learning rate come back
    config = playground.experiment.network.config
    assert config.layer_sizes == (3, 5, 2) and config.activations[-1] == "linear" and config.loss == "mse"
    assert playground.settings.dataset == OWN_DATA and playground.settings.learning_rate == 0.1
    assert not panel.keep_button.visible and "with your previous settings" in panel.report.object
    loss = playground.loss
    playground.step(10)
    assert playground.epoch == 10 and playground.loss != loss


def test_the_task_is_inferred_and_can_be_changed(playground, panel):
    paste(panel, THREE_CLASSES)
    assert panel.task.value == "classification" and "classification, 3 classes" in panel.report.object
    panel.use()
    config = playground.experiment.network.config
    assert config.layer_sizes[-1] == 3 and config.activations[-1] == "softmax" and config.loss == "cross_entropy"
    panel.task.value = "regression"
    assert "1 output (kind); regression" in panel.report.object
    panel.use()
    config = playground.experiment.network.config
    assert config.layer_sizes[-1] == 1 and config.activations[-1] == "linear" and config.loss == "mse"


def test_picking_a_target_column_infers_its_task_again(panel):
    paste(panel, THREE_CLASSES)
    panel.targets.value = ["x1"]
    assert panel.task.value == "regression" and panel.inputs.value == ["x2"]


def test_an_uploaded_file_is_read_into_the_text_box(panel):
    panel.upload.param.update(filename="mine.csv", value=THREE_CLASSES.encode("utf-8-sig"))
    assert panel.text.value == THREE_CLASSES and panel.targets.value == ["kind"]
    panel.upload.param.update(filename="photo.csv", value=b"\xff\xd8\xff\xe0 not text")
    assert "photo.csv is not UTF-8 text" in panel.report.object and panel.text.value == THREE_CLASSES


def test_text_without_a_header_is_named_and_no_columns_are_offered(panel):
    paste(panel, "1,2\n3,4\n")
    assert "line 1 should name the columns" in panel.report.object and panel.inputs.options == []


def test_a_network_that_cannot_be_built_keeps_the_current_one(playground, panel):
    playground.settings.learning_rate = None  # a cleared box: the settings chosen for the data fill it
    paste(panel, THREE_IN_TWO_OUT)
    assert panel.use() is True and playground.settings.learning_rate == 0.01
    experiment = playground.experiment
    assert panel.keep_previous() is False  # the cleared box cannot come back
    assert "learning" in panel.report.object and playground.experiment is experiment
    assert playground.settings.dataset == OWN_DATA


def test_data_that_cannot_be_read_keeps_the_current_data(playground, panel):
    experiment = playground.experiment
    paste(panel, "a,b,y\n1,2,3\n4,x,6\n")
    assert panel.use() is False
    assert "line 3" in panel.report.object and playground.experiment is experiment
    assert playground.settings.dataset == "exam" and playground.settings.own_data is None


def test_the_scaling_table_follows_the_data_in_use(playground, panel):
    paste(panel, THREE_IN_TWO_OUT)
    panel.targets.value = ["y1", "y2"]
    panel.use()
    table = panel.scaling.object
    assert table.count("<td>input</td>") == 3 and table.count("<td>target</td>") == 2
    assert table.count("to mean 0, std 1") == 5  # columns in any unit of measure
    assert "to mean 0, std 1: (y2 − 2) ÷ 1.60357" in table


def test_class_columns_read_as_not_scaled(playground, panel):
    paste(panel, THREE_CLASSES)
    panel.use()
    assert "<td>kind=2</td><td>target</td><td>not scaled</td>" in panel.scaling.object


def test_names_from_the_data_reach_the_page_escaped(playground, panel):
    paste(panel, "<i>x</i>,y\n1,2\n3,5\n")
    panel.use()
    assert "&lt;i&gt;x&lt;/i&gt;" in panel.report.object and "<i>" not in panel.report.object
    assert "&lt;i&gt;x&lt;/i&gt;" in panel.scaling.object and "<i>" not in panel.scaling.object


def test_the_download_holds_the_current_training_and_test_rows(playground, panel):
    playground.settings.dataset = "circle"
    text = panel.current_csv().read()
    assert panel.download.filename == "playground-circle.csv"
    lines = text.splitlines()
    assert lines[0] == "part,x1,x2,class" and len(lines) == 1 + playground.settings.n_samples
    experiment = playground.experiment
    back = parse_csv(text, input_columns=["x1", "x2"], target_columns=["class"])
    np.testing.assert_array_equal(back.X, np.vstack([experiment.train_set.X, experiment.test_set.X]))
    assert [line.split(",")[0] for line in lines[1:]].count("test") == len(experiment.test_set.X)


def test_copying_the_playgrounds_data_offers_its_columns(playground, panel):
    playground.settings.dataset = "three_clouds"
    panel.copy_playground_data()
    assert panel.inputs.value == ["x1", "x2"] and panel.targets.value == ["class"]
    assert panel.task.value == "classification"


def test_own_data_stays_in_the_dataset_list_after_picking_another(playground, panel):
    paste(panel, THREE_IN_TWO_OUT)
    panel.use()
    playground.settings.dataset = "circle"
    assert playground.experiment.network.config.layer_sizes[0] == 2
    playground.settings.dataset = OWN_DATA
    assert playground.experiment.dataset.feature_names == ("a", "b", "c", "y1")
    assert playground.message == ""


def test_small_own_data_is_editable_cell_by_cell(playground, panel):
    table = DataTable(playground=playground)
    paste(panel, "a,b,c,y1,y2\n1,2,3,4,5\n2,3,4,5,7\n3,1,0,2,2\n")
    panel.targets.value = ["y1", "y2"]
    panel.use()
    first_cell = table.editor.objects[0].objects[0]
    first_cell.value = 10.0
    dataset = playground.experiment.dataset
    assert dataset.name == f"{OWN_DATA} (edited)" and dataset.X[0].tolist() == [10, 2, 3]
    assert playground.experiment.network.config.layer_sizes[::len(playground.settings.hidden_sizes) + 1] == (3, 2)
    playground.step(3)
    assert playground.epoch == 3


def test_input_features_stay_only_for_own_data_with_two_inputs(playground, panel):
    playground.settings.dataset = "circle"
    playground.settings.features = ["x1²", "x2²"]
    paste(panel, "u,v,label\n" + "".join(f"{i},{i % 5},{i % 2}\n" for i in range(10)))
    panel.use()
    assert playground.experiment.input_names == ("u", "v")  # the data's own columns first
    panel.keep_previous()
    assert playground.experiment.input_names == ("x1²", "x2²")
    paste(panel, THREE_IN_TWO_OUT)
    panel.use()
    panel.keep_previous()
    assert playground.settings.features == [] and playground.experiment.input_names == ("a", "b", "c", "y1")


def test_a_link_never_carries_own_data(playground, panel):
    paste(panel, THREE_IN_TWO_OUT)
    panel.use()
    query = settings_to_query(playground.settings)
    assert query["dataset"] == OWN_DATA and not any("y1" in value for value in query.values())
    fresh = PlaygroundState()
    messages = apply_query(fresh, query)
    assert fresh.dataset == "exam"
    assert messages[0].startswith("Ignored dataset='csv' in the link: a link never carries your own data")


@pytest.mark.usefixtures("no_custom_code")
def test_own_data_and_own_code_work_together(playground, panel):
    from pyscript_app.code_panel import CodePanel

    code = CodePanel(playground=playground)
    code.check_and_use()  # the example activation
    paste(panel, THREE_IN_TWO_OUT)
    assert panel.use() is True and panel.keep_previous() is True
    assert playground.experiment.network.config.activations[0] == "custom"
    code.kind.value = "loss"
    code.check_and_use()  # the learner's own loss, on the learner's own data
    assert playground.settings.dataset == OWN_DATA and playground.experiment.network.config.loss == "custom"
    assert OWN_DATA in playground.settings.param.dataset.objects
    playground.step(3)
    assert playground.epoch == 3


def test_a_cell_longer_than_the_csv_field_limit_is_refused_with_a_message_not_an_exception():
    from nn_core import csv_columns
    with pytest.raises(ValueError, match="line 1"):
        csv_columns("a" * 200_000 + ",b\n1,2\n")


def test_a_file_over_the_limit_is_refused_by_name_size_and_limit_and_the_data_in_use_stays(playground, panel):
    import json
    panel.upload.param.update(filename="mine.csv", value=THREE_CLASSES.encode())
    assert panel.use() is True
    experiment = playground.experiment
    panel.received.value = json.dumps({"kind": "file", "name": "huge.csv", "size": 52_428_800, "limit": 500_000})
    report = panel.report.object
    assert "huge.csv is 52.4 MB; the limit is 500 kB, so it was not read. Still training on mine.csv." in report
    assert playground.experiment is experiment and panel.text.value == THREE_CLASSES


def test_every_upload_message_names_its_own_file_and_latin1_is_refused_with_advice(playground, panel):
    panel.upload.param.update(filename="one_row.csv", value=b"a,b\n1,2\n")
    panel.upload.param.update(filename="latin1.csv", value="größe,b\n1,2\n3,4\n".encode("latin-1"))
    report = panel.report.object
    assert "latin1.csv is not UTF-8 text" in report and "one_row.csv" in report and "CSV UTF-8" in report
    assert panel.text.value == "a,b\n1,2\n"


def test_pasted_latin1_text_says_how_to_save_it_as_utf8(panel):
    panel.text.value = "gr\ufffd\ufffde,b\n1,2\n3,4\n"
    assert "not UTF-8 text: line 1" in panel.report.object and "CSV UTF-8" in panel.report.object


def test_a_paste_of_121_kB_is_kept_whole(panel):
    from nn_core.csv_data import MAX_CSV_BYTES
    header = ",".join(f"c{i}" for i in range(31))
    text = header + "\n" + "".join(",".join(f"{(i * j) % 97}.{j:03d}" for j in range(31)) + "\n" for i in range(569))
    assert 100_000 < len(text) < MAX_CSV_BYTES and panel.text.max_length >= len(text)
    panel.text.value = text
    assert panel.report.object.startswith("569 rows: 30 inputs")


def test_using_data_chooses_settings_for_a_real_table_and_says_why(playground, panel):
    assert playground.settings.activation == "sigmoid" and not playground.settings.use_bias  # the tutorial's
    paste(panel, THREE_CLASSES)
    assert panel.use() is True
    settings = playground.settings
    assert (settings.activation, settings.use_bias, settings.optimizer, settings.learning_rate) == ("tanh", True, "adam", 0.01)
    assert (settings.batch_size, settings.sum_gradients, settings.test_ratio) == (10, False, 0.3)
    assert playground.experiment.network.config.loss == "cross_entropy"
    report = panel.report.object
    assert "Settings chosen for a real table: every column scaled to mean 0 and spread 1, 8 Tanh neurons" in report
    assert "Adam at learning rate 0.01 in batches of 10" in report and "30% of the rows kept back to test" in report
    assert panel.keep_button.visible


def test_the_offer_of_previous_settings_ends_with_other_data(playground, panel):
    paste(panel, THREE_CLASSES)
    panel.use()
    playground.settings.dataset = "circle"
    assert not panel.keep_button.visible and playground.previous_settings == {}
    assert playground.settings.regularization == "none"  # the circle's preset has no penalty
