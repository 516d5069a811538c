"""Big, unreadable and foreign files, long pastes and typing, in headless Chromium: every one
gets an answer that names it, and nothing is cut or swapped silently."""
import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SMALL = "marker,a\n1,2\n3,4\n"


def open_tab(page):
    page.get_by_role("button", name="Your data").click()
    expect(page.locator(".csv-text textarea")).to_be_visible()


def upload(page, path):
    page.locator(".csv-upload input[type=file]").set_input_files(str(path))


def use_small_file(page, tmp_path):
    path = tmp_path / "small.csv"
    path.write_text(SMALL)
    upload(page, path)
    expect(page.locator(".csv-text textarea")).to_have_value(SMALL)
    page.get_by_role("button", name="Use this data").click()
    expect(page.locator(".csv-report")).to_contain_text("Training on small.csv: 2 rows")


@pytest.mark.parametrize("megabytes", [1, 10, 50])
def test_a_file_over_the_limit_is_named_with_its_size_and_the_limit_within_a_second(open_page, tmp_path, megabytes):
    page = open_page()
    open_tab(page)
    use_small_file(page, tmp_path)
    big = tmp_path / f"big-{megabytes}.csv"
    with open(big, "wb") as file:
        file.write(b"a,b\n")
        file.truncate(megabytes * 1_000_000)
    started = time.perf_counter()
    upload(page, big)
    report = page.locator(".csv-report")
    expect(report).to_contain_text(f"big-{megabytes}.csv is {megabytes:.1f} MB; the limit is 500 kB", timeout=5000)
    seconds = time.perf_counter() - started
    assert seconds < 1.0, f"the message took {seconds:.2f} s"
    expect(report).to_contain_text("Still training on small.csv.")
    expect(page.locator(".csv-text textarea")).to_have_value(SMALL)
    assert page.evaluate("pyodideWorker.jsdoc.get_model_by_name('neurons').data.input_label[0]") == "marker"


def test_a_file_that_cannot_be_read_is_named_and_the_data_in_use_stays(open_page, tmp_path):
    page = open_page()
    open_tab(page)
    use_small_file(page, tmp_path)
    locked = tmp_path / "locked.csv"
    locked.write_text("x,y\n1,2\n")
    # A file the browser was given but cannot read any more: chosen, then removed from the disk.
    page.locator(".csv-upload input[type=file]").evaluate("""(input, name) => {
        const file = new File(["x,y\\n1,2\\n"], name);
        Object.defineProperty(file, "text", { value: () => Promise.reject(new Error("the file was moved")) });
        const transfer = new DataTransfer(); transfer.items.add(file);
        input.files = transfer.files;
        input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
    }""", locked.name)
    report = page.locator(".csv-report")
    expect(report).to_contain_text("locked.csv (8 bytes) could not be read: the file was moved")
    expect(report).to_contain_text("Files up to 500 kB can be read. Still training on small.csv.")
    expect(page.locator(".csv-text textarea")).to_have_value(SMALL)


def test_a_latin1_file_after_another_is_named_itself_and_never_trained_on_silently(open_page, tmp_path):
    page = open_page()
    open_tab(page)
    one_row = tmp_path / "one_row.csv"
    one_row.write_text("a,b\n1,2\n")
    upload(page, one_row)
    expect(page.locator(".csv-text textarea")).to_have_value("a,b\n1,2\n")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("größe,gewicht\n1,2\n3,4\n".encode("latin-1"))
    upload(page, latin1)
    report = page.locator(".csv-report")
    expect(report).to_contain_text("latin1.csv is not UTF-8 text")
    expect(report).to_contain_text("CSV UTF-8")
    expect(report).to_contain_text("the box still holds one_row.csv")
    assert "one_row.csv is not" not in report.inner_text()


def test_a_121_kB_paste_is_kept_whole_and_a_paste_over_the_limit_is_refused_whole(open_page):
    page = open_page()
    open_tab(page)
    header = ",".join(f"c{i}" for i in range(31))
    text = header + "\n" + "".join(",".join(f"{(i * j) % 97}.{j:03d}" for j in range(31)) + "\n" for i in range(569))
    box = page.locator(".csv-text textarea")
    box.fill(text)
    expect(page.locator(".csv-report")).to_contain_text("569 rows: 30 inputs")
    assert len(box.input_value()) == len(text)
    box.evaluate("""(box) => {
        const transfer = new DataTransfer(); transfer.setData("text/plain", "x".repeat(600000));
        box.focus(); box.select();
        box.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, composed: true, cancelable: true }));
    }""")
    expect(page.locator(".csv-report")).to_contain_text("The pasted text is 600 kB; the limit is 500 kB, so none of it was pasted.")
    assert box.input_value() == text


def test_the_summary_follows_typing_without_leaving_the_box(open_page):
    page = open_page()
    open_tab(page)
    box = page.locator(".csv-text textarea")
    box.click()
    box.press("Control+a")
    box.press_sequentially("u,v,w\n1,2,3\n4,5,6\n7,8,9\n", delay=20)
    expect(page.locator(".csv-report")).to_contain_text("3 rows: 2 inputs (u, v) → 1 output (w)")
    assert page.evaluate("document.activeElement.tagName") != "BODY"  # the box kept the focus
