"""A commented example per kind of the learner's own code (see nn_core.custom): what the editor starts with.

Each one passes ``check_code`` as it stands and says in its comments what the functions take
and must return. Imports nothing.
"""

ACTIVATION = '''\
# Your own activation for the hidden layers: softsign, a gentler tanh.
#
# activation(z): z holds the weighted sums of a layer, shape (n_samples, n_neurons).
#     Return the outputs a, the same shape.
# derivative(a): the slope da/dz, written with the OUTPUT a = activation(z),
#     because backprop keeps a, not z. For softsign, a = z / (1 + |z|) and
#     da/dz = 1 / (1 + |z|)**2 = (1 - |a|)**2.
#     (Sigmoid would be a * (1 - a), tanh 1 - a**2, relu (a > 0) * 1.0.)
#
# np (NumPy) and math are ready to use. "Check and use" tries both functions on
# sample arrays (shapes, finite values, the derivative against finite differences)
# before the hidden layers train with them.

def activation(z):
    return z / (1.0 + np.abs(z))


def derivative(a):
    return (1.0 - np.abs(a)) ** 2
'''

LOSS = '''\
# Your own loss: log-cosh, like squared error near the target and like
# absolute error far from it, so outliers pull less.
#
# loss(output, target): both have shape (n_samples, n_outputs).
#     Return one cost per sample, shape (n_samples,): sum over axis=1.
# gradient(output, target): d cost / d output, shape (n_samples, n_outputs).
#
# The loss chart shows the mean cost. "Check and use" compares gradient with
# finite differences of loss before training with them.

def loss(output, target):
    return np.log(np.cosh(output - target)).sum(axis=1)


def gradient(output, target):
    return np.tanh(output - target)
'''

FEATURE = '''\
# Your own input feature, computed from the raw inputs of data on the plane.
#
# feature(x1, x2): x1 and x2 have shape (n_samples,).
#     Return one value per point, shape (n_samples,).
#
# This one is the distance from the centre: with it, one neuron can draw the
# circle. It joins the ticked input features (x1 and x2 if none are ticked).

def feature(x1, x2):
    return np.sqrt(x1 ** 2 + x2 ** 2)
'''

DATASET = '''\
# Your own data.
#
# generate(n_samples, noise, rng): noise goes from 0 to 0.5 (the Noise box);
#     rng is a NumPy random Generator. Draw every random number from rng,
#     not from np.random, so that the same seed gives the same data.
#     Return X of shape (n_samples, n_inputs) and y of shape (n_samples,):
#     labels 0/1 for two classes, whole numbers 0, 1, 2, ... for more classes,
#     or any numbers for a regression (several columns: several targets).
#
# Here: points above or below a sine wave; noise flips some labels.

def generate(n_samples, noise, rng):
    X = rng.uniform(-5.0, 5.0, (n_samples, 2))
    y = (X[:, 1] > 2.0 * np.sin(X[:, 0])).astype(float)
    flipped = rng.random(n_samples) < noise
    return X, np.where(flipped, 1.0 - y, y)
'''

TEMPLATES = {"activation": ACTIVATION, "loss": LOSS, "feature": FEATURE, "dataset": DATASET}
