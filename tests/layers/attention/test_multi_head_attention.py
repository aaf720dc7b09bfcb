"""`MultiHeadAttention` against Keras 3: weights, outputs, scores, masks,
shapes, configs, gradients, dropout, both attention paths, files, errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import lamina
from lamina.engine.weight_listing import weight_metadata
from lamina.layers.attention.multi_head_attention import MultiHeadAttention
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
    (
        {"value_dim": 5, "output_shape": 7},
        (2, 4, 6),
        (2, 5, 3),
        (2, 5, 4),
        {"return_attention_scores": True},
    ),
    (
        {"output_shape": (3, 2), "use_bias": False},
        (2, 4, 6),
        (2, 4, 6),
        None,
        {"use_causal_mask": True},
    ),
    (
        {"num_heads": 1},
        (2, 5, 6),
        (2, 3, 6),
        None,
        {"use_causal_mask": True, "return_attention_scores": True},
    ),
    ({"num_heads": 3}, (2, 5, 6), (2, 3, 6), None, {"use_causal_mask": True}),
    (
        {"attention_axes": (1,)},
        (2, 4, 6),
        (2, 5, 6),
        (2, 5, 6),
        {"return_attention_scores": True},
    ),
    ({"attention_axes": -2}, (2, 4, 6), (2, 5, 6), None, {}),
    (
        {"attention_axes": (2,)},
        (2, 3, 4, 6),
        (2, 3, 5, 6),
        None,
        {"return_attention_scores": True},
    ),
    ({"attention_axes": (1,)}, (2, 3, 4, 6), (2, 5, 4, 6), None, {}),
    ({}, (2, 3, 4, 6), (2, 2, 5, 6), None, {"return_attention_scores": True}),
    (
        {"attention_axes": (2, 1)},
        (2, 3, 4, 6),
        (2, 2, 5, 6),
        None,
        {"return_attention_scores": True},
    ),
    (
        {"use_gate": True, "sliding_window": 2},
        (2, 5, 6),
        (2, 5, 6),
        None,
        {"use_causal_mask": True},
    ),
    ({"dropout": 0.3, "value_dim": 2}, (2, 4, 6), (2, 5, 6), None, {}),
]


def _pair(kwargs, query_shape, value_shape, key_shape=None):
    kwargs = {"num_heads": 2, "key_dim": 3, **kwargs}
    k, m = (
        keras.layers.MultiHeadAttention(**kwargs),
        MultiHeadAttention(**kwargs),
    )
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
    assert [w.path.split("/", 1)[1] for w in k.weights] == [
        f"{owner.name}/{name}" for owner, name in _weight_names(m)
    ]
    make = _inputs(rng, (q_shape, v_shape, k_shape))
    assert_close(m(*make(), **call), k(*make(), **call))
    same_config(k, m)
    round_trip(MultiHeadAttention, keras.layers.MultiHeadAttention, m)


def _weight_names(layer):
    return [(owner, info["name"]) for owner, _, info in weight_metadata(layer)]


MASK_CASES = [
    # (query lengths, value lengths, key lengths, attention mask, causal)
    ([4, 2], [5, 3], None, False, False),
    ([4, 2], None, None, False, True),
    (None, [5, 3], [4, 5], True, False),
    ([3, 4], [2, 5], None, True, True),
    (None, None, None, True, True),
    ([4, 0], [5, 3], None, False, False),  # a fully masked query
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
    if scores:
        assert getattr(m_out[1], "_keras_mask", None) is None


def test_inputs_keep_their_masks(rng):
    layer = MultiHeadAttention(2, 3)
    query = tensor(normal(rng, (2, 4, 6)), lengths_mask([4, 2], 4))
    mask = query._keras_mask
    layer(query, query)
    assert query._keras_mask is mask


def _embedding_model(lib, scores):
    q_in = lib.Input((5,), dtype="int32")
    v_in = lib.Input((6,), dtype="int32")
    embed = lib.layers.Embedding(10, 8, mask_zero=True)
    out = lib.layers.MultiHeadAttention(2, 4)(
        embed(q_in), embed(v_in), return_attention_scores=scores
    )
    return lib.Model([q_in, v_in], out)


@pytest.mark.parametrize("scores", [False, True])
def test_embedding_masks_in_functional_model(rng, scores):
    k_model, m_model = (
        _embedding_model(keras, scores),
        _embedding_model(lamina, scores),
    )
    if scores:
        # Keras's symbolic scores take the query length twice; lamina's
        # are traced, (batch, heads, T, S).
        assert [o.shape for o in m_model.outputs] == [
            (None, 5, 8),
            (None, 2, 5, 6),
        ]
    else:
        assert m_model.outputs[0].shape == k_model.outputs[0].shape
    m_model.set_weights(k_model.get_weights())
    queries = rng.integers(1, 10, (3, 5))
    values = rng.integers(1, 10, (3, 6))
    queries[0, 3:], values[1, 2:], values[2, :] = 0, 0, 0
    k_out = k_model([queries, values])
    m_out = m_model([torch.tensor(queries), torch.tensor(values)])
    assert_close(m_out, k_out)
    out = m_out[0] if scores else m_out
    np.testing.assert_array_equal(out._keras_mask.numpy(), queries != 0)


@pytest.mark.parametrize("kwargs,q_shape,v_shape,k_shape,call", CASES[:11])
def test_symbolic_shapes_match_eager(kwargs, q_shape, v_shape, k_shape, call):
    layer = MultiHeadAttention(**{"num_heads": 2, "key_dim": 3, **kwargs})
    inputs = [
        None if s is None else lamina.Input(s[1:])
        for s in (q_shape, v_shape, k_shape)
    ]
    symbolic = layer(*inputs, **call)
    eager = layer(
        *[
            None if s is None else torch.ones(s)
            for s in (q_shape, v_shape, k_shape)
        ],
        **call,
    )
    if not isinstance(eager, tuple):
        symbolic, eager = (symbolic,), (eager,)
    assert [s.shape for s in symbolic] == [
        (None,) + tuple(e.shape[1:]) for e in eager
    ]
    k_layer = keras.layers.MultiHeadAttention(
        **{"num_heads": 2, "key_dim": 3, **kwargs}
    )
    assert tuple(
        layer.compute_output_shape(q_shape, v_shape, k_shape)
    ) == tuple(k_layer.compute_output_shape(q_shape, v_shape, k_shape))


def test_two_output_model_runs(rng):
    query, value = lamina.Input((4, 6)), lamina.Input((7, 6))
    out, scores = MultiHeadAttention(2, 3)(
        query, value, return_attention_scores=True
    )
    model = lamina.Model([query, value], [out, scores])
    outs = model(
        [
            torch.tensor(normal(rng, (2, 4, 6))),
            torch.tensor(normal(rng, (2, 7, 6))),
        ]
    )
    assert [tuple(o.shape) for o in outs] == [(2, 4, 6), (2, 2, 4, 7)]


def _spy_sdpa(monkeypatch):
    calls = []

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return F.scaled_dot_product_attention(*args, **kwargs)

    monkeypatch.setattr(
        "lamina.layers.attention.attention_math.F",
        type(
            "F",
            (),
            {
                "scaled_dot_product_attention": staticmethod(spy),
                "softmax": staticmethod(F.softmax),
            },
        ),
    )
    return calls


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("masked", [False, True])
def test_fused_and_explicit_paths_agree(rng, monkeypatch, causal, masked):
    calls = _spy_sdpa(monkeypatch)
    layer = MultiHeadAttention(3, 4, value_dim=2)
    query_mask = lengths_mask([4, 3], 4)
    masks = (query_mask, lengths_mask([5, 2], 5)) if masked else (None, None)
    make = _inputs(rng, ((2, 4, 6), (2, 5, 6)), masks)
    call = {"use_causal_mask": causal}
    if masked:
        call["attention_mask"] = np.ones((2, 4, 5), bool)
    fused = layer(*make(), **call)
    assert len(calls) == 1
    assert calls[0]["is_causal"] == (causal and not masked)
    explicit, _ = layer(*make(), **call, return_attention_scores=True)
    assert len(calls) == 1
    # A masked query has no key to attend to: the fused path averages all
    # values there, the explicit one gives zeros (both as in Keras).
    keep = query_mask if masked else np.ones((2, 4), bool)
    assert_close(fused[keep], explicit[keep])
    if masked:
        assert not torch.allclose(fused[~keep], explicit[~keep])


def test_gradient_matches_keras_and_float64(rng):
    k, m = _pair({"value_dim": 2}, (2, 4, 6), (2, 5, 6))
    m64 = MultiHeadAttention(2, 3, value_dim=2, dtype="float64")
    m64.build((2, 4, 6), (2, 5, 6))
    m64.set_weights(k.get_weights())
    query, value = normal(rng, (2, 4, 6)), normal(rng, (2, 5, 6))
    weight = torch.tensor(normal(rng, (2, 4, 6)))
    grads = []
    for layer, dtype in (
        (k, torch.float32),
        (m, torch.float32),
        (m64, torch.float64),
    ):
        q = torch.tensor(query, dtype=dtype, requires_grad=True)
        out = layer(q, torch.tensor(value, dtype=dtype), use_causal_mask=True)
        (out * weight.to(dtype)).sum().backward()
        grads.append(q.grad.double().numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(grads[1], grads[2], rtol=1e-4, atol=1e-6)


def test_dropout(rng):
    k, m = _pair({"dropout": 0.5, "seed": 3}, (2, 4, 6), (2, 5, 6))
    plain = MultiHeadAttention(2, 3)
    plain.build((2, 4, 6), (2, 5, 6))
    plain.set_weights(m.get_weights())
    query, value = (
        torch.tensor(normal(rng, (2, 4, 6))),
        torch.tensor(normal(rng, (2, 5, 6))),
    )
    inference = m(query, value, training=False)
    assert torch.equal(inference, m(query, value))
    assert_close(inference, plain(query, value))
    out, scores = m(query, value, training=True, return_attention_scores=True)
    assert out.shape == (2, 4, 6) and scores.shape == (2, 2, 4, 5)
    assert not torch.allclose(out, inference)
    # The scores are returned before dropout: still a distribution.
    assert_close(scores.sum(-1), torch.ones(2, 2, 4))
    twin = MultiHeadAttention(2, 3, dropout=0.5, seed=3)
    twin.build((2, 4, 6), (2, 5, 6))
    twin.set_weights(m.get_weights())
    m_again = MultiHeadAttention(2, 3, dropout=0.5, seed=3)
    m_again.build((2, 4, 6), (2, 5, 6))
    m_again.set_weights(m.get_weights())
    assert torch.equal(
        twin(query, value, training=True), m_again(query, value, training=True)
    )


def test_regularization_losses_match_keras(rng):
    kwargs = {
        "kernel_regularizer": "l2",
        "bias_regularizer": "l1",
        "activity_regularizer": "l2",
        "bias_initializer": "ones",
    }
    k, m = _pair(kwargs, (2, 4, 6), (2, 5, 6))
    make = _inputs(rng, ((2, 4, 6), (2, 5, 6)))
    k(*make()), m(*make())
    assert len(m.losses) == len(k.losses) == 12
    np.testing.assert_allclose(
        float(sum(m.losses).detach()), float(to_numpy(sum(k.losses))), rtol=1e-5
    )


def test_build_config_matches_keras():
    k, m = _pair({}, (None, 4, 6), (None, 5, 6), (None, 5, 2))
    assert m.get_build_config() == k.get_build_config()
    clone = MultiHeadAttention.from_config(m.get_config())
    clone.build_from_config(k.get_build_config())
    assert [w.shape for w in clone.get_weights()] == [
        tuple(w.shape) for w in k.get_weights()
    ]


def test_weights_round_trip_through_file(rng, tmp_path):
    def model():
        query, value = lamina.Input((4, 6)), lamina.Input((5, 6))
        out = MultiHeadAttention(2, 3, use_gate=True)(query, value)
        return lamina.Model([query, value], out)

    first, second = model(), model()
    path = str(tmp_path / "mha.weights.h5")
    first.save_weights(path)
    second.load_weights(path)
    make = _inputs(rng, ((2, 4, 6), (2, 5, 6)))
    assert_close(second(make()), first(make()))


def _keras_and_lamina_models():
    def build(lib):
        query, value = lib.Input((4, 6)), lib.Input((5, 6))
        out = lib.layers.MultiHeadAttention(2, 3, output_shape=4)(query, value)
        return lib.Model([query, value], out)

    return build(keras), build(lamina)


def test_keras_archive_both_ways(rng, tmp_path):
    """`.keras` archives already use Keras's attribute paths for sublayers
    (`multi_head_attention/query_dense/vars`), and its build config."""
    k_model, m_model = _keras_and_lamina_models()
    make = _inputs(rng, ((2, 4, 6), (2, 5, 6)))
    m_model.save(str(tmp_path / "lamina.keras"))
    from_lamina = keras.saving.load_model(str(tmp_path / "lamina.keras"))
    assert_close(m_model(make()), from_lamina(make()))
    k_model.save(str(tmp_path / "keras.keras"))
    from_keras = lamina.saving.load_model(str(tmp_path / "keras.keras"))
    assert_close(from_keras(make()), k_model(make()))


def test_lamina_weights_file_loads_in_keras(rng, tmp_path):
    k_model, m_model = _keras_and_lamina_models()
    path = str(tmp_path / "lamina.weights.h5")
    m_model.save_weights(path)
    k_model.load_weights(path)
    make = _inputs(rng, ((2, 4, 6), (2, 5, 6)))
    assert_close(m_model(make()), k_model(make()))


def test_keras_weights_file_loads_in_lamina(rng, tmp_path):
    k_model, m_model = _keras_and_lamina_models()
    path = str(tmp_path / "keras.weights.h5")
    k_model.save_weights(path)
    m_model.load_weights(path)
    make = _inputs(rng, ((2, 4, 6), (2, 5, 6)))
    assert_close(m_model(make()), k_model(make()))


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (
            {"num_heads": 0},
            r"`num_heads` of MultiHeadAttention: expected a "
            r"positive integer. Received: num_heads=0",
        ),
        ({"key_dim": -1}, r"`key_dim`.*Received: key_dim=-1"),
        ({"key_dim": 2.5}, r"`key_dim`.*Received: key_dim=2.5"),
        ({"value_dim": 0}, r"`value_dim`.*Received: value_dim=0"),
        ({"dropout": 1.5}, r"`dropout` of MultiHeadAttention.*dropout=1.5"),
        ({"output_shape": "x"}, r"`output_shape`.*Received: output_shape='x'"),
        ({"sliding_window": 0}, r"`sliding_window`.*sliding_window=0"),
        (
            {"dropout": 0.1, "flash_attention": True},
            r"dropout is not supported when flash attention",
        ),
    ],
)
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MultiHeadAttention(**{"num_heads": 2, "key_dim": 3, **kwargs})


@pytest.mark.parametrize(
    "kwargs,shapes,match",
    [
        (
            {},
            [(2, 4, 6), (2, 5, 6), (2, 3, 6)],
            r"all dimensions of `value` and `key`, except the last one, must be "
            r"equal. Received: .*value_shape=\(2, 5, 6\), key_shape=\(2, 3, 6\)",
        ),
        ({}, [(2, 6), (2, 6)], r"rank >= 3\). Received: query_shape=\(2, 6\)"),
        ({}, [(2, 4, 6), (2, 3, 5, 6)], r"same rank"),
        (
            {"attention_axes": 0},
            [(2, 4, 6), (2, 5, 6)],
            r"`attention_axes`.*other than the batch axis \(0\) and the feature "
            r"axis \(2\).*Received: attention_axes=\(0,\)",
        ),
        (
            {"attention_axes": (1, 1)},
            [(2, 3, 4, 6), (2, 3, 4, 6)],
            r"distinct axes.*attention_axes=\(1, 1\)",
        ),
        (
            {"attention_axes": (2,)},
            [(2, 3, 4, 6), (2, 2, 4, 6)],
            r"axis 1 is not an attention axis.*same size",
        ),
    ],
)
def test_invalid_input_shapes(kwargs, shapes, match):
    layer = MultiHeadAttention(2, 3, name="mha", **kwargs)
    inputs = [torch.ones(s) for s in shapes]
    with pytest.raises(
        ValueError, match=r"Layer 'mha' \(MultiHeadAttention\): .*" + match
    ):
        layer(*inputs)


@pytest.mark.parametrize(
    "mask_shape", [(2, 5, 4), (3, 4, 5), (5,), (2, 3, 4, 5), (1, 2, 1, 4, 5)]
)
def test_attention_mask_of_wrong_shape(mask_shape):
    layer = MultiHeadAttention(2, 3, name="mha")
    with pytest.raises(
        ValueError,
        match=(
            r"Layer 'mha' \(MultiHeadAttention\): `attention_mask` must be "
            r"broadcastable to \(2, 4, 5\).*Received: attention_mask.shape="
            + re_shape(mask_shape)
        ),
    ):
        layer(
            torch.ones(2, 4, 6),
            torch.ones(2, 5, 6),
            attention_mask=torch.ones(mask_shape, dtype=torch.bool),
        )


def re_shape(shape):
    return (
        "\\("
        + ", ".join(str(d) for d in shape)
        + (",\\)" if len(shape) == 1 else "\\)")
    )


@pytest.mark.parametrize(
    "mask_shape", [(4, 5), (1, 4, 5), (2, 1, 4, 5), (2, 2, 4, 5), (2, 1, 5)]
)
def test_attention_mask_broadcasts_like_keras(rng, mask_shape):
    k, m = _pair({}, (2, 4, 6), (2, 5, 6))
    make = _inputs(rng, ((2, 4, 6), (2, 5, 6)))
    mask = rng.random(mask_shape) > 0.2
    assert_close(
        m(*make(), attention_mask=mask, return_attention_scores=True),
        k(*make(), attention_mask=mask, return_attention_scores=True),
    )


def test_bad_calls():
    layer = MultiHeadAttention(2, 3, attention_axes=(1, 2), name="mha")
    with pytest.raises(
        ValueError,
        match=r"causal and sliding-window masks "
        r"need a single attention axis",
    ):
        layer(
            torch.ones(2, 3, 4, 6), torch.ones(2, 3, 4, 6), use_causal_mask=True
        )
    flash = MultiHeadAttention(2, 3, flash_attention=True, name="flash")
    with pytest.raises(
        ValueError,
        match=r"'flash'.*scores cannot be "
        r"returned.*flash attention",
    ):
        flash(
            torch.ones(2, 4, 6),
            torch.ones(2, 4, 6),
            return_attention_scores=True,
        )


def test_properties_and_repr():
    layer = MultiHeadAttention(4, 8, value_dim=2, dropout=0.25)
    assert (
        layer.num_heads,
        layer.key_dim,
        layer.value_dim,
        layer.dropout,
        layer.use_bias,
        layer.attention_axes,
    ) == (4, 8, 2, 0.25, True, None)
    assert "num_heads=4, key_dim=8, value_dim=2, dropout=0.25" in repr(layer)
