"""Classroom mode: a teacher ticks the controls to hide and gets the link, and an <iframe>
snippet, for exactly that view. The hidden controls are a setting like any other, so the
link carries them."""
from urllib.parse import urlencode

import panel as pn
import param

from .controls import LABELS
from .state import HIDEABLE, URL_SETTINGS, settings_to_query

PANEL_LABELS = {"prediction": "Prediction", "data_table": "Data table", "decision_map": "Decision map",
                "importance": "Input importance"}


class ClassroomPanel(param.Parameterized):
    playground = param.Parameter()

    def __init__(self, **params):
        super().__init__(**params)
        settings = self.playground.settings
        options = {PANEL_LABELS.get(name) or LABELS.get(name, "Hidden layers"): name for name in HIDEABLE}
        self.choices = pn.widgets.CheckBoxGroup.from_param(settings.param.hidden_controls, options=options,
                                                           name="Hide", css_classes=["hide-choices"])
        self.link = pn.widgets.TextInput(name="Link to this view", css_classes=["classroom-link"],
                                         sizing_mode="stretch_width")
        self.snippet = pn.widgets.TextAreaInput(name="Embed it in a course page", height=90,
                                                css_classes=["classroom-snippet"], sizing_mode="stretch_width")
        self.card = pn.Card(self.choices, self.link, self.snippet, title="Teacher: hide controls, share this view",
                            collapsed=True, sizing_mode="stretch_width", css_classes=["classroom"])
        self.update()
        settings.param.watch(lambda *events: self.update(), URL_SETTINGS)
        self.card.param.watch(lambda *events: self.update(), ["collapsed"])

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
        self.snippet.value = (f'<iframe src="{self.address(embed=True)}" width="720" height="640" '
                              'style="border:0" title="Backprop Playground"></iframe>')

    def view(self):
        return self.card
