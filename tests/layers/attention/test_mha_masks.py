"""`MultiHeadAttention`'s mask rules: bands, the check of
`attention_mask`, the AND of the inputs' masks."""

import pytest
import torch

from lamina.layers.attention import mha_masks as masks
from lamina.layers.attention.multi_head_attention import MultiHeadAttention


def _layer(**kwargs):
    layer = MultiHeadAttention(2, 3, name="mha", **kwargs)
    layer.build((2, 3, 6), (2, 4, 6))
    return layer


def test_causal_and_sliding_bands():
    query, value = torch.ones(2, 3, 6), torch.ones(2, 4, 6)
    causal = masks.band(_layer(), query, value)
    assert causal.tolist() == [
        [
            [True, False, False, False],
            [True, True, False, False],
            [True, True, True, False],
        ]
    ]
    window = masks.band(_layer(), query, value, 2)
    assert window.tolist() == [
        [
            [True, True, False, False],
            [True, True, True, False],
            [False, True, True, True],
        ]
    ]


def test_combine_is_the_and_of_all_masks():
    layer = _layer(sliding_window=3)
    query, value = torch.ones(2, 3, 6), torch.ones(2, 4, 6)
    q_mask = torch.tensor([[1, 1, 0], [1, 1, 1]])
    v_mask = torch.tensor([[True, True, True, False]] * 2)
    k_mask = torch.tensor([[False, True, True, True]] * 2)
    explicit = torch.ones(3, 4)
    explicit[0, 1] = 0
    out = masks.combine(layer, query, value, q_mask, v_mask, k_mask, explicit)
    expected = (
        q_mask.bool()[:, :, None]
        & v_mask[:, None]
        & k_mask[:, None]
        & explicit.bool()
        & masks.band(layer, query, value, 3)
    )
    assert out.dtype == torch.bool and torch.equal(out, expected)
    assert masks.combine(_layer(), query, value, None, None, None, None) is None


@pytest.mark.parametrize(
    "shape", [(3, 4), (2, 3, 4), (2, 2, 3, 4), (1, 1, 3, 4), (2, 1, 4)]
)
def test_attention_mask_shapes_accepted(shape):
    mask = masks.check_attention_mask(
        _layer(), torch.ones(shape), torch.ones(2, 3, 6), torch.ones(2, 4, 6)
    )
    assert mask.dtype == torch.bool


@pytest.mark.parametrize(
    "shape", [(4,), (2, 4, 3), (3, 3, 4), (2, 3, 3, 4), (1, 2, 2, 3, 4)]
)
def test_attention_mask_shapes_refused(shape):
    with pytest.raises(
        ValueError,
        match=r"Layer 'mha' \(MultiHeadAttention"
        r"\): `attention_mask` must be "
        r"broadcastable to \(2, 3, 4\)",
    ):
        masks.check_attention_mask(
            _layer(),
            torch.ones(shape),
            torch.ones(2, 3, 6),
            torch.ones(2, 4, 6),
        )


def test_band_needs_one_attention_axis():
    layer = MultiHeadAttention(2, 3, name="mha")
    layer.build((2, 3, 4, 6), (2, 3, 4, 6))
    with pytest.raises(
        ValueError,
        match=r"need a single attention axis. "
        r"Received: attention_axes=\(1, 2\)",
    ):
        masks.band(layer, torch.ones(2, 3, 4, 6), torch.ones(2, 3, 4, 6))
