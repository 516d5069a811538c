"""The playground in headless Chromium, as a learner uses it: step, play, pause, grow the network."""
import re

import pytest
from playwright.sync_api import expect

from conftest import bokeh_data, save_screenshot

pytestmark = pytest.mark.browser


def epoch(page):
    return int(page.locator(".epoch").first.inner_text().replace(",", ""))


def test_step_changes_the_loss_text_and_an_edge_width(open_page):
    page = open_page()
    loss_before = page.locator(".loss").first.inner_text()
    widths_before = bokeh_data(page, "edges", "width")
    page.get_by_role("button", name="Step 1", exact=True).click()
    expect(page.locator(".epoch").first).to_have_text("1")
    assert page.locator(".loss").first.inner_text() != loss_before
    widths = bokeh_data(page, "edges", "width")
    assert len(widths) == len(widths_before) == 9
    assert any(abs(a - b) > 1e-9 for a, b in zip(widths, widths_before))
    save_screenshot(page, "playground-after-step.png")


def test_play_trains_hundreds_of_epochs_while_clicks_are_answered_and_pause_stops(open_page):
    page = open_page()
    page.get_by_role("button", name="▶ Play").click()
    expect(page.get_by_role("button", name="❚❚ Pause")).to_be_visible()
    start = epoch(page)
    # Three clicks on "show test data" while playing, each answered by Python (the test points'
    # visibility changes). How soon: benchmarks/page_load.py measures it.
    for shown in (False, True, False):
        page.wait_for_timeout(300)
        page.locator(".test-toggle input").click()
        page.wait_for_function(f"pyodideWorker.jsdoc.get_model_by_name('test-renderer').visible === {str(shown).lower()}")
    page.wait_for_timeout(1000)
    trained = epoch(page) - start
    assert trained >= 100, f"only {trained} epochs in about 2 s of play"
    page.get_by_role("button", name="❚❚ Pause").click()
    expect(page.get_by_role("button", name="▶ Play")).to_be_visible()
    # The page flips the label at once; the status line shows Python's last frame once Python
    # has paused too (its own label for the button reaches the page's document).
    page.wait_for_function("() => [...pyodideWorker.jsdoc.all_models].some((model) => model.css_classes"
                           " && model.css_classes.includes('play') && model.label === '▶ Play')")
    page.wait_for_timeout(300)
    stopped_at = epoch(page)
    page.wait_for_timeout(300)
    assert epoch(page) == stopped_at
    save_screenshot(page, "playground-after-play.png")


def test_adding_a_layer_redraws_the_graph_with_its_neurons(open_page):
    page = open_page()
    assert len(bokeh_data(page, "neurons", "x")) == 6
    page.get_by_role("button", name="+ layer").click()
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('neurons').data.x.length == 8")
    assert len(bokeh_data(page, "edges", "x0")) == 2 * 3 + 3 * 2 + 2 * 1


def test_the_embed_address_gives_the_compact_page(open_page):
    page = open_page("?embed=1", width=400, height=600)
    expect(page.get_by_text("Hidden layers")).to_have_count(0)
    assert page.get_by_role("button", name="▶ Play").is_visible()
    save_screenshot(page, "playground-embed.png")


def test_picking_a_dataset_rebuilds_the_controls_for_it(open_page):
    page = open_page()
    page.locator(".dataset-circle button").click()
    # New children of Panel layouts: the layer sizes, the prediction inputs, the data table.
    expect(page.get_by_text("Layer 2")).to_be_visible()
    expect(page.locator(".predict-0").get_by_text("x1")).to_be_visible()
    expect(page.locator(".cell-0-0")).to_have_count(0)
    assert len(bokeh_data(page, "neurons", "x")) == 2 + 4 + 2 + 1
    expect(page.locator(".test-loss").first).to_be_visible()


def test_a_shared_link_brings_back_its_settings_and_a_hostile_one_is_named(open_page):
    page = open_page("?dataset=circle&hidden_sizes=6,3&learning_rate=0.1&activation=%3Cscript%3E")
    assert len(bokeh_data(page, "neurons", "x")) == 2 + 6 + 3 + 1
    expect(page.locator(".status .message")).to_contain_text("Ignored activation='<script>' in the link")
    page.get_by_role("button", name="Step 10", exact=True).click()
    expect(page.locator(".epoch").first).to_have_text("10")
    page.get_by_text("More settings").click()
    page.locator(".setting-seed input").fill("5")
    page.locator(".setting-seed input").press("Enter")
    expect(page).to_have_url(re.compile(r"seed=5"))
    assert "learning_rate=0.1" in page.url and "dataset=circle" in page.url


def test_the_decision_map_changes_while_training(open_page):
    page = open_page("?dataset=circle")
    pixels = "Array.from(pyodideWorker.jsdoc.get_model_by_name('decision-map').data.image[0]).reduce((a, b) => a + b, 0)"
    before = page.evaluate(pixels)
    assert isinstance(before, float) and 0 < before < 2500  # 50 × 50 probabilities
    page.get_by_role("button", name="Step 100").click()
    expect(page.locator(".epoch").first).to_have_text("100")
    assert page.evaluate(pixels) != before
    assert len(bokeh_data(page, "train-points", "x")) == 100


def test_a_lesson_link_opens_the_lesson(open_page):
    page = open_page("?lesson=xor")
    expect(page.locator(".lesson")).to_contain_text("XOR needs a hidden layer")
    assert len(bokeh_data(page, "neurons", "x")) == 3  # no hidden layer: 2 inputs, 1 output
    page.get_by_role("button", name="+ layer").click()
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('neurons').data.x.length == 5")


TO_PIXELS = """([name, x, y]) => {
  const view = Bokeh.index.find_one(pyodideWorker.jsdoc.get_model_by_name(name));
  const box = view.el.getBoundingClientRect();
  return [box.left + view.frame.x_scale.compute(x), box.top + view.frame.y_scale.compute(y)];
}"""


def click_plot(page, name, x, y, modifiers=()):
    """Click a Bokeh figure at data coordinates (x, y), as a mouse would, once it is laid out."""
    page.wait_for_function("pyodideWorker.jsdoc.is_idle")
    page_x, page_y = page.evaluate(TO_PIXELS, [name, x, y])
    for key in modifiers:
        page.keyboard.down(key)
    page.mouse.click(page_x, page_y)
    for key in modifiers:
        page.keyboard.up(key)


def test_clicking_the_data_plane_adds_a_point_of_either_class(open_page):
    page = open_page("?dataset=circle", height=900)
    count = "pyodideWorker.jsdoc.get_model_by_name('train-points').data.x.length"
    assert page.evaluate(count) == 100
    click_plot(page, "decision-figure", 4.5, 4.5)
    page.wait_for_function(f"{count} == 101")
    page.wait_for_timeout(400)  # BokehJS takes two taps within 300 ms for a double tap and drops the second
    click_plot(page, "decision-figure", -4.5, 4.5, modifiers=["Shift"])
    page.wait_for_function(f"{count} == 102")
    colors = bokeh_data(page, "train-points", "color")
    assert colors[-2:] == ["#0877bd", "#e8710a"]  # class 1 blue, class 0 orange


def test_typing_a_weight_into_a_clicked_synapse_redraws_it(open_page):
    page = open_page()
    click_plot(page, "network-graph", 1.5, 0.0)  # hidden neuron 2 → output
    weight_box = page.locator(".weight-input input")
    expect(weight_box).to_be_enabled()
    weight_box.fill("2.5")
    weight_box.press("Enter")
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('edges').data.weight[7] == 2.5")
    assert bokeh_data(page, "edges", "width")[7] == pytest.approx(0.5 + 7.5 * 2.5 / 3)


def test_a_classroom_link_hides_the_controls_it_names(open_page):
    page = open_page("?hidden_controls=learning_rate,prediction")
    expect(page.locator(".setting-activation select")).to_be_visible()
    expect(page.locator(".setting-learning_rate input")).to_be_hidden()
    expect(page.locator(".predict-0 input")).to_be_hidden()
    page.get_by_text("Teacher: share or embed").click()
    expect(page.locator(".classroom-link input")).to_have_value(re.compile(r"hidden_controls=learning_rate"))


def test_ticking_input_features_rebuilds_the_input_layer(open_page):
    page = open_page("?dataset=circle")
    page.locator(".feature-pictures").get_by_role("button", name="x₁²").click()
    page.locator(".feature-pictures").get_by_role("button", name="x₂²").click()
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('neurons').data.input_label[1] == 'x2²'")
    assert bokeh_data(page, "neurons", "input_label")[:2] == ["x1²", "x2²"]
    assert len(bokeh_data(page, "neurons", "x")) == 2 + 4 + 2 + 1


def test_a_link_replays_the_same_first_epoch_as_cpython(open_page):
    from pyscript_app.panels import _number
    from pyscript_app.playground import Playground
    from pyscript_app.state import apply_query

    query = {"dataset": "spiral", "seed": "7", "hidden_sizes": "6,4", "learning_rate": "0.1", "noise": "0.1"}
    reference = Playground()
    assert apply_query(reference.settings, query) == []
    reference.step(1)
    page = open_page("?" + "&".join(f"{name}={value}" for name, value in query.items()))
    page.get_by_role("button", name="Step 1", exact=True).click()
    expect(page.locator(".epoch").first).to_have_text("1")
    assert page.locator(".loss").first.inner_text() == _number(reference.loss)


def test_clicking_a_hidden_neuron_shows_its_map_in_the_big_map(open_page):
    page = open_page("?dataset=circle", height=900)
    click_plot(page, "network-graph", 1.0, 0.5)  # hidden layer 1, second neuron of four
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('decision-figure').title.text == 'hidden 1, neuron 2'")


def test_the_log_scale_toggle_swaps_the_loss_chart(open_page):
    page = open_page()
    linear_chart_shown = "pyodideWorker.jsdoc.get_model_by_name('loss-linear') !== null"
    assert not page.evaluate(linear_chart_shown)
    page.locator(".log-toggle input").click()
    page.wait_for_function(linear_chart_shown)
