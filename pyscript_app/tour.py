"""The guided tutorial: "Build a Neural Network" walked through step by step on the page itself.

Each step sets the page to match (the network, the weights, the tab, the neuron picked out)
and says in two or three sentences what happens, with the numbers nn_core computes at that
moment: no number is ever typed into a text here. The first steps follow the tutorial (the
data and its scaling, the network, one forward pass with its own starting weights and where
its arithmetic slipped, the cost, one backward pass, one update, 100,000 epochs, the
prediction); then one step per question its readers asked, each a small experiment run with
one click. ``?tour=tutorial&step=5`` opens step 5.
"""
import html
import re
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import panel as pn
import param
from panel.viewable import Viewer

from nn_core.insight import permutation_importance
from nn_core.stepmath import explain_step
from nn_core.worked_example import INPUT, PRINTED_HIDDEN, WEIGHTS, worked_example

from .playground import Playground
from .state import URL_SETTINGS, apply_query

TOUR = "tutorial"  # the tour's name in a link: ?tour=tutorial
MATHS_TAB = "The maths of one step"
EPOCHS = 100_000  # the tutorial's training run
TRIAL_EPOCHS = 1_000  # each reader question's experiment, where it trains the exam network
PREDICT = (4.0, 8.0)  # the tutorial's new student: 4 h studied, 8 h slept
TARGET_LOSS = 1e-4
LEARNING_RATES = (0.1, 1.0, 3.0)
TEST_EPOCHS, OUTPUT_EPOCHS, DIGIT_EPOCHS = 300, 100, 5  # the reader questions' training runs
IMPORTANCE_EPOCHS = 2_000


def number(key, value, digits=4):
    """A number of the tour, marked so that a test can read it back: ``<b data-key=..>``."""
    text = value if isinstance(value, str) else f"{value:.{digits}g}"
    return f"<b class='tour-number' data-key='{key}'>{html.escape(text)}</b>"


def percent(key, value):
    return number(key, f"{100 * value:.0f} %")


class Step(NamedTuple):
    """One step of the tour."""

    title: str
    prepare: Callable  # (tour) -> None: set the page as the step needs it
    text: Callable  # (tour) -> HTML: what the learner reads, its numbers from nn_core
    action: str = ""  # the label of the step's one-click experiment, if it has one
    act: Callable | None = None  # (tour) -> its result, kept in tour.result while the step is shown


# ----- setting the page -----------------------------------------------------------------------
def _settings(**query):
    """The page's settings from scratch, then ``query`` (link settings as text, dataset first)."""
    def change(tour):
        settings = tour.playground.settings
        defaults = {name: settings.param[name].default for name in URL_SETTINGS if name != "hidden_controls"}
        settings.param.update(**{name: list(value) if isinstance(value, list) else value
                                 for name, value in defaults.items()})
        apply_query(settings, {name: str(value) for name, value in query.items()})
    return change


def _set_up(tour, key, change, weights=None, epochs=0):
    """Set the page once: to the settings ``change`` makes, from ``weights`` (else the seed's),
    trained ``epochs``. A step that finds the page already so (``key``) leaves it; from the
    seed's weights, trained further counts as so (Back from the prediction keeps the training)."""
    playground = tour.playground
    trained = playground.epoch == epochs or (weights is None and playground.epoch > epochs)
    if tour.state == (key, playground.structure) and trained:
        return
    playground.pause()
    playground.apply_together(lambda: change(tour))
    if weights is not None:
        playground.start_from(weights)
    else:
        playground.reset()
    if epochs:
        playground.step(epochs)
    tour.state = (key, playground.structure)


def tutorial(weights=False, epochs=0, **query):
    """A step's ``prepare``: the tutorial's network, with its own starting weights if ``weights``."""
    key = ("tutorial", weights, tuple(sorted(query.items())))
    return lambda tour: _set_up(tour, key, _settings(dataset="exam", **query), WEIGHTS if weights else None, epochs)


def data(name, **query):
    """A step's ``prepare``: data ``name`` with its own preset settings, untrained."""
    key = (name, tuple(sorted(query.items())))
    return lambda tour: _set_up(tour, key, _settings(dataset=name, **query))


def _focus(prepare, neuron=None, tab=None):
    """``prepare``, then pick out a neuron (layer, index) in the graph and open a tab."""
    def step(tour):
        prepare(tour)
        tour.playground.focused_neuron = neuron
        if tab:
            tour.open_tab(tab)
    return step


# ----- the steps' texts -----------------------------------------------------------------------
def _data_text(tour):
    experiment = tour.playground.experiment
    X, y = experiment.dataset.X, experiment.dataset.y
    scaled = experiment.to_network(X[:1])[0]
    target = experiment.target_scaler.transform(y[:1])[0, 0]
    top = X.max(axis=0)
    return (f"The tutorial's data: {number('students', f'{len(X)}')} students, each with the hours they studied "
            f"and slept, and their test score. Before training, every input is divided by its column's largest "
            f"value ({number('max_studied', top[0], 3)} h and {number('max_slept', top[1], 3)} h) and every "
            f"score by 100, so that all numbers lie between 0 and 1: the first student's "
            f"({X[0, 0]:g} h, {X[0, 1]:g} h) becomes ({number('scaled_studied', scaled[0])}, "
            f"{number('scaled_slept', scaled[1])}) and {y[0, 0]:g} points becomes {number('scaled_score', target)}.")


def _shape_text(tour):
    network = tour.playground.experiment.network
    sizes = network.config.layer_sizes
    n_weights = sum(W.size for W in network.weights)
    return (f"{number('inputs', f'{sizes[0]}')} inputs, one hidden layer of {number('hidden', f'{sizes[1]}')} "
            f"neurons and {number('outputs', f'{sizes[-1]}')} output: {number('weights', f'{n_weights}')} "
            f"synapses, each with a weight, and no biases. Every neuron adds up its inputs times their weights "
            f"and squeezes the sum between 0 and 1 with the sigmoid S(z) = 1 / (1 + e<sup>−z</sup>).")


def _forward_hidden_text(tour):
    rows = worked_example()
    sums, sigmoids = rows[:3], rows[3:6]
    lines = "".join(
        f"<li>{html.escape(sums[j].quantity.split(': ')[1])} = {number(f'z{j + 1}', sums[j].true, 4)}, "
        f"S(z) = {number(f'a{j + 1}', sigmoids[j].true_text)}</li>" for j in range(3))
    slip = sigmoids[1]
    return (f"The tutorial works one forward pass out by hand, for {INPUT[0]:g} h studied and {INPUT[1]:g} h slept "
            f"(unscaled), with the starting weights now drawn on the graph. Each hidden neuron adds its inputs "
            f"times their weights, then takes the sigmoid:<ul>{lines}</ul>The tutorial printed "
            f"S({number('printed_z2', PRINTED_HIDDEN[1][0])}) = {number('printed_a2', slip.printed)} for the middle "
            f"neuron: a sigmoid never reaches 1, and that neuron's sum is {number('true_z2', sums[1].true, 4)}. "
            f"The maths tab below lists every number beside the tutorial's.")


def _forward_output_text(tour):
    rows = worked_example()
    output_sum, output = rows[-2], rows[-1]
    return (f"The output neuron adds the hidden values times 0.4, 0.5 and 0.9: z = "
            f"{number('output_z', output_sum.true, 6)} (the tutorial printed {number('printed_output_z', output_sum.printed)}, "
            f"from its slip and from cutting .99950 to .9994 instead of rounding). Its sigmoid, the network's first "
            f"guess, is {number('output_a', output.true, 6)}: a score of "
            f"{number('output_points', f'{100 * output.true:.1f}')} points, not {number('printed_points', f'{100 * float(output.printed):.1f}')}.")


def _cost_text(tour):
    experiment = tour.playground.experiment
    network = experiment.network
    guesses = experiment.predict(experiment.dataset.X)[:, 0]
    outputs = network.predict(network.X_train)
    cost = float(network.loss_function.cost(outputs, network.y_train).sum())
    listed = ", ".join(number(f"guess{i + 1}", guess, 3) for i, guess in enumerate(guesses))
    return (f"On the scaled data, with the tutorial's weights, the network guesses {listed} points for the three "
            f"students, who scored {', '.join(f'{v:g}' for v in experiment.dataset.y[:, 0])}. The tutorial's cost "
            f"adds up half of each squared error (on the scaled scores): J = ½ Σ (y − ŷ)² = "
            f"{number('cost', cost)}. The loss chart shows the mean of the squared errors, "
            f"{number('loss', tour.playground.loss)}. Training makes this number small.")


def _backward_text(tour):
    step = explain_step(tour.playground.experiment.network)
    output_delta = step.deltas[-1][0, 0]
    hidden = step.deltas[0][0]
    listed = ", ".join(number(f"hidden_delta{j + 1}", value) for j, value in enumerate(hidden))
    gradient = step.weight_gradients[-1][0, 0]
    return (f"Backpropagation asks how much each neuron is to blame. For the first student the output's error "
            f"times the sigmoid's slope gives its δ = {number('output_delta', output_delta)}; each hidden neuron's "
            f"δ is that, times its synapse's weight, times its own slope: {listed}. A weight's gradient adds, over "
            f"the three students, its input times the δ at its end: ∂J/∂w from hidden 1 to the output = "
            f"{number('gradient', gradient)}. The maths tab shows every δ and gradient.")


def _update_text(tour):
    playground = tour.playground
    before = tour.result
    if before is None:
        step = explain_step(playground.experiment.network)
        return (f"Gradient descent moves each weight against its gradient: w ← w − learning rate × ∂J/∂w, and the "
                f"tutorial's learning rate is 1. The synapse from hidden 1 to the output goes from "
                f"{number('weight_before', step.weights[-1][0, 0])} to "
                f"{number('weight_after', step.new_weights[-1][0, 0])}. Press the button to take this step.")
    weight = playground.experiment.network.weights[-1][0, 0]
    return (f"One step taken, all nine weights at once. The synapse from hidden 1 to the output went from "
            f"{number('weight_before', before['weight'])} to {number('weight_after', weight)}, and the loss from "
            f"{number('loss_before', before['loss'])} to {number('loss_after', playground.loss)}. Every epoch does "
            f"this again.")


def _take_one_step(tour):
    network = tour.playground.experiment.network
    before = {"weight": float(network.weights[-1][0, 0]), "loss": tour.playground.loss}
    tour.playground.step(1)
    return before


def _training_text(tour):
    playground = tour.playground
    experiment = playground.experiment
    if playground.epoch < EPOCHS:
        return (f"The tutorial's code starts from random weights (the page draws them from its seed), not from the "
                f"worked example's, and repeats the step {EPOCHS:,} times. Now the loss is "
                f"{number('loss_now', playground.loss)} at epoch {number('epoch_now', f'{playground.epoch:,}')}. "
                f"Press the button and watch the loss chart.")
    guesses = ", ".join(number(f"trained_guess{i + 1}", value, 4)
                        for i, value in enumerate(experiment.predict(experiment.dataset.X)[:, 0]))
    return (f"After {number('epochs', f'{playground.epoch:,}')} epochs the loss is "
            f"{number('trained_loss', playground.loss)}, and the network guesses {guesses} points for scores of "
            f"{', '.join(f'{v:g}' for v in experiment.dataset.y[:, 0])}.")


def _prediction_text(tour):
    experiment = tour.playground.experiment
    ours = experiment.predict([PREDICT])[0, 0]
    theirs = experiment.predict_tutorial_scaling([PREDICT])[0, 0]
    scaled = experiment.to_network(np.array([PREDICT]))[0]
    return (f"Trained, the network predicts {number('prediction', ours, 4)} points for a student who studied "
            f"{PREDICT[0]:g} h and slept {PREDICT[1]:g} h, scaled as the training data was: "
            f"({number('predict_scaled1', scaled[0], 3)}, {number('predict_scaled2', scaled[1], 3)}). The tutorial's "
            f"code divides the new student by their own largest value instead, (0.5, 1): that is someone else, "
            f"and the network says {number('tutorial_prediction', theirs, 4)}. Same network, other scaling, "
            f"other answer.")


def _question(intro, before, after):
    """A reader question's text: ``intro`` (text, or a function of the tour), then what its button
    does (``before``) or, once pressed, what the experiment found (``after(tour, result)``)."""
    def text(tour):
        start = intro(tour) if callable(intro) else intro
        return f"{start} {before if tour.result is None else after(tour, tour.result)}"
    return text


def _bias_found(tour, losses):
    verdict = ("The biases helped." if losses[1] < losses[0] else
               "On three students they do not help: the network without them already fits the scores. Biases matter "
               "where a neuron must move its curve away from the middle, as in the lesson \"Why biases matter\".")
    return (f"After {TRIAL_EPOCHS:,} epochs the loss is {number('loss_without_bias', losses[0])} without "
            f"and {number('loss_with_bias', losses[1])} with biases. {verdict} The graph now shows the network "
            f"with biases.")


def _try_biases(tour):
    playground = tour.playground
    losses = []
    for use_bias in (False, True):
        playground.settings.use_bias = use_bias
        playground.reset()
        playground.step(TRIAL_EPOCHS)
        losses.append(playground.loss)
    return losses


def _rates_found(tour, result):
    listed = "; ".join(f"at {rate:g}: {number(f'loss_rate_{rate:g}', loss)}" for rate, loss in result)
    best = min(result, key=lambda item: item[1] if item[1] == item[1] else float("inf"))[0]
    return (f"The loss after {TRIAL_EPOCHS:,} epochs {listed}: {number('best_rate', best, 3)} went furthest. "
            f"The page shows the last run.")


def _try_rates(tour):
    playground = tour.playground
    result = []
    for rate in LEARNING_RATES:
        playground.settings.learning_rate = rate
        playground.reset()
        playground.step(TRIAL_EPOCHS)
        result.append((rate, playground.loss))
    return result


def _train_to_target(tour):
    playground = tour.playground
    playground.settings.target_loss = TARGET_LOSS
    playground.reset()
    playground.train(epochs=EPOCHS, target_loss=TARGET_LOSS)
    return playground.epoch, playground.loss


def _train_and_score(epochs):
    """An experiment: train ``epochs`` from the start; its result is (training, test) accuracy."""
    def act(tour):
        playground = tour.playground
        playground.reset()
        playground.step(epochs)
        scores = playground.scores()
        return scores["train"]["accuracy"], scores["test"]["accuracy"] if scores.get("test") else None
    return act


def _importance_found(tour, result):
    names = tour.playground.experiment.input_names
    listed = "; ".join(f"{html.escape(name)}: +{number(f'importance{i + 1}', value, 3)}"
                       for i, (name, value) in enumerate(zip(names, result)))
    return f"The loss grows by {listed}. The bars under the graph show it too."


def _rank_inputs(tour):
    playground = tour.playground
    playground.reset()
    playground.step(IMPORTANCE_EPOCHS)
    network = playground.experiment.network
    tour.show_importance()
    return [float(v) for v in permutation_importance(network, network.X_train, network.y_train)]


def _train_button(epochs):
    return f"Train {epochs:,} epochs"


_bias_text = _question(
    "Readers asked where the biases are. A bias is one more weight per neuron, added to its sum: the neuron can "
    "then shift its S-curve left or right.",
    f"Press the button: {TRIAL_EPOCHS:,} epochs without biases, then with them, same data.", _bias_found)
_rate_text = _question(
    "The tutorial has no learning rate, which means a rate of 1: each step moves a weight by its whole gradient. "
    "Too small and training crawls; too big and it overshoots.",
    f"Press the button: {TRIAL_EPOCHS:,} epochs at each of {', '.join(f'{rate:g}' for rate in LEARNING_RATES)}, "
    f"from the same start.", _rates_found)
_stop_text = _question(
    f"Readers asked when to stop. Instead of a fixed number of epochs, stop once the loss is low enough: here, "
    f"below {TARGET_LOSS:g} (the setting 'Pause at loss' under More settings does this while playing).",
    "Press the button to train until then.",
    lambda tour, result: (f"It got there at epoch {number('stop_epoch', f'{result[0]:,}')}, with the loss at "
                          f"{number('stop_loss', result[1])}."))
_test_text = _question(
    "With three students there is nothing left to test on. The circle data has 200 points: half train the "
    "network, the other half (triangles on the map) are kept back to see whether it works on points it never saw.",
    f"Press the button to train for {TEST_EPOCHS:,} epochs.",
    lambda tour, scores: (f"After {TEST_EPOCHS:,} epochs it gets {percent('train_accuracy', scores[0])} of the "
                          f"training points and {percent('test_accuracy', scores[1])} of the test points right."))
_outputs_text = _question(
    lambda tour: (f"Readers asked for more than one output. Three clouds of points, three classes: the network has "
                  f"{number('output_neurons', str(tour.playground.experiment.network.config.layer_sizes[-1]))} "
                  f"output neurons, one per class, and softmax turns their sums into three chances that add up "
                  f"to 1; the biggest wins."),
    f"Press the button to train for {OUTPUT_EPOCHS:,} epochs.",
    lambda tour, scores: (f"After {OUTPUT_EPOCHS:,} epochs it puts {percent('outputs_test_accuracy', scores[1])} "
                          f"of the test points in their class."))
_importance_text = _question(
    "Readers asked which input matters most. Shuffle one input's column, so that it no longer belongs to its "
    "student, and see how much the loss grows: the bigger the growth, the more the network relies on it.",
    "Press the button: it trains the exam network with biases, then shuffles each input.", _importance_found)
_digits_text = _question(
    "The same maths reads handwriting: 8 × 8 pixel images of digits go in as 64 inputs, ten outputs come out, one "
    "per digit. The Digits tab below draws what each hidden neuron looks for, and has a pad to draw your own "
    "digit on.",
    f"Press the button to train for {DIGIT_EPOCHS:,} epochs.",
    lambda tour, scores: (f"After {DIGIT_EPOCHS:,} epochs it reads {percent('digits_test_accuracy', scores[1])} "
                          f"of the held-out images right."))


STEPS = (
    Step("The data: three students", _focus(tutorial()), _data_text),
    Step("The network: 2 → 3 → 1", _focus(tutorial(), (1, 0)), _shape_text),
    Step("Forward: into the hidden layer", _focus(tutorial(weights=True), (1, 1), MATHS_TAB), _forward_hidden_text),
    Step("Forward: to the output", _focus(tutorial(weights=True), (2, 0), MATHS_TAB), _forward_output_text),
    Step("The cost: how wrong is it?", _focus(tutorial(weights=True), None, MATHS_TAB), _cost_text),
    Step("Backward: who is to blame?", _focus(tutorial(weights=True), (2, 0), MATHS_TAB), _backward_text),
    Step("One update", _focus(tutorial(weights=True), None, MATHS_TAB), _update_text, "Take this step",
         _take_one_step),
    Step(f"Training: {EPOCHS:,} epochs", _focus(tutorial()), _training_text, _train_button(EPOCHS),
         lambda tour: tour.playground.step(EPOCHS - tour.playground.epoch)),
    Step("The prediction", _focus(tutorial(epochs=EPOCHS)), _prediction_text),
    Step("Question: what about biases?", _focus(tutorial()), _bias_text, "Try without and with biases", _try_biases),
    Step("Question: how big a step?", _focus(tutorial()), _rate_text, "Try three learning rates", _try_rates),
    Step("Question: when to stop?", _focus(tutorial()), _stop_text, f"Train until the loss is below {TARGET_LOSS:g}",
         _train_to_target),
    Step("Question: does it work on new data?", _focus(data("circle", noise="0.2")), _test_text,
         _train_button(TEST_EPOCHS), _train_and_score(TEST_EPOCHS)),
    Step("Question: more than one output?", _focus(data("three_clouds")), _outputs_text, _train_button(OUTPUT_EPOCHS),
         _train_and_score(OUTPUT_EPOCHS)),
    Step("Question: which input matters most?",
         _focus(tutorial(hidden_sizes="4", use_bias="1", sum_gradients="0", learning_rate="0.5")), _importance_text,
         "Train, then shuffle each input", _rank_inputs),
    Step("Question: can it read images?", _focus(data("digits")), _digits_text, _train_button(DIGIT_EPOCHS),
         _train_and_score(DIGIT_EPOCHS)),
)


class Tour(Viewer):
    """The tour's panel: the step's title and text, its experiment's button, Back, Next and Leave,
    and a dot per step. Hidden while no tour runs; made the first time one starts."""

    playground = param.ClassSelector(class_=Playground, doc="The store the tour sets and reads.")
    step = param.Integer(None, allow_None=True, bounds=(0, len(STEPS) - 1),
                         doc="The step shown, from 0; None: no tour.")

    def __init__(self, open_tab=lambda title: None, show_importance=lambda: None, **params):
        super().__init__(**params)
        self.open_tab, self.show_importance = open_tab, show_importance
        self.result = None  # what the step's experiment found, once its button is pressed
        self.state = None  # (what the page was set to, its structure): see _set_up
        self.numbers = {}  # the numbers the text shows, by key: what a test reads back
        self._view = pn.Column(sizing_mode="stretch_width", margin=0, visible=False, css_classes=["tour"])

    def __panel__(self):
        return self._view

    def start(self, step=0):
        self.step = min(max(int(step), 0), len(STEPS) - 1)

    def leave(self):
        self.step = None

    def _make(self):
        self.text = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["tour-text"], stylesheets=[TEXT_CSS],
                                 margin=(0, 4))
        self.back = pn.widgets.Button(name="← Back", width=90, css_classes=["tour-back"])
        self.next = pn.widgets.Button(name="Next →", width=90, button_type="primary", css_classes=["tour-next"])
        self.action = pn.widgets.Button(name="", width=280, button_type="success", css_classes=["tour-action"])
        leave = pn.widgets.Button(name="✕ Leave the tour", width=150, css_classes=["tour-leave"])
        self.back.on_click(lambda event: self.start(self.step - 1))
        self.next.on_click(lambda event: self.start(self.step + 1))
        self.action.on_click(lambda event: self._act())
        leave.on_click(lambda event: self.leave())
        buttons = pn.Row(self.action, self.back, self.next, leave, sizing_mode="stretch_width", margin=0,
                         stylesheets=[":host { flex-wrap: wrap; min-width: 0 !important; }"])
        self._view.objects = [self.text, buttons]
        self._view.stylesheets = [TOUR_CSS]

    @param.depends("step", watch=True)
    def _show(self):
        if self.step is None:
            self._view.visible = False
            return
        if not hasattr(self, "text"):
            self._make()
        step = STEPS[self.step]
        self.result = None  # each step's experiment starts unrun
        step.prepare(self)
        self.action.param.update(name=step.action, visible=bool(step.action), disabled=False)
        self.back.disabled = self.step == 0
        self.next.disabled = self.step == len(STEPS) - 1
        self._view.visible = True
        self.redraw()

    def _act(self):
        self.result = STEPS[self.step].act(self)
        self.action.disabled = True  # done: its result is in the text; Back and Next set it up again
        self.redraw()

    def redraw(self):
        """The step's text again, with the page's numbers as they are now."""
        step = STEPS[self.step]
        body = step.text(self)
        self.numbers = _read_numbers(body)
        dots = "".join(f"<span class='dot{' now' if i == self.step else ''}'></span>" for i in range(len(STEPS)))
        self.text.object = (
            f"<div class='where'>Guided tutorial · step <b class='tour-step'>{self.step + 1}</b> of {len(STEPS)}"
            f" <span class='dots' aria-hidden='true'>{dots}</span></div>"
            f"<h3>{html.escape(step.title)}</h3><div class='body'>{body}</div>")


def _read_numbers(body):
    """{key: text} of the numbers marked in a step's text."""
    return {key: html.unescape(text) for key, text in
            re.findall(r"<b class='tour-number' data-key='([^']+)'>([^<]*)</b>", body)}


TOUR_CSS = """
:host { background: #eef4fb; border: 1px solid #b8d0ea; border-radius: 8px; padding: 6px 10px;
  box-sizing: border-box; margin-bottom: 6px !important; }
"""
TEXT_CSS = """
:host { font-size: 14px; line-height: 1.45; }
.where { font-size: 12px; color: #555; }
.dots { margin-left: 6px; white-space: nowrap; }
.dot { display: inline-block; width: 7px; height: 7px; border-radius: 50%; background: #b8d0ea; margin: 0 2px; }
.dot.now { background: #1a5fb4; width: 9px; height: 9px; }
h3 { margin: 2px 0 4px; font-size: 17px; }
ul { margin: 4px 0; padding-left: 20px; }
"""
