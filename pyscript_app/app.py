"""The playground page, read left to right as TF Playground's: data → features → network → output.

``create_app()`` builds the store and the views and lays them out (``layout``); three modes
share the same views and run: ``"full"`` (the page), ``"embed"`` (compact, for a course page's
``<iframe>``) and ``"present"`` (a projector: big graph and chart, few controls). The same code
runs under ``panel serve`` and in the browser's Pyodide worker.
"""
from urllib.parse import parse_qs, urlencode

import panel as pn
import param
from bokeh.core.validation import silence
from bokeh.core.validation.warnings import EMPTY_LAYOUT
from panel.viewable import Viewer

from .backward_view import BackwardView
from .classroom import ClassroomPanel
from .compare import Comparison, start_comparison
from .code_panel import CodePanel
from .controls import ControlVisibility, LayerEditor, Settings, TrainingButtons
from .data_panel import OwnDataPanel
from .data_picker import DataPicker, FeaturePicker
from .digits_view import DATASET as DIGITS, DigitsPanel
from .export_view import ExportPanel
from .graph_view import NetworkGraph
from .layout import MODES, PAGE_CSS, PAGES, PlaygroundDesign, wrapping_row
from .lessons import LESSONS
from .loss_view import LossChart
from .map_view import DecisionMap
from .maths_view import GradientCheckView, MathsView
from .panels import (
    ConfusionMatrix, DataTable, LessonPanel, NetworkSummary, PredictionPanel, StatusLine, WeightEditor,
)
from .playground import Playground
from .replay_view import ReplayBar
from .runtime import after_page_linked
from .state import URL_SETTINGS, apply_query, settings_to_query
from .tour import STEPS as TOUR_STEPS, TOUR, Tour
from .words import DATASET_STORIES, label

# The heading takes the room it needs; the lesson menu sits at its right, or under it on a phone.
HEADER_CSS = """
:host { justify-content: space-between; }
.heading-column { flex: 1 1 420px; width: auto !important; min-width: 0 !important; }
"""
# Tab titles wrap onto a second line on a phone; a wide table scrolls inside its tab, not the page.
TABS_CSS = """
.bk-header { flex-wrap: wrap; }
:host { overflow-x: auto; min-width: 0 !important; max-width: 100%; }
"""
PRESENT_GRAPH_SCALE = 2.2  # the presenter's graph, against the page's
PRESENT_CHART_HEIGHT = 460  # pixels: the loss chart beside it on a 1920 × 1080 projector
TOOLS = ("The maths of one step", "Gradient check", "Digits", "Your data", "Your Python", "Export")


class PageHeading(Viewer):
    """The heading and one line under it: the lesson's, or the dataset's."""

    playground = param.ClassSelector(class_=Playground)

    def __init__(self, **params):
        super().__init__(**params)
        self.pane = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["page-heading"], margin=(0, 8))
        self._write()
        self.playground.settings.param.watch(self._write, ["lesson", "dataset"])

    def _write(self, *events):
        self.pane.object = heading_html(self.playground.settings)

    def __panel__(self):
        return self.pane


def heading_html(settings):
    """The page's heading for ``settings``: the lesson's title and text, or the dataset's story."""
    if settings.lesson:
        title, _, text = LESSONS[settings.lesson]
        line = text
    else:
        title, line = DATASET_STORIES.get(settings.dataset, (label("dataset", settings.dataset), ""))
    return (f"<div class='brand'>Backprop Playground</div><h1>{title}</h1>"
            f"<div class='story'>{line}</div>")


def create_app(embed=False, mode=None):
    """The whole page as a Panel layout in ``mode`` ("full", "embed" or "present").

    The returned layout carries ``playground`` (the store) and ``set_mode(mode)``, which lays
    the page out again for another mode without losing the run (``set_embed(flag)`` too).
    """
    pn.extension(raw_css=[PAGE_CSS], notifications=False, design=PlaygroundDesign)
    # Tabs and charts made when first opened wait in empty columns: Bokeh need not warn of them.
    silence(EMPTY_LAYOUT, True)
    playground = Playground()
    visibility = ControlVisibility(playground=playground)
    graph = NetworkGraph(playground=playground)
    loss = LossChart(playground=playground)
    status = StatusLine(playground=playground)
    buttons = TrainingButtons(playground=playground)
    settings = Settings(playground=playground, visibility=visibility)
    heading = PageHeading(playground=playground)
    present_button = pn.widgets.Button(name="Present", width=110, css_classes=["present"], margin=(4, 4),
                                       description="A view for a projector: big graph and chart, few controls")
    keys_button = pn.widgets.Button(name="⌨ Keys", width=90, css_classes=["keys"], margin=(4, 4),
                                    description="Keyboard shortcuts: Space plays, S steps, R resets, ? shows them")
    tour_button = pn.widgets.Button(name="▶ Walk through the tutorial", width=230, css_classes=["start-tour"],
                                    margin=(4, 4), button_type="primary", button_style="outline",
                                    description="The tutorial 'Build a Neural Network', step by step, with its numbers")
    leave_button = pn.widgets.Button(name="✕ Leave presenter view", width=200, css_classes=["leave-present"],
                                     margin=(4, 4))
    layers = LayerEditor(playground=playground)
    classroom = ClassroomPanel(playground=playground, graph_height=graph.height)
    graph.param.watch(lambda event: setattr(classroom, "graph_height", event.new), ["height"])
    settings.more_toggle.param.watch(lambda event: setattr(layers, "show_activations", event.new), ["value"])
    lesson_picker = visibility.register("lesson", pn.widgets.Select.from_param(
        playground.settings.param.lesson, name="Lesson", width=230, css_classes=["setting-lesson"],
        options={"(none)": "", **{title: name for name, (title, _, _) in LESSONS.items()}}))
    lesson_panel = LessonPanel(playground=playground)
    visibility.register("importance", lesson_panel.button)
    decision = DecisionMap(playground=playground)
    # The teacher may hide the map; it hides itself for data without two inputs.
    map_column = visibility.register("decision_map", pn.Column(decision, sizing_mode="stretch_width", margin=0))
    maths = MathsView(playground=playground, graph=graph)
    tools = LazyTabs(makers=[(TOOLS[0], lambda: maths),
                             (TOOLS[1], lambda: GradientCheckView(playground=playground)),
                             (TOOLS[2], lambda: DigitsPanel(playground=playground)),
                             (TOOLS[3], lambda: OwnDataPanel(playground=playground)),
                             (TOOLS[4], lambda: CodePanel(playground=playground)),
                             (TOOLS[5], lambda: ExportPanel(playground=playground))])
    tools.tabs.param.watch(lambda event: setattr(maths, "active", event.new == 0), ["active"])
    # Choosing the digits (or opening ?dataset=digits) opens their tab: the pad is where to ask the network.
    playground.settings.param.watch(lambda event: event.new == DIGITS and tools.open(TOOLS[2]), ["dataset"])
    sample_picker = pn.widgets.IntInput(name="Values for training sample", start=1, width=170, value=1,
                                        css_classes=["sample-picker"])
    _follow_samples(playground, sample_picker)
    weight = WeightEditor(graph=graph)
    tour = Tour(playground=playground, open_tab=tools.open, show_importance=lesson_panel.show_importance)
    tour_button.on_click(lambda event: tour.start(0))
    comparison = Comparison(playground=playground, chart=loss)
    # During the tour the tour sets the network: its text takes the settings' place above the graph.
    network_settings = pn.Column(settings, layers, sizing_mode="stretch_width", margin=0)
    tour.param.watch(lambda event: setattr(network_settings, "visible", event.new is None), ["step"])
    leaves = {
        "header": wrapping_row(pn.Column(heading, margin=0, css_classes=["heading-column"]),
                               pn.Column(lesson_picker, wrapping_row(present_button, keys_button), tour_button,
                                         margin=0, width=240), stylesheets=[HEADER_CSS]),
        "tour": tour,
        # After Play in the keyboard's order, though on the first screen: Play is a few Tab presses away.
        "links": tools.shortcuts(),
        "present_header": wrapping_row(heading, leave_button, stylesheets=[HEADER_CSS]),
        "status": status.pane,
        "buttons": buttons,
        "settings": network_settings,
        "graph": pn.Column(NetworkSummary(playground=playground), graph, graph.key,
                           BackwardView(playground=playground, graph=graph), sizing_mode="stretch_width", margin=0),
        "extras": pn.Column(ReplayBar(playground=playground), wrapping_row(sample_picker, weight), comparison,
                            lesson_panel, sizing_mode="stretch_width", margin=0),
        "data": pn.Column(pn.pane.HTML("<h2>Data</h2>", margin=(0, 5)), DataPicker(playground=playground),
                          settings.data_settings(), sizing_mode="stretch_width", margin=0),
        "features": visibility.register("features", pn.Column(
            pn.pane.HTML("<h2>Features</h2>", margin=(0, 5)), FeaturePicker(playground=playground),
            width=96, margin=0)),
        "more": settings.more,
        "teacher": classroom,
        "loss": loss,
        "output": pn.Column(map_column, ConfusionMatrix(playground=playground).pane,
                            visibility.register("prediction", pn.Column(PredictionPanel(playground=playground),
                                                                        sizing_mode="stretch_width", margin=0)),
                            visibility.register("data_table", pn.Column(DataTable(playground=playground),
                                                                        sizing_mode="stretch_width", margin=0)),
                            sizing_mode="stretch_width", margin=0),
        "tools": tools,
    }
    page = pn.Column(sizing_mode="stretch_width", css_classes=["playground"], margin=0)
    view = PageMode(mode=mode or ("embed" if embed else "full"))

    def lay_out(*events):
        # One view can only sit in one place: empty the page before laying it out again.
        page.objects = []
        maths.active = view.mode == "full" and tools.tabs.active == 0
        objects, stylesheets = PAGES[view.mode](leaves)
        page.param.update(objects=objects, stylesheets=stylesheets, css_classes=["playground", f"mode-{view.mode}"])
        presenting = view.mode == "present"
        buttons.presenting = presenting
        # Read from the back of a classroom: thick synapses, big type, a chart as tall as the graph.
        graph.scale = PRESENT_GRAPH_SCALE if presenting else 1.0
        loss.param.update(scale=1.8 if presenting else 1.0, height=PRESENT_CHART_HEIGHT if presenting else 200)
        for pane, name in ((status.pane, "status"), (heading.pane, "page-heading")):
            pane.css_classes = [name, "big"] if presenting else [name]

    view.param.watch(lay_out, ["mode"])
    present_button.on_click(lambda event: setattr(view, "mode", "present"))
    leave_button.on_click(lambda event: setattr(view, "mode", "full"))
    lay_out()
    page.playground = playground  # for tests and the console
    page.tools = tools
    page.view = view
    page.tour = tour
    page.comparison = comparison
    page.network_settings = network_settings
    page.set_mode = lambda mode: setattr(view, "mode", mode)
    page.set_embed = lambda flag: page.set_mode("embed" if flag else "full")
    return page


class PageMode(param.Parameterized):
    """How the page is laid out; the address says it too (``?embed=1``, ``?present=1``)."""

    mode = param.Selector(default="full", objects=list(MODES))


def _follow_samples(playground, picker):
    """The sample picker chooses which training sample the graph's neuron values are for."""
    def follow_data(*events):
        picker.end = len(playground.experiment.network.X_train)
        picker.value = min(picker.value or 1, picker.end)

    picker.param.watch(lambda event: setattr(playground, "sample_index", (event.new or 1) - 1), ["value"])
    playground.param.watch(follow_data, ["structure"])
    follow_data()


class LazyTabs(Viewer):
    """Tabs, each made by its function the first time it is opened: the page starts sooner.

    The tab open at the start is made once the page answers clicks: it sits below the playground.
    makers : list of (title, function returning the tab's contents)
    """

    makers = param.List(item_type=tuple)

    def __init__(self, **params):
        super().__init__(**params)
        # A tab wider than a phone (a wide table, a long formula) scrolls inside itself, not the page.
        self._holders = [pn.Column(sizing_mode="stretch_width", styles={"overflow-x": "auto", "max-width": "100%"},
                                   stylesheets=[":host { min-width: 0 !important; }"]) for _ in self.makers]
        self.tabs = pn.Tabs(*[(title, holder) for (title, _), holder in zip(self.makers, self._holders)],
                            dynamic=True, sizing_mode="stretch_width", css_classes=["tools"], name="tools",
                            stylesheets=[TABS_CSS])
        self._made = set()
        self._holders[self.tabs.active].objects = [
            pn.pane.HTML("<i>Coming up as soon as Python is ready…</i>", margin=(10, 15))]
        after_page_linked(lambda: self._fill(self.tabs.active))
        self.tabs.param.watch(lambda event: self._fill(event.new), ["active"])

    @property
    def titles(self):
        return [title for title, _ in self.makers]

    def open(self, title):
        """Show the tab called ``title`` (made now if it is new)."""
        self.tabs.active = self.titles.index(title)

    def shortcuts(self):
        """A line of links, one per tab: each opens its tab, and site/page.js scrolls the page to it."""
        links = []
        for title in self.titles:
            link = pn.widgets.Button(name=title, button_type="light", css_classes=["tool-link"], margin=(0, 2),
                                     height=28)
            link.on_click(lambda event, title=title: self.open(title))
            links.append(link)
        return wrapping_row(pn.pane.HTML("Under the playground:", margin=(6, 4, 0, 8), css_classes=["tool-links-label"]),
                            *links, css_classes=["tool-links"])

    def _fill(self, index):
        if index not in self._made:
            self._made.add(index)
            self._holders[index].objects = [self.makers[index][1]()]

    def __panel__(self):
        return self.tabs


def wants_mode(search):
    """The page's mode from its address's query: "embed" (``?embed=1``), "present" (``?present=1``) or "full"."""
    query = parse_qs(search.lstrip("?"))
    for mode in ("embed", "present"):
        values = query.get(mode, [])
        if values and values[-1] not in ("0", "false", "no", ""):
            return mode
    return "full"


def wants_embed(search):
    """True when a page address's query (``?embed=1``) asks for the compact page."""
    return wants_mode(search) == "embed"


def query_of(search):
    """``{name: text}`` of an address's query; blank values count ("hidden_sizes=": no hidden layer)."""
    return {name: values[-1] for name, values in parse_qs(search.lstrip("?"), keep_blank_values=True).items()}


def create_page():
    """The page for ``.servable()``: the settings of the address (``?dataset=circle&...``),
    in the mode it asks for; the address then follows the settings."""
    location = pn.state.location
    search = location.search if location else ""
    mode = wants_mode(search)
    page = create_app(mode=mode)
    settings = page.playground.settings
    query = query_of(search)
    messages = apply_query(settings, query)
    messages += start_comparison(page.comparison, query)
    messages += start_tour(page.tour, query)
    if messages:
        page.playground.message = " ".join(messages)
    if location:
        def write_address(*events):
            mode = page.view.mode
            query = {**settings_to_query(settings), **({mode: "1"} if mode != "full" else {})}
            if page.comparison.change is not None:
                query["compare"] = ":".join(page.comparison.change)
            if page.tour.step is not None:
                query.update(tour=TOUR, step=str(page.tour.step + 1))
            location.search = "?" + urlencode(query)

        settings.param.watch(write_address, URL_SETTINGS)
        page.view.param.watch(write_address, ["mode"])
        page.tour.param.watch(write_address, ["step"])
        page.comparison.param.watch(write_address, ["other"])
    return page


def start_tour(tour, query):
    """Open the tour a link asks for (``?tour=tutorial&step=5``); a plain message for what was refused."""
    name, step = query.get("tour"), query.get("step", "1")
    if not name:
        return []
    if name != TOUR:
        return [f"Ignored tour={name[:30]!r} in the link: the one tour is {TOUR!r}."]
    messages = []
    try:
        number = int(step)
    except ValueError:
        number = 0
    if not 1 <= number <= len(TOUR_STEPS):
        messages.append(f"Ignored step={step[:30]!r} in the link: the tour's steps go from 1 to {len(TOUR_STEPS)}; "
                        f"it starts at step 1.")
        number = 1
    tour.start(number - 1)
    return messages
