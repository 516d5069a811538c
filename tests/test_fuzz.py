"""Hostile input, generated: link settings, CSV files and saved networks either load or give a message, never raise,
and what they say is shown as text, never as HTML."""
import functools
import html
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("panel")

from nn_core import Experiment, make_dataset, parse_csv  # noqa: E402
from pyscript_app.panels import StatusLine  # noqa: E402
from pyscript_app.playground import Playground  # noqa: E402
from pyscript_app.state import URL_SETTINGS, PlaygroundState, apply_query  # noqa: E402

NASTY_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "nan", "inf", "-1e400",
                     "1e999", "", " ", "0x10", "1,2,3", "9" * 50, "exam", "circle", "None", "true"]),
)
QUERIES = st.dictionaries(st.one_of(st.sampled_from(URL_SETTINGS + ["embed"]), st.text(max_size=12)), NASTY_TEXT,
                          max_size=8)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=QUERIES)
def test_any_link_either_applies_or_gives_plain_messages(query):
    state = PlaygroundState()
    messages = apply_query(state, query)
    assert all(isinstance(message, str) and message for message in messages)
    for name in URL_SETTINGS:
        state.param[name]._validate(getattr(state, name))  # every value left is a valid one


@settings(max_examples=1000, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab,;\t\n 0123456789.-eE\"'<>&nai")), max_size=120))
def test_any_csv_text_either_loads_or_raises_a_value_error(text):
    try:
        parse_csv(text)
    except ValueError as error:
        assert str(error)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=NASTY_TEXT)
def test_messages_reach_the_page_as_text_not_html(text):
    playground = Playground()
    status = StatusLine(playground=playground)
    playground.message = text
    if text:
        assert html.escape(text) in status.pane.object
    assert "<script" not in status.pane.object and "<img" not in status.pane.object


def _paths(value, path=()):
    """Every path to a value inside nested dicts and lists."""
    yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield from _paths(item, (*path, key))


SAVED = Experiment.build(make_dataset("circle", n_samples=12, seed=0), (2,), use_bias=True, test_ratio=0.25,
                         features=("x1", "x2²")).to_dict()
SAVED_PATHS = [path for path in _paths(SAVED) if path]
NASTY_VALUES = st.one_of(NASTY_TEXT, st.none(), st.booleans(), st.integers(-10**20, 10**20),
                         st.floats(allow_nan=True, allow_infinity=True), st.just([]), st.just({}),
                         st.just([[1.0, 2.0], [3.0]]), st.just(["a", "b"]))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(st.tuples(st.sampled_from(SAVED_PATHS), NASTY_VALUES), min_size=1, max_size=3))
def test_any_corrupted_saved_network_either_loads_or_raises_a_value_error(changes):
    saved = json.loads(json.dumps(SAVED))
    for path, value in changes:
        try:
            target = functools.reduce(lambda item, key: item[key], path[:-1], saved)
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this path
    try:
        Experiment.from_json(json.dumps(saved))
    except ValueError as error:
        assert str(error)
