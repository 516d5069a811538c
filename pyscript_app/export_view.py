"""Take the network away, and bring it back: download it as a NumPy script, a notebook or a saved
network (JSON), and upload a saved network to go on where it was left.

Each download is made when its button is clicked, from the network as it is at that moment.
"""
import html
import io

import panel as pn
import param
from panel.viewable import Viewer

from nn_core.export import check_exportable, file_name, to_notebook, to_script

from .playground import Playground


INTRO = ("<b>Take it with you</b>: the trained network as Python that needs only NumPy, as a notebook, "
         "or as a file this page loads again.")


class ExportPanel(Viewer):
    playground = param.ClassSelector(class_=Playground, doc="The store whose network is saved and loaded.")

    def __init__(self, **params):
        super().__init__(**params)
        self.downloads = [
            self._download("Python script (.py)", "py", to_script, "export-script"),
            self._download("Notebook (.ipynb)", "ipynb", to_notebook, "export-notebook"),
            self._download("Network (.json)", "json", lambda experiment: self.playground.network_json(),
                           "export-json"),
        ]
        self.note = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["export-note"])
        self.upload = pn.widgets.FileInput(accept=".json", css_classes=["export-upload"], width=250)
        # The same file twice is two requests to load it.
        self.upload.param.watch(self._on_upload, ["value"], onlychanged=False)
        self.update()

    @param.depends("playground.structure", watch=True)
    def update(self):
        """The script and the notebook need NumPy code for every part of the network; say when they can't."""
        try:
            check_exportable(self.playground.experiment)
            reason = ""
        except ValueError as error:
            reason = f"No script or notebook: {error}"
        for button in self.downloads[:2]:
            button.disabled = bool(reason)
        self.note.object = f"<span class='error'>{html.escape(reason)}</span>" if reason else ""

    def _download(self, label, extension, write, css_class):
        """A button that writes the current network with ``write(experiment) -> str`` when clicked."""
        button = pn.widgets.FileDownload(label=label, filename=f"network.{extension}", embed=False,
                                         button_type="primary", button_style="outline", width=190,
                                         css_classes=[css_class])

        def callback():
            experiment = self.playground.live_experiment()
            button.filename = file_name(experiment, extension)
            return io.StringIO(write(experiment))

        button.callback = callback
        return button

    def _on_upload(self, event):
        content = event.new
        if not content:
            return
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            self.playground.message = "Not loaded: the file is not text (UTF-8). Pick a .json file saved by this page."
            return
        self.playground.load_network(text)

    def __panel__(self):
        return pn.Column(
            pn.pane.HTML(INTRO, sizing_mode="stretch_width"),
            pn.Row(*self.downloads),
            self.note,
            pn.Row(pn.pane.HTML("<b>Load a saved network</b> (.json):", margin=(12, 5)), self.upload),
            sizing_mode="stretch_width", css_classes=["export"],
        )
