"""Lessons: linkable presets, each with a few sentences shown beside the network.

A lesson is a set of link settings (the same ones the address carries) and a text. Picking
one applies its settings; ``?lesson=bias`` in a link opens it.
"""
LESSONS = {
    "tutorial": (
        "The tutorial's network",
        {"dataset": "exam"},
        "Hours studied and slept in, test score out: 2 inputs, 3 sigmoid neurons, 1 output, no biases, "
        "and the whole data set in every step. Press <b>Step</b> and watch the loss fall; after 100,000 "
        "epochs it is below 1e-9. The prediction panel shows why the tutorial's own scaling of the new "
        "input gives a different score.",
    ),
    "bias": (
        "Why biases matter",
        {"dataset": "circle", "use_bias": "0"},
        "Without biases, a tanh network answers the point (−x1, −x2) with the opposite of what it says for "
        "(x1, x2). On the circle, both points belong to the same class, so accuracy cannot rise above a coin "
        "toss. Press Play, then tick <b>Biases</b> and play again.",
    ),
    "learning-rate": (
        "A learning rate too high",
        {"dataset": "plane", "learning_rate": "3"},
        "Each step moves every weight by learning rate × gradient. At 3 the steps overshoot so far that the "
        "loss explodes in the very first epoch and training stops; the loss chart marks where. Lower the "
        "learning rate to 0.3, as the message says, press <b>Reset</b> and play again: now the loss falls.",
    ),
    "xor": (
        "XOR needs a hidden layer",
        {"dataset": "xor", "hidden_sizes": ""},
        "With no hidden layer the network draws one straight line, and no straight line separates the "
        "four corners of XOR. Press Play and watch accuracy stall near 50 %; then add a layer with "
        "<b>+ layer</b> and play again.",
    ),
    "spiral": (
        "The spiral needs depth",
        {"dataset": "spiral"},
        "Two small layers cannot follow two interleaved spirals. Add layers and neurons (try 8, 8, 8, 8), "
        "play, and watch the decision map curl.",
    ),
    "importance": (
        "Which input matters most?",
        {"dataset": "exam", "hidden_sizes": "4", "use_bias": "1", "sum_gradients": "0", "learning_rate": "0.5"},
        "Train for a while, then read the importance below: how much the loss grows when one input's "
        "column is shuffled (the network's reliance on it), and how much weight flows from it.",
    ),
}
