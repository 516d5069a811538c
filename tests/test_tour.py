"""The guided tutorial in CPython: every number a step shows is checked against the textbook
formulas written out here with NumPy, or against nn_core run on its own."""
import numpy as np
import pytest

from nn_core import Experiment
from pyscript_app.app import create_app, start_tour
from pyscript_app.graph_view import NetworkGraph
from pyscript_app.playground import Playground
from pyscript_app.tour import EPOCHS, LEARNING_RATES, PREDICT, STEPS, TARGET_LOSS, TRIAL_EPOCHS, Tour

X = np.array([[2.0, 9.0], [1.0, 5.0], [3.0, 6.0]])  # the tutorial's hours studied and slept
Y = np.array([[92.0], [86.0], [89.0]])  # and test scores
W1 = np.array([[0.2, 0.6, 0.1], [0.8, 0.3, 0.7]])  # the worked example's starting weights
W2 = np.array([[0.4], [0.5], [0.9]])


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def step_titled(start):
    return next(i for i, step in enumerate(STEPS) if step.title.startswith(start))


def number(tour, key):
    return float(tour.numbers[key].replace(",", "").rstrip(" %"))


@pytest.fixture
def tour():
    return Tour(playground=Playground())


def test_the_data_step_shows_the_tutorial_s_scaling(tour):
    tour.start(step_titled("The data"))
    assert number(tour, "max_studied") == 3 and number(tour, "max_slept") == 9
    assert number(tour, "scaled_studied") == pytest.approx(2 / 3, abs=5e-5)
    assert number(tour, "scaled_slept") == 1 and number(tour, "scaled_score") == 0.92


def test_the_forward_steps_show_the_true_sums_and_sigmoids_beside_the_tutorial_s_slip(tour):
    z = np.array([2.0, 9.0]) @ W1
    a = sigmoid(z)
    tour.start(step_titled("Forward: into"))
    for j in range(3):
        assert number(tour, f"z{j + 1}") == pytest.approx(z[j])
        assert number(tour, f"a{j + 1}") == pytest.approx(a[j], abs=1e-9)
    assert tour.numbers["printed_a2"] == "1.000553084" and number(tour, "true_z2") == pytest.approx(3.9)
    assert tour.playground.experiment.network.weights[0].tolist() == W1.tolist()  # drawn on the graph
    assert tour.playground.focused_neuron == (1, 1)  # the middle hidden neuron, whose sigmoid the tutorial slipped on
    tour.start(step_titled("Forward: to the output"))
    output = (a @ W2)[0]
    assert number(tour, "output_z") == pytest.approx(output, abs=1e-5)
    assert number(tour, "output_a") == pytest.approx(sigmoid(output), abs=1e-6)
    assert tour.numbers["printed_output_z"] == "1.79832"


def test_the_cost_and_backward_steps_agree_with_the_textbook_formulas(tour):
    Xs, ys = X / X.max(axis=0), Y / 100  # the tutorial's scaling
    hidden = sigmoid(Xs @ W1)
    out = sigmoid(hidden @ W2)
    tour.start(step_titled("The cost"))
    assert number(tour, "cost") == pytest.approx(0.5 * np.sum((ys - out) ** 2), rel=5e-4)
    assert number(tour, "loss") == pytest.approx(np.mean((ys - out) ** 2), rel=5e-4)
    for i in range(3):
        assert number(tour, f"guess{i + 1}") == pytest.approx(100 * out[i, 0], abs=0.05)
    tour.start(step_titled("Backward"))
    delta_out = (out - ys) * out * (1 - out)  # (3, 1): dJ/dz of the output, per student
    delta_hidden = delta_out @ W2.T * hidden * (1 - hidden)
    assert number(tour, "output_delta") == pytest.approx(delta_out[0, 0], rel=5e-4)
    for j in range(3):
        assert number(tour, f"hidden_delta{j + 1}") == pytest.approx(delta_hidden[0, j], rel=5e-4)
    gradient = (hidden.T @ delta_out)[0, 0]  # summed over the students, as the tutorial does
    assert number(tour, "gradient") == pytest.approx(gradient, rel=5e-4)


def test_the_update_step_takes_one_step_of_gradient_descent_at_rate_1(tour):
    Xs, ys = X / X.max(axis=0), Y / 100
    hidden = sigmoid(Xs @ W1)
    out = sigmoid(hidden @ W2)
    gradient = (hidden.T @ ((out - ys) * out * (1 - out)))[0, 0]
    index = step_titled("One update")
    tour.start(index)
    assert number(tour, "weight_after") == pytest.approx(0.4 - gradient, abs=5e-5)
    tour._act()
    assert tour.playground.epoch == 1
    assert tour.playground.experiment.network.weights[1][0, 0] == pytest.approx(0.4 - gradient, rel=1e-12)
    assert number(tour, "loss_after") < number(tour, "loss_before")


def test_training_and_the_prediction_are_nn_core_s_own_run_of_the_tutorial(tour):
    index = step_titled("Training")
    tour.start(index)
    assert tour.playground.epoch == 0
    tour._act()
    reference = Experiment.tutorial(seed=0)
    reference.train(epochs=EPOCHS)
    assert tour.playground.epoch == EPOCHS
    assert number(tour, "trained_loss") == pytest.approx(reference.network.loss(reference.network.X_train,
                                                                               reference.network.y_train), rel=1e-3)
    tour.start(index + 1)  # the prediction: the network just trained, not trained again
    assert tour.playground.epoch == EPOCHS
    assert number(tour, "prediction") == pytest.approx(reference.predict([PREDICT])[0, 0], abs=5e-3)
    assert number(tour, "tutorial_prediction") == pytest.approx(reference.predict_tutorial_scaling([PREDICT])[0, 0],
                                                                abs=5e-3)
    assert number(tour, "predict_scaled1") == pytest.approx(4 / 3, abs=5e-3)


def test_a_prediction_opened_by_link_trains_the_tutorial_first():
    tour = Tour(playground=Playground())
    tour.start(step_titled("The prediction"))
    assert tour.playground.epoch == EPOCHS and tour.playground.loss < 1e-9


def test_each_reader_question_runs_its_experiment_with_one_click(tour):
    tour.start(step_titled("Question: what about biases"))
    assert "loss_with_bias" not in tour.numbers
    tour._act()
    reference = Experiment.tutorial(seed=0)
    reference.train(epochs=TRIAL_EPOCHS)
    assert number(tour, "loss_without_bias") == pytest.approx(
        reference.network.loss(reference.network.X_train, reference.network.y_train), rel=1e-3)
    assert tour.playground.settings.use_bias and tour.playground.epoch == TRIAL_EPOCHS

    tour.start(step_titled("Question: how big"))
    tour._act()
    assert [key for key in tour.numbers if key.startswith("loss_rate")] == [f"loss_rate_{r:g}" for r in LEARNING_RATES]
    assert tour.playground.settings.learning_rate == LEARNING_RATES[-1]

    tour.start(step_titled("Question: when to stop"))
    tour._act()
    assert 0 < number(tour, "stop_epoch") < EPOCHS and number(tour, "stop_loss") <= TARGET_LOSS
    assert tour.playground.epoch == number(tour, "stop_epoch")

    tour.start(step_titled("Question: does it work"))
    assert tour.playground.experiment.test_set.X.shape[0] > 0
    tour._act()
    scores = tour.playground.scores()
    assert number(tour, "test_accuracy") == pytest.approx(100 * scores["test"]["accuracy"], abs=0.5)
    assert number(tour, "train_accuracy") > 80

    tour.start(step_titled("Question: more than one output"))
    assert number(tour, "output_neurons") == 3
    tour._act()
    assert number(tour, "outputs_test_accuracy") > 80

    tour.start(step_titled("Question: which input"))
    tour._act()
    assert tour.playground.epoch == 2000 and number(tour, "importance1") > 0 and number(tour, "importance2") > 0

    tour.start(step_titled("Question: can it read"))
    tour._act()
    assert tour.playground.settings.dataset == "digits" and number(tour, "digits_test_accuracy") > 80


def test_back_and_next_stop_at_the_ends_and_leaving_gives_the_settings_back():
    page = create_app()
    tour = page.tour
    tour.start(0)
    assert tour.back.disabled and not tour.next.disabled
    tour.next.clicks += 1
    assert tour.step == 1
    tour.start(len(STEPS) + 5)
    assert tour.step == len(STEPS) - 1 and tour.next.disabled
    assert "step <b class='tour-step'>16</b> of 16" in tour.text.object
    assert not page.network_settings.visible  # the tour sets the network: its text stands in the settings' place
    tour.leave()
    assert page.network_settings.visible and not tour.__panel__().visible


def test_a_link_opens_a_step_and_a_bad_one_says_why_and_starts_at_the_beginning():
    page = create_app()
    assert start_tour(page.tour, {"tour": "tutorial", "step": "5"}) == [] and page.tour.step == 4
    assert "The cost" in page.tour.text.object
    messages = start_tour(page.tour, {"tour": "tutorial", "step": "99"})
    assert page.tour.step == 0 and "from 1 to 16" in messages[0]
    messages = start_tour(page.tour, {"tour": "maze"})
    assert "the one tour is 'tutorial'" in messages[0]
    assert start_tour(page.tour, {}) == []


def test_walking_the_whole_tour_leaves_no_message_and_each_step_has_its_numbers(tour):
    for index, step in enumerate(STEPS):
        tour.start(index)
        if step.act:
            tour._act()
        assert tour.numbers, step.title
        assert not tour.playground.message, (step.title, tour.playground.message)



def test_the_neuron_a_step_is_about_is_ringed_in_the_graph_as_a_click_would(tour):
    graph = NetworkGraph(playground=tour.playground)
    tour.start(step_titled("Forward: into"))
    assert graph.neurons.selected.indices == [3]  # inputs 0 and 1, then hidden 1, 2, 3: the middle one
    tour.start(step_titled("Forward: to the output"))
    assert graph.neurons.selected.indices == [5]
    tour.start(step_titled("The cost"))
    assert graph.neurons.selected.indices == []
