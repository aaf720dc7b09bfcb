"""The input, mask and shape checks `Attention` and `AdditiveAttention`
share (`BaseDenseAttention`)."""

import pytest
import torch

import lamina
from lamina.layers.attention.additive_attention import AdditiveAttention
from lamina.layers.attention.attention import Attention

CLASSES = [Attention, AdditiveAttention]


@pytest.mark.parametrize("cls", CLASSES)
def test_single_tensor_is_refused(cls):
    layer = cls(name="att")
    with pytest.raises(
        ValueError,
        match=(
            r"Layer 'att' \(" + cls.__name__ + r"\) must be called on a list "
            r"of inputs, namely \[query, value\] or \[query, value, key\]. "
            r"Received: input_shape=\(2, 3, 4\)"
        ),
    ):
        layer(torch.ones(2, 3, 4))


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("count", [1, 4])
def test_wrong_number_of_inputs(cls, count):
    layer = cls(name="att")
    with pytest.raises(
        ValueError,
        match=(
            r"Layer 'att' \(" + cls.__name__ + r"\) accepts a list of 2 or 3 "
            rf"inputs.*Received: {count} inputs"
        ),
    ):
        layer([torch.ones(2, 3, 4)] * count)
    built = cls()
    built([torch.ones(2, 3, 4)] * 2)
    with pytest.raises(ValueError, match=rf"Received: {count} inputs"):
        built([torch.ones(2, 3, 4)] * count)


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("score_mode", ["dot", "concat"])
@pytest.mark.parametrize(
    "shapes,which",
    [
        ([(2, 3, 4), (2, 5, 6)], "value"),
        ([(2, 3, 4), (2, 5, 4), (2, 5, 6)], "key"),
    ],
)
def test_mismatched_feature_sizes(cls, score_mode, shapes, which):
    if cls is AdditiveAttention and score_mode == "concat":
        return
    kwargs = {"score_mode": score_mode} if cls is Attention else {}
    layer = cls(name="att", **kwargs)
    match = (
        r"Layer 'att' \(" + cls.__name__ + r"\): the last dimension of "
        r"`query` must equal that of `key` \(of `value` when no key is "
        r"given\). Received: query_shape=\((2|None), 3, 4\), "
        + which
        + r"_shape=\((2|None), 5, 6\)"
    )
    with pytest.raises(ValueError, match=match):
        layer([torch.ones(s) for s in shapes])
    with pytest.raises(ValueError, match=match):
        cls(name="att", **kwargs)([lamina.Input(s[1:]) for s in shapes])


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize(
    "mask,match",
    [
        (
            torch.ones(2, 3, dtype=torch.bool),
            r"Received: mask=<Tensor shape="
            r"\(2, 3\), dtype=torch.bool>",
        ),
        ([torch.ones(2, 3, dtype=torch.bool)], r"Received: mask=\["),
    ],
)
def test_bad_mask(cls, mask, match):
    layer = cls(name="att")
    with pytest.raises(
        ValueError,
        match=(
            r"Layer 'att' \(" + cls.__name__ + r"\): `mask` must be a list "
            r"of 2 or 3 masks, namely \[query_mask, value_mask\]. .*" + match
        ),
    ):
        layer([torch.ones(2, 3, 4), torch.ones(2, 5, 4)], mask=mask)


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("dropout", [-0.1, 1.5, "x"])
def test_bad_dropout(cls, dropout):
    with pytest.raises(
        ValueError,
        match=(
            rf"`dropout` of {cls.__name__}: expected a float value between "
            r"0 and 1"
        ),
    ):
        cls(dropout=dropout)


@pytest.mark.parametrize("cls", CLASSES)
def test_tuple_of_inputs_and_numeric_masks(cls):
    query, value = torch.rand(2, 3, 4), torch.rand(2, 5, 4)
    layer = cls()
    as_list = layer(
        [query, value],
        mask=[
            torch.tensor([[1, 1, 0]] * 2),
            torch.tensor([[1, 0, 1, 1, 0]] * 2),
        ],
    )
    as_tuple = layer(
        (query, value),
        mask=[
            torch.tensor([[True, True, False]] * 2),
            torch.tensor([[True, False, True, True, False]] * 2),
        ],
    )
    assert torch.equal(as_list, as_tuple)
    assert torch.all(as_list[:, 2] == 0)
