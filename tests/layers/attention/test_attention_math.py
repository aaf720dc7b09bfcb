"""The einsum equations and the two attention kernels of
`MultiHeadAttention`."""

import numpy as np
import pytest
import torch
from keras.src.layers.attention import multi_head_attention as keras_mha

from lamina.layers.attention import attention_math as am
from tests.layers.attention.helpers import assert_close


@pytest.mark.parametrize(
    "free,bound,out", [(2, 1, 2), (3, 1, 2), (2, 2, 1), (3, 2, 2)]
)
def test_projection_equation_is_keras(free, bound, out):
    assert am.projection_equation(
        free, bound, out
    ) == keras_mha._build_proj_equation(free, bound, out)


@pytest.mark.parametrize(
    "rank,axes", [(4, (1,)), (5, (2,)), (5, (1, 2)), (5, (2, 1)), (6, (1, 3))]
)
def test_attention_equations_are_keras(rank, axes):
    assert am.attention_equations(
        rank, axes
    ) == keras_mha._build_attention_equation(rank, axes)


def test_masked_softmax(rng):
    scores = torch.tensor(rng.normal(size=(2, 3, 4, 5)), dtype=torch.float32)
    mask = torch.tensor(rng.random((2, 1, 4, 5)) > 0.4)
    mask[0, 0, 1] = False
    probs = am.masked_softmax(scores, mask, 1)
    assert torch.all(probs[0, :, 1] == 0)
    assert torch.all(probs[~mask.expand_as(probs)] == 0)
    rows = mask.expand_as(probs).any(-1)
    assert_close(probs.sum(-1)[rows], torch.ones(int(rows.sum())))
    # Over two axes: a softmax over their flattened product.
    both = am.masked_softmax(scores, None, 2)
    expected = torch.exp(scores - scores.logsumexp(dim=(-2, -1), keepdim=True))
    assert_close(both, expected)


@pytest.mark.parametrize("causal", [False, True])
def test_fused_equals_einsum(rng, causal):
    q, k, v = (
        torch.tensor(rng.normal(size=s), dtype=torch.float32)
        for s in ((2, 4, 3, 5), (2, 6, 3, 5), (2, 6, 3, 2))
    )
    mask = torch.tensor(rng.random((2, 1, 4, 6)) > 0.3)
    mask[..., 0] = True  # no query without a key to attend to
    if causal:
        fused = am.fused_attention(q, k, v, None, 0.5, True)
        mask = torch.ones(4, 6, dtype=torch.bool).tril()
    else:
        fused = am.fused_attention(q, k, v, mask, 0.5, False)
    dot, combine, _ = am.attention_equations(4, (1,))
    explicit, probs = am.einsum_attention(
        q, k, v, mask, 0.5, (dot, combine), 1, None
    )
    assert_close(fused, explicit)
    assert probs.shape == (2, 3, 4, 6)


def test_einsum_dropout_sees_only_the_output(rng):
    q = torch.tensor(rng.normal(size=(1, 2, 1, 3)), dtype=torch.float32)
    dot, combine, _ = am.attention_equations(4, (1,))
    out, probs = am.einsum_attention(
        q, q, q, None, 1.0, (dot, combine), 1, lambda p: p * 0
    )
    assert torch.all(out == 0)
    assert_close(probs.sum(-1), np.ones((1, 1, 2)))
