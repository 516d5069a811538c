"""Running the learner's Python: a fresh namespace, errors as their traceback's last line, a line budget.

``run_source(source, signatures)`` runs the source with ``np``, ``numpy`` and ``math`` at hand
and returns the functions the signatures name. ``call(function, ...)`` calls one of them.
Any error in the learner's code comes out as a ValueError whose message is the last line of
its traceback and the line of the code it came from ("NameError: name 'foo' is not defined
(line 3)"). ``LineBudget`` counts the lines of the learner's code that run (``sys.settrace``)
and stops it past a limit: nn_core.custom checks code inside one, so that an endless loop
ends with a message instead of hanging Python.
Imports nothing but NumPy and the standard library.
"""
import math
import sys

import numpy as np

FILENAME = "<your code>"  # how tracebacks name the learner's source
MAX_SOURCE_CHARACTERS = 100_000


class RanTooLong(BaseException):
    """Raised inside the learner's code when it has run more lines than its budget.

    A BaseException, so that an ``except Exception`` in the code cannot swallow it."""


class LineBudget:
    """Count the lines of the learner's code that run (sys.settrace); stop it past ``limit``."""

    def __init__(self, limit):
        self.limit = limit
        self.left = limit

    def __enter__(self):
        self.previous = sys.gettrace()
        sys.settrace(self._on_call)
        return self

    def __exit__(self, *exception):
        sys.settrace(self.previous)

    def _on_call(self, frame, event, argument):
        # Only the learner's frames are traced line by line; NumPy's run at full speed.
        return self._on_line if frame.f_code.co_filename == FILENAME else None

    def _on_line(self, frame, event, argument):
        if event == "line":
            self.left -= 1
            if self.left < 0:
                raise RanTooLong(f"the code ran {self.limit:,} lines without finishing: does a loop never end?")
        return self._on_line


def last_line(error):
    """The last line of ``error``'s traceback, and the line of the learner's code it came from."""
    if isinstance(error, SyntaxError):
        text = f"{type(error).__name__}: {error.msg}"
        line = error.lineno if error.filename == FILENAME else None
    else:
        message = str(error).strip().splitlines()
        text = type(error).__name__ + (f": {message[-1]}" if message else "")
        line = None
        traceback = error.__traceback__
        while traceback is not None:  # the deepest frame of the learner's code wins
            if traceback.tb_frame.f_code.co_filename == FILENAME:
                line = traceback.tb_lineno
            traceback = traceback.tb_next
    if isinstance(error, RanTooLong):
        text = f"Stopped: {error}"
    return f"{text} (line {line})" if line else text


def call(function, *arguments):
    """``function(*arguments)``; an error in it becomes ValueError(last line of its traceback)."""
    try:
        return function(*arguments)
    except (Exception, SystemExit, RanTooLong) as error:  # noqa: BLE001 - whatever the learner's code raised
        raise ValueError(last_line(error)) from None


def run_source(source, signatures):
    """Run ``source`` in a fresh namespace; return the functions named by ``signatures`` ("f(x)", ...)."""
    if not isinstance(source, str) or not source.strip():
        raise ValueError(f"there is no code to check: define {' and '.join(signatures)}.")
    if len(source) > MAX_SOURCE_CHARACTERS:
        raise ValueError(f"the code has {len(source):,} characters; at most {MAX_SOURCE_CHARACTERS:,} fit.")
    namespace = {"np": np, "numpy": np, "math": math, "__name__": "your_code"}
    try:
        code = compile(source, FILENAME, "exec")
    except SyntaxError as error:  # ValueError too: a NUL character in the source
        raise ValueError(last_line(error)) from None
    except ValueError as error:
        raise ValueError(f"the code cannot be read: {error}.") from None
    call(exec, code, namespace)
    functions = []
    for signature in signatures:
        name = signature.split("(")[0]
        function = namespace.get(name)
        if function is None:
            raise ValueError(f"the code defines no {name}: write def {signature}: … (see the example).")
        if not callable(function):
            raise ValueError(f"{name} is a value of type {type(function).__name__}, not a function: write def {signature}: ….")
        functions.append(function)
    return functions
