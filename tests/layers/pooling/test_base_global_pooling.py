"""The six global pooling layers against Keras (they share one base)."""

import numpy as np
import pytest
import torch

import lamina
from lamina.layers import pooling
from tests.keras_oracle import keras
from tests.layers.normalization.helpers import output_and_grad
from tests.layers.parity import full_parity
from tests.layers.parity import random_input

SHAPES = {1: (2, 5, 3), 2: (2, 4, 5, 3), 3: (2, 3, 4, 2, 3)}
LAYERS = [
    (f"Global{kind}Pooling{rank}D", rank)
    for kind in ("Max", "Average")
    for rank in (1, 2, 3)
]
OPTIONS = [
    {},
    {"keepdims": True},
    {"data_format": "channels_first"},
    {"data_format": "channels_first", "keepdims": True},
]


@pytest.mark.parametrize("name,rank", LAYERS)
@pytest.mark.parametrize("kwargs", OPTIONS)
def test_matches_keras(name, rank, kwargs):
    cls = getattr(pooling, name)
    shape = SHAPES[rank]
    unknown = (None,) * rank + (3,)
    if kwargs.get("data_format") == "channels_first":
        unknown = (3,) + (None,) * rank
    full_parity(name, cls, kwargs, shape, symbolic=[shape[1:], unknown])


@pytest.mark.parametrize("name,rank", LAYERS)
def test_input_gradient_matches_keras(name, rank):
    shape = SHAPES[rank]
    x = random_input(shape, 1)
    layer, k_layer = getattr(pooling, name)(), getattr(keras.layers, name)()
    cot = random_input((shape[0], shape[-1]), 2)
    out, grad = output_and_grad(layer, x, cot)
    k_out, k_grad = output_and_grad(k_layer, x, cot)
    np.testing.assert_allclose(out, k_out, rtol=1e-6)
    np.testing.assert_allclose(grad, k_grad, rtol=1e-6)


@pytest.mark.parametrize("name,rank", LAYERS)
def test_config_from_keras(name, rank):
    k_layer = getattr(keras.layers, name)(
        data_format="channels_first", keepdims=True
    )
    layer = getattr(pooling, name).from_config(k_layer.get_config())
    assert layer.get_config() == k_layer.get_config()


@pytest.mark.parametrize("name,rank", LAYERS)
def test_alias(name, rank):
    alias = name.replace("Pooling", "Pool").replace("Average", "Avg")
    assert getattr(lamina.layers, alias) is getattr(pooling, name)
    assert getattr(keras.layers, alias) is getattr(keras.layers, name)


@pytest.mark.parametrize("name,rank", LAYERS)
def test_wrong_rank(name, rank):
    with pytest.raises(
        ValueError,
        match=rf"{name}.*expected ndim={rank + 2}"
        r".*Full shape received",
    ):
        getattr(pooling, name)()(torch.zeros((2,) * (rank + 3)))


def test_bad_data_format():
    with pytest.raises(
        ValueError,
        match=r"`data_format` of "
        r"GlobalMaxPooling2D.*Received: data_format='nhwc'",
    ):
        pooling.GlobalMaxPooling2D(data_format="nhwc")


def test_channels_last_reduction_keeps_layout():
    x = torch.randn(2, 4, 4, 3)
    y = pooling.GlobalAveragePooling2D(keepdims=True)(x)
    assert y.shape == (2, 1, 1, 3) and y.is_contiguous()


def test_mask_is_refused_where_keras_has_no_mask_support():
    x = torch.randn(2, 3, 4, 2)
    x._keras_mask = torch.ones(2, 3, 4, dtype=torch.bool)
    with pytest.raises(ValueError, match="does not support masking"):
        pooling.GlobalMaxPooling2D()(x)
