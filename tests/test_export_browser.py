"""Export in the real page: the downloaded script and notebook, run by CPython, predict what the
page predicts; a downloaded network uploads back into a page that has moved on; a broken file is
refused with a message."""
import csv
import io
import json
import subprocess
import sys
import time

import numpy as np
import pytest
from playwright.sync_api import expect

from conftest import run_in_worker, save_screenshot

pytestmark = pytest.mark.browser

PLAYGROUND = "import json, pyscript_app.main as main; playground = main.page.playground; "


def page_predictions(page, inputs):
    """What the page's network predicts (original units) for ``inputs`` (n_samples, n_features)."""
    return np.array(json.loads(run_in_worker(
        page, PLAYGROUND + f"json.dumps(playground.experiment.predict({inputs!r}).tolist())")))


def page_parameters(page):
    return np.array(json.loads(run_in_worker(page, PLAYGROUND + "json.dumps(playground.experiment.network.params.tolist())")))


def download(page, css_class, folder):
    """Click a download button of the Export tab; the saved file's path."""
    start = time.perf_counter()
    with page.expect_download() as started:
        page.locator(f".{css_class} button").click()
    print(f"{css_class}: {1000 * (time.perf_counter() - start):.0f} ms from the click to the download")
    path = folder / started.value.suggested_filename
    started.value.save_as(path)
    return path


def open_export_tab(page):
    page.locator(".tools").get_by_text("Export", exact=True).click()
    expect(page.locator(".export-script button")).to_be_visible()


def step(page, epochs, expected_epoch):
    page.get_by_role("button", name=f"Step {epochs}", exact=True).click()
    expect(page.locator(".epoch").first).to_have_text(f"{expected_epoch:,}")


def test_the_downloaded_script_and_notebook_predict_what_the_page_predicts(open_page, tmp_path):
    page = open_page()
    step(page, 100, 100)
    open_export_tab(page)
    script = download(page, "export-script", tmp_path)
    assert script.name == "exam_network.py"
    assert "trained for 100 epochs" in script.read_text(encoding="utf-8")
    printed = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True).stdout
    header, *rows = list(csv.reader(io.StringIO(printed)))
    assert header == ["hours studied", "hours slept", "test score"]
    inputs = [[float(value) for value in row[:2]] for row in rows]
    assert inputs == [[2.0, 9.0], [1.0, 5.0], [3.0, 6.0]]
    # The page's NumPy is Pyodide's, the script's is CPython's: the same sums, maybe not the same last bit.
    expected = page_predictions(page, inputs)
    np.testing.assert_allclose([[float(row[2])] for row in rows], expected, rtol=1e-12)
    asked = subprocess.run([sys.executable, str(script), "4", "8"], capture_output=True, text=True, check=True).stdout
    np.testing.assert_allclose(float(asked.splitlines()[1].split(",")[2]), page_predictions(page, [[4, 8]])[0, 0],
                               rtol=1e-12)

    notebook = json.loads(download(page, "export-notebook", tmp_path).read_text(encoding="utf-8"))
    code = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    namespace = {}
    exec("\n\n".join(code[:-1]), namespace)  # the cells a learner runs, in order
    np.testing.assert_allclose(eval(code[-1], namespace), page_predictions(page, [[4, 8]]), rtol=1e-12)


def test_a_downloaded_network_uploads_back_and_a_broken_file_changes_nothing(open_page, tmp_path):
    page = open_page("?dataset=circle&hidden_sizes=5&features=x1,x2,x1%C2%B2")
    step(page, 10, 10)
    open_export_tab(page)
    saved = download(page, "export-json", tmp_path)
    assert saved.name == "circle_network.json"
    network = json.loads(saved.read_text(encoding="utf-8"))
    saved_parameters = page_parameters(page)
    assert network["epoch"] == 10 and network["weights"][0] == saved_parameters[:15].reshape(3, 5).tolist()

    page.get_by_role("button", name="↺ Reset").click()
    step(page, 1, 1)
    assert not np.array_equal(page_parameters(page), saved_parameters)
    page.locator(".export-upload input[type=file]").set_input_files(saved)
    expect(page.locator(".status .message")).to_contain_text("Loaded the circle network, trained for 10 epochs")
    expect(page.locator(".epoch").first).to_have_text("10")
    np.testing.assert_array_equal(page_parameters(page), saved_parameters)

    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "backprop-playground-network", "version": 1, "weights": [[', encoding="utf-8")
    page.locator(".export-upload input[type=file]").set_input_files(broken)
    expect(page.locator(".status .message")).to_contain_text("Not loaded: not a saved network: invalid JSON")
    np.testing.assert_array_equal(page_parameters(page), saved_parameters)
    step(page, 1, 11)
    save_screenshot(page, "export-after-upload.png")
