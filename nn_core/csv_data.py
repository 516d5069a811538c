"""CSV files in and out of a Dataset.

``parse_csv`` reads text with a header row and checks every cell it uses; the first bad
one stops it with a ValueError that names the file's line (counting from 1, header
included) and the column. Whole numbers with a few distinct values in one target column
are taken as classes. ``csv_columns`` reads the header, for choosing columns before reading
them. ``to_csv`` writes text that ``parse_csv`` reads back to the same dataset. Messages are
plain text and quote cells with ``repr``, cut to 20 characters.
Imports nothing but NumPy and the standard library.
"""
import csv
import io
import math
from collections.abc import Sequence

import numpy as np

from .datasets import MAX_SAMPLES, TASKS, Dataset

# The largest CSV text read, from a file or a paste (UTF-8 bytes): four times a 570-row,
# 31-column table, and small enough that Python in the browser reads it at once.
MAX_CSV_BYTES = 500_000
MAX_COLUMNS = 65  # inputs and targets together: the digits' 64 pixels and their label, no more
MAX_CLASSES = 10  # a target with more distinct values is read as a number, not as classes
MIN_ROWS = 2
DELIMITERS = (",", ";", "\t")  # comma first: it wins a tie
TASK_CHOICES = (*TASKS, "classification")  # classification: binary or multiclass, as the labels say
_SHOWN_CHARACTERS = 20


def size_text(n_bytes):
    """A size as a person reads it: "812 bytes", "121 kB", "10.5 MB" (1 kB = 1,000 bytes)."""
    if n_bytes < 1000:
        return f"{n_bytes:,} bytes"
    if n_bytes < 1_000_000:
        return f"{n_bytes / 1000:,.0f} kB"
    return f"{n_bytes / 1_000_000:,.1f} MB"


def check_text(text, name="The text"):
    """Raise ValueError, naming the text ``name``, if it is over MAX_CSV_BYTES or holds U+FFFD
    replacement characters (text that was not UTF-8, read as if it were)."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_CSV_BYTES:
        raise ValueError(f"{name} is {size_text(size)}; the limit is {size_text(MAX_CSV_BYTES)}.")
    line = text.count("\n", 0, text.find("\ufffd")) + 1
    if "\ufffd" in text:
        raise ValueError(f"{name} is not UTF-8 text: line {line} has characters that could not be read (shown "
                         "as \ufffd). Save the file as \"CSV UTF-8\" (a spreadsheet's Save as offers it) and try again.")


def _quote(text):
    """``repr`` of text, cut after 20 characters so that a message stays one short line."""
    if len(text) <= _SHOWN_CHARACTERS:
        return repr(text)
    return repr(text[:_SHOWN_CHARACTERS]) + "..."


def _delimiter(text):
    """The delimiter that splits the first non-blank line into the most cells."""
    first_line = next((line for line in io.StringIO(text, newline="") if line.strip()), "")

    def n_cells(delimiter):
        try:
            return len(next(csv.reader([first_line], delimiter=delimiter), []))
        except csv.Error:  # a cell longer than csv's field limit: reading the rows says so
            return 0
    return max(DELIMITERS, key=n_cells)


def _rows(text, delimiter):
    """Yield (line number, cells) for each row with something in it; blank rows are skipped.

    The line number is where the row starts in the file, so it stays right when a quoted
    cell spans several lines.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ValueError(f"line {line}: {error}; check the quotes on that line.") from None
        if "".join(cells).strip():
            yield line, cells
        line = reader.line_num + 1


def _count(number, noun):
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check_header(cells, line):
    """The column names of a header row, stripped of spaces."""
    names = [cell.strip() for cell in cells]
    if len(names) > MAX_COLUMNS:
        raise ValueError(
            f"too many columns: line {line} names {len(names)}, at most {MAX_COLUMNS} are allowed; "
            "remove the columns you do not need."
        )
    if len(names) < 2:
        raise ValueError(
            f"line {line} names only one column, {_quote(names[0])}; a dataset needs inputs and a "
            "target, so separate the columns with commas."
        )
    for position, name in enumerate(names, start=1):
        if not name:
            raise ValueError(f"line {line}: column {position} has no name; name every column in the header row.")
    for position, name in enumerate(names):
        if name in names[:position]:
            raise ValueError(f"line {line}: the column name {_quote(name)} appears twice; rename one of them.")
    if all(_is_number(name) for name in names):
        raise ValueError(
            f"line {line} should name the columns but holds only numbers ({', '.join(map(_quote, names[:3]))}"
            f"{', ...' if len(names) > 3 else ''}); add a header row such as x1,x2,y."
        )
    return names


def _column_list(columns, argument):
    """A list of column names from a sequence of names or a single name."""
    names = [columns] if isinstance(columns, str) else list(columns)
    for position, name in enumerate(names):
        if not isinstance(name, str):
            raise ValueError(f"{argument} must hold column names, got {name!r}; pass names such as ['x1', 'x2'].")
        if name in names[:position]:
            raise ValueError(f"{argument} lists the column {_quote(name)} twice; list each column once.")
    return names


def _choose_columns(header, input_columns, target_columns):
    """The input and target column names: by default the last column is the target."""
    inputs = None if input_columns is None else _column_list(input_columns, "input_columns")
    targets = None if target_columns is None else _column_list(target_columns, "target_columns")
    for name in (inputs or []) + (targets or []):
        if name not in header:
            raise ValueError(f"there is no column {_quote(name)}; the columns are: {', '.join(header)}.")
    if targets is None:
        targets = [name for name in header if name not in (inputs or [])][-1:]
    if inputs is None:
        inputs = [name for name in header if name not in targets]
    both = [name for name in inputs if name in targets]
    if both:
        raise ValueError(
            f"column {_quote(both[0])} cannot be both an input and a target; "
            "take it out of input_columns or of target_columns."
        )
    if not inputs or not targets:
        missing = "input" if not inputs else "target"
        raise ValueError(f"choose at least one {missing} column; the columns are: {', '.join(header)}.")
    return inputs, targets


def _bad_cell(line, cells, names):
    """The ValueError for the first cell of a row that is not a finite number."""
    pairs = zip(cells, names, strict=True)
    cell, name = next((cell, name) for cell, name in pairs if not math.isfinite(_number_or_nan(cell)))
    where = f"line {line}, column {_quote(name)}"
    shown = cell.strip()
    if not shown:
        return ValueError(f"{where}: the cell is empty; fill in a number or delete the row.")
    if _is_number(shown):
        return ValueError(f"{where}: {_quote(shown)} is not a finite number; put a number there or delete the row.")
    if "\n" in shown or "\r" in shown:
        return ValueError(f"{where}: {_quote(shown)} is not a number; a quote \" opened there is never closed.")
    if _is_number(shown.replace(",", ".", 1)):
        return ValueError(f"{where}: {_quote(shown)} is not a number; write decimals with a point, as in 7.5.")
    return ValueError(
        f"{where}: {_quote(shown)} is not a number; write a number such as 7.5, "
        "or leave this column out with input_columns."
    )


def _number_or_nan(cell):
    try:
        return float(cell)
    except ValueError:
        return math.nan


def _read_numbers(rows, header, chosen):
    """The chosen columns of the data rows as an array of shape (n_rows, len(chosen)).

    Only the chosen columns must hold numbers; the others may hold anything.
    """
    names = [header[index] for index in chosen]
    values, lines = [], []
    for line, cells in rows:
        if len(cells) != len(header):
            advice = (f"column {_quote(header[len(cells)])} is missing" if len(cells) < len(header)
                      else "quote cells that contain the separator")
            raise ValueError(
                f"line {line} has {_count(len(cells), 'cell')}, the header has {_count(len(header), 'column')}: "
                f"{advice}."
            )
        if len(lines) == MAX_SAMPLES:
            raise ValueError(
                f"too many rows: more than {MAX_SAMPLES} rows of data, at most {MAX_SAMPLES} are allowed; "
                "use a sample of the file."
            )
        try:
            numbers = [float(cells[index]) for index in chosen]
        except ValueError:
            numbers = [math.nan]
        if not all(map(math.isfinite, numbers)):
            raise _bad_cell(line, [cells[index] for index in chosen], names)
        values.extend(numbers)
        lines.append(line)
    if len(lines) < MIN_ROWS:
        found = "no rows of data" if not lines else f"only 1 row of data (line {lines[0]})"
        raise ValueError(f"too few rows: the file has {found}, at least {MIN_ROWS} are needed; add rows.")
    return np.array(values).reshape(len(lines), len(chosen))


def _infer_task(targets, classes, n_rows):
    """ "binary" or "multiclass" when one target column holds class labels, else "regression".

    Labels are whole numbers, 2 to MAX_CLASSES of them, each on two rows on average: the
    exam's three different scores stay a regression.
    """
    if len(targets) != 1 or not 2 <= len(classes) <= MAX_CLASSES or 2 * len(classes) > n_rows:
        return "regression"
    if not np.all(classes == np.round(classes)):
        return "regression"
    return "binary" if len(classes) == 2 else "multiclass"


def _encode_targets(y, targets, task):
    """The task, the targets (n_rows, n_targets) as the network learns them, and their names."""
    classes = np.unique(y) + 0.0  # + 0.0 turns -0 into 0, so that they are one class
    if task is None:
        task = _infer_task(targets, classes, len(y))
    if task == "regression":
        return task, y, tuple(targets)
    if len(targets) != 1:
        raise ValueError(
            f"task {task!r} needs one target column of class labels, got {len(targets)}; "
            "choose one with target_columns, or use task='regression'."
        )
    if task == "binary" and len(classes) != 2:
        raise ValueError(
            f"task 'binary' needs exactly 2 distinct values in column {_quote(targets[0])}, it has "
            f"{len(classes)}; use task='multiclass' or task='regression'."
        )
    if not 2 <= len(classes) <= MAX_CLASSES:
        raise ValueError(
            f"task {task!r} needs 2 to {MAX_CLASSES} distinct values in column {_quote(targets[0])}, "
            f"it has {len(classes)}; use task='regression'."
        )
    labels = y[:, 0]
    if len(classes) == 2 and task != "multiclass":  # "binary", or "classification" of two labels
        return "binary", (labels == classes[1]).astype(float)[:, None], tuple(targets)  # sorted: 0, then 1
    one_hot = (labels[:, None] == classes).astype(float)  # (n_rows, n_classes)
    return "multiclass", one_hot, tuple(f"{targets[0]}={_format_number(label)}" for label in classes)


def _open(text):
    """The header's column names and an iterator over the data rows, as (line number, cells)."""
    if not isinstance(text, str):
        raise ValueError(f"CSV needs the file's text as a str, got {type(text).__name__}; decode it first.")
    text = text.removeprefix("\ufeff")  # the byte-order mark that spreadsheets write
    rows = _rows(text, _delimiter(text))
    header_line, header_cells = next(rows, (1, None))
    if header_cells is None:
        raise ValueError("the file is empty; it needs a header row naming the columns, then rows of numbers.")
    return _check_header(header_cells, header_line), rows


def csv_columns(text: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """The column names of CSV text, and for each whether some data row holds a finite number there.

    For choosing the columns before reading them: a column of labels such as "train" or
    "Ada" holds no number, while a column of numbers with one typo does.

    Returns
    -------
    names : tuple of str
        The header's column names, in order.
    holds_numbers : tuple of bool
        One per column.

    Raises
    ------
    ValueError
        When the text is empty or its header row is not usable, naming the line, as ``parse_csv`` does.
    """
    header, rows = _open(text)
    holds_numbers = [False] * len(header)
    for _, cells in rows:
        for index, cell in enumerate(cells[: len(header)]):
            holds_numbers[index] = holds_numbers[index] or math.isfinite(_number_or_nan(cell))
        if all(holds_numbers):  # usually after the first row: the rest need not be read
            break
    return tuple(header), tuple(holds_numbers)


def parse_csv(text: str, input_columns: Sequence[str] | None = None, target_columns: Sequence[str] | None = None,
              task: str | None = None, name: str = "csv") -> Dataset:
    """A Dataset from CSV text with a header row.

    Cells are separated by commas, or by semicolons or tabs when the header row is split
    that way. Blank rows are skipped, spaces around cells ignored.

    Parameters
    ----------
    text : str
        The whole file: a header row of column names, then at least 2 rows of numbers.
        At most 100,000 rows and 64 columns.
    input_columns : sequence of str, optional
        Names of the input columns; by default every column that is not a target.
        Columns left out may hold text.
    target_columns : sequence of str, optional
        Names of the target columns; by default the last column not chosen as an input.
    task : {"regression", "binary", "multiclass", "classification"}, optional
        By default inferred: one target column of whole numbers with 2 to 10 distinct
        values, each on two rows on average, is "binary" (2 values) or "multiclass";
        anything else is "regression". "classification" asks for classes and lets the
        number of distinct values choose "binary" or "multiclass".
    name : str
        The Dataset's name.

    Returns
    -------
    Dataset
        X of shape (n_rows, n_inputs). y of shape (n_rows, n_targets) for regression;
        (n_rows, 1) of 0/1 for binary, the smaller label becoming 0; (n_rows, n_classes)
        one-hot for multiclass, with target names such as "label=3". Its task is one of
        "regression", "binary" and "multiclass".

    Raises
    ------
    ValueError
        For the first problem found, with its line number and column name when it has them.
    """
    if task is not None and task not in TASK_CHOICES:
        raise ValueError(f"unknown task {task!r}; choose one of: {', '.join(TASK_CHOICES)}, or None to infer it.")
    header, rows = _open(text)
    inputs, targets = _choose_columns(header, input_columns, target_columns)
    table = _read_numbers(rows, header, [header.index(column) for column in inputs + targets])
    X, y = table[:, : len(inputs)], table[:, len(inputs) :]
    task, y, target_names = _encode_targets(y, targets, task)
    return Dataset(name, X, y, tuple(inputs), target_names, task)


def _format_number(value):
    """The shortest text that reads back as the same float: 92 rather than 92.0."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _header_cell(name):
    """A column name, quoted if it holds a separator, a quote or a line break."""
    if any(character in name for character in ',;\t"\r\n'):
        return '"' + name.replace('"', '""') + '"'
    return name


def _class_labels(target_names):
    """The target column's name and each class's label, from multiclass names like "label=3"."""
    columns, labels = set(), []
    for target_name in target_names:
        column, _, label = target_name.rpartition("=")
        if not column or not _is_number(label):
            raise ValueError(
                f"to_csv needs multiclass target names such as 'label=3', got {target_name!r}; "
                "name each class column <target>=<label>."
            )
        columns.add(column)
        labels.append(float(label))
    if len(columns) != 1:
        raise ValueError(
            f"to_csv needs the multiclass target names of one column, got {', '.join(target_names)}; "
            "name them label=0, label=1, ..."
        )
    return columns.pop(), np.array(labels)


def to_csv(dataset: Dataset, parts: Sequence[str] | None = None) -> str:
    """CSV text of a dataset that ``parse_csv`` reads back to the same dataset.

    Multiclass targets are written back as one column of class labels. Names read back
    the same unless they start or end with spaces.

    Parameters
    ----------
    dataset : Dataset
        X of shape (n_samples, n_features), y of shape (n_samples, n_targets).
    parts : sequence of str, optional
        A label per row, such as "train" or "test", written as a first column named
        "part" ("part_" if the data has a column "part"). ``parse_csv`` reads the data
        back when given the other columns' names: a column left out may hold text.

    Returns
    -------
    str
        A header row, then one row per sample, every number written exactly.
    """
    target_names, y = list(dataset.target_names), dataset.y
    if dataset.task == "multiclass":
        column, labels = _class_labels(dataset.target_names)
        target_names, y = [column], labels[y.argmax(axis=1)][:, None]  # (n_samples, 1)
    names = [*dataset.feature_names, *target_names]
    rows = [",".join(map(_format_number, row)) for row in np.hstack([dataset.X, y]).tolist()]
    if parts is not None:
        if len(parts) != len(rows):
            raise ValueError(f"to_csv needs one part per row: {len(parts)} parts for {len(rows)} rows.")
        part_column = "part"
        while part_column in names:
            part_column += "_"
        names = [part_column, *names]
        rows = [f"{_header_cell(str(part))},{row}" for part, row in zip(parts, rows)]
    return "".join([",".join(map(_header_cell, names)) + "\n", *(row + "\n" for row in rows)])
