import json

import numpy as np
import pytest
import torch

import lamina
from lamina.layers.recurrent.gru import GRU
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
    "kwargs,fused",
    [
        (dict(), True),
        (
            dict(return_sequences=True, return_state=True, go_backwards=True),
            True,
        ),
        (dict(use_bias=False, return_sequences=True), True),
        (dict(reset_after=False, return_state=True), False),
        (dict(reset_after=False, use_bias=False, go_backwards=True), False),
        (dict(activation="relu", unroll=True, return_sequences=True), False),
    ],
)
def test_matches_keras(monkeypatch, kwargs, fused):
    k, m = layer_pair("GRU", 5, **kwargs)
    x = random_input((3, 6, 4))
    spy = KernelSpy(monkeypatch)
    k_out, m_out = call_both(k, m, x)
    assert bool(spy.calls) == fused
    assert_close(m_out, k_out)
    assert_close(loop_output(m, x), k_out)


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("reset_after", [True, False])
def test_masked_matches_keras(monkeypatch, go_backwards, reset_after):
    k, m = layer_pair(
        "GRU",
        3,
        return_sequences=True,
        return_state=True,
        go_backwards=go_backwards,
        reset_after=reset_after,
    )
    x = random_input((3, 5, 2), seed=1)
    mask = right_padded([5, 3, 1], 5)
    spy = KernelSpy(monkeypatch)
    k_out, m_out = call_both(k, m, x, mask=mask)
    assert bool(spy.calls) == reset_after
    assert_close(m_out, k_out)
    assert_close(loop_output(m, x, mask=mask), k_out)


def test_initial_state_as_a_single_tensor():
    k, m = layer_pair("GRU", 3, return_sequences=True, go_backwards=True)
    x, h0 = random_input((2, 4, 2), seed=5), random_input((2, 3), seed=6)
    k_out, m_out = call_both(k, m, x, initial_state=h0)
    assert_close(m_out, k_out)


def test_weights_layout_and_torch_gru():
    k, m = layer_pair("GRU", 3, return_sequences=True)
    x = random_input((2, 4, 5), seed=2)
    k_out, m_out = call_both(k, m, x)
    assert [w.shape for w in m.get_weights()] == [(5, 9), (3, 9), (2, 9)]
    for ours, theirs in zip(m.get_weights(), k.get_weights()):
        np.testing.assert_array_equal(ours, to_numpy(theirs))
    assert [v["name"] for v in m.cell._weight_info.values()] == [
        w.name for w in k.weights
    ]
    # The stored weights are Keras's; the fused kernel gets
    # torch.nn.GRU's layout (gates r, z, n), derived from them.
    assert m.cell.kernel.shape == k.cell.kernel.shape
    ref = torch.nn.GRU(5, 3, batch_first=True)
    with torch.no_grad():
        for ours, theirs in zip(m.cell._fused_params(), ref._flat_weights):
            theirs.copy_(ours)
    assert_close(ref(torch.from_numpy(x))[0], k_out)


def test_config_matches_keras_and_round_trips():
    kwargs = dict(
        units=3,
        reset_after=False,
        recurrent_activation="relu",
        bias_regularizer="l1",
        dropout=0.1,
        return_state=True,
    )
    k, m = layer_pair("GRU", **kwargs)
    assert config_without_name(m) == config_without_name(k)
    config = json.loads(json.dumps(m.get_config()))
    assert GRU.from_config(config).get_config() == config
    assert config_without_name(
        keras.layers.GRU.from_config(config)
    ) == config_without_name(m)
    assert m.reset_after is False and m.units == 3


def test_train_on_batch_matches_keras(rng):
    x = rng.standard_normal((4, 5, 3)).astype("float32")
    y = rng.standard_normal((4, 2)).astype("float32")

    def model(lib):
        return lib.Sequential(
            [lib.Input((5, 3)), lib.layers.GRU(4), lib.layers.Dense(2)]
        )

    k_model, m_model = model(keras), model(lamina)
    m_model.set_weights(k_model.get_weights())
    for mdl in (k_model, m_model):
        mdl.compile(optimizer="sgd", loss="mse")
    np.testing.assert_allclose(
        m_model.train_on_batch(x, y), k_model.train_on_batch(x, y), rtol=1e-5
    )
    for ours, theirs in zip(m_model.get_weights(), k_model.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("reset_after", [True, False])
def test_dropout_shapes_and_inference_is_deterministic(reset_after):
    layer = GRU(
        4,
        dropout=0.3,
        recurrent_dropout=0.3,
        seed=1,
        reset_after=reset_after,
        return_state=True,
    )
    x = torch.from_numpy(random_input((3, 5, 2), seed=3))
    out, h = layer(x)
    assert out.shape == h.shape == (3, 4)
    assert torch.equal(layer(x, training=False)[0], out)
    trained, _ = layer(x, training=True)
    assert trained.shape == (3, 4) and not torch.allclose(trained, out)


def test_bad_inputs():
    with pytest.raises(
        ValueError,
        match=r"\(GRU\).*expected ndim=3, "
        r"found ndim=4",
    ):
        GRU(3)(torch.zeros(2, 3, 4, 5))
    with pytest.raises(
        ValueError,
        match=r"\(GRU\) expects 1 initial state "
        r"tensor\(s\).*Received: 2",
    ):
        GRU(3)(
            torch.zeros(2, 3, 4),
            initial_state=[torch.zeros(2, 3), torch.zeros(2, 3)],
        )
