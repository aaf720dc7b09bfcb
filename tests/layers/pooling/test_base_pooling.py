"""The shared machinery of the pooling layers: arguments, errors, layout."""

import pytest
import torch

import lamina
from lamina.layers.pooling.average_pooling2d import AveragePooling2D
from lamina.layers.pooling.base_pooling import BasePooling
from lamina.layers.pooling.max_pooling1d import MaxPooling1D
from lamina.layers.pooling.max_pooling2d import MaxPooling2D
from lamina.layers.pooling.max_pooling3d import MaxPooling3D
from tests.keras_oracle import keras
from tests.layers.parity import check_round_trip
from tests.layers.parity import compare_configs


@pytest.mark.parametrize("cls", [MaxPooling2D, AveragePooling2D])
@pytest.mark.parametrize("pool_size", [0, -1, (2, 0), (2, 2, 2), "ab"])
def test_bad_pool_size(cls, pool_size):
    with pytest.raises(
        ValueError,
        match=rf"`pool_size` of {cls.__name__}"
        r".*Received: pool_size=",
    ):
        cls(pool_size=pool_size)


@pytest.mark.parametrize("strides", [0, (1, 0), -2])
def test_bad_strides(strides):
    with pytest.raises(
        ValueError,
        match=r"`strides` of MaxPooling2D.*"
        r"Received: strides=",
    ):
        MaxPooling2D(strides=strides)


def test_bad_padding_and_data_format():
    with pytest.raises(
        ValueError,
        match=r"`padding` of AveragePooling2D.*"
        r"Received: padding='full'",
    ):
        AveragePooling2D(2, padding="full")
    with pytest.raises(
        ValueError,
        match=r"`data_format` of MaxPooling1D.*"
        r"Received: data_format='channels_middle'",
    ):
        MaxPooling1D(data_format="channels_middle")


def test_padding_is_case_insensitive():
    layer = MaxPooling2D(padding="SAME")
    assert layer.get_config()["padding"] == "same"
    x = torch.randn(1, 5, 5, 2)
    torch.testing.assert_close(layer(x), MaxPooling2D(padding="same")(x))


@pytest.mark.parametrize(
    "cls,shape",
    [
        (MaxPooling2D, (2, 3, 4)),
        (MaxPooling1D, (2, 3, 4, 5)),
        (MaxPooling3D, (2, 3, 4, 5)),
    ],
)
def test_wrong_rank(cls, shape):
    with pytest.raises(
        ValueError,
        match=rf"expected ndim={cls(2).rank + 2}"
        r".*Full shape received",
    ):
        cls(2)(torch.zeros(shape))


@pytest.mark.parametrize("cls", [MaxPooling2D, AveragePooling2D])
def test_pool_larger_than_input_with_valid_padding(cls):
    with pytest.raises(
        ValueError,
        match=rf"{cls.__name__}.*padding='valid'"
        r".*pool_size=\(4, 4\).*input_shape=\(2, 3, 5, 1\)",
    ):
        cls(pool_size=4)(torch.zeros(2, 3, 5, 1))
    with pytest.raises(ValueError, match=r"input_shape=\(None, 3, 5, 1\)"):
        cls(pool_size=4)(lamina.Input((3, 5, 1)))
    # `same` padding accepts it: one window per stride.
    assert cls(pool_size=4, padding="same")(torch.zeros(2, 3, 5, 1)).shape == (
        2,
        1,
        2,
        1,
    )


def test_channels_last_runs_without_layout_copies():
    x = torch.randn(2, 6, 6, 4)
    for layer in (
        MaxPooling2D(),
        AveragePooling2D(2),
        AveragePooling2D(3, strides=1, padding="same"),
    ):
        y = layer(x)
        # torch pooled the NCHW view in channels_last memory format, so the
        # NHWC result is already contiguous.
        assert y.is_contiguous()
    y = MaxPooling1D(2)(torch.randn(2, 6, 4))
    assert y.is_contiguous()


def test_config_matches_keras_and_round_trips():
    for kwargs in (
        {},
        {
            "pool_size": (3, 2),
            "strides": 1,
            "padding": "same",
            "data_format": "channels_first",
        },
    ):
        k_layer = keras.layers.MaxPooling2D(**kwargs)
        l_layer = MaxPooling2D(**kwargs)
        compare_configs(k_layer, l_layer)
        check_round_trip(MaxPooling2D, keras.layers.MaxPooling2D, l_layer)
        from_keras = MaxPooling2D.from_config(k_layer.get_config())
        assert from_keras.get_config() == k_layer.get_config()


def test_layers_are_exported():
    names = [
        "MaxPooling1D",
        "MaxPool2D",
        "AvgPool3D",
        "AveragePooling1D",
        "GlobalMaxPool1D",
        "GlobalAvgPool2D",
        "GlobalAveragePooling3D",
    ]
    for name in names:
        assert getattr(lamina.layers, name) is not None
        assert name in lamina.layers.__all__
    assert issubclass(lamina.layers.MaxPool3D, BasePooling)
