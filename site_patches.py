"""Small edits to Bokeh's and Panel's wheels, so that the site can leave out pandas (7 MB),
never names a CDN and starts sooner, and two to BokehJS.

Bokeh and Panel import pandas in a few places that run even when no DataFrame is in sight:
a ColumnDataSource made from a dict, the check for date and time values, and Panel's patch of
pandas.read_csv in Pyodide. Each edit below makes pandas (and narwhals, which Bokeh uses to
read DataFrames) optional there. Every edit must apply exactly once: after a version bump the
build stops, rather than ship a wheel that imports a missing package.

BokehJS draws an image (the decision map, the maps inside neurons) by reading its canvas back
with getImageData on every update, without telling the browser it will: Chromium then warns
"Multiple readback operations using getImageData are faster with the willReadFrequently
attribute set to true" for every map while training. ``STATIC_PATCHES`` says it.

BokehJS also counts every model that arrives from Python as new to Python: the first message
the page sends about one (a click on a button Python has just put in a tab) then carries the
whole model, and Python warns "BokehUserWarning: reference already known". A model that came
from Python is known there; ``STATIC_PATCHES`` stops BokehJS from counting it as new.

At the page's start Panel imported widgets and panes it never shows, and Bokeh worked out,
for every property of every model made, answers fixed by the model's class. ``LAZY_WIDGETS``
and ``LAZY_PANES`` are imported on first use; the answers are cached per class.

Panel and Bokeh name their CDNs as the home of their stylesheets and scripts, and Panel falls
back to its CDN whenever it makes a component's stylesheets without a document at hand (for
example when a pane in a hidden tab changes; the tab's stylesheets then asked the CDN once it was
shown again). In the site's wheels both homes are the site's own folders, from the moment Panel
and Bokeh are imported, so no path, early or late, can resolve a CDN address.
"""
import sys

from site_builder import rewrite_wheel, static_folder


def optional_pandas(indent, extra=""):
    """``import pandas as pd`` (+ ``extra`` lines) that, without pandas, gives a ``pd`` whose
    Series, DataFrame and Index are a type no value has: every isinstance test says no."""
    pad = " " * indent
    lines = ["try:", "    import pandas as pd", *(f"    {line}" for line in extra.splitlines()),
             "except ImportError:  # the site ships no pandas: no value is a pandas one",
             "    class pd:", '        Series = DataFrame = Index = type("NoPandas", (), {})',
             *(f"    {line.split(' import ')[1]} = pd.Series" for line in extra.splitlines())]
    return "".join(f"{pad}{line}\n" for line in lines)


LAZY_PANEL_MODULES = """

def __getattr__(name):  # the site's Panel imports these on first use (site_patches.py)
    import importlib
    if name in ("template", "chat"):
        return importlib.import_module(f"panel.{name}")
    if name == "Template":
        return importlib.import_module("panel.template").Template
    raise AttributeError(f"module 'panel' has no attribute {name!r}")
"""

# Widgets and panes the page never shows, by module: their imports cost about 0.1 s of the
# page's start. They stay in the wheel; ``panel.widgets.Terminal`` still imports its module
# on first use (``lazy_names``). Only the panes imported are tried when Panel wraps an object
# (``pn.panel``): the page passes it text and Bokeh figures, never a Plotly figure or a VTK scene.
LAZY_WIDGETS = {"codeeditor": ["CodeEditor"], "debugger": ["Debugger"], "file_selector": ["FileSelector"],
                "speech_to_text": ["Grammar", "GrammarList", "SpeechToText"], "terminal": ["Terminal"],
                "text_to_speech": ["TextToSpeech", "Utterance", "Voice"], "texteditor": ["TextEditor"]}
LAZY_PANES = {"deckgl": ["DeckGL"], "echarts": ["ECharts"], "ipywidget": ["IPyLeaflet", "IPyWidget", "Reacton"],
              "perspective": ["Perspective"], "plotly": ["Plotly"], "streamz": ["Streamz"], "textual": ["Textual"],
              "vega": ["Vega"], "vizzu": ["Vizzu"], "vtk": ["VTK", "VTKVolume"]}


def lazy_names(package, modules):
    """A module ``__getattr__`` for ``package``'s ``__init__``: each name of ``modules``
    ({module: [names]}) is imported from its module on first use."""
    homes = {name: module for module, names in modules.items() for name in names}
    return (f"\n\n_LAZY = {homes!r}\n\n\n"
            "def __getattr__(name):  # imported on first use (site_patches.py)\n"
            "    import importlib\n"
            "    if name in _LAZY:\n"
            f"        return getattr(importlib.import_module(f\".{{_LAZY[name]}}\", {package!r}), name)\n"
            f"    raise AttributeError(f\"module {package!r} has no attribute {{name!r}}\")\n")


def lazy_imports(package, modules):
    """The edits of ``package``'s ``__init__.py`` that leave ``modules`` ({module: [names]}) to
    ``lazy_names``: each ``from .module import names`` line goes; the last one becomes the function."""
    lines = [f"from .{module} import {', '.join(names)}  # noqa\n" for module, names in modules.items()]
    return [(line, "") for line in lines[:-1]] + [(lines[-1], lazy_names(package, modules))]


PATCHES = {
    "bokeh": {
        # A dict is taken as it is; pandas and narwhals only for a DataFrame or a GroupBy.
        "bokeh/models/sources.py": [(
            "        import narwhals.stable.v1 as nw\n        import pandas as pd\n\n"
            "        if not isinstance(raw_data, dict):\n",
            "        if not isinstance(raw_data, dict):\n"
            "            import narwhals.stable.v1 as nw\n            import pandas as pd\n",
        ), (  # Streaming (the loss chart does) accepts Series and DataFrames too.
            "        import pandas as pd\n\n        needs_length_check = True\n",
            optional_pandas(8) + "\n        needs_length_check = True\n",
        )],
        "bokeh/document/events.py": [(
            "        import pandas as pd\n        if isinstance(data, pd.DataFrame):\n",
            optional_pandas(8) + "        if isinstance(data, pd.DataFrame):\n",
        )],
        # A figure's ranges may be a Series or a GroupBy.
        "bokeh/plotting/_plot.py": [(
            "    import pandas as pd\n    from pandas.core.groupby import GroupBy\n\n    if range_input is None:\n",
            optional_pandas(4, "from pandas.core.groupby import GroupBy") + "\n    if range_input is None:\n",
        )],
        # xyzservices reads its 1.4 MB list of map tile providers when imported; only add_tile,
        # which the page never calls, needs it.
        "bokeh/models/plots.py": [
            ("\nimport xyzservices\n", "\n"),
            ("        if not isinstance(tile_source, TileSource):\n\n",
             "        if not isinstance(tile_source, TileSource):\n            import xyzservices\n\n"),
        ],
        # What a model's defaults are, and which of them must be made afresh for each model, are
        # fixed when its class is made; Bokeh worked both out again for every property of every
        # model made (17,000 walks of a class's ancestors at start). Now once per class, cached
        # the way Bokeh caches a class's properties: about 0.1 s less at start.
        "bokeh/core/has_props.py": [(
            "        for name in self.properties(_with_props=True): # avoid set[] for deterministic behavior\n"
            "            if name in initialized:\n"
            "                continue\n"
            "            desc = self.lookup(name)\n"
            "            if desc.has_unstable_default(self):\n"
            "                desc._get(self) # this fills-in `_unstable_*_values`\n",
            "        for name in self._unstable_defaults():  # once per class (site_patches.py)\n"
            "            if name not in initialized:\n"
            "                self.lookup(name)._get(self) # this fills-in `_unstable_*_values`\n",
        ), (
            "    @classmethod\n    def _overridden_defaults(cls) -> dict[str, Any]:\n",
            "    @classmethod\n    @lru_cache(None)\n    def _unstable_defaults(cls) -> list[str]:\n"
            "        return [name for name in cls.properties(_with_props=True) if cls.lookup(name).has_unstable_default(cls)]\n\n"
            "    @classmethod\n    @lru_cache(None)\n    def _overridden_defaults(cls) -> dict[str, Any]:\n",
        )],
        # BokehJS's own scripts, wherever Python asks for them: the site's copy (static_files names them so).
        "bokeh/resources.py": [(
            '        return f"{base_url}/{container}/" + mk_filename(comp, kind)\n',
            f'        return "./{static_folder("bokeh")}" + mk_filename(comp, kind)  # the site\'s copy\n',
        )],
        # Date and time types: pandas' own are added when pandas is there.
        "bokeh/util/serialization.py": [(
            "    import pandas as pd\n\n    result = {dt.time, dt.datetime, np.datetime64}\n",
            "    result = {dt.time, dt.datetime, np.datetime64}\n    try:\n        import pandas as pd\n"
            "    except ImportError:  # a site without pandas has no pandas dates\n        return result\n",
        )],
    },
    "panel": {
        # Templates (and with them the notification area) and the chat components: the page uses
        # none of them, and importing them took about 0.3 s of the page's start. They stay in
        # the wheel and are imported on first use (panel.template, panel.chat, panel.Template).
        "panel/__init__.py": [
            ("from . import template  # noqa\n", ""),
            ("from .template import Template  # noqa\n", ""),
            ("from . import chat  # isort:skip noqa has to be after widgets\n", LAZY_PANEL_MODULES),
        ],
        "panel/widgets/__init__.py": lazy_imports("panel.widgets", LAZY_WIDGETS),
        "panel/pane/__init__.py": lazy_imports("panel.pane", LAZY_PANES),
        # Panel patches pandas.read_csv to read URLs in Pyodide: only if pandas is in use.
        "panel/io/pyodide.py": [(
            "if pyodide_http is None:\n    import pandas\n",
            "if pyodide_http is None and 'pandas' in sys.modules:\n    import pandas\n",
        )],
        # Every stylesheet and script of Panel's dist, resolved at any time: the site's copy.
        "panel/io/resources.py": [(
            'CDN_DIST = f"{CDN_URL}dist/"\n',
            f'CDN_DIST = "./{static_folder("panel")}"  # the site\'s copy of Panel\'s dist (site_patches.py)\n',
        )],
    },
}


def patch_wheel(name, data, keep=lambda entry: True):
    """The wheel ``name`` (zip bytes) without the entries ``keep`` refuses and with PATCHES applied,
    in one rewrite; stops the build if an edit does not apply."""
    edits = PATCHES.get(name, {})
    done = set()

    def edit(entry, content):
        for old, new in edits.get(entry, []):
            text = content.decode()
            if text.count(old) != 1:
                sys.exit(f"build.py: the edit of {entry} in site_patches.py no longer applies "
                         f"({text.count(old)} matches of {old.splitlines()[0].strip()!r}); "
                         "read the new code and update the edit, or ship pandas again.")
            content = text.replace(old, new).encode()
            done.add(entry)
        return content

    wheel = rewrite_wheel(data, keep, edit)
    missing = sorted(set(edits) - done)
    if missing:
        sys.exit(f"build.py: {', '.join(missing)} is not in the {name} wheel any more; update site_patches.py.")
    return wheel


# Edits of the files the site serves from the wheels (static_files), by their path in the site.
STATIC_PATCHES = {
    "static/bokeh/bokeh-3.7.3.min.js": [(
        's=i.getContext("2d"),a=s.getImageData(0,0,this.image_width[t],this.image_height[t])',
        's=i.getContext("2d",{willReadFrequently:!0}),a=s.getImageData(0,0,this.image_width[t],this.image_height[t])',
    ), (  # Document._apply_json_patch: models decoded from Python's patch are not new to Python.
        "(e=>{e.attach_document(this),this._new_models.add(e),this._all_models.set(e.id,e)})).decode(e.events,t)",
        "(e=>{e.attach_document(this),this._all_models.set(e.id,e)})).decode(e.events,t)",
    )],
}


def patch_static_files(files):
    """``files`` (site path: bytes) with STATIC_PATCHES applied; stops the build if an edit does not apply."""
    for path, edits in STATIC_PATCHES.items():
        if path not in files:
            sys.exit(f"build.py: {path} is not among the site's files any more; update site_patches.py.")
        text = files[path].decode()
        for old, new in edits:
            if text.count(old) != 1:
                sys.exit(f"build.py: the edit of {path} in site_patches.py no longer applies "
                         f"({text.count(old)} matches of {old[:40]!r}); read the new code and update the edit.")
            text = text.replace(old, new)
        files[path] = text.encode()
    return files
