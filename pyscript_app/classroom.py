"""Classroom mode: a teacher ticks the controls to hide and gets the link, and an <iframe>
snippet, for exactly that view. The hidden controls are a setting like any other, so the
link carries them.

The snippet sizes itself: the embedded page tells its course page how tall it is
(``site/loader.js`` posts ``{backpropPlaygroundHeight: pixels}``), and the few lines of
script in the snippet set the iframe's height from it, so no inner scroll bar appears.
"""
from urllib.parse import urlencode

import panel as pn
import param
from panel.viewable import Viewer

from .playground import Playground
from .state import HIDEABLE, settings_to_query
from .words import SETTING_LABELS

PANEL_LABELS = {"prediction": "Prediction", "data_table": "Data table", "decision_map": "Decision map",
                "importance": "Input importance"}
# The embedded page at 420-720 px: status, buttons and margins, and the loss chart under the graph.
EMBED_CHROME_PIXELS = 130
EMBED_LOSS_PIXELS = 260


def iframe_snippet(address, height):
    """An ``<iframe>`` of ``address`` and the script that keeps its height that of its content."""
    return (
        f'<iframe src="{address}" width="100%" height="{height}" style="border:0;max-width:760px" '
        'title="Backprop Playground" data-backprop-playground></iframe>\n'
        "<script>\n"
        'addEventListener("message", function (event) {\n'
        "  var height = event.data && event.data.backpropPlaygroundHeight;\n"
        "  if (!height) return;\n"
        '  document.querySelectorAll("iframe[data-backprop-playground]").forEach(function (frame) {\n'
        '    if (frame.contentWindow === event.source) frame.style.height = height + "px";\n'
        "  });\n"
        "});\n"
        "</script>"
    )


class ClassroomPanel(Viewer):
    playground = param.ClassSelector(class_=Playground, doc="The store whose settings are shared.")
    graph_height = param.Integer(380, doc="The graph's height in pixels, for the snippet's first height.")

    def __init__(self, **params):
        super().__init__(**params)
        settings = self.playground.settings
        options = {PANEL_LABELS.get(name) or SETTING_LABELS.get(name, name): name for name in HIDEABLE}
        self.choices = pn.widgets.CheckBoxGroup.from_param(settings.param.hidden_controls, options=options,
                                                           name="Hide", css_classes=["hide-choices"], inline=True)
        self.link = pn.widgets.TextInput(name="Link to this view", css_classes=["classroom-link"],
                                         sizing_mode="stretch_width")
        self.snippet = pn.widgets.TextAreaInput(name="Embed it in a course page", height=170,
                                                css_classes=["classroom-snippet"], sizing_mode="stretch_width")
        self.copy_link = self._copy_button("Copy the link", "classroom-link")
        self.copy_snippet = self._copy_button("Copy the snippet", "classroom-snippet")
        self.card = pn.Card(pn.pane.HTML("<b>Hide these controls</b>"), self.choices, self.link, self.copy_link,
                            self.snippet, self.copy_snippet, title="Teacher: share or embed",
                            collapsed=True, sizing_mode="stretch_width", css_classes=["classroom"],
                            stylesheets=[":host { min-width: 0 !important; }"])
        self.update()
        settings.param.watch(lambda *events: self.update(), list(settings.param))
        self.card.param.watch(lambda *events: self.update(), ["collapsed"])

    @staticmethod
    def _copy_button(name, box_class):
        """A button that copies the text of the box with CSS class ``box_class`` (site/page.js copies it)."""
        return pn.widgets.Button(name=name, width=160, css_classes=["copy-button", f"copies-{box_class}"])

    def address(self, embed=False):
        """The page's address with every setting that differs from its preset."""
        location = pn.state.location
        base = location.href.split("?")[0] if location is not None and location.href else "index.html"
        query = settings_to_query(self.playground.settings)
        if embed:
            query["embed"] = "1"
        return f"{base}?{urlencode(query)}"

    def update(self):
        # A collapsed card's inputs are not drawn in the page, and BokehJS fails to set a value
        # on an input it never drew: fill them in when the card opens.
        if self.card.collapsed:
            return
        self.link.value = self.address()
        height = EMBED_CHROME_PIXELS + self.graph_height + EMBED_LOSS_PIXELS
        self.snippet.value = iframe_snippet(self.address(embed=True), height)

    def __panel__(self):
        return self.card
