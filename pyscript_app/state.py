"""Every setting of the playground, in one param object: a default, bounds and a doc each.

Choices are stored by the names nn_core uses ("tanh", "circle"), so the settings read well
and can later go into a link. Results (weights, losses) are not settings and live in the
Playground. Each dataset has a preset: picking the exam data brings back the tutorial's
network, the digits nn_core's DIGITS_SETTINGS, another TF Playground's defaults for its kind
of task. The learner's own data (a CSV) is the dataset "csv": a link may name it but never carries the data.
"""
import param

from nn_core import DATASETS, HIDDEN_ACTIVATIONS, INITIALIZERS, OPTIMIZERS, Experiment, make_dataset
from nn_core.custom import CUSTOM, is_registered
from nn_core.features import FEATURES
from nn_core.losses import TASKS  # the losses offered per task, the first for a new network
from nn_core.experiment import DIGITS_SETTINGS, TUTORIAL_SETTINGS, dataset_settings, own_data_settings, suggested_settings

from .lessons import LESSONS
from .words import labelled

# What one page can draw and train smoothly.
MAX_HIDDEN_LAYERS = 8
MAX_NEURONS_PER_LAYER = 16

LOSSES_FOR_TASK = {task: list(record.losses) for task, record in TASKS.items()}

_TASKS = {}

# Settings that may name the learner's own code, and the kind of code each names.
CUSTOM_SETTINGS = {"dataset": "dataset", "activation": "activation", "layer_activations": "activation",
                   "loss": "loss", "features": "feature"}
# The dataset name of the learner's own data, offered once there is some.
OWN_DATA = "csv"


def loss_choices(task):
    """The losses offered for a task: those that suit it, and the learner's own if there is one."""
    return LOSSES_FOR_TASK[task] + ([CUSTOM] if is_registered("loss") else [])

# Share of the data held out to test, by dataset: the exam's three students are all trained on.
TEST_RATIOS = {"exam": 0.0, "digits": 0.2}
DEFAULT_TEST_RATIO = 0.5

# Settings that change how training goes on, without new starting weights.
TRAINING_SETTINGS = ("learning_rate", "optimizer", "batch_size", "sum_gradients",
                     "regularization", "regularization_rate")


class PlaygroundState(param.Parameterized):
    # Number settings allow None: a learner may clear a box. The Playground then says what
    # is missing and keeps the last good network instead of the page raising an error.
    lesson = param.Selector(default="", objects=["", *LESSONS], doc="A lesson: its settings and a few sentences.")
    dataset = param.Selector(default="exam", objects=labelled("dataset", DATASETS), doc="Which data the network learns.")
    n_samples = param.Integer(200, allow_None=True, bounds=(10, 1000), doc="Points in generated datasets (not the exam data).")
    noise = param.Number(0.0, allow_None=True, bounds=(0.0, 0.5), step=0.05, doc="Noise of generated datasets.")
    test_ratio = param.Number(0.0, allow_None=True, bounds=(0.0, 0.9), step=0.1, doc="Share of the data held out to test.")
    features = param.ListSelector(default=[], objects=labelled("features", FEATURES), doc="Input features; none: the raw inputs.")
    hidden_sizes = param.List([3], item_type=int, doc="Neurons in each hidden layer.")
    activation = param.Selector(default="sigmoid", objects=labelled("activation", HIDDEN_ACTIVATIONS), doc="Activation of hidden layers.")
    layer_activations = param.List([], item_type=str, doc="Per hidden layer: its own activation, or '' for the above.")
    loss = param.Selector(default="mse", objects=labelled("loss", ["mse"]), doc="What training minimises.")
    learning_rate = param.Number(1.0, allow_None=True, bounds=(1e-4, 10.0), step=0.01, doc="Step size of gradient descent.")
    use_bias = param.Boolean(False, doc="Give every neuron a bias (the tutorial has none).")
    batch_size = param.Integer(0, allow_None=True, bounds=(0, 1000), doc="Samples per update; 0 means all of them.")
    sum_gradients = param.Boolean(True, doc="Add up the samples' gradients, as the tutorial does, instead of averaging.")
    optimizer = param.Selector(default="sgd", objects=labelled("optimizer", OPTIMIZERS), doc="How gradients become updates.")
    regularization = param.Selector(default="none", objects=labelled("regularization", ["none", "l1", "l2"]), doc="Penalty on large weights.")
    regularization_rate = param.Number(0.0, allow_None=True, bounds=(0.0, 1.0), step=0.001, doc="Strength of the penalty.")
    init = param.Selector(default="normal", objects=labelled("init", INITIALIZERS), doc="How starting weights are drawn.")
    seed = param.Integer(0, allow_None=True, bounds=(0, 2**32 - 1), doc="Same seed, same starting weights and data.")
    stop_epoch = param.Integer(0, allow_None=True, bounds=(0, 10_000_000), doc="Pause at this epoch; 0 never.")
    target_loss = param.Number(0.0, allow_None=True, bounds=(0.0, 10.0), doc="Pause once the loss is this low; 0 never.")
    hidden_controls = param.ListSelector(default=[], objects=[], doc="Controls a teacher has hidden.")
    speed = param.Selector(default="fast", objects=labelled("speed", ["1 epoch", "10 epochs", "100 epochs", "fast"]),
                           doc="Epochs per frame while playing; fast trains for 25 ms per frame.")

    def __init__(self, **params):
        super().__init__(**params)
        self.own_data = None  # the learner's own Dataset (dataset "csv"): not a setting, never in a link

    def task(self):
        """"regression", "binary" or "multiclass": what the current dataset asks for."""
        if self.dataset == CUSTOM:  # the learner's code may change; ask it every time
            return make_dataset(CUSTOM, n_samples=10).task
        if self.dataset == OWN_DATA:
            return self.own_data.task
        if self.dataset not in _TASKS:
            _TASKS[self.dataset] = make_dataset(self.dataset, n_samples=10).task
        return _TASKS[self.dataset]

    def refresh_choices(self):
        """Offer what nn_core has now: the learner's own code adds "custom" to its kind's choices,
        the learner's own data "csv" to the datasets."""
        self.param.dataset.objects = labelled("dataset", [*DATASETS, *([OWN_DATA] if self.own_data is not None else [])])
        self.param.activation.objects = labelled("activation", HIDDEN_ACTIVATIONS)
        self.param.features.objects = labelled("features", FEATURES)
        self.param.loss.objects = labelled("loss", loss_choices(self.task()))

    def use_own_data(self, dataset):
        """Settings for the learner's own data: the dataset "csv", and see ``apply_preset``."""
        self.own_data = dataset
        self.refresh_choices()
        self.param.update(dataset=OWN_DATA, lesson="")
        self.apply_preset()

    def apply_preset(self):
        """Settings that suit the current dataset: the tutorial's for exam, nn_core's DIGITS_SETTINGS
        for the digits, its OWN_DATA_SETTINGS for the learner's own table, TF Playground's otherwise.

        Input features (made from x1 and x2) stay only on generated 2-input data.
        """
        # Only the losses that suit the task are offered.
        self.param.loss.objects = labelled("loss", loss_choices(self.task()))
        if self.dataset == OWN_DATA:
            preset = own_data_settings(self.task())
        else:
            preset = {"test_ratio": TEST_RATIOS.get(self.dataset, DEFAULT_TEST_RATIO),
                      **dataset_settings(self.dataset, self.task())}
        self.param.update(
            hidden_sizes=list(preset["hidden_sizes"]),
            activation=preset["hidden_activation"],
            layer_activations=[],
            loss=preset["loss"],
            learning_rate=preset["learning_rate"],
            use_bias=preset["use_bias"],
            batch_size=preset["batch_size"],
            sum_gradients=preset["reduction"] == "sum",
            optimizer=preset["optimizer"],
            regularization=preset.get("regularization", "none"),
            regularization_rate=preset.get("regularization_rate", 0.0),
            init=preset["init"],
            test_ratio=preset["test_ratio"],
        )
        if self.dataset in ("digits", OWN_DATA):  # input features are made from x1 and x2 of generated data
            self.features = []

    def check_hidden_sizes(self, sizes):
        """The sizes if the page can show them; otherwise a ValueError that names the limit."""
        sizes = [int(size) for size in sizes]
        if len(sizes) > MAX_HIDDEN_LAYERS:
            raise ValueError(f"too many layers for this page: at most {MAX_HIDDEN_LAYERS} hidden layers.")
        if any(size > MAX_NEURONS_PER_LAYER for size in sizes):
            raise ValueError(f"too many neurons for this page: at most {MAX_NEURONS_PER_LAYER} in a layer.")
        if any(size < 1 for size in sizes):
            raise ValueError("every hidden layer needs at least one neuron; remove the layer instead.")
        return sizes

    def experiment_settings(self):
        """Keyword arguments for nn_core's Experiment.build."""
        task = self.task()
        settings = suggested_settings(task)
        loss = self.loss if self.loss in loss_choices(task) else LOSSES_FOR_TASK[task][0]
        extra = {}
        if self.dataset == "exam":
            extra = {"target_scaling": "fixed", "target_scale": TUTORIAL_SETTINGS["target_scale"]}
            settings["output_activation"] = TUTORIAL_SETTINGS["output_activation"]
        elif self.dataset == "digits":
            extra = {"input_scaling": DIGITS_SETTINGS["input_scaling"]}
        elif self.dataset == OWN_DATA:  # columns in any unit of measure: mean 0, spread 1
            preset = own_data_settings(task)
            extra = {name: preset[name] for name in ("input_scaling", "target_scaling") if name in preset}
        return {
            "hidden_sizes": tuple(self.check_hidden_sizes(self.hidden_sizes)),
            "hidden_activation": [self.layer_activation(index) for index in range(len(self.hidden_sizes))],
            "output_activation": settings["output_activation"],
            "loss": loss,
            "use_bias": self.use_bias,
            "init": self.init,
            "seed": self.seed,
            "test_ratio": self.test_ratio,
            "split_seed": self.seed,
            "features": tuple(self.features) or None,
            **self.training_settings(),
            **extra,
        }

    def layer_activation(self, index):
        """The activation of hidden layer ``index``: its own if it has one, else the common one."""
        own = self.layer_activations[index] if index < len(self.layer_activations) else ""
        return own or self.activation

    def training_settings(self):
        """The settings that nn_core's Network.update_training can change on the fly."""
        return {
            "learning_rate": self.learning_rate,
            "optimizer": self.optimizer,
            "batch_size": self.batch_size,
            "reduction": "sum" if self.sum_gradients else "mean",
            "regularization": self.regularization,
            "regularization_rate": self.regularization_rate if self.regularization != "none" else 0.0,
        }

    def copy(self):
        """Independent settings with the same values and own data: for trying a change first."""
        twin = PlaygroundState()
        for name in URL_SETTINGS:  # the choices too: own data and own code add to them
            if isinstance(self.param[name], param.Selector):
                twin.param[name].objects = dict(self.param[name].names) or list(self.param[name].objects)
        twin.own_data = self.own_data
        twin.param.update(**{name: getattr(self, name) for name in URL_SETTINGS})
        return twin

    def epochs_per_frame(self):
        """How many epochs one frame trains at most while playing (None: as many as fit)."""
        return None if self.speed == "fast" else int(self.speed.split()[0])


# ----- the settings in a link -------------------------------------------------------------
URL_SETTINGS = [name for name in PlaygroundState.param if name != "name"]


# What a teacher can hide: every setting's control, and these panels.
HIDEABLE_PANELS = ("prediction", "data_table", "decision_map", "importance")
HIDEABLE = [name for name in PlaygroundState.param if name not in ("name", "hidden_controls")] + list(HIDEABLE_PANELS)
PlaygroundState.param.hidden_controls.objects = HIDEABLE


def _text(value):
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def settings_to_query(settings):
    """The settings that differ from the lesson's or the dataset's preset, as ``{name: text}`` for a link.

    A lesson's link names the lesson, and its dataset only if the learner chose another one:
    naming it would apply the dataset's preset over the lesson's settings.
    """
    query = {"lesson": settings.lesson} if settings.lesson else {}
    reference = PlaygroundState()
    apply_query(reference, query)
    if settings.dataset != reference.dataset or not settings.lesson:
        query["dataset"] = settings.dataset
    reference = PlaygroundState()
    apply_query(reference, query)
    for name in URL_SETTINGS:
        value = getattr(settings, name)
        if name not in query and value != getattr(reference, name):
            query[name] = _text(value)
    return query


def _parse(settings, name, text):
    parameter = settings.param[name]
    if isinstance(parameter, param.ListSelector):
        names = [part for part in text.split(",") if part]
        unknown = [name for name in names if name not in parameter.objects]
        if unknown:
            raise ValueError(f"no choice called {unknown[0][:20]!r}; choose from {', '.join(parameter.objects)}")
        return names
    if isinstance(parameter, param.Boolean):
        if text.lower() not in ("1", "0", "true", "false"):
            raise ValueError("expected 1 or 0")
        return text.lower() in ("1", "true")
    if name == "dataset" and text == OWN_DATA and settings.own_data is None:
        raise ValueError("a link never carries your own data, so the exam data is shown; "
                         "paste or upload your CSV under Your data")
    if isinstance(parameter, param.Selector):
        if text not in parameter.objects:
            raise ValueError(f"expected one of {', '.join(map(str, parameter.objects))}")
        return text
    if name == "layer_activations":
        names = text.split(",") if text else []
        unknown = [part for part in names if part and part not in HIDDEN_ACTIVATIONS]
        if unknown:
            raise ValueError(f"expected activations from {', '.join(HIDDEN_ACTIVATIONS)}")
        return names
    if isinstance(parameter, param.List):
        sizes = [int(part) for part in text.split(",") if part.strip()] if text.strip() else []
        return settings.check_hidden_sizes(sizes)
    value = int(text) if isinstance(parameter, param.Integer) else float(text)
    low, high = parameter.bounds
    if value != value or (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"expected a number from {low:g} to {high:g}")
    return value


def apply_query(settings, query):
    """Apply link settings ``{name: text}``; return a plain message per value that was refused.

    The dataset comes first (it brings its preset), then everything else. A refused value
    keeps the default; nothing here raises.
    """
    messages = []
    # A lesson brings a dataset, a dataset brings its preset; the rest then adjusts them.
    items = sorted(query.items(), key=lambda item: {"lesson": 0, "dataset": 1}.get(item[0], 2))
    for name, text in items:
        if name not in URL_SETTINGS:
            if name not in ("embed", "present", "tour", "step", "compare"):
                messages.append(f"Ignored {name!r} in the link: there is no such setting.")
            continue
        if name in CUSTOM_SETTINGS and CUSTOM in str(text).split(","):
            # Code can reach the browser: a link never carries it, and never runs it.
            messages.append(
                f"Ignored {name}={str(text)[:30]!r} in the link: {CUSTOM!r} is Python written in a page, and links "
                f"never carry code. The default is used; write your own {CUSTOM_SETTINGS[name]} under Your Python."
            )
            continue
        try:
            value = _parse(settings, name, str(text))
            if name == "dataset":
                settings.dataset = value
                settings.apply_preset()
            elif name == "lesson":
                settings.lesson = value
                if value:
                    apply_query(settings, LESSONS[value][1])
            else:
                setattr(settings, name, value)
        except (ValueError, TypeError, OverflowError) as error:
            messages.append(f"Ignored {name}={str(text)[:30]!r} in the link: {error}.")
    return messages


# ----- the settings of a saved network ----------------------------------------------------
def settings_for(experiment, query=None):
    """New settings that build ``experiment``'s network: the saved link ``query`` ({name: text},
    for what the network does not say, such as the noise), then the network's own settings.
    Data that is not one of nn_core's datasets becomes the learner's own data ("csv").

    Raises ValueError, naming the setting, when the page cannot show this network.
    """
    query = query if isinstance(query, dict) else {}  # a file's settings, checked like a link's
    dataset = experiment.dataset.name.removesuffix(" (edited)")
    settings = PlaygroundState()
    settings.refresh_choices()  # the learner's own code, if this page has it, may be what the network uses
    if query.get("dataset") == OWN_DATA or dataset not in DATASETS:
        settings.use_own_data(experiment.dataset)  # the file's data becomes the learner's own
    else:
        settings.dataset = dataset
        settings.apply_preset()
    apply_query(settings, {str(name): str(text) for name, text in query.items() if name not in ("lesson", "dataset")})
    config = experiment.config
    hidden = list(config.activations[:-1])
    common = hidden[0] if hidden else settings.activation
    settings.param.update(
        test_ratio=experiment.test_ratio,
        features=list(experiment.features or []),
        hidden_sizes=settings.check_hidden_sizes(config.layer_sizes[1:-1]),
        activation=common,
        layer_activations=[name if name != common else "" for name in hidden] if len(set(hidden)) > 1 else [],
        loss=config.loss,
        learning_rate=config.learning_rate,
        use_bias=config.use_bias,
        batch_size=config.batch_size,
        sum_gradients=config.reduction == "sum",
        optimizer=config.optimizer,
        regularization=config.regularization,
        regularization_rate=config.regularization_rate,
        init=config.init,
        seed=config.seed,
    )
    # What the page would build from these settings must be this network, or the page would show another.
    built = Experiment.build(experiment.dataset, **settings.experiment_settings())
    ours, theirs = built.config.to_dict(), config.to_dict()
    different = [name for name in theirs if ours[name] != theirs[name]]
    different += [name for name, ours, theirs in (
        ("features", built.features, experiment.features),
        ("input scaling", built.input_scaler.method, experiment.input_scaler.method),
        ("target scaling", built.target_scaler.method, experiment.target_scaler.method),
    ) if ours != theirs]
    if experiment.test_ratio and built.split_seed != experiment.split_seed:  # no test rows: nothing to split
        different.append("split_seed")
    if different:
        raise ValueError(f"the page cannot set this network's {', '.join(different)}")
    return settings
