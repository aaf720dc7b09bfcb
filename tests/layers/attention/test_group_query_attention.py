"""`GroupQueryAttention` against Keras 3: weights, outputs, scores, masks,
dropout, configs, `.keras` files both ways, errors."""

import numpy as np
import pytest
import torch

import lamina
from lamina.layers.attention.group_query_attention import GroupQueryAttention
from tests.keras_oracle import keras, to_numpy
from tests.layers.attention.helpers import (
    assert_close,
    copy_weights,
    lengths_mask,
    normal,
    round_trip,
    same_config,
    tensor,
)

# (layer kwargs, query shape, value shape, key shape, call kwargs)
CASES = [
    ({}, (2, 4, 6), (2, 5, 6), None, {}),
    ({"num_key_value_heads": 1}, (2, 4, 6), (2, 5, 6), (2, 5, 3), {}),
    (
        {"num_key_value_heads": 4},
        (2, 4, 6),
        (2, 5, 6),
        None,
        {"return_attention_scores": True},
    ),
    (
        {"use_bias": False},
        (2, 5, 6),
        (2, 5, 6),
        None,
        {"use_causal_mask": True},
    ),
    (
        {"head_dim": 2},
        (2, 5, 6),
        (2, 3, 6),
        None,
        {"use_causal_mask": True, "return_attention_scores": True},
    ),
    (
        {"use_gate": True, "sliding_window": 2},
        (2, 5, 6),
        (2, 5, 6),
        None,
        {"use_causal_mask": True},
    ),
    ({"sliding_window": 3}, (2, 5, 6), (2, 5, 6), None, {}),
    ({"dropout": 0.3}, (2, 4, 6), (2, 5, 6), None, {}),
]


def _pair(kwargs, query_shape, value_shape, key_shape=None):
    kwargs = {
        "head_dim": 3,
        "num_query_heads": 4,
        "num_key_value_heads": 2,
        **kwargs,
    }
    k = keras.layers.GroupQueryAttention(**kwargs)
    m = GroupQueryAttention(**kwargs)
    k.build(query_shape, value_shape, key_shape)
    m.build(query_shape, value_shape, key_shape)
    copy_weights(k, m)
    return k, m


def _inputs(rng, shapes, masks=(None, None, None)):
    arrays = [None if s is None else normal(rng, s) for s in shapes]

    def make():
        return [
            None if a is None else tensor(a, mask)
            for a, mask in zip(arrays, masks)
        ]

    return make


@pytest.mark.parametrize("kwargs,q_shape,v_shape,k_shape,call", CASES)
def test_matches_keras(rng, kwargs, q_shape, v_shape, k_shape, call):
    k, m = _pair(kwargs, q_shape, v_shape, k_shape)
    assert [w.path for w in k.weights] == [
        w.path.replace(m.name, k.name, 1) for w in m.weights
    ]
    make = _inputs(rng, (q_shape, v_shape, k_shape))
    assert_close(m(*make(), **call), k(*make(), **call))
    same_config(k, m)
    round_trip(GroupQueryAttention, keras.layers.GroupQueryAttention, m)


MASK_CASES = [
    # (query lengths, value lengths, key lengths, attention mask, causal)
    ([4, 2], [5, 3], None, False, False),
    ([4, 2], None, None, False, True),
    (None, [5, 3], [4, 5], True, False),
    ([3, 4], [2, 5], None, True, True),
    (None, None, None, True, False),
]


@pytest.mark.parametrize("q_len,v_len,k_len,explicit,causal", MASK_CASES)
@pytest.mark.parametrize("scores", [False, True])
def test_masks_match_keras(rng, q_len, v_len, k_len, explicit, causal, scores):
    k, m = _pair({}, (2, 4, 6), (2, 5, 6), (2, 5, 6))
    masks = [
        None if n is None else lengths_mask(n, size)
        for n, size in ((q_len, 4), (v_len, 5), (k_len, 5))
    ]
    make = _inputs(rng, ((2, 4, 6), (2, 5, 6), (2, 5, 6)), masks)
    call = {"use_causal_mask": causal, "return_attention_scores": scores}
    if explicit:
        call["attention_mask"] = rng.random((2, 4, 5)) > 0.3
    k_out = k(*make(), **call)
    m_out = m(*make(), **call)
    assert_close(m_out, k_out)
    out = m_out[0] if scores else m_out
    if q_len is None:
        assert getattr(out, "_keras_mask", None) is None
    else:
        np.testing.assert_array_equal(out._keras_mask.numpy(), masks[0])


def test_dropout_only_in_training(rng):
    _, m = _pair({"dropout": 0.5, "seed": 1}, (2, 4, 6), (2, 5, 6))
    x = torch.tensor(normal(rng, (2, 4, 6)))
    v = torch.tensor(normal(rng, (2, 5, 6)))
    inference = m(x, v, training=False)
    trained = m(x, v, training=True)
    assert not torch.allclose(inference, trained)
    # Inference matches the layer without dropout.
    _, plain = _pair({}, (2, 4, 6), (2, 5, 6))
    plain.set_weights(m.get_weights())
    assert_close(inference, plain(x, v))


def test_gradients_match_keras(rng):
    k, m = _pair({"use_gate": True}, (2, 4, 6), (2, 5, 6))
    q, v = normal(rng, (2, 4, 6)), normal(rng, (2, 5, 6))
    kq = torch.tensor(q, requires_grad=True)
    mq = torch.tensor(q, requires_grad=True)
    k(kq, torch.tensor(v), use_causal_mask=True).sum().backward()
    m(mq, torch.tensor(v), use_causal_mask=True).sum().backward()
    np.testing.assert_allclose(mq.grad.numpy(), kq.grad.numpy(), 1e-5, 1e-5)


def _model(lib, scores=False):
    q_in = lib.Input((5, 6))
    v_in = lib.Input((7, 6))
    out = lib.layers.GroupQueryAttention(2, 4, 2, name="gqa")(
        q_in, v_in, return_attention_scores=scores
    )
    return lib.Model([q_in, v_in], out)


@pytest.mark.parametrize("scores", [False, True])
def test_functional_shapes(scores):
    k_model, m_model = _model(keras, scores), _model(lamina, scores)
    k_shapes = [tuple(o.shape) for o in k_model.outputs]
    assert [tuple(o.shape) for o in m_model.outputs] == k_shapes


def test_keras_files_both_ways(rng, tmp_path):
    q, v = normal(rng, (3, 5, 6)), normal(rng, (3, 7, 6))
    k_model = _model(keras)
    k_model.save(tmp_path / "k.keras")
    m_model = lamina.saving.load_model(tmp_path / "k.keras")
    expected = to_numpy(k_model([q, v]))
    m_out = m_model([torch.tensor(q), torch.tensor(v)])
    np.testing.assert_allclose(to_numpy(m_out), expected, 1e-5, 1e-6)
    m_model.save(tmp_path / "m.keras")
    again = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(to_numpy(again([q, v])), expected, 1e-5, 1e-6)


def test_default_name_is_keras_s():
    assert GroupQueryAttention(2, 2, 1).name.startswith(
        "grouped_query_attention"
    )


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"num_key_value_heads": 3}, "num_key_value_heads"),
        ({"sliding_window": -1}, "sliding_window"),
        ({"dropout": 0.1, "flash_attention": True}, "dropout"),
    ],
)
def test_bad_arguments(kwargs, match):
    kwargs = {
        "head_dim": 2,
        "num_query_heads": 4,
        "num_key_value_heads": 2,
        **kwargs,
    }
    with pytest.raises(ValueError, match=match):
        keras.layers.GroupQueryAttention(**kwargs)
    with pytest.raises(ValueError, match=match):
        GroupQueryAttention(**kwargs)


def test_head_dim_must_be_positive():
    # Keras accepts head_dim=0 and fails later in its einsum.
    with pytest.raises(ValueError, match="Received: head_dim=0"):
        GroupQueryAttention(0, 4, 2)


def test_flash_refuses_scores(rng):
    layer = GroupQueryAttention(2, 2, 1, flash_attention=True)
    x = torch.tensor(normal(rng, (1, 3, 4)))
    with pytest.raises(ValueError, match="return_attention_scores=True"):
        layer(x, x, return_attention_scores=True)


def test_symbolic_shape_mismatch():
    with pytest.raises(ValueError, match="query_shape"):
        GroupQueryAttention(2, 2, 1)(lamina.Input((3, 4)), lamina.Input((3, 5)))


@pytest.mark.parametrize("causal", [False, True])
def test_flash_kernel_gives_keras_numbers(rng, causal):
    # torch's flash kernel runs on the CPU too (Keras refuses there, as its
    # check asks for CUDA and half precision): same numbers as Keras's
    # default path.
    k, m = _pair({}, (2, 4, 6), (2, 4, 6))
    flash = GroupQueryAttention(3, 4, 2, flash_attention=True)
    flash.build((2, 4, 6), (2, 4, 6))
    flash.set_weights(m.get_weights())
    make = _inputs(rng, ((2, 4, 6), (2, 4, 6), None))
    call = {"use_causal_mask": causal}
    assert_close(flash(*make(), **call), k(*make(), **call))
