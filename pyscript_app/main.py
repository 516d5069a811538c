"""The page: ``panel serve pyscript_app/main.py`` in development, imported by the built site's worker."""
from pyscript_app.app import create_page

page = create_page()  # its store, page.playground, is reachable from the worker's Python for tests
page.servable(title="Backprop Playground")
