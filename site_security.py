"""The site's Content-Security-Policy: the browser itself refuses anything not from the site.

Every page the build writes carries the policy in a ``<meta http-equiv>`` tag (static hosts
differ in the headers they can send); ``build.py serve`` also sends it as a header with every
file, which is how a Web Worker gets one (a worker never reads its page's ``<meta>``). A host
that can set headers may send the same. Each source beyond ``'self'`` below is named with
the reason the page needs it; a future slip (a stylesheet from a CDN, a fetch elsewhere) is
then blocked by the browser and reported as a CSP violation, which the browser tests count.
"""
import base64
import hashlib
import re

# Directive: sources. 'self' is the site's own origin, wherever it is served from. The page
# runs only the site's scripts and its own inline scripts (allowed by their hashes).
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    # BokehJS and Panel put <style> elements and style attributes in every component's shadow
    # root; the page's own <style> blocks come from Panel's template.
    "style-src": ["'self'", "'unsafe-inline'"],
    # The page's icon is an empty data: address (no request), BokehJS draws images from data:
    # and blob: addresses it makes itself.
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
# The worker (Python) needs two more rights for its scripts, and only there.
WORKER_SCRIPT_SOURCES = [
    # Pyodide compiles Python's WebAssembly runtime, and each wheel's compiled modules.
    "'wasm-unsafe-eval'",
    # Panel's bridge between the worker and the page makes one JavaScript helper from a string
    # (pyodide.code.run_js in panel/io/pyodide.py), which is an eval.
    "'unsafe-eval'",
]
# A <script> whose type the browser runs; JSON data and es-module-shims' options are only read.
_RUNS = {"", "text/javascript", "application/javascript", "module"}
_INLINE_SCRIPT = re.compile(r"<script((?:\s[^>]*)?)>(.*?)</script>", re.DOTALL)
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""")


def inline_script_hashes(page):
    """CSP sources ('sha256-...') for each inline script of ``page`` that the browser runs."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(page):
        attributes, body = match.groups()
        kind = _TYPE.search(attributes)
        if "src=" in attributes or (kind and kind.group(1).lower() not in _RUNS):
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return list(dict.fromkeys(hashes))


def policy_text(script_sources=()):
    """The policy as a header's or a meta tag's value, with ``script_sources`` (hashes of inline
    scripts, or WORKER_SCRIPT_SOURCES) added to script-src."""
    directives = {**POLICY, "script-src": [*POLICY["script-src"], *script_sources]}
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def with_policy(page):
    """``page`` with its Content-Security-Policy as the first tag of its <head>: it allows the
    page's own inline scripts, as they are now, by their hashes, and nothing else inline."""
    if page.count("<head>") != 1:
        raise ValueError("the page needs exactly one <head> tag to put its Content-Security-Policy in.")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_text(inline_script_hashes(page))}">'
    return page.replace("<head>", f"<head>\n{meta}", 1)
