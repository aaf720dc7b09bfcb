import numpy as np
import pytest

import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand


def _qkv(q_heads=2, kv_heads=2, q_len=3, kv_len=4, dim=8, dtype="float32"):
    return (
        rand((2, q_len, q_heads, dim), dtype),
        rand((2, kv_len, kv_heads, dim), dtype),
        rand((2, kv_len, kv_heads, dim), dtype),
    )


@pytest.mark.parametrize("is_causal", [False, True])
@pytest.mark.parametrize("scale", [None, 0.5])
def test_plain_attention_matches_keras(is_causal, scale):
    q, k, v = _qkv(kv_len=3)
    check(
        "dot_product_attention",
        q,
        k,
        v,
        scale=scale,
        is_causal=is_causal,
        atol=1e-5,
    )


@pytest.mark.parametrize("is_causal", [False, True])
def test_masked_attention_matches_keras(is_causal):
    q, k, v = _qkv(kv_len=3)
    mask = rand((2, 2, 3, 3), "bool")
    mask[0, 0, 1] = False  # a fully masked row
    check(
        "dot_product_attention",
        q,
        k,
        v,
        mask=mask,
        is_causal=is_causal,
        atol=1e-5,
    )


def test_bias_and_grouped_query_attention_match_keras():
    q, k, v = _qkv(q_heads=4, kv_heads=2)
    check("dot_product_attention", q, k, v, bias=rand((2, 4, 3, 4)), atol=1e-5)
    q, k, v = _qkv(q_heads=4, kv_heads=1)
    check("dot_product_attention", q, k, v, atol=1e-5)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (
            dict(query=np.ones((2, 3, 4))),
            r"only supports 4D inputs.*\(2, 3, 4\)",
        ),
        (
            dict(bias=np.zeros((1,)), mask=np.ones((1,), bool)),
            r"only one of `bias` and `mask`",
        ),
        (dict(attn_logits_soft_cap=30.0), r"attn_logits_soft_cap=30.0"),
    ],
)
def test_bad_arguments_raise(kwargs, match):
    q, k, v = _qkv()
    args = dict(query=q, key=k, value=v)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        lops.dot_product_attention(**args)
