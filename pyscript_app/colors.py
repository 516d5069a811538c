"""The page's colours and the small keys that say what they mean.

Blue is positive (and class 1), orange negative (and class 0): a pair that red-green colour-blind
eyes tell apart, as TF Playground chose. A third class is wine red, which stays apart from both
under deuteranopia and protanopia (tests/test_colors.py simulates both and measures the
distance). Each key is a few lines of HTML that a layout places beside its picture.
"""
import html

import numpy as np

POSITIVE = "#0877bd"
NEGATIVE = "#e8710a"

# One colour per class. The first three stay apart for red-green colour-blind eyes (Paul Tol's
# "wine" for the third); the rest follow Okabe and Ito's colour-blind-safe set.
CLASS_COLORS = ["#0877bd", "#e8710a", "#882255", "#009e73", "#56b4e9", "#f0e442", "#cc79a7", "#555555", "#8c564b",
                "#17becf"]


def mix(color, amount):
    """``color`` ("#rrggbb") blended with white: amount 0 is white, 1 the full colour."""
    rgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
    mixed = np.round(255 + (rgb - 255) * amount).astype(int)
    return "#{:02x}{:02x}{:02x}".format(*mixed)


def diverging_palette(steps=128):
    """Orange (low) through white (middle) to blue (high): ``2 * steps`` colours for maps and images."""
    return ([mix(NEGATIVE, 1 - i / (steps - 1)) for i in range(steps)]
            + [mix(POSITIVE, i / (steps - 1)) for i in range(steps)])


def value_colors(values, scale=1.0):
    """A neuron's fill: white at 0, deeper blue for positive values, deeper orange for negative ones."""
    amounts = np.clip(np.abs(np.asarray(values, dtype=float)) / scale, 0.0, 1.0)
    return [mix(POSITIVE if v >= 0 else NEGATIVE, 0.15 + 0.85 * a) for v, a in zip(values, amounts)]


def edge_colors(weights):
    """Blue for a positive weight, orange for a negative one, synapse by synapse in weight order."""
    flat = np.concatenate([W.ravel() for W in weights])
    return np.where(flat >= 0.0, POSITIVE, NEGATIVE).tolist()


def class_name(target_name, index):
    """How a class reads in a key: "class=2" → "class 2"; a one-column target "class" → "class 0/1"."""
    if "=" in target_name:
        return target_name.replace("=", " ", 1)
    return f"{target_name} {index}"


# ----- keys ---------------------------------------------------------------------------------
def _gradient_bar(width=70):
    """A small bar from orange through white to blue."""
    return (f"<span class='key-bar' style='display:inline-block;width:{width}px;height:10px;vertical-align:middle;"
            f"border:1px solid #999;background:linear-gradient(90deg,{NEGATIVE},#ffffff,{POSITIVE})'></span>")


def _line(color, width):
    return (f"<svg width='26' height='12' aria-hidden='true'><line x1='1' y1='6' x2='25' y2='6' stroke='{color}' "
            f"stroke-width='{width}'/></svg>")


def _item(*parts):
    """One entry of a key, a little apart from the next; it wraps only on a screen narrower than itself."""
    return (f"<span class='key-item' style='display:inline-block;max-width:100%;margin-right:14px'>"
            f"{' '.join(parts)}</span>")


def graph_key(with_maps):
    """What the network's colours and widths mean; ``with_maps`` adds the maps drawn inside neurons."""
    items = [
        _item(_line(POSITIVE, 3), "positive weight"),
        _item(_line(NEGATIVE, 3), "negative weight"),
        _item(_line("#777777", 1), _line("#777777", 5), "thicker: a bigger weight, + or −"),
        _item("neuron's output for the chosen sample:", "−1", _gradient_bar(), "+1"),
    ]
    if with_maps:
        items.append(_item("inside a neuron: its output over the whole input plane (the map's axes)"))
    return "<div class='graph-key'>" + "".join(items) + "</div>"


def swatch(color):
    return (f"<svg width='12' height='12' aria-hidden='true'><rect width='12' height='12' fill='{color}' "
            "stroke='#999'/></svg>")


def map_key(kind, low="", high="", names=(), what=""):
    """What the decision map's colours mean.

    kind : "classes" (one colour per name in ``names``), "binary" (orange ``low`` → blue ``high``,
        white halfway) or "values" (the same bar from ``low`` to ``high``, e.g. in original units).
    what : a few words on what is mapped, shown first.
    """
    items = [_item(html.escape(what))] if what else []
    if kind == "classes":
        items += [_item(swatch(color), html.escape(name)) for color, name in zip(CLASS_COLORS, names)]
    else:
        items.append(_item(html.escape(str(low)), _gradient_bar(90), html.escape(str(high))))
    items.append(_item("● training point", "▲ test point"))
    return "<div class='map-key'>" + "".join(items) + "</div>"
