"""The three pictures in headless Chromium: measured as a learner sees them, and photographed."""
import re

import pytest
from playwright.sync_api import expect

from conftest import bokeh_data, run_in_worker, save_screenshot
from pyscript_app.graph_layout import graph_layout
from pyscript_app.loss_view import STOP_TEXT

pytestmark = pytest.mark.browser

EIGHT_BY_SIXTEEN = "?dataset=circle&hidden_sizes=16,16,16,16,16,16,16,16"

# Every label of the network graph as drawn: its text, and its box in the page's pixels, from the
# figure's own scales and the browser's own measure of the text in the label's font.
LABEL_BOXES = """() => {
  const view = Bokeh.index.find_one(pyodideWorker.jsdoc.get_model_by_name('network-graph'));
  const page = view.el.getBoundingClientRect();
  const context = document.createElement('canvas').getContext('2d');
  const number = (spec, data, i) => spec.field !== undefined ? data[spec.field][i] : spec.value;
  const boxes = [];
  for (const model of view.renderer_views.keys()) {
    if (model.type !== 'LabelSet') continue;
    const data = model.source.data;
    context.font = `${model.text_font_style.value} ${model.text_font_size.value} ${model.text_font.value}`;
    const size = parseFloat(model.text_font_size.value);
    data[model.text.field].forEach((text, i) => {
      if (!text) return;
      const width = context.measureText(text).width;
      const x = page.left + view.frame.x_scale.compute(data[model.x.field][i]) + number(model.x_offset, data, i);
      const y = page.top + view.frame.y_scale.compute(data[model.y.field][i]) - number(model.y_offset, data, i);
      const left = {left: x, center: x - width / 2, right: x - width}[model.text_align.value];
      const top = {top: y, middle: y - size / 2, bottom: y - size}[model.text_baseline.value];
      boxes.push({text, field: model.text.field, index: i, left, right: left + width, top, bottom: top + size});
    });
  }
  const neurons = pyodideWorker.jsdoc.get_model_by_name('neurons').data;
  const circles = Array.from(neurons.x, (x, i) => {
    const cx = page.left + view.frame.x_scale.compute(x), cy = page.top + view.frame.y_scale.compute(neurons.y[i]);
    const r = neurons.size[i] / 2;
    return {index: i, left: cx - r, right: cx + r, top: cy - r, bottom: cy + r};
  });
  return {boxes, circles, figure: {left: page.left, right: page.right, top: page.top, bottom: page.bottom}};
}"""

TO_PIXELS = """([name, x, y]) => {
  const view = Bokeh.index.find_one(pyodideWorker.jsdoc.get_model_by_name(name));
  const box = view.el.getBoundingClientRect();
  return [box.left + view.frame.x_scale.compute(x), box.top + view.frame.y_scale.compute(y)];
}"""


def overlap(a, b, slack=0.5):
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > slack
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > slack)


def graph_shot(page, name):
    """A screenshot of the network graph alone, under tests/artifacts/."""
    page.wait_for_function("pyodideWorker.jsdoc.is_idle")
    page.locator(".bk-Figure").first.scroll_into_view_if_needed()
    view = page.evaluate("() => { const r = Bokeh.index.find_one(pyodideWorker.jsdoc.get_model_by_name("
                         "'network-graph')).el.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; }")
    path = save_screenshot(page, name)
    left, top, width, height = view
    page.screenshot(path=str(path), clip={"x": left, "y": top, "width": width, "height": height})
    return path


def set_graph_scale(page, scale):
    """Switch the presenter's scale on the page's graph (what a presenter view will do)."""
    run_in_worker(page, "import gc\nfrom pyscript_app.graph_view import NetworkGraph\n"
                        f"[graph for graph in gc.get_objects() if isinstance(graph, NetworkGraph)][0].scale = {scale}")


@pytest.mark.parametrize("width", [390, 1280])
def test_no_label_of_the_graph_overlaps_another_or_a_neuron_at_8_layers_of_16(open_page, width):
    page = open_page(EIGHT_BY_SIXTEEN, width=width, height=900)
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('neurons').data.x.length == 2 + 8 * 16 + 1")
    drawn = page.evaluate(LABEL_BOXES)
    boxes, circles, figure = drawn["boxes"], drawn["circles"], drawn["figure"]
    assert {box["text"] for box in boxes} >= {"input", "output", "1", "8", "x1", "x2", "class", "tanh"}
    for a, b in ((a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]):
        assert not overlap(a, b), (a, b)
    for box in boxes:
        assert figure["left"] <= box["left"] and box["right"] <= figure["right"], box  # nothing cut off
        assert figure["top"] <= box["top"] and box["bottom"] <= figure["bottom"], box
        own = box["index"] if box["field"] == "label" else None  # a value is written on its own neuron
        assert not [circle for circle in circles if circle["index"] != own and overlap(box, circle)], box
    graph_shot(page, f"graph-8x16-{width}.png")


def test_the_graphs_height_follows_the_network_with_no_blank_band(open_page):
    heights = {}
    for hidden in ("3", "16,16,16,16,16,16,16,16"):
        page = open_page("?hidden_sizes=" + hidden, width=1280, height=900)
        page.wait_for_function("pyodideWorker.jsdoc.is_idle")
        drawn = page.evaluate(LABEL_BOXES)
        figure = drawn["figure"]
        heights[hidden] = figure["bottom"] - figure["top"]
        sizes = (2, *map(int, hidden.split(",")), 1)
        expected = graph_layout(sizes, ("sigmoid",) * (len(sizes) - 1), ("hours studied", "hours slept"),
                                ("test score",)).height
        assert heights[hidden] == pytest.approx(expected, abs=1)
        lowest = max(item["bottom"] for item in drawn["boxes"] + drawn["circles"])
        highest = min(item["top"] for item in drawn["boxes"] + drawn["circles"])
        assert figure["bottom"] - lowest <= 12 and highest - figure["top"] <= 12  # no blank band
    assert heights["3"] < 230 < 400 < heights["16,16,16,16,16,16,16,16"]


def test_one_tooltip_at_a_time_and_a_click_on_a_neuron_selects_only_the_neuron(open_page):
    page = open_page("?dataset=circle", height=900)
    tooltips = page.locator(".bk-Tooltip")

    def shown_tooltips():
        """The text of each tooltip box on show."""
        return [tooltips.nth(i).locator(".bk-tooltip-content").inner_text() for i in range(tooltips.count())
                if tooltips.nth(i).is_visible()]

    page.wait_for_function("pyodideWorker.jsdoc.is_idle")
    page.mouse.move(*page.evaluate(TO_PIXELS, ["network-graph", 1, 0.5]))  # hidden 1, neuron 2
    expect(page.locator(".bk-tooltip-content", has_text="neuron:")).to_be_visible()
    shown = shown_tooltips()
    assert len(shown) == 1 and "hidden 1 · 2" in shown[0] and "synapse" not in shown[0]
    page.mouse.move(*page.evaluate(TO_PIXELS, ["network-graph", 2.5, 0.25]))  # hidden 2 · 1 → the output
    expect(page.locator(".bk-tooltip-content", has_text="synapse:")).to_be_visible()
    shown = shown_tooltips()
    assert len(shown) == 1 and shown[0].count("synapse:") == 1 and "neuron:" not in shown[0]
    page.mouse.click(*page.evaluate(TO_PIXELS, ["network-graph", 1, 0.5]))
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('decision-figure').title.text == 'hidden 1, neuron 2'")
    assert page.evaluate("pyodideWorker.jsdoc.get_model_by_name('neurons').selected.indices") == [3]
    assert page.evaluate("pyodideWorker.jsdoc.get_model_by_name('edges').selected.indices") == []
    graph_shot(page, "graph-circle-2-4-2-1.png")


def test_the_loss_chart_starts_at_epoch_0_with_short_tick_labels_after_a_long_run(open_page):
    page = open_page()
    page.get_by_role("button", name="▶ Play").click()
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('loss-history').data.epoch.at(-1) > 30000",
                           timeout=120_000)
    page.get_by_role("button", name="❚❚ Pause").click()
    expect(page.get_by_role("button", name="▶ Play")).to_be_visible()
    page.wait_for_function("pyodideWorker.jsdoc.is_idle")
    epochs = bokeh_data(page, "loss-history", "epoch")
    assert epochs[0] == 0 and epochs[1] > 1  # thinned, and the start kept
    labels = page.evaluate("""() => {
      const figure = pyodideWorker.jsdoc.get_model_by_name('loss-log');
      const view = Bokeh.index.find_one(figure);
      const axis = figure.below[0], axis_view = view.renderer_views.get(axis);
      const ticks = axis_view.tick_coords.major[0];
      const texts = axis.formatter.doFormat(ticks, {loc: 0});
      const context = document.createElement('canvas').getContext('2d');
      context.font = `${axis.major_label_text_font_size.value} ${axis.major_label_text_font.value}`;
      return {start: figure.x_range.start, ticks: texts.map((text, i) => ({text,
        x: view.frame.x_scale.compute(ticks[i]), width: context.measureText(text).width}))};
    }""")
    assert labels["start"] == 0
    texts = [tick["text"] for tick in labels["ticks"]]
    assert texts[0] == "0" and all(re.fullmatch(r"\d+(\.\d)?[km]?", text) for text in texts), texts
    assert any(text.endswith("k") for text in texts), texts
    for a, b in zip(labels["ticks"], labels["ticks"][1:]):  # none collides with its neighbour
        assert a["x"] + a["width"] / 2 + 4 <= b["x"] - b["width"] / 2, texts


def test_the_loss_legend_has_a_test_entry_only_with_test_data(open_page):
    page = open_page()
    entries = "pyodideWorker.jsdoc.get_model_by_name('loss-log').above[0].items.length"
    assert page.evaluate(entries) == 1  # the tutorial's three rows: no test data
    page.locator(".dataset-circle button").click()
    page.wait_for_function(f"{entries} == 2")


def test_the_learning_rate_lesson_draws_the_loss_up_to_the_explosion_and_marks_it(open_page):
    page = open_page("?lesson=learning-rate")
    page.get_by_role("button", name="Step 1", exact=True).click()
    expect(page.locator(".status .message")).to_contain_text("try 0.3")
    expect(page.locator(".lesson")).to_contain_text("to 0.3,")
    page.wait_for_function(f"pyodideWorker.jsdoc.get_model_by_name('loss-stop').data.text[0] == {STOP_TEXT!r}")
    assert bokeh_data(page, "loss-stop", "x1") == [1]
    assert bokeh_data(page, "loss-history", "epoch") == [0]
    save_screenshot(page, "loss-exploded.png")
    page.locator(".setting-learning_rate input").fill("0.3")
    page.locator(".setting-learning_rate input").press("Enter")
    page.get_by_role("button", name="↺ Reset").click()
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('loss-stop').data.text.length == 0")
    page.get_by_role("button", name="Step 100").click()
    expect(page.locator(".epoch").first).to_have_text("100")
    expect(page.locator(".status .message")).to_have_count(0)  # trained, nothing went wrong


def test_editing_layers_stepping_opening_tabs_and_playing_log_no_console_warning(open_page):
    page = open_page("?dataset=circle", height=900)  # neuron maps and the decision map: images redrawn
    box = page.locator(".layer-size-1 input")
    box.fill("5")
    box.press("Enter")
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('neurons').data.x.length == 2 + 5 + 2 + 1")
    for count in (12, 14):  # a new layer has 2 neurons
        page.get_by_role("button", name="+ layer").click()
        page.wait_for_function(f"pyodideWorker.jsdoc.get_model_by_name('neurons').data.x.length == {count}")
    page.get_by_role("button", name="Step 10", exact=True).click()
    expect(page.locator(".epoch").first).to_have_text("10")
    for tab in ("Gradient check", "Export", "The maths of one step"):
        page.get_by_text(tab, exact=True).first.click()
        page.wait_for_function("pyodideWorker.jsdoc.is_idle")
    page.get_by_role("button", name="▶ Play").click()
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('loss-history').data.epoch.at(-1) > 500")
    page.get_by_role("button", name="❚❚ Pause").click()
    expect(page.get_by_role("button", name="▶ Play")).to_be_visible()
    page.wait_for_function("pyodideWorker.jsdoc.is_idle")
    assert page.guard.warnings == []  # the guard checks again after the test, with every message in


def test_pictures_of_the_graph_for_a_teacher_to_judge(open_page):
    page = open_page(width=1280, height=900)
    graph_shot(page, "graph-2-3-1.png")
    page = open_page("?dataset=three_clouds", width=1280, height=900)
    page.wait_for_function("pyodideWorker.jsdoc.is_idle")
    save_screenshot(page, "page-three-clouds.png")
    page = open_page("?dataset=circle", width=1920, height=1080)
    set_graph_scale(page, 1.6)
    page.wait_for_function("pyodideWorker.jsdoc.get_model_by_name('network-graph').height > 400")
    drawn = page.evaluate(LABEL_BOXES)
    assert min(circle["right"] - circle["left"] for circle in drawn["circles"]) >= 1.6 * 36 - 0.5
    assert not [(a, b) for i, a in enumerate(drawn["boxes"]) for b in drawn["boxes"][i + 1:] if overlap(a, b)]
    graph_shot(page, "graph-presenter-1920.png")
