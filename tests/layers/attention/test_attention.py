"""`Attention` against Keras 3: outputs and scores for both score modes,
masks, causal masking, shapes, configs, gradients, dropout, errors."""

import numpy as np
import pytest
import torch

import lamina
from lamina.engine.weight_listing import weight_metadata
from lamina.layers.attention.attention import Attention
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

SHAPES = {
    "plain": [(2, 3, 4), (2, 5, 4)],
    "key": [(2, 3, 4), (2, 5, 6), (2, 5, 4)],
    "square": [(2, 4, 4), (2, 4, 3), (2, 4, 4)],
    "batch_axes": [(2, 3, 4, 5), (2, 3, 6, 5)],
}


def _pair(shapes, **kwargs):
    k, m = keras.layers.Attention(**kwargs), Attention(**kwargs)
    k.build(shapes), m.build(shapes)
    copy_weights(k, m)
    if k.weights:
        # Weights other than the initial ones, so that they matter.
        values = [np.asarray(w) * 1.7 - 0.2 for w in k.get_weights()]
        k.set_weights(values), m.set_weights(values)
    return k, m


@pytest.mark.parametrize("shapes", SHAPES)
@pytest.mark.parametrize(
    "use_scale,score_mode",
    [(False, "dot"), (True, "dot"), (False, "concat"), (True, "concat")],
)
@pytest.mark.parametrize(
    "call", [{}, {"return_attention_scores": True, "use_causal_mask": True}]
)
def test_matches_keras(rng, shapes, use_scale, score_mode, call):
    shapes = SHAPES[shapes]
    k, m = _pair(shapes, use_scale=use_scale, score_mode=score_mode)
    assert [w.path.split("/")[-1] for w in k.weights] == [
        info["name"] for _, _, info in weight_metadata(m)
    ]
    arrays = [normal(rng, s) for s in shapes]
    assert_close(
        m([tensor(a) for a in arrays], **call),
        k([tensor(a) for a in arrays], **call),
    )
    same_config(k, m)
    round_trip(Attention, keras.layers.Attention, m)


@pytest.mark.parametrize(
    "q_len,v_len",
    [([3, 1], None), (None, [5, 2]), ([2, 3], [4, 1]), ([3, 0], [0, 5])],
)
@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("how", ["attached", "argument"])
def test_masks_match_keras(rng, q_len, v_len, causal, how):
    shapes = SHAPES["key"]
    k, m = _pair(shapes, use_scale=True)
    arrays = [normal(rng, s) for s in shapes]
    masks = [
        None if n is None else lengths_mask(n, s[1])
        for n, s in zip((q_len, v_len), shapes)
    ]
    call = {"use_causal_mask": causal, "return_attention_scores": True}

    def run(layer):
        if how == "argument":
            return layer(
                [tensor(a) for a in arrays],
                mask=[None if x is None else torch.tensor(x) for x in masks]
                + [None],
                **call,
            )
        return layer(
            [tensor(a, x) for a, x in zip(arrays, masks + [None])], **call
        )

    (m_out, m_scores), (k_out, k_scores) = run(m), run(k)
    assert_close((m_out, m_scores), (k_out, k_scores))
    if q_len is None:
        assert getattr(m_out, "_keras_mask", None) is None
    else:
        np.testing.assert_array_equal(m_out._keras_mask.numpy(), masks[0])
    assert getattr(m_scores, "_keras_mask", None) is None


def _embedding_model(lib, scores):
    q_in = lib.Input((4,), dtype="int32")
    v_in = lib.Input((6,), dtype="int32")
    embed = lib.layers.Embedding(10, 3, mask_zero=True)
    out = lib.layers.Attention(score_mode="concat")(
        [embed(q_in), embed(v_in)], return_attention_scores=scores
    )
    return lib.Model([q_in, v_in], out)


@pytest.mark.parametrize("scores", [False, True])
def test_embedding_masks_in_functional_model(rng, scores):
    k_model = _embedding_model(keras, scores)
    m_model = _embedding_model(lamina, scores)
    assert [o.shape for o in m_model.outputs] == [
        tuple(o.shape) for o in k_model.outputs
    ]
    m_model.set_weights(k_model.get_weights())
    queries = rng.integers(1, 10, (3, 4))
    values = rng.integers(1, 10, (3, 6))
    queries[0, 2:], values[1, 3:] = 0, 0
    k_out = k_model([queries, values])
    m_out = m_model([torch.tensor(queries), torch.tensor(values)])
    assert_close(m_out, k_out)
    out = m_out[0] if scores else m_out
    np.testing.assert_array_equal(out._keras_mask.numpy(), queries != 0)


@pytest.mark.parametrize("shapes", ["plain", "key", "batch_axes"])
def test_symbolic_shapes_match_keras(shapes):
    shapes = SHAPES[shapes]
    k_out = keras.layers.Attention()(
        [keras.Input(s[1:]) for s in shapes], return_attention_scores=True
    )
    m_out = Attention()(
        [lamina.Input(s[1:]) for s in shapes], return_attention_scores=True
    )
    assert [o.shape for o in m_out] == [tuple(o.shape) for o in k_out]


def test_gradient_matches_keras(rng):
    shapes = SHAPES["key"]
    k, m = _pair(shapes, use_scale=True, score_mode="concat")
    arrays = [normal(rng, s) for s in shapes]
    weight = torch.tensor(normal(rng, (2, 3, 6)))
    grads = []
    for layer in (k, m):
        query = torch.tensor(arrays[0], requires_grad=True)
        out = layer(
            [query, torch.tensor(arrays[1]), torch.tensor(arrays[2])],
            use_causal_mask=True,
        )
        (out * weight).sum().backward()
        grads.append(query.grad.numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-5, atol=1e-6)


def test_dropout(rng):
    layer = Attention(dropout=0.5, seed=2)
    plain = Attention()
    inputs = [torch.tensor(normal(rng, s)) for s in SHAPES["plain"]]
    inference = layer(inputs, training=False)
    assert torch.equal(inference, layer(inputs))
    assert torch.equal(inference, plain(inputs))
    out, scores = layer(inputs, training=True, return_attention_scores=True)
    assert out.shape == (2, 3, 4) and scores.shape == (2, 3, 5)
    assert not torch.allclose(out, inference)
    # Kept weights are scaled by 1 / (1 - rate); dropped ones are zero.
    _, clean = plain(inputs, return_attention_scores=True)
    assert torch.all((scores == 0) | torch.isclose(scores, clean * 2))
    assert torch.equal(
        Attention(dropout=0.5, seed=2)(inputs, training=True),
        Attention(dropout=0.5, seed=2)(inputs, training=True),
    )


def test_invalid_score_mode():
    with pytest.raises(
        ValueError,
        match=r"`score_mode` of Attention: "
        r"expected one of \{'dot', "
        r"'concat'\}. Received: "
        r"score_mode='add'",
    ):
        Attention(score_mode="add")


def test_weights_follow_options():
    layer = Attention(use_scale=True, score_mode="concat")
    layer.build([(None, 3, 4), (None, 5, 4)])
    assert [w.shape for w in layer.get_weights()] == [(), ()]
    assert layer.scale is not None and layer.concat_score_weight is not None
    assert Attention().get_weights() == []
