"""Where everything sits, at every width, and the page's look.

Panel draws each component in its own shadow root, so page-wide CSS cannot reach inside a
button or a text pane. The look therefore travels with the components: ``PlaygroundDesign``
adds our stylesheets to every component of a kind (a visible focus ring on all of them, the
text styles to every HTML pane, the big Play and the picture buttons to buttons), the way
Panel's own themes do.

The full page reads as TF Playground's from 1,100 px: a bar with Play and the status, then
four columns, data → features → network → output, and the tools under them. From 700 px
the network takes the whole width and the other columns share the row under it. Below
700 px (phones, narrow iframes) the columns dissolve (``display: contents``) and every part
takes its place in one column by its ``order``: status, Play, graph, loss, then the rest.
Each part is a ``leaf`` named by its CSS class; the columns only group them.
"""
import panel as pn
from panel.theme.base import Inherit
from panel.theme.native import Native
from panel.viewable import Viewable

MODES = ("full", "embed", "present")
PHONE = "(max-width: 699px)"
TABLET = "(min-width: 700px) and (max-width: 1099px)"

# The order of the parts in one column on a phone: what a learner needs first comes first.
PHONE_ORDER = ("header", "tour", "status", "buttons", "graph", "loss", "settings", "output", "data", "features",
               "more", "extras", "teacher", "links", "tools")

# The whole document: what sits outside every shadow root.
PAGE_CSS = """
body { margin: 0; }
"""

# Every component: a focus ring that a keyboard user sees (2 px at least), nothing wider than the page.
FOCUS_CSS = """
:host { max-width: 100%; }
:focus-visible, .bk-btn:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible {
  outline: 3px solid #1a5fb4 !important; outline-offset: 2px;
}
"""

# Text panes: headings, the status line, tables. Tables scroll inside their box on a phone.
TEXT_CSS = """
h1 { font-size: 22px; margin: 0 0 2px; font-weight: 600; line-height: 1.2; }
h2 { font-size: 13px; margin: 6px 0 4px; text-transform: uppercase; letter-spacing: 0.04em; color: #555; }
.brand { font-size: 12px; color: #1a5fb4; font-weight: 600; letter-spacing: 0.03em; }
.story { color: #444; font-size: 14px; max-width: 70em; }
:host(.status) { font-size: 15px; line-height: 1.5; }
:host(.status) .epoch { font-size: 22px; font-variant-numeric: tabular-nums; }
:host(.status) .message { color: #b03a00; font-weight: 600; margin-top: 2px; }
:host(.status.big) { font-size: 26px; }
:host(.status.big) .epoch { font-size: 44px; }
:host(.page-heading.big) h1 { font-size: 40px; }
:host(.page-heading.big) .story { font-size: 24px; max-width: none; }
:host(.prediction) .tutorial { color: #555; font-size: 12px; margin-top: 4px; }
.error { color: #b03a00; }
table { border-collapse: collapse; font-size: 12px; }
th, td { padding: 2px 6px; border-bottom: 1px solid #ddd; text-align: right; }
:host(.data-table), :host(.confusion) { overflow-x: auto; }
.matrix { display: inline-block; margin: 0 12px 6px 0; vertical-align: top; }
.matrix th, .matrix td { padding: 1px 3px; font-variant-numeric: tabular-nums; }
.matrix td { min-width: 2.2em; }  /* an even grid: one, two and three digits alike */
.matrix .how { color: #555; font-size: 12px; }
:host(.screen-reader-only) { position: absolute !important; width: 1px !important; height: 1px !important;
  overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
"""

# Buttons: Play is the largest control; datasets and features are pictures with a name under them.
BUTTON_CSS = """
.bk-btn { touch-action: manipulation; }  /* a quick second tap is a click, not a zoom */
:host(.play) .bk-btn { font-size: 17px; font-weight: 600; border-radius: 22px; }
:host(.play.is-running) .bk-btn { background-color: #e8710a; border-color: #e8710a; }
:host(.big) .bk-btn { font-size: 24px; }
:host(.tool-link) .bk-btn { color: #1a5fb4; text-decoration: underline; background: none; border: none; padding: 2px 6px; }
:host(.tool-links-label) { font-size: 13px; color: #555; }
:host(.picture-button) .bk-btn { display: flex; flex-direction: column; align-items: center; gap: 2px;
  width: 66px; padding: 4px 2px; font-size: 11px; line-height: 1.15; white-space: normal; height: auto; }
"""


class PlaygroundDesign(Native):
    """Panel's native look, plus our stylesheets on every component of each kind."""

    modifiers = {
        Viewable: {"stylesheets": [Inherit, FOCUS_CSS]},
        # Panel gives a row or column the widths of its items as its least width; ours wrap or
        # scroll instead, so that no column pushes the page wider than the screen.
        pn.layout.ListPanel: {"stylesheets": [Inherit, ":host { min-width: 0 !important; }"]},
        pn.pane.HTML: {"stylesheets": [Inherit, TEXT_CSS]},
        pn.widgets.Button: {"stylesheets": [Inherit, BUTTON_CSS]},
    }


def wrapping_row(*objects, stylesheets=(), **params):
    """A row whose items wrap onto the next line when it is too narrow (Panel's FlexBox without its
    template machinery, which would need an HTML sanitiser in the page)."""
    params = {"sizing_mode": "stretch_width", "margin": 0, **params}
    # Panel gives a row the sum of its items' widths as its least width: a wrapping row needs none.
    wrap = ":host { flex-wrap: wrap; align-items: flex-start; min-width: 0 !important; }"
    return pn.Row(*objects, stylesheets=[wrap, *stylesheets], **params)


def leaf(name, view):
    """``view`` as the page's part ``name``: a column the layout's stylesheets find by its class."""
    return pn.Column(view, css_classes=[f"leaf-{name}"], sizing_mode="stretch_width", margin=0,
                     stylesheets=[":host { min-width: 0 !important; }"])


def _group(name, leaves, stylesheet=""):
    """A column of leaves that dissolves into the page's one column on a phone, each leaf in its place."""
    order = " ".join(f".leaf-{leaf_name} {{ order: {PHONE_ORDER.index(leaf_name)}; }}" for leaf_name in leaves)
    phone = f"@media {PHONE} {{ :host {{ display: contents !important; }} {order} }}"
    stylesheet = ":host { min-width: 0 !important; } " + stylesheet
    return pn.Column(*leaves.values(), css_classes=[f"group-{name}"], sizing_mode="stretch_width", margin=0,
                     stylesheets=[stylesheet, phone])


COLUMNS_CSS = f"""
:host {{ column-gap: 18px; align-items: flex-start; min-width: 0 !important; }}
.group-data {{ flex: 0 0 236px; width: 236px !important; }}
.group-features {{ flex: 0 0 auto; width: auto !important; }}  /* none for data that takes no features */
.group-network {{ flex: 1 1 320px; min-width: 0; }}
.group-output {{ flex: 0 1 380px; width: 380px !important; min-width: 300px; }}
@media {TABLET} {{
  :host {{ flex-wrap: wrap; }}
  .group-network {{ order: -1; flex: 1 1 100%; }}
  .group-output {{ flex: 1 1 320px; width: auto !important; }}
}}
@media {PHONE} {{ :host {{ display: contents !important; }} }}
"""

PAGE_GRID = f"""
:host {{ padding: 6px 12px; box-sizing: border-box; width: 100% !important; min-width: 0 !important; row-gap: 4px; }}
@media {PHONE} {{ :host {{ padding: 6px 8px; }} }}
"""

BAR_CSS = f"""
:host {{ align-items: center; column-gap: 24px; flex-wrap: wrap; }}
.leaf-buttons {{ flex: 0 1 auto; width: auto !important; }}
.leaf-status {{ flex: 1 1 300px; width: auto !important; }}
@media {PHONE} {{
  :host {{ display: contents !important; }}
  .leaf-status {{ order: {PHONE_ORDER.index("status")}; flex: 0 0 auto; width: 100% !important; }}
  .leaf-buttons {{ order: {PHONE_ORDER.index("buttons")}; flex: 0 0 auto; width: 100% !important; }}
}}
"""


def full_page(leaves):
    """The full page from its parts (a dict of leaf views by name)."""
    named = {name: leaf(name, view) for name, view in leaves.items()}
    pick = lambda *names: {name: named[name] for name in names}  # noqa: E731
    columns = pn.Row(
        _group("data", pick("data", "more", "teacher")),
        _group("features", pick("features")),
        _group("network", pick("tour", "settings", "graph", "extras")),
        _group("output", pick("loss", "output")),
        sizing_mode="stretch_width", margin=0, css_classes=["columns"], stylesheets=[COLUMNS_CSS])
    bar = pn.Row(named["buttons"], named["status"], sizing_mode="stretch_width", margin=0, css_classes=["bar"],
                 stylesheets=[BAR_CSS])
    phone = " ".join(f".leaf-{name} {{ order: {PHONE_ORDER.index(name)}; }}" for name in ("header", "links", "tools"))
    return [named["header"], bar, named["links"], columns, named["tools"]], [PAGE_GRID, f"@media {PHONE} {{ {phone} }}"]


EMBED_CSS = """
:host { padding: 4px 6px; box-sizing: border-box; width: 100% !important; min-width: 0 !important; row-gap: 2px; }
"""

PRESENT_CSS = """
:host { padding: 16px 28px; box-sizing: border-box; width: 100% !important; min-width: 0 !important; row-gap: 10px; }
"""

PRESENT_COLUMNS_CSS = f"""
:host {{ column-gap: 32px; align-items: flex-start; }}
.leaf-graph {{ flex: 3 1 600px; min-width: 0; }}
.leaf-loss {{ flex: 2 1 420px; min-width: 0; }}
@media {PHONE} {{ :host {{ flex-wrap: wrap; }} }}
"""


def embed_page(leaves):
    """The compact page for a course page's iframe: status, buttons, graph, loss (and a tour, if one runs)."""
    return [leaf(name, leaves[name]) for name in ("tour", "status", "buttons", "graph", "loss")], [EMBED_CSS]


def present_page(leaves):
    """The projector's page: the heading, a tour if one runs, Play, Step and Reset, the status, and the graph
    beside the loss."""
    bar = pn.Row(leaf("buttons", leaves["buttons"]), leaf("status", leaves["status"]), sizing_mode="stretch_width",
                 margin=0, css_classes=["bar"], stylesheets=[BAR_CSS])
    columns = pn.Row(leaf("graph", leaves["graph"]), leaf("loss", leaves["loss"]), sizing_mode="stretch_width",
                     margin=0, css_classes=["columns"], stylesheets=[PRESENT_COLUMNS_CSS])
    return [leaf("header", leaves["present_header"]), leaf("tour", leaves["tour"]), bar, columns], [PRESENT_CSS]


PAGES = {"full": full_page, "embed": embed_page, "present": present_page}
