"""The maths of one step, the gradient check, replay and input importance, in headless Chromium."""
import pytest
from playwright.sync_api import expect

from conftest import bokeh_data, save_screenshot
from test_app_browser import click_plot

pytestmark = pytest.mark.browser


def reference_after(epochs):
    """The default playground in CPython after ``epochs`` steps, and its explained next step."""
    from nn_core.stepmath import explain_step
    from pyscript_app.playground import Playground

    playground = Playground()
    if epochs:
        playground.step(epochs)
    return playground, explain_step(playground.experiment.network)


def step(page, button, epoch):
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".epoch").first).to_have_text(f"{epoch:,}")


def test_the_maths_view_shows_the_numbers_nn_core_computes_in_cpython_for_the_same_step(open_page):
    from pyscript_app.maths_view import number

    page = open_page(height=1400)
    step(page, "Step 10", 10)
    reference, explanation = reference_after(10)
    page.wait_for_function("(pyodideWorker.jsdoc.get_model_by_name('maths-synapses').data.synapse || []).length == 9")
    shown_new = bokeh_data(page, "maths-synapses", "new")
    assert shown_new == [number(w) for W in explanation.new_weights for w in W.ravel()]
    assert bokeh_data(page, "maths-synapses", "gradient") == [
        number(g) for G in explanation.weight_gradients for g in G.ravel()]
    assert bokeh_data(page, "maths-neurons", "delta")[2:] == [
        number(d) for delta in explanation.deltas for d in delta[0]]
    assert bokeh_data(page, "maths-lines", "code")[:2] == ["z1 = X @ W1", "a1 = sigmoid(z1)"]
    save_screenshot(page, "maths-of-one-step.png")
    # Step applies exactly the update the view showed.
    step(page, "Step 1", 11)
    assert [number(w) for w in bokeh_data(page, "edges", "weight")] == shown_new


def test_a_synapse_clicked_in_the_graph_lights_up_its_row_and_a_clicked_row_its_synapse(open_page):
    page = open_page(height=1400)
    click_plot(page, "network-graph", 1.5, 0.0)  # hidden neuron 2 → output: synapse 7
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('maths-synapses').selected.indices[0] === 7")
    # Its formulas, drawn as MathML, end in the new weight nn_core works out for the step.
    from pyscript_app.maths_view import number

    _, explanation = reference_after(0)
    formula = page.locator(".maths-formula").first
    expect(formula).to_contain_text("hidden 1 · 2 → output · 1")
    expect(formula.locator("math").first).to_be_visible()
    expect(formula).to_contain_text(number(explanation.new_weights[1][1, 0]))
    page.get_by_text("W1[1, 0]: hours slept → hidden 1 · 1").click()
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('edges').selected.indices[0] === 3")


def test_one_click_checks_every_gradient_against_finite_differences(open_page):
    page = open_page(height=1400)
    step(page, "Step 10", 10)
    page.locator(".bk-tab").get_by_text("Gradient check", exact=True).click()
    page.get_by_role("button", name="Check every gradient").click()
    page.wait_for_function("(pyodideWorker.jsdoc.get_model_by_name('gradient-check').data.parameter || []).length == 9")
    assert bokeh_data(page, "gradient-check", "parameter")[0] == "W1[0, 0]"
    errors = [float(value) for value in bokeh_data(page, "gradient-check", "relative_error")]
    assert max(errors) < 1e-6
    expect(page.locator(".gradient-check-summary")).to_contain_text("agree")


def test_the_replay_slider_shows_the_starting_weights_again_and_live_brings_back_the_latest(open_page):
    page = open_page(height=1400)
    start = bokeh_data(page, "edges", "weight")
    step(page, "Step 100", 100)
    step(page, "Step 100", 200)
    latest = bokeh_data(page, "edges", "weight")
    track = page.locator(".replay-slider .noUi-base").bounding_box()
    page.mouse.click(track["x"] + 1, track["y"] + track["height"] / 2)  # the far left: epoch 0
    expect(page.locator(".epoch").first).to_have_text("0")
    assert bokeh_data(page, "edges", "weight") == start
    page.get_by_role("button", name="Live").click()
    expect(page.locator(".epoch").first).to_have_text("200")
    assert bokeh_data(page, "edges", "weight") == latest


def test_which_input_matters_most_draws_a_bar_pair_per_input(open_page):
    page = open_page(height=1400)
    step(page, "Step 100", 100)
    page.get_by_role("button", name="Which input matters most?").click()
    # The chart, its data included, arrives with Python's answer.
    page.wait_for_function("() => pyodideWorker.jsdoc.get_model_by_name('importance')?.data.input.length == 2")
    assert bokeh_data(page, "importance", "input") == ["hours studied", "hours slept"]
    shares = bokeh_data(page, "importance", "weights")
    assert sum(shares) == pytest.approx(1.0)
