"""The guided tutorial in the real page: every step walked in Chromium, its numbers read off the
page and checked against the same steps walked by nn_core in CPython."""
import math

import pytest
from playwright.sync_api import expect

from conftest import save_screenshot
from pyscript_app.playground import Playground
from pyscript_app.tour import STEPS, Tour

pytestmark = pytest.mark.browser

READ_NUMBERS = "els => Object.fromEntries(els.map(el => [el.dataset.key, el.textContent]))"
# Up to the training run, the page's numbers are the engine's to the last digit shown; after it,
# 100,000 epochs of a WebAssembly exp may part from the native one in a late digit.
TRAINING = next(i for i, step in enumerate(STEPS) if step.title.startswith("Training"))


def walk_in_cpython():
    """[(numbers before the step's experiment, numbers after it or None)] for every step, walked in order."""
    tour = Tour(playground=Playground())
    walked = []
    for index, step in enumerate(STEPS):
        tour.start(index)
        before = dict(tour.numbers)
        if step.act:
            tour._act()
        walked.append((before, dict(tour.numbers) if step.act else None))
    return walked


def as_float(text):
    try:
        return float(text.replace(",", "").rstrip(" %"))
    except ValueError:
        return None


def assert_same_numbers(shown, expected, index):
    assert shown.keys() == expected.keys(), (STEPS[index].title, shown, expected)
    for key, text in shown.items():
        if index < TRAINING or as_float(text) is None:
            assert text == expected[key], (STEPS[index].title, key, text, expected[key])
        else:
            assert math.isclose(as_float(text), as_float(expected[key]), rel_tol=2e-2, abs_tol=1.5), \
                (STEPS[index].title, key, text, expected[key])


def shown_numbers(page):
    return page.locator(".tour-number").evaluate_all(READ_NUMBERS)


def wait_for_step(page, index):
    expect(page.locator(".tour-step")).to_have_text(str(index + 1), timeout=60_000)
    page.wait_for_function("() => pyodideWorker.jsdoc.is_idle")


def test_every_step_of_the_tour_shows_the_numbers_nn_core_computes(open_page):
    expected = walk_in_cpython()
    page = open_page()
    page.get_by_role("button", name="▶ Walk through the tutorial").click()
    for index, step in enumerate(STEPS):
        wait_for_step(page, index)
        before, after = expected[index]
        expect(page.locator(".tour-text")).to_contain_text(step.title)
        assert_same_numbers(shown_numbers(page), before, index)
        page.wait_for_function(f"() => location.search.includes('step={index + 1}')")
        if step.act:
            new_key = next(key for key in after if key not in before)  # what only the experiment's result shows
            page.get_by_role("button", name=step.action).click()
            expect(page.locator(f".tour-number[data-key='{new_key}']")).to_have_count(1, timeout=120_000)
            assert_same_numbers(shown_numbers(page), after, index)
        if index == 2:
            save_screenshot(page, "tour-step-3.png")
        if index < len(STEPS) - 1:
            page.get_by_role("button", name="Next →").click()
    expect(page.get_by_role("button", name="Next →")).to_be_disabled()
    page.get_by_role("button", name="✕ Leave the tour").click()
    expect(page.locator(".tour-text")).to_be_hidden()
    page.wait_for_function("() => !location.search.includes('tour=')")
    assert page.guard.warnings == []


def test_a_link_to_a_step_opens_it_set_up_and_back_goes_one_step_back(open_page):
    tour = Tour(playground=Playground())
    tour.start(8)  # the prediction: the tutorial trained first
    expected = dict(tour.numbers)
    page = open_page("?tour=tutorial&step=9", width=390, height=844)
    wait_for_step(page, 8)
    assert_same_numbers(shown_numbers(page), expected, 8)
    expect(page.locator(".epoch").first).to_have_text("100,000")
    page.get_by_role("button", name="← Back").click()
    wait_for_step(page, 7)
    expect(page.locator(".epoch").first).to_have_text("100,000")  # the network just trained stays
    save_screenshot(page, "tour-phone.png")
