"""The transfer-learning recipe of Keras's guide on an application:
frozen base called with `training=False`, a new head trained, then the
whole model fine-tuned with frozen batch norms. Each step is compared
with the same steps in Keras. (Keras's torch backend, like lamina, still
updates the batch-norm statistics of a nested model called with
`training=False` once its batch norms are trainable again.)"""

import numpy as np
import pytest

import lamina
from lamina import applications
from tests.keras_oracle import keras, to_numpy

SHAPE = (32, 32, 3)


def _classifier(lib, base):
    inputs = lib.Input(SHAPE)
    features = base(inputs, training=False)
    outputs = lib.layers.Dense(3, name="head")(features)
    return lib.Model(inputs, outputs)


def _models(rng):
    # Keras's initial weights: its batch-norm statistics keep the network
    # well-conditioned, so one step of both libraries agrees closely.
    their_base = keras.applications.ResNet50(
        weights=None, include_top=False, input_shape=SHAPE, pooling="avg"
    )
    our_base = applications.ResNet50(
        weights=None, include_top=False, input_shape=SHAPE, pooling="avg"
    )
    our_base.set_weights(their_base.get_weights())
    theirs, ours = _classifier(keras, their_base), _classifier(lamina, our_base)
    ours.get_layer("head").set_weights(theirs.get_layer("head").get_weights())
    return ours, our_base, theirs, their_base


def _step(model, lib, x, y):
    model.compile(
        optimizer=lib.optimizers.SGD(0.01),
        loss=lib.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return float(to_numpy(model.train_on_batch(x, y)))


def _assert_same_weights(ours, theirs):
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


@pytest.mark.slow
def test_freeze_train_head_then_fine_tune(rng):
    ours, our_base, theirs, their_base = _models(rng)
    x = rng.uniform(-1, 1, (4, *SHAPE)).astype("float32")
    y = np.array([0, 1, 2, 1])
    frozen = [w.copy() for w in our_base.get_weights()]

    our_base.trainable = their_base.trainable = False
    assert not ours.trainable_weights[:-2]  # only the head trains
    loss = _step(ours, lamina, x, y)
    np.testing.assert_allclose(loss, _step(theirs, keras, x, y), rtol=1e-4)
    for old, new in zip(frozen, our_base.get_weights()):
        np.testing.assert_array_equal(old, new)
    _assert_same_weights(ours, theirs)

    # Fine-tuning with the batch norms kept frozen (inference mode), as
    # Keras's guide recommends.
    for base in (our_base, their_base):
        base.trainable = True
        for layer in base.layers:
            if "BatchNormalization" in type(layer).__name__:
                layer.trainable = False
    stats = [w.detach().clone() for w in our_base.non_trainable_weights]
    loss = _step(ours, lamina, x, y)
    np.testing.assert_allclose(loss, _step(theirs, keras, x, y), rtol=1e-4)
    _assert_same_weights(ours, theirs)
    for old, new in zip(stats, our_base.non_trainable_weights):
        np.testing.assert_array_equal(old.numpy(), new.detach().numpy())
    kernel = our_base.get_layer("conv1_conv").get_weights()[0]
    assert not np.array_equal(kernel, frozen[0])  # fine-tuning moved the base
