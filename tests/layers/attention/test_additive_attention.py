"""`AdditiveAttention` against Keras 3: outputs and scores, masks, causal
masking, shapes, configs, gradients, dropout."""

import numpy as np
import pytest
import torch

import lamina
from lamina.engine.weight_listing import weight_metadata
from lamina.layers.attention.additive_attention import AdditiveAttention
from tests.keras_oracle import keras
from tests.layers.attention.helpers import (
    assert_close,
    copy_weights,
    lengths_mask,
    normal,
    round_trip,
    same_config,
    tensor,
)

SHAPES = [
    [(2, 3, 4), (2, 5, 4)],
    [(2, 3, 4), (2, 5, 6), (2, 5, 4)],
    [(2, 3, 4, 5), (2, 3, 6, 2), (2, 3, 6, 5)],
]


def _pair(shapes, **kwargs):
    k, m = keras.layers.AdditiveAttention(**kwargs), AdditiveAttention(**kwargs)
    k.build(shapes), m.build(shapes)
    copy_weights(k, m)
    return k, m


@pytest.mark.parametrize("shapes", SHAPES)
@pytest.mark.parametrize("use_scale", [True, False])
@pytest.mark.parametrize(
    "call", [{}, {"return_attention_scores": True, "use_causal_mask": True}]
)
def test_matches_keras(rng, shapes, use_scale, call):
    k, m = _pair(shapes, use_scale=use_scale)
    assert [w.path.split("/")[-1] for w in k.weights] == [
        info["name"] for _, _, info in weight_metadata(m)
    ]
    arrays = [normal(rng, s) for s in shapes]
    assert_close(
        m([tensor(a) for a in arrays], **call),
        k([tensor(a) for a in arrays], **call),
    )
    same_config(k, m)
    round_trip(AdditiveAttention, keras.layers.AdditiveAttention, m)


@pytest.mark.parametrize("q_len,v_len", [([3, 1], [5, 2]), (None, [0, 4])])
@pytest.mark.parametrize("causal", [False, True])
def test_masks_match_keras(rng, q_len, v_len, causal):
    shapes = SHAPES[0]
    k, m = _pair(shapes)
    arrays = [normal(rng, s) for s in shapes]
    masks = [
        None if n is None else lengths_mask(n, s[1])
        for n, s in zip((q_len, v_len), shapes)
    ]
    call = {"use_causal_mask": causal, "return_attention_scores": True}
    m_out = m([tensor(a, x) for a, x in zip(arrays, masks)], **call)
    k_out = k([tensor(a, x) for a, x in zip(arrays, masks)], **call)
    assert_close(m_out, k_out)
    if q_len is not None:
        np.testing.assert_array_equal(m_out[0]._keras_mask.numpy(), masks[0])


def test_symbolic_call_and_model(rng):
    inputs = [lamina.Input(s[1:]) for s in SHAPES[1]]
    out, scores = AdditiveAttention()(inputs, return_attention_scores=True)
    k_out, k_scores = keras.layers.AdditiveAttention()(
        [keras.Input(s[1:]) for s in SHAPES[1]], return_attention_scores=True
    )
    assert (out.shape, scores.shape) == (
        tuple(k_out.shape),
        tuple(k_scores.shape),
    )
    model = lamina.Model(inputs, out)
    arrays = [torch.tensor(normal(rng, s)) for s in SHAPES[1]]
    assert tuple(model(arrays).shape) == (2, 3, 6)


def test_gradient_matches_keras(rng):
    k, m = _pair(SHAPES[0])
    arrays = [normal(rng, s) for s in SHAPES[0]]
    grads = []
    for layer in (k, m):
        query = torch.tensor(arrays[0], requires_grad=True)
        layer([query, torch.tensor(arrays[1])]).square().sum().backward()
        grads.append(query.grad.numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-5, atol=1e-6)


def test_dropout(rng):
    layer = AdditiveAttention(dropout=0.4)
    inputs = [torch.tensor(normal(rng, s)) for s in SHAPES[0]]
    inference = layer(inputs)
    assert torch.equal(inference, layer(inputs, training=False))
    out = layer(inputs, training=True)
    assert out.shape == inference.shape
    assert not torch.allclose(out, inference)


def test_scale_weight_and_config():
    layer = AdditiveAttention(dropout=0.1, seed=4)
    layer.build([(None, 3, 7), (None, 5, 7)])
    assert [w.shape for w in layer.get_weights()] == [(7,)]
    assert "score_mode" not in layer.get_config()
    assert AdditiveAttention(use_scale=False).get_config()["use_scale"] is False
