"""Data files that the engine ships but the repository does not hold, made at build time.

The handwritten digits (1,797 images of 8 × 8 pixels, values 0 to 16, classes 0 to 9) are the
UCI "Optical Recognition of Handwritten Digits" test set as scikit-learn bundles it
(``sklearn/datasets/data/digits.csv.gz``). A pinned scikit-learn wheel is downloaded once (into
the same cache as the site's other downloads, checked by sha256), the table is read from it,
and written as a NumPy ``.npy`` file of uint8 inside ``nn_core``, so it ships in the app's wheel
and the page never fetches it. build.py (any command) and the tests make it when it is missing.
Standard library only.
"""
import csv
import gzip
import io
import sys
import zipfile
from pathlib import Path

from site_builder import ROOT, pypi_files

# Any wheel of this release holds the same data file; this one is pinned by its sha256.
SCIKIT_LEARN = ("1.5.2", "394397841449853c2290a32050382edaec3da89e35b3e03d6cc966aebc6a8ae6")
WHEEL_OPTIONS = ("--only-binary=:all:", "--platform", "manylinux_2_17_x86_64", "--python-version", "3.12",
                 "--implementation", "cp", "--abi", "cp312")
DIGITS_ENTRY = "sklearn/datasets/data/digits.csv.gz"
DIGITS_FILE = ROOT / "nn_core" / "_generated" / "digits.npy"
DIGITS_SHAPE = (1797, 65)  # 64 pixels, row by row, then the digit


def npy_bytes(rows):
    """A version 1.0 ``.npy`` file of uint8 holding ``rows`` (lists of ints 0 to 255), as np.save writes it."""
    header = f"{{'descr': '|u1', 'fortran_order': False, 'shape': ({len(rows)}, {len(rows[0])}), }}"
    header += " " * (63 - (10 + len(header)) % 64) + "\n"  # the data starts at a multiple of 64 bytes
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode("latin1") + bytes(
        value for row in rows for value in row)


def digits_rows(wheel):
    """The 1,797 rows of 65 ints (64 pixels 0..16, then the digit 0..9) from a scikit-learn wheel."""
    with zipfile.ZipFile(wheel) as archive:
        text = gzip.decompress(archive.read(DIGITS_ENTRY)).decode("ascii")
    rows = [[int(float(value)) for value in row] for row in csv.reader(io.StringIO(text)) if row]
    if (len(rows), len(rows[0])) != DIGITS_SHAPE or any(len(row) != DIGITS_SHAPE[1] for row in rows):
        sys.exit(f"build.py: {DIGITS_ENTRY} in {Path(wheel).name} is not a table of {DIGITS_SHAPE[0]} rows "
                 f"of {DIGITS_SHAPE[1]} numbers; check the pinned scikit-learn release.")
    if not all(0 <= value <= 16 for row in rows for value in row[:-1]) or {row[-1] for row in rows} != set(range(10)):
        sys.exit(f"build.py: {DIGITS_ENTRY} holds pixels outside 0..16 or digits outside 0..9.")
    return rows


def ensure_digits(cache, target=DIGITS_FILE):
    """Write the digits file unless it is there, made from the pinned release; returns its path.

    Beside it, ``SOURCE.txt`` names the release it came from: a new pin makes the file again.
    Stops with a message on a failed download.
    """
    version, expected = SCIKIT_LEARN
    source = target.with_name("SOURCE.txt")
    provenance = f"{target.name}: {DIGITS_ENTRY} from scikit-learn {version} (wheel sha256 {expected})\n"
    if not target.exists() or not source.exists() or source.read_text() != provenance:
        wheel = pypi_files(cache / f"scikit-learn-{version}", {"scikit-learn": SCIKIT_LEARN}, *WHEEL_OPTIONS)
        data = npy_bytes(digits_rows(wheel["scikit-learn"]))
        target.parent.mkdir(parents=True, exist_ok=True)
        for path, content in ((target, data), (source, provenance.encode())):
            partial = path.with_name(path.name + ".partial")
            partial.write_bytes(content)
            partial.rename(path)  # never half a file, even if two processes make it at once
    return target

