"""`get_weights`, `set_weights` and `count_params` against Keras 3: one
path, the weight-slot protocol (`lamina/engine/weight_slots.py`)."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy


def _functional(lib):
    inputs = lib.Input((5,))
    hidden = lib.layers.Dense(4, activation="relu")(inputs)
    hidden = lib.layers.BatchNormalization()(hidden)
    return lib.Model(inputs, lib.layers.Dense(2)(hidden), name="probe")


# name -> (make(lib), input shape): the same layer in Keras and lamina,
# named alike (the messages name it; auto names depend on earlier tests).
CASES = {
    "dense": (lambda lib: lib.layers.Dense(3, name="probe"), (2, 4)),
    "dense_no_bias": (
        lambda lib: lib.layers.Dense(3, use_bias=False, name="probe"),
        (2, 5),
    ),
    "conv2d": (
        lambda lib: lib.layers.Conv2D(4, (2, 3), name="probe"),
        (2, 6, 7, 3),
    ),
    "lstm": (lambda lib: lib.layers.LSTM(3, name="probe"), (2, 4, 2)),
    "batch_norm": (
        lambda lib: lib.layers.BatchNormalization(name="probe"),
        (3, 5),
    ),
    "functional": (_functional, (3, 5)),
    # Keras's wrapper tracks a module's parameters (a Linear has no
    # buffers; lamina adds buffers after them, test_weight_slots.py).
    "torch_module": (
        lambda lib: lib.layers.TorchModuleWrapper(
            torch.nn.Linear(4, 3), name="probe"
        ),
        (2, 4),
    ),
}


def _built_pair(name, seed):
    make, shape = CASES[name]
    x = np.random.default_rng(seed).standard_normal(shape).astype("float32")
    theirs, ours = make(keras), make(lamina)
    theirs(x)
    ours(torch.from_numpy(x))
    return theirs, ours, x


@pytest.mark.parametrize("name", sorted(CASES))
def test_weights_count_and_round_trip_match_keras(name):
    theirs, ours, x = _built_pair(name, seed=len(name))
    assert ours.count_params() == theirs.count_params()
    keras_arrays = theirs.get_weights()
    assert [w.shape for w in ours.get_weights()] == [
        w.shape for w in keras_arrays
    ]
    ours.set_weights(keras_arrays)
    for mine, expected in zip(ours.get_weights(), keras_arrays):
        np.testing.assert_array_equal(mine, expected)
    np.testing.assert_allclose(
        ours(torch.from_numpy(x)).detach().numpy(),
        to_numpy(theirs(x)),
        rtol=1e-5,
        atol=1e-5,
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_wrong_count_raises_keras_message_and_changes_nothing(name):
    theirs, ours, _ = _built_pair(name, seed=1)
    before = ours.get_weights()
    short = before[:-1]
    with pytest.raises(ValueError) as keras_error:
        theirs.set_weights(short)
    with pytest.raises(ValueError) as our_error:
        ours.set_weights(short)
    assert str(our_error.value).startswith(str(keras_error.value)[:-1])
    for old, new in zip(before, ours.get_weights()):
        np.testing.assert_array_equal(old, new)


@pytest.mark.parametrize("name", ["dense", "conv2d", "lstm", "functional"])
def test_every_shape_mismatch_is_listed_and_nothing_is_half_set(name):
    theirs, ours, _ = _built_pair(name, seed=2)
    before = ours.get_weights()
    # The last weight is right, the others one larger on their last axis:
    # a check that stopped at the first mismatch would set nothing either,
    # but would name only one weight.
    bad = [np.zeros(w.shape[:-1] + (w.shape[-1] + 1,)) for w in before[:-1]]
    bad.append(np.ones_like(before[-1]))
    with pytest.raises(ValueError) as keras_error:
        theirs.set_weights(bad)
    with pytest.raises(ValueError) as our_error:
        ours.set_weights(bad)
    message = str(our_error.value)
    assert message.startswith(str(keras_error.value)[:-1])
    assert f"{len(before) - 1} mismatch" in message
    for slot_shape, wrong in zip(before[:-1], bad):
        assert f"received {_shape(wrong.shape)}" in message, slot_shape
    for old, new in zip(before, ours.get_weights()):
        np.testing.assert_array_equal(old, new)


def _shape(shape):
    return f"({shape[0]},)" if len(shape) == 1 else str(tuple(shape))


def test_count_params_of_unbuilt_layer_raises_as_keras():
    with pytest.raises(ValueError) as keras_error:
        keras.layers.Dense(2, name="d").count_params()
    with pytest.raises(ValueError) as our_error:
        lamina.layers.Dense(2, name="d").count_params()
    assert str(our_error.value) == str(keras_error.value)


def test_set_weights_names_the_layer_of_a_nested_weight():
    model = lamina.Sequential(
        [lamina.Input((3,)), lamina.layers.Dense(2, name="inner")],
        name="outer",
    )
    with pytest.raises(ValueError, match="weight 'bias' of layer 'inner'"):
        model.set_weights([np.zeros((3, 2)), np.zeros(3)])
