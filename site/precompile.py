"""Run by precompile.js inside Pyodide: every zip in /in goes to /out with .py compiled to .pyc.

The bytecode is Pyodide's own Python 3.12 (the build machine may run another version), in
unchecked-hash .pyc files that sit where the .py was, so imports skip compiling on every
page load. Files that do not compile (templates, Python 2 leftovers) stay as source.
"""
import importlib.util
import os
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

FIXED_TIME = (1980, 1, 1, 0, 0, 0)

for name in sorted(os.listdir("/in")):
    with zipfile.ZipFile(f"/in/{name}") as source, zipfile.ZipFile(f"/out/{name}", "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            entry = info.filename
            if entry.endswith(".py"):
                try:
                    code = compile(data, entry, "exec", dont_inherit=True)
                except (SyntaxError, ValueError):
                    pass
                else:
                    data = _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
                    entry = entry[:-3] + ".pyc"
            target.writestr(zipfile.ZipInfo(entry, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
