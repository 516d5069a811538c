"""The page: ``panel serve pyscript_app/main.py`` in development, imported by the built site's worker."""
import panel as pn

from pyscript_app.app import create_page

page = create_page()  # its store, page.playground, is reachable from the worker's Python for tests
# Each root added to a document (the page, then the address's model) walks every model the
# document holds; frozen, the walk happens once, when the page is complete: 0.1 s less at start.
with pn.state.curdoc.models.freeze():
    page.servable(title="Backprop Playground")
