"""Data for the engine: built-in datasets, the train/test split, and CSV files.

The built-in datasets and the split live in ``datasets.py``, CSV reading and writing in
``csv_data.py``; this module gathers them, so callers import from one place.
Imports nothing but NumPy and the standard library.
"""
from .csv_data import MAX_CLASSES, MAX_COLUMNS, TASK_CHOICES, csv_columns, parse_csv, to_csv
from .datasets import (DATASETS, MAX_NOISE, MAX_SAMPLES, MAX_TEST_RATIO, TASKS, Dataset, example_input,
                       make_dataset, train_test_split)

__all__ = [
    "Dataset", "DATASETS", "example_input", "make_dataset", "train_test_split", "parse_csv", "to_csv",
    "csv_columns", "TASKS", "TASK_CHOICES", "MAX_SAMPLES", "MAX_NOISE", "MAX_TEST_RATIO", "MAX_COLUMNS", "MAX_CLASSES",
]
