"""Small edits to Bokeh's and Panel's wheels, so that the site can leave out pandas (7 MB).

Bokeh and Panel import pandas in a few places that run even when no DataFrame is in sight:
a ColumnDataSource made from a dict, the check for date and time values, and Panel's patch of
pandas.read_csv in Pyodide. Each edit below makes pandas (and narwhals, which Bokeh uses to
read DataFrames) optional there. Every edit must apply exactly once: after a version bump the
build stops, rather than ship a wheel that imports a missing package.
"""
import sys

from site_builder import rewrite_wheel


def optional_pandas(indent, extra=""):
    """``import pandas as pd`` (+ ``extra`` lines) that, without pandas, gives a ``pd`` whose
    Series, DataFrame and Index are a type no value has: every isinstance test says no."""
    pad = " " * indent
    lines = ["try:", "    import pandas as pd", *(f"    {line}" for line in extra.splitlines()),
             "except ImportError:  # the site ships no pandas: no value is a pandas one",
             "    class pd:", '        Series = DataFrame = Index = type("NoPandas", (), {})',
             *(f"    {line.split(' import ')[1]} = pd.Series" for line in extra.splitlines())]
    return "".join(f"{pad}{line}\n" for line in lines)


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
        # Date and time types: pandas' own are added when pandas is there.
        "bokeh/util/serialization.py": [(
            "    import pandas as pd\n\n    result = {dt.time, dt.datetime, np.datetime64}\n",
            "    result = {dt.time, dt.datetime, np.datetime64}\n    try:\n        import pandas as pd\n"
            "    except ImportError:  # a site without pandas has no pandas dates\n        return result\n",
        )],
    },
    "panel": {
        # Panel patches pandas.read_csv to read URLs in Pyodide: only if pandas is in use.
        "panel/io/pyodide.py": [(
            "if pyodide_http is None:\n    import pandas\n",
            "if pyodide_http is None and 'pandas' in sys.modules:\n    import pandas\n",
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
