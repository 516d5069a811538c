"""Choosing the data and the input features by their pictures, as in TF Playground.

Each dataset is a button with a small picture drawn from its own points (classes as colours,
a number to predict as shades, a digit as pixels); each input feature is a button with a
picture of its values over the plane. The pictures are plain SVG made by small pure functions
here, so the page draws them at once and tests read them without a browser.
"""
import numpy as np
import panel as pn
import param
from panel.viewable import Viewer

from nn_core import make_dataset
from nn_core.custom import CUSTOM
from nn_core.features import FEATURES

from .colors import CLASS_COLORS, NEGATIVE, POSITIVE, mix
from .layout import wrapping_row
from .playground import Playground
from .state import OWN_DATA
from .words import label

THUMBNAIL_PIXELS = 44
THUMBNAIL_POINTS = 60  # enough to see the shape, few enough to draw at once
FEATURE_GRID = 10  # cells per side of a feature's picture


def _shade(amount):
    """Orange (−1) through white (0) to blue (+1), as an SVG colour."""
    amount = float(np.clip(amount, -1.0, 1.0))
    return mix(POSITIVE if amount >= 0 else NEGATIVE, abs(amount))


def _svg(body, size=THUMBNAIL_PIXELS, title=""):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
            f'role="img" aria-label="{title}"><rect width="{size}" height="{size}" fill="#fafafa" rx="3"/>'
            f"{body}</svg>")


def point_colors(dataset):
    """One colour per point of ``dataset``: its class, or its target's shade (regression)."""
    if dataset.task == "multiclass":
        return [CLASS_COLORS[index % len(CLASS_COLORS)] for index in dataset.y.argmax(axis=1)]
    if dataset.task == "binary":  # as the decision map: orange for class 0, blue for class 1
        return [POSITIVE if value >= 0.5 else NEGATIVE for value in dataset.y[:, 0]]
    target = dataset.y[:, 0]
    middle, spread = (target.max() + target.min()) / 2, (target.max() - target.min()) / 2 or 1.0
    return [_shade((value - middle) / spread) for value in target]


def dataset_thumbnail(dataset, size=THUMBNAIL_PIXELS):
    """An SVG picture of ``dataset`` (an nn_core Dataset): its first two inputs as a scatter of
    coloured points, or, for images of 64 pixels, its first image."""
    if dataset.X.shape[1] == 64:  # an 8 × 8 image: draw the first one, ink dark
        pixels = dataset.X[0].reshape(8, 8) / max(float(dataset.X.max()), 1e-9)
        cell = size / 8
        rects = "".join(
            f'<rect x="{column * cell:.1f}" y="{row * cell:.1f}" width="{cell:.1f}" height="{cell:.1f}" '
            f'fill="#222" fill-opacity="{pixels[row, column]:.2f}"/>'
            for row in range(8) for column in range(8) if pixels[row, column] > 0.05)
        return _svg(rects, size, label("dataset", dataset.name))
    # A fixed sample of the points: every k-th row would see one class of data whose classes alternate.
    chosen = np.sort(np.random.default_rng(0).permutation(len(dataset.X))[:THUMBNAIL_POINTS])
    every_color = point_colors(dataset)
    X, colors = dataset.X[chosen], [every_color[index] for index in chosen]
    if X.shape[1] == 1:
        X = np.column_stack([X[:, 0], np.zeros(len(X))])
    low, high = X[:, :2].min(axis=0), X[:, :2].max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    margin = size * 0.12
    xs = margin + (X[:, 0] - low[0]) / span[0] * (size - 2 * margin)
    ys = size - margin - (X[:, 1] - low[1]) / span[1] * (size - 2 * margin)
    radius = 4.0 if len(X) < 10 else 1.8
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{color}"/>'
                   for x, y, color in zip(xs, ys, colors))
    return _svg(dots, size, label("dataset", dataset.name))


def feature_thumbnail(name, size=THUMBNAIL_PIXELS):
    """An SVG picture of input feature ``name`` over the plane [-6, 6]²: blue high, orange low."""
    axis = np.linspace(-6, 6, FEATURE_GRID)
    grid_x, grid_y = np.meshgrid(axis, axis[::-1])  # the picture's top row is the largest x2
    values = FEATURES[name](np.column_stack([grid_x.ravel(), grid_y.ravel()]))
    values = values / (np.abs(values).max() or 1.0)
    cell = size / FEATURE_GRID
    rects = "".join(
        f'<rect x="{(index % FEATURE_GRID) * cell:.1f}" y="{(index // FEATURE_GRID) * cell:.1f}" '
        f'width="{cell + 0.2:.1f}" height="{cell + 0.2:.1f}" fill="{_shade(value)}"/>'
        for index, value in enumerate(values))
    return _svg(rects, size, label("features", name))


def _picture_button(svg, text, css_class):
    return pn.widgets.Button(name=text, icon=svg, icon_size=f"{THUMBNAIL_PIXELS}px", css_classes=["picture-button", css_class],
                             button_type="light", margin=(2, 2))


class _PicturePicker(Viewer):
    """A wrapping row of picture buttons, one per name offered; the chosen ones stand out."""

    playground = param.ClassSelector(class_=Playground)
    grid_class = ""  # the row's CSS class, for the page's stylesheets and tests

    def __init__(self, **params):
        super().__init__(**params)
        self._buttons = {}
        self._grid = wrapping_row(css_classes=[self.grid_class])
        self._draw()

    def _show(self, names, chosen, redrawn):
        """Buttons for ``names`` (made once; ``redrawn``'s made again), the ``chosen`` ones outlined."""
        self._buttons.pop(redrawn, None)
        for name in names:
            if name not in self._buttons:
                self._buttons[name] = self._make_button(name)
        for name, button in self._buttons.items():
            button.param.update(button_type="primary" if name in chosen else "light",
                                button_style="outline" if name in chosen else "solid")
        shown = [self._buttons[name] for name in names]
        if self._grid.objects != shown:
            self._grid.objects = shown

    def __panel__(self):
        return self._grid


class DataPicker(_PicturePicker):
    """The datasets as pictures; the one in use stands out. A click picks it (and its preset)."""

    grid_class = "dataset-pictures"

    def _make_button(self, name):
        settings = self.playground.settings
        dataset = settings.own_data if name == OWN_DATA else make_dataset(name, n_samples=200, seed=0)
        button = _picture_button(dataset_thumbnail(dataset), label("dataset", name), f"dataset-{name}")
        button.on_click(lambda event: self.playground.pick_dataset(name))
        return button

    @param.depends("playground.choices", "playground.structure", watch=True)
    def _draw(self):
        """One button per offered dataset (the learner's own data and code join the choices)."""
        settings = self.playground.settings
        # The learner's table changes: its picture is drawn again each time.
        self._show(list(settings.param.dataset.objects), {settings.dataset}, redrawn=OWN_DATA)


class FeaturePicker(_PicturePicker):
    """Input features as pictures of their values; the chosen ones feed the network."""

    grid_class = "feature-pictures"

    def _make_button(self, name):
        try:
            picture = feature_thumbnail(name)
        except Exception:  # the learner's own feature may fail on the plane: its name still shows
            picture = _svg("", title=label("features", name))
        button = _picture_button(picture, label("features", name), "feature-button")
        button.on_click(lambda event: self._toggle(name))
        return button

    def _toggle(self, name):
        settings = self.playground.settings
        chosen = set(settings.features) ^ {name}
        settings.features = [other for other in settings.param.features.objects if other in chosen]

    @param.depends("playground.choices", "playground.settings.features", watch=True)
    def _draw(self):
        settings = self.playground.settings
        # The learner's code may have changed: its picture is drawn again each time.
        self._show(list(settings.param.features.objects), set(settings.features), redrawn=CUSTOM)
