"""Run by precompile.js inside Pyodide: every zip in /in goes to /out with .py compiled to .pyc.

The bytecode is Pyodide's own Python 3.12 (the build machine may run another version), in
unchecked-hash .pyc files that sit where the .py was, so imports skip compiling on every
page load. Compiled as `python -OO` would (no docstrings, no asserts): a fifth smaller, and
a download to every visitor. NumPy keeps its docstrings: it adds them to its C functions at
import, unless Python itself runs with -OO. Files that do not compile (templates, Python 2 leftovers) stay as
source. Each entry keeps its zip time, permissions and compression: same inputs, same bytes.

With KEEP_SOURCE (our own package), each .py stays and its bytecode goes beside it into
__pycache__, where import looks first: tracebacks still show the source lines, and nothing
is left out (asserts, docstrings).
"""
import importlib.util
import os
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc


def compiled(name, source, optimize):
    """[(name, data)] of the entries to write: bytecode for a module that compiles, else as it was."""
    if not name.endswith(".py"):
        return [(name, source)]
    try:
        code = compile(source, name, "exec", dont_inherit=True, optimize=optimize)
    except (SyntaxError, ValueError):
        return [(name, source)]
    bytecode = _code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)
    if KEEP_SOURCE:
        return [(name, source), (importlib.util.cache_from_source(name), bytecode)]
    return [(name[:-3] + ".pyc", bytecode)]


for zip_name in sorted(os.listdir("/in")):
    with zipfile.ZipFile(f"/in/{zip_name}") as source, zipfile.ZipFile(f"/out/{zip_name}", "w") as target:
        optimize = 0 if KEEP_SOURCE or zip_name.startswith("numpy-") else 2
        for info in source.infolist():
            for name, data in compiled(info.filename, source.read(info), optimize):
                entry = zipfile.ZipInfo(name, info.date_time)
                entry.external_attr, entry.compress_type = info.external_attr, info.compress_type
                target.writestr(entry, data, compresslevel=9)  # the smallest: downloaded by every visitor
