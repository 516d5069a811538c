"""Your own data in headless Chromium: paste, upload, train on it, download it."""
import pytest
from conftest import bokeh_data, save_screenshot
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NEURONS = "pyodideWorker.jsdoc.get_model_by_name('neurons').data.x.length"
THREE_IN_TWO_OUT = "a,b,c,y1,y2\n" + "".join(f"{i},{i % 3},{(i * i) % 7},{0.5 * i},{(i * 3) % 5}\n" for i in range(8))


def open_tab(page):
    page.get_by_role("button", name="Your data").click()
    expect(page.locator(".csv-text textarea")).to_be_visible()


def paste(page, text):
    """Type CSV text into the panel's box; leaving the box hands it to Python."""
    box = page.locator(".csv-text textarea")
    box.fill(text)
    box.blur()


def test_a_link_to_own_data_says_it_has_none_and_a_bad_cell_is_named_inline(open_page):
    page = open_page("?dataset=csv&seed=4")
    expect(page.locator(".status .message")).to_contain_text("a link never carries your own data")
    expect(page.locator(".setting-seed input")).to_have_value("4")
    assert page.evaluate(NEURONS) == 6
    open_tab(page)
    paste(page, "a,b,y\n1,2,3\n4,five,6\n7,8,9\n")
    report = page.locator(".csv-report")
    expect(report).to_contain_text("line 3, column 'b': 'five' is not a number")
    page.get_by_role("button", name="Use this data").click()
    expect(report).to_contain_text("line 3, column 'b'")
    page.get_by_role("button", name="Step 1", exact=True).click()
    expect(page.locator(".epoch").first).to_have_text("1")
    assert page.evaluate(NEURONS) == 6 and bokeh_data(page, "neurons", "input_label")[:2] == ["hours studied", "hours slept"]


def test_three_inputs_and_two_targets_give_three_input_and_two_output_neurons_that_train(open_page):
    page = open_page(height=1000)
    open_tab(page)
    paste(page, THREE_IN_TWO_OUT)
    expect(page.locator(".csv-report")).to_contain_text("8 rows: 4 inputs (a, b, c, y1) → 1 output (y2)")
    page.locator(".csv-targets").get_by_text("y1", exact=True).click()
    expect(page.locator(".csv-report")).to_contain_text("8 rows: 3 inputs (a, b, c) → 2 outputs (y1, y2); regression")
    page.get_by_role("button", name="Use this data").click()
    page.wait_for_function(f"{NEURONS} == 3 + 8 + 2")  # the hidden layer chosen for a real table
    assert bokeh_data(page, "neurons", "input_label")[:3] == ["a", "b", "c"]
    expect(page.locator(".data-scaling")).to_contain_text("to mean 0, std 1: (y2 − 1.83333) ÷ 1.57233")  # fitted on the 6 training rows
    expect(page.locator(".epoch").first).to_have_text("0")
    loss = page.locator(".loss").first.inner_text()
    page.get_by_role("button", name="Step 10", exact=True).click()
    expect(page.locator(".epoch").first).to_have_text("10")
    assert page.locator(".loss").first.inner_text() != loss
    save_screenshot(page, "own-data-three-in-two-out.png")


def test_an_uploaded_file_is_read_and_used(open_page, tmp_path):
    page = open_page()
    open_tab(page)
    path = tmp_path / "classes.csv"
    path.write_text("x1,x2,kind\n" + "".join(f"{i},{i % 4},{i % 3}\n" for i in range(12)))
    page.locator(".csv-upload input[type=file]").set_input_files(str(path))
    expect(page.locator(".csv-text textarea")).to_have_value(path.read_text())
    expect(page.locator(".csv-report")).to_contain_text("classification, 3 classes")
    page.get_by_role("button", name="Use this data").click()
    page.wait_for_function(f"{NEURONS} == 2 + 8 + 3")


def test_the_download_holds_the_current_data(open_page, tmp_path):
    page = open_page()
    open_tab(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename == "playground-exam.csv"
    target = tmp_path / "data.csv"
    download.save_as(target)
    assert target.read_text() == "part,hours studied,hours slept,test score\ntrain,2,9,92\ntrain,1,5,86\ntrain,3,6,89\n"


def flowers(n_rows=150):
    """A real-looking table: 3 kinds, 4 columns in units from hundredths to thousands."""
    import numpy as np

    rng = np.random.default_rng(3)
    kinds = rng.integers(0, 3, n_rows)
    X = rng.normal(0, 1, (3, 4))[kinds] + rng.normal(0, 0.35, (n_rows, 4))
    X = X * np.array([0.01, 1.0, 100.0, 2000.0]) + np.array([0.05, 3.0, 400.0, 9000.0])
    return "petal,sepal,stem,leaf,kind\n" + "".join(
        ",".join(f"{value:.4f}" for value in row) + f",{kind}\n" for row, kind in zip(X, kinds))


def test_a_real_table_gets_settings_that_learn_it_and_the_old_ones_on_request(open_page):
    page = open_page(height=1000)
    open_tab(page)
    paste(page, flowers())
    expect(page.locator(".csv-report")).to_contain_text("150 rows: 4 inputs")
    page.get_by_role("button", name="Use this data").click()
    report = page.locator(".csv-report")
    expect(report).to_contain_text("Settings chosen for a real table: every column scaled to mean 0 and spread 1")
    page.wait_for_function(f"{NEURONS} == 4 + 8 + 3")
    expect(page.locator(".setting-learning_rate input")).to_have_value("0.01")
    page.get_by_role("button", name="Step 100", exact=True).click()
    expect(page.locator(".epoch").first).to_have_text("100", timeout=20_000)
    accuracy = page.locator(".test-accuracy").first
    expect(accuracy).to_be_visible()
    assert int(accuracy.inner_text().rstrip("%")) >= 90
    save_screenshot(page, "own-data-real-table.png")
    page.get_by_role("button", name="Keep my previous settings").click()
    expect(report).to_contain_text("with your previous settings")
    page.wait_for_function(f"{NEURONS} == 4 + 3 + 3")  # the tutorial's hidden layer again
    expect(page.locator(".setting-learning_rate input")).to_have_value("1")
    expect(page.get_by_role("button", name="Keep my previous settings")).to_be_hidden()
