"""Your Python in headless Chromium: typed code trains the worker's network; errors, files and links run nothing."""
import math
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import run_in_worker, save_screenshot

pytestmark = pytest.mark.browser

# LeCun's scaled tanh, a = 1.7159 tanh(2z/3); its slope in terms of a is (2/3)(1.7159 - a²/1.7159).
SCALED_TANH = """\
def activation(z):
    return 1.7159 * np.tanh(2.0 * z / 3.0)


def derivative(a):
    return 2.0 / 3.0 * (1.7159 - a * a / 1.7159)
"""
# The first Playground alive in the worker: the page's store.
PLAYGROUND = ("import gc\nfrom pyscript_app.playground import Playground\n"
              "playground = next(o for o in gc.get_objects() if isinstance(o, Playground))\n")


def open_your_python(page):
    """Bring up the Your Python tab under the playground."""
    page.locator(".bk-tab").get_by_text("Your Python", exact=True).click()
    expect(page.locator(".code-editor textarea")).to_be_visible()


def test_a_typed_activation_is_checked_picked_and_trained_with_in_the_worker(open_page):
    page = open_page()
    loss_before = page.locator(".loss").first.inner_text()
    open_your_python(page)
    page.locator(".code-editor textarea").fill(SCALED_TANH)
    page.get_by_role("button", name="Check and use").click()
    expect(page.locator(".code-result")).to_contain_text("Checks passed")
    expect(page.locator(".code-result")).to_contain_text("largest relative error")
    expect(page.locator(".setting-activation select")).to_have_value("Your Python")
    page.get_by_role("button", name="Step 10", exact=True).click()
    expect(page.locator(".epoch").first).to_have_text("10")
    assert page.locator(".loss").first.inner_text() != loss_before
    activations, value = run_in_worker(page, PLAYGROUND + """
import numpy as np
network = playground.experiment.network
[list(network.config.activations), float(network.forward(np.array([[1.0, 0.0]]))[1][1][0, 0])]
""")
    assert activations == ["custom", "sigmoid"]
    weights = run_in_worker(page, PLAYGROUND + "playground.experiment.network.weights[0][0, 0]")
    assert value == pytest.approx(1.7159 * math.tanh(2.0 * weights / 3.0), rel=1e-12)
    save_screenshot(page, "your-python-activation.png")


def test_a_link_and_code_with_errors_run_nothing_and_the_page_keeps_working(open_page):
    page = open_page("?activation=custom")
    expect(page.locator(".status .message")).to_contain_text("links never carry code")
    expect(page.locator(".setting-activation select")).to_have_value("Sigmoid")
    open_your_python(page)
    page.locator(".code-editor textarea").fill("def activation(z):\n    return z +\n")
    page.get_by_role("button", name="Check and use").click()
    expect(page.locator(".code-result")).to_have_text("Not used: SyntaxError: invalid syntax (line 2)")
    page.locator(".code-editor textarea").fill("def activation(z):\n    return np.tanh(z)\n\n"
                                                "def derivative(a):\n    return undefined_name * a\n")
    page.get_by_role("button", name="Check and use").click()
    expect(page.locator(".code-result")).to_have_text(
        "Not used: NameError: name 'undefined_name' is not defined (line 5)")
    page.get_by_role("button", name="Step 1", exact=True).click()
    expect(page.locator(".epoch").first).to_have_text("1")
    assert run_in_worker(page, "from nn_core.activations import ACTIVATIONS\n'custom' in ACTIVATIONS") is False


def test_a_loaded_file_is_only_shown_until_the_button_runs_it(open_page, tmp_path):
    page = open_page()
    source = ("import builtins\nbuiltins.OWN_CODE_RAN = True\n\n\n"
              "def feature(x1, x2):\n    return x1 * x1 + x2 * x2\n")
    path = Path(tmp_path) / "radius.py"
    path.write_text(source)
    open_your_python(page)
    page.locator(".code-file input[type=file]").set_input_files(str(path))
    expect(page.locator(".code-result")).to_contain_text("has not run")
    expect(page.locator(".code-kind select")).to_have_value("Input feature")  # the label
    expect(page.locator(".code-editor textarea")).to_have_value(source)
    assert run_in_worker(page, "import builtins\nhasattr(builtins, 'OWN_CODE_RAN')") is False
    page.get_by_role("button", name="Check and use").click()
    expect(page.locator(".code-result")).to_contain_text("Checks passed")
    assert run_in_worker(page, "import builtins\nhasattr(builtins, 'OWN_CODE_RAN')") is True
    inputs = run_in_worker(page, PLAYGROUND + "list(playground.experiment.input_names)")
    assert inputs == ["x1", "x2", "custom"]
    page.get_by_role("button", name="Step 10", exact=True).click()
    expect(page.locator(".epoch").first).to_have_text("10")
