"""The playground page: the network in the middle, controls on the left, loss and data on the right.

``create_app()`` builds the store and the views and lays them out; ``embed=True`` gives the
compact page for an ``<iframe>`` (graph, loss, step and play). The same code runs under
``panel serve`` and in the browser's Pyodide worker.
"""
from urllib.parse import parse_qs

import panel as pn

from .classroom import ClassroomPanel
from .code_panel import CodePanel
from .controls import Controls
from .data_panel import OwnDataPanel
from .digits_view import DATASET as DIGITS, DigitsPanel
from .export_view import ExportPanel
from .graph_view import LEGEND, NetworkGraph
from .loss_view import LossChart
from .map_view import DecisionMap
from .maths_view import GradientCheckView, MathsView
from .panels import ConfusionMatrix, DataTable, LessonPanel, PredictionPanel, StatusLine, WeightEditor
from .playground import Playground
from .replay_view import ReplayBar
from .runtime import after_page_linked
from .state import URL_SETTINGS, apply_query, settings_to_query

CSS = """
.status { font-size: 15px; }
.status .message { color: #b03a00; font-weight: 600; margin-top: 2px; }
.prediction .tutorial { color: #555; font-size: 12px; margin-top: 4px; }
.data-table { overflow-x: auto; }
.data-table table { border-collapse: collapse; font-size: 12px; }
.data-table th, .data-table td { padding: 2px 6px; border-bottom: 1px solid #ddd; text-align: right; }
.error { color: #b03a00; }
"""

INTRO = (
    "<h2 style='margin:0'>Backprop Playground</h2>"
    "<div style='color:#555'>Hours studied and slept → test score: the tutorial's 2-3-1 network. "
    "Press <b>Step</b> and watch each synapse follow its weight (blue +, orange −) and the loss fall.</div>"
)


def create_app(embed=False):
    """The whole page as a Panel layout; ``embed`` gives the compact iframe version.

    The returned layout carries ``playground`` (the store) and ``set_embed(flag)``, which
    swaps between the full and the compact page without losing the run.
    """
    pn.extension(raw_css=[CSS], notifications=False)
    playground = Playground()
    graph = NetworkGraph(playground=playground)
    loss = LossChart(playground=playground)
    controls = Controls(playground=playground)
    status = StatusLine(playground=playground)
    log_toggle = pn.widgets.Checkbox.from_param(loss.param.log_scale, name="log scale", css_classes=["log-toggle"])
    loss_column = pn.Column(loss.pane, log_toggle, sizing_mode="stretch_width")
    legend = pn.pane.HTML(LEGEND, sizing_mode="stretch_width", styles={"font-size": "12px", "color": "#555"})
    buttons = controls.training_buttons()
    lesson_panel = LessonPanel(playground=playground)
    controls.hideable("importance", lesson_panel.button)
    lesson = lesson_panel.view()
    sample_picker = controls.sample_picker()
    prediction = PredictionPanel(playground=playground).view()
    decision = DecisionMap(playground=playground)
    map_column = pn.Column(
        pn.pane.Bokeh(decision.figure, sizing_mode="stretch_width"),
        pn.widgets.Checkbox.from_param(decision.param.show_test, name="show test data", css_classes=["test-toggle"]),
        sizing_mode="stretch_width",
    )
    data = DataTable(playground=playground).view()
    replay = ReplayBar(playground=playground).view()
    maths = MathsView(playground=playground, graph=graph)
    # The learner's workbench under the playground: one tab at a time is drawn.
    tools = lazy_tabs([("The maths of one step", maths.view),
                       ("Gradient check", lambda: GradientCheckView(playground=playground).view()),
                       ("Digits", lambda: DigitsPanel(playground=playground).view()),
                       ("Your data", lambda: OwnDataPanel(playground=playground).view()),
                       ("Your Python", lambda: CodePanel(playground=playground).view()),
                       ("Export", lambda: ExportPanel(playground=playground).view())],
                      sizing_mode="stretch_width", css_classes=["tools"], name="tools")
    tools.param.watch(lambda event: setattr(maths, "active", event.new == 0), ["active"])
    # Choosing the digits (or opening ?dataset=digits) opens their tab: the pad is where to ask the network.
    digits_tab = tools._names.index("Digits")
    playground.settings.param.watch(lambda event: event.new == DIGITS and setattr(tools, "active", digits_tab),
                                    ["dataset"])
    page = pn.Column(sizing_mode="stretch_width", css_classes=["playground"])

    def set_embed(flag):
        # One figure can only sit in one place: empty the page before laying it out again.
        page.objects = []
        maths.active = not flag and tools.active == 0
        if flag:
            page.objects = [pn.Column(status.pane, buttons, graph.figure, loss_column,
                                      sizing_mode="stretch_width", max_width=700)]
            return
        left = pn.Column(controls.lesson_picker(), controls.data_settings(), controls.shape_editor(),
                         controls.model_settings(), ClassroomPanel(playground=playground).view(), width=320)
        weight = WeightEditor(graph=graph).input
        middle = pn.Column(buttons, status.pane, graph.figure, legend, replay, pn.Row(sample_picker, weight), lesson,
                           sizing_mode="stretch_width")
        confusion = ConfusionMatrix(playground=playground).pane
        right = pn.Column(loss_column, controls.hideable("decision_map", map_column), confusion,
                          controls.hideable("prediction", prediction), controls.hideable("data_table", data),
                          width=380)
        page.objects = [pn.pane.HTML(INTRO, sizing_mode="stretch_width"),
                        pn.Row(left, middle, right, sizing_mode="stretch_width"), tools]

    set_embed(embed)
    page.playground = playground  # for tests and the console
    page.set_embed = set_embed
    return page


def lazy_tabs(makers, **params):
    """Tabs, each made by its function the first time it is opened: the page starts sooner.

    The tab open at the start is made once the page answers clicks: it sits below the playground.
    makers : list of (title, function returning the tab's contents)
    """
    holders = [pn.Column(sizing_mode="stretch_width") for _ in makers]
    tabs = pn.Tabs(*[(title, holder) for (title, _), holder in zip(makers, holders)], dynamic=True, **params)
    made = set()

    def fill(index):
        if index not in made:
            made.add(index)
            holders[index].objects = [makers[index][1]()]

    holders[tabs.active].objects = [pn.pane.HTML("<i>Coming up as soon as Python is ready…</i>", margin=(10, 15))]
    after_page_linked(lambda: fill(tabs.active))
    tabs.param.watch(lambda event: fill(event.new), ["active"])
    return tabs


def wants_embed(search):
    """True when a page address's query (``?embed=1``) asks for the compact page."""
    values = parse_qs(search.lstrip("?")).get("embed", [])
    return bool(values) and values[-1] not in ("0", "false", "no", "")


def create_page():
    """The page for ``.servable()``: the settings of the address (``?dataset=circle&...``),
    full, or compact when it says ``?embed=1``; the address then follows the settings."""
    location = pn.state.location
    search = location.search if location else ""
    page = create_app(embed=wants_embed(search))
    settings = page.playground.settings
    query = {name: values[-1] for name, values in parse_qs(search.lstrip("?")).items()}
    messages = apply_query(settings, query)
    if messages:
        page.playground.message = " ".join(messages)
    if location:
        embed = {"embed": "1"} if wants_embed(search) else {}
        settings.param.watch(lambda *events: location.update_query(**settings_to_query(settings), **embed),
                             URL_SETTINGS)
    return page
