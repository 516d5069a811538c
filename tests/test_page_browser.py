"""The page as a teacher and a learner meet it, in headless Chromium: every width from a phone to
a projector, the iframe of a course page, the presenter view, the keyboard and screen readers."""
import pytest
from playwright.sync_api import expect

import build
from conftest import save_screenshot

pytestmark = pytest.mark.browser

WIDTHS = (360, 390, 420, 768, 1280, 1920)

# Everything a person reads or presses that is drawn too narrow for its text, or hidden by a box
# that clips it, or reaching past the page's right edge; walks into every shadow root.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const pageWidth = document.documentElement.clientWidth;
  const canvas = document.createElement("canvas").getContext("2d");
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0
    && getComputedStyle(el).visibility !== "hidden"; };
  const name = (el) => `${el.tagName.toLowerCase()} "${(el.innerText || el.value || "").trim().slice(0, 40)}"`;
  function clippers(el) {  // ancestors (across shadow roots) that cut off what overflows them
    const boxes = [];
    let node = el.parentNode;
    while (node) {
      if (node.nodeType === 11) { node = node.host; continue; }
      if (node.nodeType !== 1 || node === document.body || node === document.documentElement) break;
      const style = getComputedStyle(node);
      if (/hidden|clip/.test(style.overflowX) || /hidden|clip/.test(style.overflowY)) boxes.push(node);
      node = node.parentNode;
    }
    return boxes;
  }
  function check(el) {
    if (!shown(el)) return;
    const tag = el.tagName;
    const box = el.getBoundingClientRect();
    if (box.right > pageWidth + 1) problems.push(`${name(el)} reaches ${Math.round(box.right)} px on a ${pageWidth} px page`);
    if (tag === "BUTTON" || tag === "LABEL") {
      if (el.scrollWidth > el.clientWidth + 1) problems.push(`${name(el)} is cut off (${el.scrollWidth} > ${el.clientWidth})`);
    }
    if (tag === "SELECT" && el.selectedIndex >= 0) {
      const style = getComputedStyle(el);
      canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const text = canvas.measureText(el.options[el.selectedIndex].text).width;
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (text > room + 1) problems.push(`${name(el)}: "${el.options[el.selectedIndex].text}" needs ${Math.round(text)} px, has ${Math.round(room)}`);
    }
    for (const clipper of clippers(el)) {
      const outer = clipper.getBoundingClientRect();
      if (box.left < outer.left - 1 || box.right > outer.right + 1 || box.top < outer.top - 1 || box.bottom > outer.bottom + 1) {
        problems.push(`${name(el)} is clipped by ${clipper.tagName.toLowerCase()}.${clipper.className}`);
        break;
      }
    }
  }
  (function walk(root) {
    for (const el of root.querySelectorAll("button, select, label, input, textarea")) check(el);
    for (const el of root.querySelectorAll("*")) if (el.shadowRoot) walk(el.shadowRoot);
  })(document);
  if (document.documentElement.scrollWidth > pageWidth) {
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px on a ${pageWidth} px screen`);
  }
  return problems;
}"""

PLAY_BOX = """() => {
  let found = null;
  (function walk(root) {
    for (const el of root.querySelectorAll("*")) {
      if (!found && el.classList && el.classList.contains("play") && el.shadowRoot) found = el.shadowRoot.querySelector("button");
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  })(document);
  const box = found.getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, height: box.height, fontSize: parseFloat(getComputedStyle(found).fontSize)};
}"""


EPOCH_FONT_SIZE = """() => {
  let size = null;
  (function walk(root) {
    const epoch = root.querySelector(".epoch");
    if (epoch && size === null) size = parseFloat(getComputedStyle(epoch).fontSize);
    for (const el of root.querySelectorAll("*")) if (el.shadowRoot) walk(el.shadowRoot);
  })(document);
  return size;
}"""


def test_the_page_has_a_viewport_for_phones(open_page):
    page = open_page(width=390, height=844)
    assert page.locator('meta[name="viewport"]').get_attribute("content") == "width=device-width, initial-scale=1"


@pytest.mark.parametrize("query", ["", "?embed=1", "?dataset=three_clouds", "?dataset=digits"])
def test_no_text_is_cut_off_and_nothing_scrolls_sideways_at_any_width(open_page, query):
    page = open_page(query)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800 if width < 1000 else 1080})
        page.wait_for_timeout(300)  # BokehJS lays out again on the next frames
        problems = page.evaluate(LAYOUT_PROBLEMS)
        assert problems == [], f"at {width} px ({query or 'the full page'}): {problems}"


@pytest.mark.parametrize("width, height", [(360, 640), (390, 844), (768, 1024), (1280, 720), (1920, 1080)])
def test_play_is_inside_the_first_screen(open_page, width, height):
    page = open_page(width=width, height=height)
    box = page.evaluate(PLAY_BOX)
    assert 0 <= box["top"] and box["bottom"] <= height, f"Play at {box} on a {width} × {height} screen"
    save_screenshot(page, f"first-screen-{width}.png")


def test_on_a_phone_status_play_graph_and_loss_come_first(open_page):
    page = open_page(width=390, height=844)
    tops = page.evaluate("""() => {
      const tops = {};
      (function walk(root) {
        for (const el of root.querySelectorAll("*")) {
          for (const name of ["status", "buttons", "graph", "loss", "settings", "data"]) {
            if (el.classList && el.classList.contains(`leaf-${name}`)) tops[name] = el.getBoundingClientRect().top;
          }
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      })(document);
      return tops;
    }""")
    order = sorted(tops, key=tops.get)
    assert order[:4] == ["status", "buttons", "graph", "loss"], tops


def test_the_presenter_view_fills_a_projector_with_the_graph_the_chart_and_three_buttons(open_page):
    page = open_page("?present=1", width=1920, height=1080)
    for name in ("▶ Play", "Step 1", "↺ Reset"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Step 10", exact=True)).to_have_count(0)
    play = page.evaluate(PLAY_BOX)
    assert play["height"] >= 56 and play["fontSize"] >= 22
    for name in ("graph", "loss"):
        box = page.locator(f".leaf-{name}").bounding_box()
        assert box["width"] >= 600 and box["height"] >= 420 and box["y"] + 200 < 1080, (name, box)
    assert page.evaluate(EPOCH_FONT_SIZE) >= 36
    save_screenshot(page, "presenter-1920.png")
    page.get_by_role("button", name="✕ Leave presenter view").click()
    expect(page.get_by_role("button", name="Step 10", exact=True)).to_be_visible()
    page.wait_for_function("() => !location.search.includes('present')")


def test_the_present_button_opens_the_presenter_view_and_the_address_says_so(open_page):
    page = open_page()
    # Laying the same views out again for the projector can make Panel drop one stale patch
    # (it says so as a warning and draws the new layout); what the learner sees is checked here.
    page.guard.expected_warnings = ("Dropping a patch",)
    page.get_by_role("button", name="Present", exact=True).click()
    expect(page.get_by_role("button", name="✕ Leave presenter view")).to_be_visible()
    page.wait_for_function("location.search.includes('present=1')")


def epoch(page):
    return int(page.locator(".epoch").first.inner_text().replace(",", ""))


def wait_for_epoch_above(page, epochs, seconds=30):
    """Wait until the status line shows more than ``epochs`` epochs."""
    for _ in range(seconds * 10):
        if epoch(page) > epochs:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the epoch stayed at {epoch(page)}, not above {epochs}")


def test_keyboard_shortcuts_step_play_pause_reset_and_show_themselves(open_page):
    page = open_page()
    page.keyboard.press("s")
    expect(page.locator(".epoch").first).to_have_text("1")
    page.keyboard.press(" ")
    expect(page.get_by_role("button", name="❚❚ Pause")).to_be_visible()
    wait_for_epoch_above(page, 5)
    page.keyboard.press(" ")
    expect(page.get_by_role("button", name="▶ Play")).to_be_visible()
    page.keyboard.press("r")
    expect(page.locator(".epoch").first).to_have_text("0")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_contain_text("Step one epoch")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_have_count(0)


def focused_button_text(page):
    return page.evaluate("""() => {
      let el = document.activeElement;
      while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
      return el ? [el.tagName, el.textContent.trim(), getComputedStyle(el).outlineWidth, getComputedStyle(el).outlineStyle] : null;
    }""")


def test_play_is_within_eight_tab_presses_has_a_focus_ring_and_answers_space_again_and_again(open_page):
    page = open_page()
    for presses in range(1, 9):
        page.keyboard.press("Tab")
        tag, text, outline, style = focused_button_text(page)
        if text == "▶ Play":
            break
    assert text == "▶ Play", f"after 8 Tab presses the focus is on {tag} {text!r}"
    assert float(outline.removesuffix("px")) >= 2 and style != "none"
    page.keyboard.press(" ")
    expect(page.get_by_role("button", name="❚❚ Pause")).to_be_visible()
    page.wait_for_timeout(300)
    page.keyboard.press(" ")
    expect(page.get_by_role("button", name="▶ Play")).to_be_visible()
    stopped = epoch(page)
    page.keyboard.press(" ")
    expect(page.get_by_role("button", name="❚❚ Pause")).to_be_visible()
    wait_for_epoch_above(page, stopped)
    page.keyboard.press(" ")
    expect(page.get_by_role("button", name="▶ Play")).to_be_visible()


def test_play_changes_its_label_on_the_page_before_python_answers(open_page):
    page = open_page()
    # When the page's button first reads "Pause", the button's model still holds Python's label:
    # the page answered the click by itself.
    python_label = page.evaluate("""() => new Promise((resolve) => {
      let host = null;
      (function walk(root) {
        for (const el of root.querySelectorAll("*")) {
          if (!host && el.classList && el.classList.contains("play") && el.shadowRoot) host = el;
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      })(document);
      const model = [...pyodideWorker.jsdoc.all_models].find((m) => m.css_classes && m.css_classes.includes("play")
                                                              && m.label !== undefined);
      new MutationObserver(() => {
        if (host.shadowRoot.querySelector("button").textContent.includes("Pause")) resolve(model.label);
      }).observe(host.shadowRoot, {subtree: true, childList: true, characterData: true});
      host.shadowRoot.querySelector("button").click();
    })""")
    assert python_label == "▶ Play"
    expect(page.get_by_role("button", name="❚❚ Pause")).to_be_visible()
    page.get_by_role("button", name="❚❚ Pause").click()
    expect(page.get_by_role("button", name="▶ Play")).to_be_visible()


def test_ten_quick_clicks_on_step_train_ten_epochs(open_page):
    page = open_page()
    step = page.get_by_role("button", name="Step 1", exact=True)
    for _ in range(10):
        step.click(delay=10)
        page.wait_for_timeout(150)
    expect(page.locator(".epoch").first).to_have_text("10")


def test_ten_quick_taps_on_a_phone_train_ten_epochs(browser, site_url):
    from conftest import Guard, wait_until_interactive

    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    guard = Guard(page)
    page.goto(site_url)
    wait_until_interactive(page)
    step = page.get_by_role("button", name="Step 1", exact=True)
    for _ in range(10):
        step.tap()
        page.wait_for_timeout(100)
    expect(page.locator(".epoch").first).to_have_text("10")
    guard.check()
    context.close()


def test_more_settings_are_folded_away_and_the_page_remembers_them_open(open_page):
    page = open_page()
    optimizer = page.locator(".setting-optimizer select")
    expect(optimizer).to_be_hidden()
    page.get_by_text("More settings").click()
    expect(optimizer).to_be_visible()
    page.wait_for_function("localStorage.getItem('backprop-playground.more-settings-open') === 'true'")
    page.reload()
    from conftest import wait_until_interactive

    wait_until_interactive(page)
    expect(page.locator(".setting-optimizer select")).to_be_visible()


def test_menus_show_words_not_code_names(open_page):
    page = open_page("?dataset=three_clouds")
    page.get_by_text("More settings").click()
    texts = page.evaluate("""() => {
      const texts = [];
      (function walk(root) {
        for (const el of root.querySelectorAll("select option")) texts.push(el.textContent);
        for (const el of root.querySelectorAll("*")) if (el.shadowRoot) walk(el.shadowRoot);
      })(document);
      return texts;
    }""")
    for code in ("three_clouds", "binary_cross_entropy", "cross_entropy", "glorot", "sgd", "l2"):
        assert code not in texts
    assert {"Cross-entropy", "Glorot (Xavier)", "Stochastic gradient descent", "Tanh"} <= set(texts)


@pytest.mark.parametrize("query, hidden, shown", [
    ("", [".setting-n_samples", ".setting-noise", ".feature-button"], [".setting-test_ratio"]),
    ("?dataset=circle", [], [".setting-n_samples", ".setting-noise", ".feature-button"]),
    ("?dataset=digits", [".setting-n_samples", ".feature-button"], [".setting-test_ratio"]),
])
def test_only_the_controls_that_apply_to_the_data_are_shown(open_page, query, hidden, shown):
    page = open_page(query)
    for selector in hidden:
        expect(page.locator(selector).first).to_be_hidden()
    for selector in shown:
        expect(page.locator(selector).first).to_be_visible()


def test_the_heading_follows_the_dataset_and_the_lesson(open_page):
    page = open_page()
    expect(page.locator(".page-heading h1")).to_have_text("Hours studied and slept → test score")
    page.locator(".dataset-spiral button").click()
    expect(page.locator(".page-heading h1")).to_have_text("Two spirals")
    page.locator(".setting-lesson select").select_option(label="XOR needs a hidden layer")
    expect(page.locator(".page-heading h1")).to_have_text("XOR needs a hidden layer")


def test_the_page_has_no_serious_accessibility_problems(open_page, built_site):
    script = build.axe_script(build.default_cache())
    if not script.exists():
        pytest.fail(f"axe-core is missing at {script}; `python3 build.py test` fetches it first.")
    # axe-core is the test's script, not the site's: the site's own policy would refuse it.
    page = open_page(bypass_csp=True)
    page.add_script_tag(content=script.read_text())
    violations = page.evaluate("""async () => {
      const result = await axe.run(document, {resultTypes: ["violations"]});
      return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.help} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
    }""")
    assert violations == []


def test_screen_readers_get_a_summary_of_the_network(open_page):
    page = open_page()
    summary = page.locator(".network-summary")
    expect(summary).to_contain_text("2 inputs")
    expect(summary).to_contain_text("3 neurons")
    page.get_by_role("button", name="+ layer").click()
    expect(summary).to_contain_text("2 hidden layers")
