"""What the app needs to know about where it runs: ``panel serve`` (CPython) or the built site (Pyodide).

In the built site nothing comes from a CDN: the site's Panel and Bokeh wheels name the site's
own folders as the home of their stylesheets and scripts (``site_patches.py``), so the app
needs no setting for it.
"""
import asyncio
import sys


def in_browser():
    """True when running in Pyodide, i.e. in the page's Web Worker."""
    return sys.platform == "emscripten"


def _worker_function(name):
    """A function of the page's worker (site/worker.js), or None outside the browser."""
    if not in_browser():
        return None
    import js  # the worker's global scope

    return getattr(js, name, None)


def page_is_behind():
    """True while the page has not yet drawn the frame before the last one (in the browser only).

    The play loop then trains on without redrawing, so the page's queue never grows and a click
    is answered as soon as the frame in hand is done. The worker keeps the count.
    """
    behind = _worker_function("pageIsBehind")
    return bool(behind and behind())


def frame_sent():
    """Tell the worker that a frame's changes have all been sent to the page."""
    sent = _worker_function("frameSent")
    if sent:
        sent()


_after_linked = []  # callbacks waiting for the page to be linked (in the browser)


def after_page_linked(callback):
    """Run ``callback`` once the page shows Python's document and answers clicks; at once outside
    the browser. For work the page can show a moment later, such as a tab below the fold."""
    if in_browser():
        _after_linked.append(callback)
    else:
        callback()


def page_linked():
    """Run what waited for the page: site/worker.js calls this once the page answers clicks."""
    while _after_linked:
        _after_linked.pop(0)()


class _Now:
    """What ``later`` returns outside the browser: the callback has run; nothing to cancel."""

    def cancel(self):
        pass


def later(seconds, callback):
    """Run ``callback`` in ``seconds`` in the browser (the handle's ``cancel()`` stops it); at once
    elsewhere, where no event loop of ours runs between a test's calls."""
    if in_browser():
        return asyncio.get_event_loop().call_later(seconds, callback)
    callback()
    return _Now()
