"""The Digits tab: what the first layer looks for, and a pad to draw a digit for the network to read.

Each hidden neuron of the first layer has one weight per pixel, so its 64 weights are a picture
(blue where ink raises its sum, orange where ink lowers it). On the pad the mouse inks an 8 × 8
grid the way the training images were made (``nn_core.images.strokes_to_grid``); the drawing is
then centred and sized like them, and the network's ten probabilities are drawn as bars. Under
them, one held-out image of each digit shows what the network reads. The figures are built
once; ticks only swap their data, a few times a second while playing.
"""
import html

import numpy as np
import panel as pn
import param
from panel.viewable import Viewer
from bokeh.events import Pan, PanStart, Tap
from bokeh.models import ColumnDataSource, FactorRange, LinearColorMapper, Range1d
from bokeh.plotting import figure

from nn_core.images import SIDE, strokes_to_grid, weight_images

from .colors import NEGATIVE, POSITIVE, diverging_palette
from .layout import wrapping_row
from .playground import Playground
from .throttle import Throttle

DATASET = "digits"
TILES_PER_ROW = 8
TILE_STEP = SIDE + 2  # a weight image and the gap beside it, in pixels of the image
TILE_PIXELS = 7  # screen pixels per image pixel
EXAMPLE_PIXELS = 5
PAD_PIXELS = 240
MIN_STEP = 0.08  # pad units between two kept points of a stroke: a slow mouse sends many
DIGIT_NAMES = [str(digit) for digit in range(10)]
INK = ["#ffffff", "#222222"]  # pad cells: white paper to dark ink
EMPTY_PREDICTION = "Draw a digit on the grid: press the mouse and drag."


def tile_positions(n_tiles, per_row=TILES_PER_ROW):
    """Bottom-left x and y of each weight image, row by row from the top; and the figure's (width, height)
    in image pixels."""
    n_rows = max(1, -(-n_tiles // per_row))
    index = np.arange(n_tiles)
    x = (index % per_row) * TILE_STEP + 1.0
    y = (n_rows - 1 - index // per_row) * TILE_STEP + 2.0  # room below each row for its label
    return x, y, (min(n_tiles, per_row) * TILE_STEP or TILE_STEP, n_rows * TILE_STEP)


def learns_digits(experiment):
    """True when ``experiment`` learns the digits (edited or not) with 64 pixel inputs: then the
    pad asks the network, not typed numbers."""
    return experiment.dataset.name.startswith(DATASET) and experiment.network.n_inputs == SIDE * SIDE


def bar_colors(probabilities):
    """The most likely digit's bar in blue, the others grey."""
    colors = np.full(len(probabilities), "#b0b0b0", dtype=object)
    if len(probabilities) and np.max(probabilities) > 0:
        colors[int(np.argmax(probabilities))] = POSITIVE
    return colors.tolist()


class DigitsPanel(Viewer):
    """Weight images of the first layer, a drawing pad, and the network's reading of the drawing."""

    playground = param.ClassSelector(class_=Playground, doc="The store whose digits network is drawn.")

    def __init__(self, **params):
        super().__init__(**params)
        self.throttle = Throttle()
        self.strokes = []  # each a list of (x, y) points on the pad
        self.weights = ColumnDataSource(data={"image": [], "x": [], "y": [], "label_y": [], "label": []},
                                        name="weight-images")
        self.cells = ColumnDataSource(data={"image": [np.zeros((SIDE, SIDE))]}, name="digit-cells")
        self.lines = ColumnDataSource(data={"xs": [], "ys": []}, name="digit-strokes")
        self.seen = ColumnDataSource(data={"image": [np.zeros((SIDE, SIDE))]}, name="digit-seen")
        self.probabilities = ColumnDataSource(
            data={"digit": DIGIT_NAMES, "probability": [0.0] * 10, "color": bar_colors(np.zeros(10))},
            name="digit-probabilities")
        self.examples = ColumnDataSource(data={"image": [], "x": [], "y": [], "label_y": [], "label": [], "color": []},
                                         name="digit-examples")
        self.weight_mapper = LinearColorMapper(palette=diverging_palette(), low=-1.0, high=1.0)
        self.weights_figure = self._weights_figure()
        self.examples_figure = self._tiles_figure(self.examples, "digit-examples-figure",
                                                  LinearColorMapper(palette=INK, low=0.0, high=1.0), EXAMPLE_PIXELS)
        self.pad = self._pad()
        self.bars = self._bars()
        self.seen_figure = self._image_figure(self.seen, "digit-seen-figure", 96)
        self.prediction = pn.pane.HTML(EMPTY_PREDICTION, css_classes=["digit-prediction"], sizing_mode="stretch_width")
        self.clear_button = pn.widgets.Button(name="Clear", width=90, css_classes=["digits-clear"])
        self.clear_button.on_click(lambda event: self.clear())
        self.use_button = pn.widgets.Button(name="Train on the digits", button_type="primary", width=200,
                                            css_classes=["digits-use"])
        self.use_button.on_click(lambda event: setattr(self.playground.settings, "dataset", DATASET))
        self.note = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["digits-note"])
        self.examples_title = pn.pane.HTML("<b>Held-out images</b>, one of each digit, and what the network reads "
                                           f"(<span style='color:{NEGATIVE}'>orange</span> when it is wrong):",
                                           sizing_mode="stretch_width")
        self.rebuild()

    # ----- figures ------------------------------------------------------------------------
    def _weights_figure(self):
        return self._tiles_figure(self.weights, "weight-images-figure", self.weight_mapper, TILE_PIXELS)

    @staticmethod
    def _tiles_figure(source, name, color_mapper, pixels):
        """A figure of 8 × 8 images side by side (``tile_positions``), each with a label under it."""
        fig = figure(toolbar_location=None, tools="", x_range=Range1d(0, TILE_STEP), y_range=Range1d(0, TILE_STEP),
                     min_border=0, outline_line_color=None, name=name, width=TILE_STEP * pixels,
                     height=TILE_STEP * pixels)
        fig.axis.visible = False
        fig.grid.visible = False
        fig.image(image="image", x="x", y="y", dw=SIDE, dh=SIDE, source=source, color_mapper=color_mapper)
        color = "color" if "color" in source.data else "#555555"
        fig.text(x="x", y="label_y", text="label", source=source, text_font_size="10px", text_color=color)
        return fig

    @staticmethod
    def _fit(fig, n_tiles, per_row, pixels):
        """Size a tiles figure for ``n_tiles`` images; returns their x and y."""
        x, y, (width, height) = tile_positions(n_tiles, per_row)
        fig.x_range.update(start=0, end=width)
        fig.y_range.update(start=0, end=height)
        fig.width, fig.height = width * pixels, height * pixels
        return x, y

    @staticmethod
    def _image_figure(source, name, pixels, palette=INK):
        """A square figure of one 8 × 8 image from ``source``, ink from 0 (white) to 1 (dark)."""
        fig = figure(width=pixels, height=pixels, toolbar_location=None, tools="", x_range=Range1d(0, SIDE),
                     y_range=Range1d(0, SIDE), min_border=2, name=name)
        fig.axis.visible = False
        fig.grid.visible = False
        fig.image(image="image", x=0, y=0, dw=SIDE, dh=SIDE, source=source,
                  color_mapper=LinearColorMapper(palette=palette, low=0.0, high=1.0))
        return fig

    def _pad(self):
        fig = self._image_figure(self.cells, "digit-pad", PAD_PIXELS)
        fig.multi_line(xs="xs", ys="ys", source=self.lines, line_color=NEGATIVE, line_width=2, line_alpha=0.8)
        # Grid lines at every pixel edge, fixed ranges: nothing moves when the mouse drags.
        fig.grid.visible = True
        fig.grid.ticker = list(range(SIDE + 1))
        fig.grid.grid_line_color = "#dddddd"
        fig.on_event(PanStart, lambda event: self.draw(event.x, event.y, new_stroke=True))
        fig.on_event(Pan, lambda event: self.draw(event.x, event.y))
        fig.on_event(Tap, lambda event: self.draw(event.x, event.y, new_stroke=True))
        return fig

    def _bars(self):
        fig = figure(x_range=FactorRange(*DIGIT_NAMES), y_range=Range1d(0, 1), width=260, height=170,
                     toolbar_location=None, tools="", name="digit-bars", title="Probability of each digit")
        fig.vbar(x="digit", top="probability", width=0.8, color="color", source=self.probabilities)
        fig.yaxis.ticker = [0, 0.5, 1]
        fig.xgrid.visible = False
        return fig

    # ----- drawing ------------------------------------------------------------------------
    def draw(self, x, y, new_stroke=False):
        """Ink the pad at (x, y) in pad units: a new stroke, or the current one continued."""
        if x is None or y is None or not self.is_usable():
            return
        point = (min(max(float(x), 0.0), SIDE), min(max(float(y), 0.0), SIDE))
        if new_stroke or not self.strokes:
            self.strokes.append([point])
        elif np.hypot(point[0] - self.strokes[-1][-1][0], point[1] - self.strokes[-1][-1][1]) >= MIN_STEP:
            self.strokes[-1].append(point)
        else:
            return
        self._show_drawing()

    def draw_grid(self, grid):
        """Ink each pixel of ``grid`` (8 × 8, row 0 at the top, values 0 to 1) as a dot of its own."""
        rows, columns = np.nonzero(np.asarray(grid) > 0)
        self.strokes = [[(column + 0.5, SIDE - row - 0.5)] for row, column in zip(rows, columns)]
        self._show_drawing()

    def clear(self):
        self.strokes = []
        self._show_drawing()

    def _show_drawing(self):
        self.cells.data = {"image": [np.flipud(strokes_to_grid(self.strokes))]}  # Bokeh draws row 0 at the bottom
        self.lines.data = {"xs": [[p[0] for p in stroke] for stroke in self.strokes],
                           "ys": [[p[1] for p in stroke] for stroke in self.strokes]}
        self._predict()

    def _predict(self):
        """The network's reading of the drawing, centred and sized like the training digits."""
        seen = strokes_to_grid(self.strokes, fit=True)  # (8, 8), row 0 at the top
        self.seen.data = {"image": [np.flipud(seen)]}
        if not self.strokes or not self.is_usable():
            probabilities = np.zeros(10)
            self.prediction.object = EMPTY_PREDICTION
        else:
            probabilities = self.playground.experiment.predict(seen.reshape(1, SIDE * SIDE))[0]  # (10,)
            digit = int(np.argmax(probabilities))
            self.prediction.object = (f"The network reads a <b class='digit'>{digit}</b> "
                                      f"({html.escape(f'{probabilities[digit]:.0%}')} sure).")
        self.probabilities.data.update(probability=probabilities, color=bar_colors(probabilities))

    # ----- following the playground ---------------------------------------------------------
    def is_usable(self):
        """True when the playground learns the digits: the pad and the images need 64 pixel inputs."""
        return learns_digits(self.playground.experiment)

    @param.depends("playground.structure", watch=True)
    def rebuild(self):
        """A new network: as many weight images as its first layer has neurons; the drawing stays."""
        self.throttle.force()
        usable = self.is_usable()
        for part in (self.weights_figure, self.pad, self.bars, self.seen_figure, self.clear_button, self.prediction,
                     self.examples_figure, self.examples_title):
            part.visible = usable
        self.use_button.visible = not usable
        if not usable:
            self.note.object = ("Handwritten digits, 8 × 8 pixels: train on them to see what the first layer "
                                "looks for, then draw a digit for the network to read.")
            return
        sizes = self.playground.experiment.network.config.layer_sizes
        n_tiles = sizes[1]
        x, y = self._fit(self.weights_figure, n_tiles, TILES_PER_ROW, TILE_PIXELS)
        names = ([f"hidden {j + 1}" for j in range(n_tiles)] if len(sizes) > 2
                 else list(self.playground.experiment.dataset.target_names))
        self._tiles = {"x": x, "y": y, "label_y": y - 1.6, "label": names}
        # One held-out image of each digit (training ones if nothing is held out), to see what it gets wrong.
        held_out = self.playground.experiment.test_set
        rows = held_out if len(held_out.X) else self.playground.experiment.train_set
        labels = rows.y.argmax(axis=1)
        found = [np.flatnonzero(labels == digit) for digit in range(rows.y.shape[1])]
        picked = [indices[0] for indices in found if len(indices)]
        x, y = self._fit(self.examples_figure, len(picked), len(picked), EXAMPLE_PIXELS)
        self._examples = (rows.X[picked], labels[picked],
                          {"x": x, "y": y, "label_y": y - 1.6,
                           "image": [np.flipud(image.reshape(SIDE, SIDE)) for image in rows.X[picked]]})
        self.note.object = ("<b>What each neuron of the first layer looks for</b>: its 64 weights as a picture, "
                            f"<span style='color:{POSITIVE}'>blue</span> where ink adds to its sum, "
                            f"<span style='color:{NEGATIVE}'>orange</span> where ink takes away.")
        self.update()

    @param.depends("playground.tick", watch=True)
    def update(self):
        """New weight images and a new reading of the drawing (a few times a second while playing)."""
        if not self.is_usable() or not self.throttle.due(self.playground.is_running):
            return
        W = self.playground.experiment.network.weights[0]  # (64, n_neurons)
        # One symmetric scale for all images (white is 0), saturated by the few largest weights.
        limit = float(np.quantile(np.abs(W), 0.98)) or 1.0
        self.weight_mapper.update(low=-limit, high=limit)
        self.weights.data = {"image": [np.flipud(image) for image in weight_images(W)], **self._tiles}
        X, labels, tiles = self._examples
        read = self.playground.experiment.predict(X).argmax(axis=1)  # (n_examples,)
        self.examples.data = {**tiles, "label": [f"read {digit}" for digit in read],
                              "color": np.where(read == labels, "#555555", NEGATIVE).tolist()}
        self._predict()

    def __panel__(self):
        drawing = pn.Column(pn.pane.HTML("<b>Draw a digit</b>", margin=(0, 5)), self.pad, self.clear_button)
        reading = pn.Column(self.prediction, self.bars,
                            pn.Row(pn.pane.HTML("What the network is given:", width=100), self.seen_figure))
        # The three parts wrap under each other on a phone.
        return pn.Column(self.note, self.use_button, wrapping_row(self.weights_figure, drawing, reading),
                         self.examples_title, self.examples_figure, sizing_mode="stretch_width", css_classes=["digits"])
