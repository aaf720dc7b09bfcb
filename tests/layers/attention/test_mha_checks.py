"""`MultiHeadAttention`'s argument checks."""

import pytest

from lamina.layers.attention import mha_checks as checks
from lamina.layers.attention.multi_head_attention import MultiHeadAttention


@pytest.mark.parametrize(
    "axes,rank,expected",
    [
        (None, 3, (1,)),
        (None, 5, (1, 2, 3)),
        ((-2,), 3, (1,)),
        ([2, 1], 4, (2, 1)),
        ((-3, 3), 5, (2, 3)),
    ],
)
def test_normalize_attention_axes(axes, rank, expected):
    layer = MultiHeadAttention(1, 1)
    assert checks.normalize_attention_axes(layer, axes, rank) == expected


@pytest.mark.parametrize("axes", [(), (3,), (-3,), ("a",), (True,), "1"])
def test_bad_attention_axes(axes):
    layer = MultiHeadAttention(1, 1, name="mha")
    with pytest.raises(
        ValueError,
        match=(
            r"Layer 'mha' \(MultiHeadAttention\): `attention_axes` must be "
            r".*for inputs of rank 3. Received: attention_axes="
        ),
    ):
        checks.normalize_attention_axes(layer, axes, 3)


@pytest.mark.parametrize(
    "value,expected", [(None, None), (4, (4,)), ([2, 3], (2, 3))]
)
def test_output_shape(value, expected):
    assert checks.standardize_output_shape(value) == expected


@pytest.mark.parametrize("value", [0, (2, 0), (2.5,), (True,), [], "ab"])
def test_bad_output_shape(value):
    with pytest.raises(
        ValueError,
        match=r"`output_shape` of "
        r"MultiHeadAttention",
    ):
        checks.standardize_output_shape(value)


@pytest.mark.parametrize("value", [True, 0, -2, 1.0, "3"])
def test_positive_int(value):
    with pytest.raises(
        ValueError,
        match=r"`num_heads` of "
        r"MultiHeadAttention: expected a "
        r"positive integer",
    ):
        checks.positive_int("num_heads", value)
