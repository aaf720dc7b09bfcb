"""ConvLSTM1D/2D/3D against Keras 3 (torch backend) on copied weights:
outputs, gradients, configs, symbolic shapes, weight files, a training
step, and the errors."""

import json

import numpy as np
import pytest
import torch

import lamina
from lamina.layers.recurrent.conv_lstm_cell import ConvLSTMCell
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.layers.recurrent.helpers import assert_close
from tests.layers.recurrent.helpers import call_both
from tests.layers.recurrent.helpers import config_without_name
from tests.layers.recurrent.helpers import layer_pair
from tests.layers.recurrent.helpers import random_input

CASES = [
    (
        "ConvLSTM1D",
        (3, 3),
        dict(padding="same", return_sequences=True),
        (2, 4, 7, 2),
    ),
    (
        "ConvLSTM1D",
        (2, 3),
        dict(strides=2, data_format="channels_first", return_state=True),
        (2, 3, 2, 9),
    ),
    (
        "ConvLSTM1D",
        (2, 2),
        dict(
            padding="same",
            dilation_rate=2,
            go_backwards=True,
            return_sequences=True,
        ),
        (2, 3, 6, 2),
    ),
    (
        "ConvLSTM2D",
        (3, 3),
        dict(
            strides=2, padding="same", go_backwards=True, return_sequences=True
        ),
        (2, 3, 7, 6, 2),
    ),
    (
        "ConvLSTM2D",
        (2, 3),
        dict(
            dilation_rate=2,
            data_format="channels_first",
            return_sequences=True,
            return_state=True,
        ),
        (2, 3, 2, 8, 7),
    ),
    (
        "ConvLSTM2D",
        (2, (2, 3)),
        dict(padding="same", return_state=True),
        (2, 3, 5, 4, 3),
    ),
    (
        "ConvLSTM2D",
        (2, 3),
        dict(
            use_bias=False,
            activation="relu",
            recurrent_activation="hard_sigmoid",
            unit_forget_bias=False,
            unroll=True,
        ),
        (1, 3, 5, 5, 2),
    ),
    (
        "ConvLSTM3D",
        (2, 2),
        dict(padding="same", return_state=True),
        (1, 2, 4, 4, 3, 2),
    ),
    (
        "ConvLSTM3D",
        (2, (2, 3, 2)),
        dict(
            strides=(1, 2, 1),
            data_format="channels_first",
            return_sequences=True,
        ),
        (1, 2, 2, 4, 5, 3),
    ),
]


def _random_weights(layer, seed):
    rng = np.random.default_rng(seed)
    return [
        rng.uniform(-0.5, 0.5, w.shape).astype("float32")
        for w in layer.get_weights()
    ]


@pytest.mark.parametrize("name,args,kwargs,shape", CASES)
def test_outputs_match_keras(name, args, kwargs, shape):
    k, m = layer_pair(name, *args, **kwargs)
    x = random_input(shape)
    k_out, m_out = call_both(k, m, x)
    assert_close(m_out, k_out)
    assert [w.shape for w in m.get_weights()] == [
        tuple(w.shape) for w in k.weights
    ]
    # And the other way: lamina's weights (random biases too) into Keras.
    m.set_weights(_random_weights(m, seed=len(shape)))
    k.set_weights(m.get_weights())
    x_t = torch.from_numpy(x)
    assert_close(m(x_t), k(x_t))


def test_mask_and_initial_state_match_keras():
    kwargs = dict(padding="same", return_sequences=True, return_state=True)
    x = random_input((2, 4, 5, 5, 2), seed=1)
    mask = np.array([[True, False, True, True], [False, True, True, False]])
    for zero_output in (False, True):
        k, m = layer_pair(
            "ConvLSTM2D", 3, 3, zero_output_for_mask=zero_output, **kwargs
        )
        k_out, m_out = call_both(k, m, x, mask=mask)
        assert_close(m_out, k_out)
        np.testing.assert_array_equal(to_numpy(m_out[0]._keras_mask), mask)
    h0, c0 = random_input((2, 5, 5, 3), 2), random_input((2, 5, 5, 3), 3)
    k_out, m_out = call_both(k, m, x, initial_state=[h0, c0])
    assert_close(m_out, k_out)


def test_gradients_match_keras_autograd():
    k, m = layer_pair(
        "ConvLSTM2D",
        2,
        3,
        strides=(1, 2),
        padding="same",
        return_sequences=True,
    )
    x = random_input((2, 3, 5, 6, 2), seed=4)
    call_both(k, m, x)
    k_x = torch.from_numpy(x).requires_grad_()
    m_x = torch.from_numpy(x).requires_grad_()
    k(k_x).sum().backward()
    m(m_x).sum().backward()
    assert_close(m_x.grad, k_x.grad, rtol=1e-4, atol=1e-5)
    k_grads = [v.value.grad for v in k.trainable_weights]
    # Gradients have Keras's shapes, as the weights do.
    m_grads = [v.grad for v in m.trainable_weights]
    for ours, theirs in zip(m_grads, k_grads):
        assert ours.shape == theirs.shape
        assert_close(ours, theirs, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        (
            "ConvLSTM1D",
            dict(
                filters=3,
                kernel_size=2,
                strides=2,
                data_format="channels_first",
                return_state=True,
                stateful=True,
            ),
        ),
        (
            "ConvLSTM2D",
            dict(
                filters=2,
                kernel_size=(3, 2),
                padding="SAME",
                activation="relu",
                unit_forget_bias=False,
                kernel_regularizer="l2",
                activity_regularizer="l1",
                recurrent_constraint="non_neg",
                dropout=0.25,
                recurrent_dropout=0.5,
                seed=3,
                go_backwards=True,
                unroll=True,
            ),
        ),
        (
            "ConvLSTM3D",
            dict(
                filters=4,
                kernel_size=1,
                dilation_rate=(1, 2, 1),
                use_bias=False,
                return_sequences=True,
            ),
        ),
    ],
)
def test_config_matches_keras_and_round_trips(name, kwargs):
    k, m = layer_pair(name, **kwargs)
    assert config_without_name(m) == config_without_name(k)
    config = json.loads(json.dumps(m.get_config()))
    cls = getattr(lamina.layers, name)
    assert cls.from_config(config).get_config() == m.get_config()
    assert config_without_name(
        getattr(keras.layers, name).from_config(config)
    ) == config_without_name(m)
    assert m.filters == kwargs["filters"]
    assert m.dropout == kwargs.get("dropout", 0.0)


def test_symbolic_shapes_in_a_functional_model():
    def outputs(lib, time):
        x = lib.Input((time, 7, 6, 2))
        y = lib.layers.ConvLSTM2D(
            3, 3, strides=2, return_sequences=True, return_state=True
        )(x)
        z = lib.layers.ConvLSTM2D(2, 2, padding="same")(y[0])
        return [tuple(t.shape) for t in (*y, z)]

    for time in (4, None):
        assert outputs(lamina, time) == outputs(keras, time)
    assert outputs(lamina, None)[0] == (None, None, 3, 2, 3)


def test_initial_state_in_a_functional_model():
    def functional(lib):
        seq = lib.Input((3, 5, 4, 2))
        h, c = lib.Input((5, 4, 3)), lib.Input((5, 4, 3))
        layer = lib.layers.ConvLSTM2D(
            3, 3, padding="same", return_sequences=True
        )
        return lib.Model([seq, h, c], layer(seq, initial_state=[h, c]))

    k_model, m_model = functional(keras), functional(lamina)
    assert m_model.output_shape == k_model.output_shape == (None, 3, 5, 4, 3)
    m_model.set_weights(k_model.get_weights())
    inputs = [
        torch.from_numpy(random_input(shape, seed))
        for seed, shape in enumerate(
            [(2, 3, 5, 4, 2), (2, 5, 4, 3), (2, 5, 4, 3)]
        )
    ]
    assert_close(m_model(inputs), k_model(inputs))


def _model(lib):
    return lib.Sequential(
        [
            lib.Input((3, 6, 5, 2)),
            lib.layers.ConvLSTM2D(3, 3, strides=2, padding="same"),
            lib.layers.Flatten(),
            lib.layers.Dense(1),
        ]
    )


def test_weights_h5_round_trip_with_keras(tmp_path):
    x = torch.from_numpy(random_input((2, 3, 6, 5, 2), seed=5))
    ours, theirs = _model(lamina), _model(keras)
    path = str(tmp_path / "lamina.weights.h5")
    ours.save_weights(path)
    theirs.load_weights(path)
    assert_close(ours(x), theirs(x))
    theirs.set_weights(_random_weights(theirs, seed=6))
    path = str(tmp_path / "keras.weights.h5")
    theirs.save_weights(path)
    ours.load_weights(path)
    assert_close(ours(x), theirs(x))


def test_train_on_batch_matches_keras():
    x = random_input((4, 3, 6, 5, 2), seed=7)
    y = random_input((4, 1), seed=8)
    k_model, m_model = _model(keras), _model(lamina)
    m_model.set_weights(k_model.get_weights())
    k_model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    m_model.compile(optimizer=lamina.optimizers.SGD(0.1), loss="mse")
    k_loss = k_model.train_on_batch(x, y)
    m_loss = m_model.train_on_batch(x, y)
    np.testing.assert_allclose(m_loss, k_loss, rtol=1e-5)
    for ours, theirs in zip(m_model.get_weights(), k_model.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-6)


def test_stateful_carries_the_states_over():
    x = torch.from_numpy(random_input((2, 4, 5, 3), seed=9))
    whole = lamina.layers.ConvLSTM1D(2, 3, padding="same")
    layer = lamina.layers.ConvLSTM1D(2, 3, padding="same", stateful=True)
    whole(x)
    layer(x[:, :2])
    layer.set_weights(whole.get_weights())
    layer.reset_state()
    layer(x[:, :2])
    assert torch.allclose(layer(x[:, 2:]), whole(x), atol=1e-6)
    assert layer.states[0].shape == (2, 5, 2)


def test_dropout():
    layer = lamina.layers.ConvLSTM2D(
        3,
        3,
        padding="same",
        dropout=0.5,
        recurrent_dropout=0.5,
        seed=1,
        return_sequences=True,
    )
    x = torch.from_numpy(random_input((2, 3, 4, 4, 2), seed=10))
    plain = layer(x)
    assert torch.equal(layer(x, training=False), plain)
    trained = layer(x, training=True)
    assert trained.shape == plain.shape == (2, 3, 4, 4, 3)
    assert not torch.allclose(trained, plain)
    # The per-step cell call (a shape trace's path) draws masks the same way.
    cell = layer.cell
    h, _ = cell(x[:, 0], cell.get_initial_state(2), training=True)
    assert h.shape == (2, 4, 4, 3) and cell._dropout_mask.shape[0] == 4


def test_dropout_masks_act_per_gate_as_in_keras():
    # The same (pre-drawn) masks in both: one per gate, input and state.
    kwargs = dict(
        padding="same",
        dropout=0.5,
        recurrent_dropout=0.5,
        return_sequences=True,
        data_format="channels_first",
    )
    k, m = layer_pair("ConvLSTM1D", 3, 2, **kwargs)
    x = random_input((2, 3, 2, 5), seed=11)
    call_both(k, m, x)
    rng = np.random.default_rng(12)
    drop = (rng.random((4, 2, 2, 5)) > 0.5).astype("float32") * 2
    recurrent = (rng.random((4, 2, 3, 5)) > 0.5).astype("float32") * 2
    k.cell._dropout_mask = [torch.from_numpy(d) for d in drop]
    k.cell._recurrent_dropout_mask = [torch.from_numpy(r) for r in recurrent]
    m.cell._dropout_mask = torch.from_numpy(drop)
    m.cell._recurrent_dropout_mask = torch.from_numpy(recurrent)
    x_t = torch.from_numpy(x)
    assert_close(m(x_t, training=True), k(x_t, training=True))


def test_step_by_step_cell_calls_give_the_layer_output():
    layer = lamina.layers.ConvLSTM2D(
        3, (2, 3), strides=(2, 1), return_sequences=True
    )
    x = torch.from_numpy(random_input((2, 4, 6, 5, 2), seed=13))
    out = layer(x)
    states = layer.cell.get_initial_state(2)
    for t in range(4):
        h, states = layer.cell(x[:, t], states)
        assert torch.allclose(out[:, t], h, atol=1e-6)


def test_bad_arguments_name_the_layer():
    with pytest.raises(
        ValueError,
        match=r"`padding` of ConvLSTM1D.*"
        r"Received: padding='causal'",
    ):
        lamina.layers.ConvLSTM1D(2, 3, padding="causal")
    with pytest.raises(
        ValueError,
        match=r"`padding` of ConvLSTM2D.*"
        r"Received: padding='full'",
    ):
        lamina.layers.ConvLSTM2D(2, 3, padding="full")
    with pytest.raises(
        ValueError,
        match=r"ConvLSTM3D: `strides > 1`.*"
        r"Received: strides=\(2, 2, 2\), "
        r"dilation_rate=\(1, 2, 1\)",
    ):
        lamina.layers.ConvLSTM3D(2, 3, strides=2, dilation_rate=(1, 2, 1))
    with pytest.raises(
        ValueError,
        match=r"`filters` of ConvLSTM2D.*"
        r"Received: filters=0",
    ):
        lamina.layers.ConvLSTM2D(0, 3)
    with pytest.raises(
        ValueError,
        match=r"Unrecognized keyword arguments "
        r"passed to ConvLSTM2D",
    ):
        lamina.layers.ConvLSTM2D(2, 3, units=4)
    with pytest.raises(
        ValueError,
        match=r"`rank` of ConvLSTMCell.*"
        r"Received: rank=4",
    ):
        ConvLSTMCell(4, 2, 3)


def test_bad_inputs_name_the_layer():
    layer = lamina.layers.ConvLSTM2D(2, 3)
    with pytest.raises(
        ValueError,
        match=r"layer 'conv_lstm2d.*' "
        r"\(ConvLSTM2D\).*expected ndim=5, "
        r"found ndim=4",
    ):
        layer(torch.zeros(2, 3, 5, 2))
    layer(torch.zeros(2, 3, 5, 5, 2))
    with pytest.raises(
        ValueError,
        match=r"\(ConvLSTM2D\).*expected "
        r"shape=\(None, None, 5, 5, 2\), "
        r"found shape=\(2, 3, 6, 6, 2\)",
    ):
        layer(torch.zeros(2, 3, 6, 6, 2))
    with pytest.raises(
        ValueError,
        match=r"initial_state\[0\] must have "
        r"shape.*\(2, 3, 3, 2\).*Received: "
        r"initial_state\[0\].shape="
        r"\(2, 2\)",
    ):
        layer(
            torch.zeros(2, 3, 5, 5, 2),
            initial_state=[torch.zeros(2, 2), torch.zeros(2, 2)],
        )
    with pytest.raises(
        ValueError,
        match=r"\(ConvLSTMCell\) needs static "
        r"spatial dimensions.*Received: "
        r"input_shape=\(None, None, 4, 2\)",
    ):
        lamina.layers.ConvLSTM2D(2, 3)(lamina.Input((3, None, 4, 2)))
    with pytest.raises(
        ValueError,
        match=r"\(ConvLSTMCell\).*padding='valid'"
        r" gives a zero or negative",
    ):
        lamina.layers.ConvLSTM1D(2, 5)(torch.zeros(1, 2, 3, 1))
