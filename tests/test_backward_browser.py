"""Show the backward pass, in headless Chromium: one step plays on the graph with the maths tab's numbers."""
import re

import pytest
from playwright.sync_api import expect

from conftest import bokeh_data, save_screenshot
from test_page_browser import LAYOUT_PROBLEMS

pytestmark = pytest.mark.browser


def caption(page):
    return page.locator(".backward-caption").first


def shown_phase(page):
    """(phase, number of phases) that the caption says is shown."""
    text = page.locator(".backward-caption [role=status]").first.inner_text()
    found = re.search(r"Phase (\d+) of (\d+)", text)
    assert found, f"no phase in the caption: {text!r}"
    return int(found[1]), int(found[2])


def show_and_pause(page):
    """Open the backward pass and stop its play with Next: the phase shown then stays."""
    page.get_by_role("button", name="Show the backward pass").click()
    expect(page.get_by_role("button", name="Next ▶")).to_be_visible(timeout=30_000)  # a busy machine is slow
    page.get_by_role("button", name="Next ▶").click()
    expect(page.get_by_role("button", name="▶ Play step")).to_be_visible()


def go_to_phase(page, wanted):
    """Press Back or Next until the caption shows phase ``wanted``, waiting for each answer."""
    phase, total = shown_phase(page)
    while phase != wanted:
        page.get_by_role("button", name="Next ▶" if wanted > phase else "◀ Back").click()
        phase += 1 if wanted > phase else -1
        expect(caption(page)).to_contain_text(f"Phase {phase} of {total}")


def wait_for_maths(page, n_neurons):
    page.wait_for_function(
        f"(pyodideWorker.jsdoc.get_model_by_name('maths-neurons').data.neuron || []).length == {n_neurons}")


def check_every_delta(page, layer_sizes):
    """Walk the backward phases from the output to the first hidden layer; each δ on the graph is the
    maths tab's δ of the same neuron, and nn_core's in CPython for the same step."""
    from nn_core.stepmath import explain_step
    from pyscript_app.maths_view import number
    from pyscript_app.playground import Playground
    from pyscript_app.state import apply_query

    reference = Playground()
    apply_query(reference.settings, {"dataset": "exam", "hidden_sizes": ",".join(map(str, layer_sizes[1:-1]))})
    explanation = explain_step(reference.experiment.network)
    maths_deltas = bokeh_data(page, "maths-neurons", "delta")
    n_layers = len(layer_sizes)
    for layer in range(n_layers - 1, 0, -1):
        go_to_phase(page, n_layers + (n_layers - layer))  # the forward phases come first
        start = sum(layer_sizes[:layer])
        expected = maths_deltas[start : start + layer_sizes[layer]]
        assert expected == [number(d) for d in explanation.deltas[layer - 1][0]]
        page.wait_for_function(
            f"pyodideWorker.jsdoc.get_model_by_name('backward-neurons').data.text.length == {layer_sizes[layer]}")
        assert bokeh_data(page, "backward-neurons", "text") == ["δ " + d for d in expected]
        expect(caption(page)).to_contain_text("Backward: how much each neuron is to blame (δ)")
        expect(caption(page)).to_contain_text("δ = " + ", ".join(expected))
    return explanation


def test_the_tutorial_network_plays_its_step_with_the_maths_tabs_deltas_and_takes_it(open_page):
    from pyscript_app.maths_view import number

    page = open_page(height=1400)
    wait_for_maths(page, 6)
    show_and_pause(page)
    assert shown_phase(page)[1] == 7
    go_to_phase(page, 2)
    expect(caption(page)).to_contain_text("Forward: each neuron's value")
    assert len(bokeh_data(page, "backward-neurons", "text")) == 3
    explanation = check_every_delta(page, [2, 3, 1])
    go_to_phase(page, 5)  # pulses on the synapses out of hidden 1, one per synapse, sized by ∂J/∂w
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('backward-pulses').data.x.length == 3")
    gradients = explanation.weight_gradients[1].ravel()
    assert bokeh_data(page, "backward-pulses", "gradient") == [number(g) for g in gradients]
    sizes = bokeh_data(page, "backward-pulses", "size")
    assert sorted(range(3), key=sizes.__getitem__) == sorted(range(3), key=lambda i: abs(gradients[i]))
    save_screenshot(page, "backward-pass-1280.png")
    # Fast play to the end: the update is shown, then the step is taken, the same step the maths tab showed.
    page.locator(".backward-speed").get_by_text("Fast").click()
    page.get_by_role("button", name="▶ Play step").click()
    expect(caption(page)).to_contain_text("Update: each weight moves")
    expect(page.locator(".epoch").first).to_have_text("1", timeout=30_000)
    expect(caption(page)).to_contain_text("Step taken: epoch 1.")
    assert bokeh_data(page, "edges", "weight") == pytest.approx(
        [w for W in explanation.new_weights for w in W.ravel()], abs=1e-12)
    expect(page.get_by_role("button", name="Show the backward pass")).to_be_visible()


def test_a_four_layer_network_shows_every_layers_delta_back_and_forth(open_page):
    page = open_page("?dataset=exam&hidden_sizes=4,3,2", height=1400)
    wait_for_maths(page, 12)
    show_and_pause(page)
    assert shown_phase(page)[1] == 11
    check_every_delta(page, [2, 4, 3, 2, 1])
    go_to_phase(page, 1)
    expect(page.get_by_role("button", name="◀ Back")).to_be_disabled()
    page.get_by_role("button", name="✕ Close").click()
    expect(page.get_by_role("button", name="Show the backward pass")).to_be_visible()
    assert bokeh_data(page, "backward-neurons", "text") == []


def test_pause_is_answered_while_the_step_plays_slowly(open_page):
    page = open_page(height=1400)
    page.get_by_role("button", name="Show the backward pass").click()
    page.locator(".backward-speed").get_by_text("Slow").click()
    page.get_by_role("button", name="❚❚ Pause step").click()
    expect(page.get_by_role("button", name="▶ Play step")).to_be_visible()
    phase = shown_phase(page)
    expect(caption(page)).to_contain_text(f"Phase {phase[0]} of 7")
    assert page.locator(".epoch").first.inner_text() == "0"


@pytest.mark.parametrize("query, width, height", [("", 390, 844), ("?present=1", 1920, 1080), ("", 768, 1024),
                                                  ("", 1280, 720), ("", 1920, 1080)])
def test_the_control_and_its_caption_fit_phones_and_projectors(open_page, query, width, height):
    page = open_page(query, width=width, height=height)
    show_and_pause(page)
    go_to_phase(page, 5)
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('backward-pulses').data.x.length == 3")
    page.wait_for_timeout(300)  # BokehJS lays out again on the next frames
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    for name in ("◀ Back", "▶ Play step", "Next ▶", "✕ Close"):
        box = page.get_by_role("button", name=name).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    if width in (390, 1280) or query:
        save_screenshot(page, f"backward-pass-{'present' if query else width}.png")
