import json

import numpy as np
import pytest
import torch

import lamina
from lamina.layers.recurrent.lstm import LSTM
from tests.keras_oracle import keras, to_numpy
from tests.layers.recurrent.helpers import KernelSpy
from tests.layers.recurrent.helpers import assert_close
from tests.layers.recurrent.helpers import call_both
from tests.layers.recurrent.helpers import config_without_name
from tests.layers.recurrent.helpers import layer_pair
from tests.layers.recurrent.helpers import loop_output
from tests.layers.recurrent.helpers import random_input
from tests.layers.recurrent.helpers import right_padded


@pytest.mark.parametrize(
    "return_sequences,return_state,go_backwards",
    [
        (False, False, False),
        (True, False, False),
        (False, True, True),
        (True, True, False),
        (True, True, True),
    ],
)
def test_fused_and_loop_match_keras(
    monkeypatch, return_sequences, return_state, go_backwards
):
    kwargs = dict(
        return_sequences=return_sequences,
        return_state=return_state,
        go_backwards=go_backwards,
    )
    k, m = layer_pair("LSTM", 5, **kwargs)
    x = random_input((3, 6, 4))
    spy = KernelSpy(monkeypatch)
    k_out, m_out = call_both(k, m, x)
    assert spy.calls and spy.calls[-1] == ("lstm", False)
    assert_close(m_out, k_out)
    spy.calls.clear()
    assert_close(loop_output(m, x), k_out)
    assert not spy.calls


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(use_bias=False),
        dict(unit_forget_bias=False, bias_initializer="random_normal"),
        dict(activation="relu", recurrent_activation="hard_sigmoid"),
        dict(unroll=True, return_sequences=True),
        dict(recurrent_activation="tanh", return_state=True),
    ],
)
def test_other_configurations_match_keras(kwargs):
    k, m = layer_pair("LSTM", 4, **kwargs)
    x = random_input((2, 5, 3), seed=1)
    k_out, m_out = call_both(k, m, x)
    assert_close(m_out, k_out)
    assert_close(loop_output(m, x), k_out)


@pytest.mark.parametrize("lengths", [[4, 2, 1], [4, 4, 4]])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("zero_output", [False, True])
def test_right_padded_mask_runs_fused_and_matches_keras(
    monkeypatch, lengths, go_backwards, zero_output
):
    kwargs = dict(
        return_sequences=True,
        return_state=True,
        go_backwards=go_backwards,
        zero_output_for_mask=zero_output,
    )
    k, m = layer_pair("LSTM", 3, **kwargs)
    x = random_input((3, 4, 2), seed=2)
    mask = right_padded(lengths, 4)
    spy = KernelSpy(monkeypatch)
    k_out, m_out = call_both(k, m, x, mask=mask)
    assert spy.calls[-1][0] == "lstm"
    assert_close(m_out, k_out)
    assert_close(loop_output(m, x, mask=mask), k_out)
    np.testing.assert_array_equal(to_numpy(m_out[0]._keras_mask), mask)


def test_mask_with_holes_uses_the_loop(monkeypatch):
    k, m = layer_pair("LSTM", 3, return_sequences=True)
    x = random_input((2, 5, 2), seed=3)
    mask = np.array(
        [[True, False, True, True, False], [False, True, True, True, True]]
    )
    spy = KernelSpy(monkeypatch)
    k_out, m_out = call_both(k, m, x, mask=mask)
    assert not spy.calls
    assert_close(m_out, k_out)


def test_initial_state_eager_and_symbolic():
    x = random_input((2, 5, 3), seed=4)
    h0, c0 = random_input((2, 4), 5), random_input((2, 4), 6)
    k, m = layer_pair("LSTM", 4, return_state=True)
    k_out, m_out = call_both(k, m, x, initial_state=[h0, c0])
    assert_close(m_out, k_out)

    def functional(lib, layer):
        seq, h, c = lib.Input((None, 3)), lib.Input((4,)), lib.Input((4,))
        return lib.Model([seq, h, c], layer(seq, initial_state=[h, c]))

    k_model = functional(keras, keras.layers.LSTM(4, return_sequences=True))
    m_model = functional(lamina, LSTM(4, return_sequences=True))
    assert tuple(m_model.output_shape) == tuple(k_model.output_shape)
    m_model.set_weights(k_model.get_weights())
    inputs = [torch.from_numpy(v) for v in (x, h0, c0)]
    assert_close(m_model(inputs), k_model(inputs))


def test_functional_shapes_with_unknown_timesteps():
    outs = {}
    for lib in (keras, lamina):
        x = lib.Input((None, 3))
        y = lib.layers.LSTM(4, return_sequences=True, return_state=True)(x)
        outs[lib] = [tuple(t.shape) for t in y]
    assert (
        outs[lamina] == outs[keras] == [(None, None, 4), (None, 4), (None, 4)]
    )


def test_weights_layout_names_and_torch_lstm():
    k, m = layer_pair("LSTM", 3)
    x = random_input((2, 4, 5), seed=7)
    k_out, m_out = call_both(k, m, x)
    assert [w.shape for w in m.get_weights()] == [(5, 12), (3, 12), (12,)]
    for ours, theirs in zip(m.get_weights(), k.get_weights()):
        np.testing.assert_array_equal(ours, to_numpy(theirs))
    assert [v["name"] for v in m.cell._weight_info.values()] == [
        w.name for w in k.weights
    ]
    # The stored weights are Keras's; torch.nn.LSTM's layout is derived
    # from them for the fused kernel.
    assert m.cell.kernel.shape == k.cell.kernel.shape
    ref = torch.nn.LSTM(5, 3, batch_first=True)
    with torch.no_grad():
        for ours, theirs in zip(m.cell._fused_params(), ref._flat_weights):
            theirs.copy_(ours)
    assert_close(ref(torch.from_numpy(x))[0][:, -1], k_out)


def test_config_matches_keras_and_round_trips():
    kwargs = dict(
        units=3,
        activation="relu",
        unit_forget_bias=False,
        kernel_regularizer="l2",
        recurrent_constraint="non_neg",
        dropout=0.25,
        recurrent_dropout=0.5,
        seed=3,
        return_sequences=True,
        go_backwards=True,
        stateful=False,
    )
    k, m = layer_pair("LSTM", **kwargs)
    assert config_without_name(m) == config_without_name(k)
    config = json.loads(json.dumps(m.get_config()))
    assert LSTM.from_config(config).get_config() == config
    assert config_without_name(
        keras.layers.LSTM.from_config(config)
    ) == config_without_name(m)
    assert m.units == 3 and m.dropout == 0.25 and not m.unit_forget_bias


def test_unit_forget_bias_initial_value():
    layer = LSTM(2)
    layer(torch.zeros(1, 2, 3))
    np.testing.assert_array_equal(
        layer.get_weights()[2], [0, 0, 1, 1, 0, 0, 0, 0]
    )


def test_regularizer_and_constraint_see_keras_layout():
    kwargs = dict(
        kernel_regularizer=keras.regularizers.OrthogonalRegularizer(
            0.1, mode="columns"
        ),
        kernel_constraint="max_norm",
    )
    k = keras.layers.LSTM(3, **kwargs)
    m = LSTM(
        3,
        kernel_regularizer=lamina.regularizers.OrthogonalRegularizer(
            0.1, mode="columns"
        ),
        kernel_constraint="max_norm",
    )
    x = random_input((2, 3, 4), seed=8) * 3
    call_both(k, m, x)
    np.testing.assert_allclose(
        float(sum(m.losses).detach()),
        float(sum(to_numpy(v) for v in k.losses)),
        rtol=1e-5,
    )
    kernel = k.cell.kernel
    kernel.assign(kernel * 5)
    m.set_weights(k.get_weights())
    kernel.assign(k.cell.kernel_constraint(kernel))
    m.apply_constraints()
    assert_close(m.get_weights()[0], k.get_weights()[0])


def test_train_on_batch_matches_keras(rng):
    x = rng.integers(0, 10, size=(4, 6))
    x[:, 4:] = 0
    y = rng.standard_normal((4, 1)).astype("float32")

    def model(lib):
        return lib.Sequential(
            [
                lib.Input((6,), dtype="int32"),
                lib.layers.Embedding(10, 5, mask_zero=True),
                lib.layers.LSTM(4),
                lib.layers.Dense(1),
            ]
        )

    k_model, m_model = model(keras), model(lamina)
    m_model.set_weights(k_model.get_weights())
    for mdl in (k_model, m_model):
        mdl.compile(optimizer="sgd", loss="mse")
    k_loss = k_model.train_on_batch(x, y)
    m_loss = m_model.train_on_batch(x, y)
    np.testing.assert_allclose(m_loss, k_loss, rtol=1e-5)
    for ours, theirs in zip(m_model.get_weights(), k_model.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-6)


def test_dropout_shapes_and_inference_is_deterministic():
    layer = LSTM(
        4, dropout=0.5, recurrent_dropout=0.5, seed=1, return_sequences=True
    )
    x = torch.from_numpy(random_input((3, 5, 2), seed=9))
    plain = layer(x)
    assert plain.shape == (3, 5, 4)
    assert torch.equal(layer(x, training=False), plain)
    reference = LSTM(4, return_sequences=True)
    reference(x)
    reference.set_weights(layer.get_weights())
    assert torch.allclose(reference(x), plain, rtol=1e-5, atol=1e-6)
    trained = layer(x, training=True)
    assert trained.shape == (3, 5, 4)
    assert not torch.allclose(trained, plain)


def test_input_dropout_on_the_fused_path(monkeypatch):
    layer = LSTM(4, dropout=0.5, seed=2)
    x = torch.from_numpy(random_input((3, 5, 2), seed=9))
    spy = KernelSpy(monkeypatch)
    out = layer(x, training=True)
    assert spy.calls and out.shape == (3, 4)
    assert not torch.allclose(out, layer(x, training=False))


def test_use_cudnn():
    x = torch.from_numpy(random_input((2, 3, 2)))
    assert LSTM(3, use_cudnn=False)(x).shape == (2, 3)
    with pytest.raises(
        ValueError,
        match=r"use_cudnn.*Received: "
        r"use_cudnn='yes'",
    ):
        LSTM(3, use_cudnn="yes")
    with pytest.raises(
        ValueError,
        match=r"'lstm.*' \(LSTM\): use_cudnn=True"
        r".*Received: use_cudnn=True",
    ):
        LSTM(3, activation="relu", use_cudnn=True)(x)


def test_bad_inputs():
    layer = LSTM(3)
    with pytest.raises(
        ValueError,
        match=r"layer 'lstm.*' \(LSTM\).*"
        r"expected ndim=3, found ndim=2",
    ):
        layer(torch.zeros(2, 4))
    x = torch.zeros(2, 5, 4)
    with pytest.raises(
        ValueError,
        match=r"\(LSTM\) expects 2 initial state "
        r"tensor\(s\).*Received: 1",
    ):
        layer(x, initial_state=[torch.zeros(2, 3)])
    with pytest.raises(
        ValueError,
        match=r"initial_state\[1\] must have "
        r"shape.*\(2, 3\).*Received: "
        r"initial_state\[1\].shape=\(2, 4\)",
    ):
        layer(x, initial_state=[torch.zeros(2, 3), torch.zeros(2, 4)])
    with pytest.raises(
        ValueError,
        match=r"`units` of LSTMCell.*Received: "
        r"units=0",
    ):
        LSTM(0)
