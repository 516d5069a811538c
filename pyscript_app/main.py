"""The page: ``panel serve pyscript_app/main.py`` in development, imported by the built site's worker."""
import sys

import panel as pn

from pyscript_app.app import create_page

if sys.platform == "emscripten":
    # In the browser, Panel's component stylesheets come from the site itself, not a CDN.
    pn.state.curdoc._template_variables["dist_url"] = "./static/panel/"

create_page().servable(title="Backprop Playground")
