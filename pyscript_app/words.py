"""The words a learner reads: a label for every setting and for every name nn_core uses.

Settings store nn_core's names ("three_clouds", "binary_cross_entropy"), so links and the
engine stay exact; menus, buttons and headings show these labels instead. Every choice a
menu can offer has a label here (a test walks them all), and a name without one reads as
itself with its underscores turned into spaces.
"""
from nn_core.custom import CUSTOM

# What each control is called on the page.
SETTING_LABELS = {
    "lesson": "Lesson", "dataset": "Data", "features": "Input features", "n_samples": "Points",
    "noise": "Noise", "test_ratio": "Test share", "activation": "Activation", "loss": "Loss",
    "learning_rate": "Learning rate", "use_bias": "Biases", "batch_size": "Batch size (0 = all)",
    "sum_gradients": "Add up gradients (as the tutorial)", "optimizer": "Optimizer",
    "regularization": "Regularization", "regularization_rate": "Regularization rate",
    "init": "Starting weights", "seed": "Seed", "speed": "Speed",
    "stop_epoch": "Pause at epoch (0 = never)", "target_loss": "Pause at loss (0 = never)",
    "hidden_sizes": "Hidden layers",
}

CHOICE_LABELS = {
    "dataset": {
        "exam": "Exam scores", "circle": "Circle", "xor": "XOR", "gaussians": "Two clouds",
        "spiral": "Spiral", "three_clouds": "Three clouds", "plane": "Tilted plane",
        "gaussian_bump": "Hills and dips", "digits": "Digits", "csv": "Your data", CUSTOM: "Your Python data",
    },
    "activation": {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "ReLU", "linear": "Linear (none)",
                   CUSTOM: "Your Python"},
    "loss": {"mse": "Squared error", "binary_cross_entropy": "Cross-entropy (2 classes)",
             "cross_entropy": "Cross-entropy", CUSTOM: "Your Python"},
    "optimizer": {"sgd": "Stochastic gradient descent", "momentum": "Momentum", "adam": "Adam"},
    "init": {"normal": "Normal (the tutorial's)", "glorot": "Glorot (Xavier)", "he": "He", "zeros": "All zero"},
    "regularization": {"none": "None", "l1": "L1 (pulls weights to 0)", "l2": "L2 (keeps weights small)"},
    "features": {"x1": "x₁", "x2": "x₂", "x1²": "x₁²", "x2²": "x₂²", "x1·x2": "x₁x₂", "sin x1": "sin x₁",
                 "sin x2": "sin x₂", CUSTOM: "Your Python"},
    "speed": {"1 epoch": "1 epoch a frame", "10 epochs": "10 epochs a frame", "100 epochs": "100 epochs a frame",
              "fast": "As fast as it goes"},
}

# The heading and one line for each dataset: what the learner is looking at.
DATASET_STORIES = {
    "exam": ("Hours studied and slept → test score",
             "The tutorial's data: three students. Press Step and watch each synapse follow its weight "
             "and the loss fall."),
    "circle": ("Inside or outside the circle?", "Two classes of points: a disc inside a ring."),
    "xor": ("XOR: same sign or opposite?", "Blue where x₁ and x₂ have the same sign, orange where not."),
    "gaussians": ("Two clouds", "Two round clouds of points, one for each class."),
    "spiral": ("Two spirals", "Two interleaved spirals: the hardest of the point problems."),
    "three_clouds": ("Three clouds", "Three classes: the output layer gives a probability for each."),
    "plane": ("A tilted plane", "A number to predict: it rises evenly from one corner to the other."),
    "gaussian_bump": ("Hills and dips", "A number to predict: three hills and three dips on a flat plain."),
    "digits": ("Handwritten digits", "1,797 images of 8 × 8 pixels: which digit is it?"),
    "csv": ("Your data", "The table you gave, in your browser only."),
    CUSTOM: ("Your Python data", "Points made by the generator you wrote under Your Python."),
}


def label(kind, name):
    """The words for nn_core's ``name`` of a ``kind`` of choice ("activation", "tanh" → "Tanh")."""
    return CHOICE_LABELS.get(kind, {}).get(name) or str(name).replace("_", " ")


def labelled(kind, names):
    """``{label: name}`` for a menu that shows labels and stores names, in the order given."""
    return {label(kind, name): name for name in names}
