"""Small images: the handwritten digits, the first layer's weights as pictures, and drawings.

The digits are the UCI "Optical Recognition of Handwritten Digits" set as scikit-learn ships
it: 1,797 images of 8 × 8 pixels. Each pixel counts the ink in a 4 × 4 block of a 32 × 32
bitmap (0 to 16); the dataset divides by 16, so a pixel is the share of its block that is
inked, 0 to 1. The table is made at build time (``generated_data.py``) and read from
``_generated/digits.npy``. A drawing becomes an input the same way: strokes are inked into a
32 × 32 bitmap and counted in blocks of 4 × 4. Images are row by row, row 0 at the top.
Imports nothing but NumPy and the standard library.
"""
from pathlib import Path

import numpy as np

SIDE = 8  # pixels per row and column of a digit
FINE = 32  # the bitmap each pixel's 4 × 4 block is counted on
TRAINING_WIDTH = 5.6  # pixels: how wide the ink of a training digit is on average (each is 8 high)
DIGITS_FILE = Path(__file__).resolve().parent / "_generated" / "digits.npy"
_digits = []  # the table once read: (1797, 65) uint8, 64 pixels then the digit


def digits_table():
    """The digits as stored: an array of shape (1797, 65) of uint8, 64 pixels 0..16 row by row, then the digit.

    Raises ValueError when the file was never made (a checkout that was not built).
    """
    if not _digits:
        if not DIGITS_FILE.exists():
            raise ValueError(f"the digits data ({DIGITS_FILE.name}) has not been made yet; run "
                             "`python3 build.py` (or `pytest`), which makes it from a pinned scikit-learn release.")
        _digits.append(np.load(DIGITS_FILE, allow_pickle=False))
    return _digits[0]


def weight_images(W):
    """Each neuron's incoming weights from an 8 × 8 image, as an image.

    W : ndarray of shape (64, n_neurons), the first layer's weights.
    Returns an ndarray of shape (n_neurons, 8, 8); row 0 is the top row of the digit.
    """
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or W.shape[0] != SIDE * SIDE:
        raise ValueError(f"weight images need a first layer with {SIDE * SIDE} inputs, got weights of shape {W.shape}.")
    return W.T.reshape(-1, SIDE, SIDE)


def _distance_to_segments(points, starts, ends):
    """Distance from every point (n_points, 2) to the nearest segment from starts to ends (n_segments, 2)."""
    direction = ends - starts  # (n_segments, 2)
    length = np.maximum((direction * direction).sum(axis=1), 1e-12)
    relative = points[:, None, :] - starts[None, :, :]  # (n_points, n_segments, 2)
    along = np.clip((relative * direction).sum(axis=2) / length, 0.0, 1.0)
    nearest = starts[None, :, :] + along[:, :, None] * direction[None, :, :]
    return np.sqrt(((points[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)


def strokes_to_grid(strokes, pen=0.6, fit=False):
    """Inked strokes on the 8 × 8 pad as the share of ink in each pixel, like the training images.

    strokes : list of arrays of shape (n_points, 2), points (x, y) on the pad: x from 0 (left)
        to 8, y from 0 (bottom) to 8. A stroke of one point is a dot.
    pen : float, the pen's radius in pixels; 0.6 inks as much as the training digits hold.
    fit : bool, first move the drawing to the middle and scale it to the size of the training
        digits (they fill the height of the box and most of its width); drawings are rarely as
        big or as centred.
    Returns an ndarray of shape (8, 8) with values from 0 to 1; row 0 is the top.
    """
    strokes = [np.asarray(stroke, dtype=float).reshape(-1, 2) for stroke in strokes]
    strokes = [stroke for stroke in strokes if len(stroke)]
    if not strokes:
        return np.zeros((SIDE, SIDE))
    if fit:
        every = np.vstack(strokes)
        low, high = every.min(axis=0), every.max(axis=0)
        width, height = np.maximum(high - low, 1e-9)
        room = SIDE - 2 * pen - 0.2  # the stroke's centre line may go this far: the pen's ink must fit too
        scale = room / max(width, height, 2.0)  # a dot or a dash is not blown up to fill the box
        # The training digits fill the height and are about TRAINING_WIDTH pixels wide, even a 1:
        # a narrow drawing is widened, up to 2.5 times as much as it grows in height.
        scale_x = min(max(scale, (TRAINING_WIDTH - 2 * pen) / width), 2.5 * scale, room / width)
        strokes = [(stroke - (low + high) / 2.0) * (scale_x, scale) + SIDE / 2.0 for stroke in strokes]
    starts = np.vstack([stroke[:-1] if len(stroke) > 1 else stroke for stroke in strokes])
    ends = np.vstack([stroke[1:] if len(stroke) > 1 else stroke for stroke in strokes])
    centres = (np.arange(FINE) + 0.5) * SIDE / FINE  # fine pixel centres in pad units
    x, y = np.meshgrid(centres, centres[::-1])  # row 0 at the top: the largest y
    inked = _distance_to_segments(np.column_stack([x.ravel(), y.ravel()]), starts, ends) <= pen
    block = FINE // SIDE
    return inked.reshape(SIDE, block, SIDE, block).mean(axis=(1, 3))  # share of each 4 × 4 block
