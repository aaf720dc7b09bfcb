"""AdaptiveAveragePooling1D/2D/3D and AdaptiveMaxPooling1D/2D/3D against
Keras 3 (outputs, input gradients, configs, round trips, symbolic shapes)
and against a float64 window-by-window reference."""

import math

import numpy as np
import pytest
import torch

import lamina
from tests.layers.parity import random_input
from tests.layers.pooling.helpers import check_keras

NAMES = [
    f"Adaptive{mode}Pooling{r}D"
    for mode in ("Average", "Max")
    for r in (1, 2, 3)
]
SPATIAL = {1: (7,), 2: (7, 5), 3: (5, 7, 4)}
OUT = {1: [3, (4,), 7, 10], 2: [3, (4, 2), (5, 5)], 3: [2, (3, 2, 4)]}


def _shape(rank, fmt, batch=2, channels=3):
    if fmt == "channels_last":
        return (batch, *SPATIAL[rank], channels)
    return (batch, channels, *SPATIAL[rank])


def _symbolic(rank, fmt):
    known = _shape(rank, fmt)[1:]
    unknown = tuple(None if d != 3 else 3 for d in known)
    return [known, unknown]


CASES = [
    (name, out, fmt)
    for name in NAMES
    for out in OUT[int(name[-2])]
    for fmt in ("channels_last", "channels_first")
]


@pytest.mark.parametrize("name,out,fmt", CASES)
def test_matches_keras(name, out, fmt):
    rank = int(name[-2])
    cls = getattr(lamina.layers, name)
    kwargs = {"output_size": out, "data_format": fmt}
    check_keras(name, cls, kwargs, _shape(rank, fmt), _symbolic(rank, fmt))


def _reference(x, out, mode):
    """Channels-first float64 pooling over the windows
    `[floor(i * n / m), ceil((i + 1) * n / m))`."""
    spatial = x.shape[2:]
    axes = tuple(range(2, x.ndim))
    ranges = [
        [(i * n // m, -(-(i + 1) * n // m)) for i in range(m)]
        for n, m in zip(spatial, out)
    ]
    result = torch.empty(x.shape[:2] + tuple(out), dtype=x.dtype)
    for index in np.ndindex(*out):
        sl = tuple(slice(*ranges[a][i]) for a, i in enumerate(index))
        region = x[(slice(None), slice(None)) + sl]
        value = (
            region.amax(dim=axes) if mode == "Max" else region.mean(dim=axes)
        )
        result[(slice(None), slice(None)) + index] = value
    return result


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("fmt", ["channels_last", "channels_first"])
def test_matches_float64_reference(name, fmt):
    rank = int(name[-2])
    out = (3, 4, 2)[:rank]
    x = torch.from_numpy(random_input(_shape(rank, fmt), 5))
    y = getattr(lamina.layers, name)(out, data_format=fmt)(x)
    x64 = x.double() if fmt == "channels_first" else x.double().movedim(-1, 1)
    ref = _reference(x64, out, "Max" if "Max" in name else "Avg")
    if fmt == "channels_last":
        ref = ref.movedim(1, -1)
    np.testing.assert_allclose(y.numpy(), ref.numpy(), rtol=1e-5, atol=1e-6)


def test_channels_last_output_is_contiguous_without_input_copy():
    x = torch.randn(2, 9, 7, 4)
    y = lamina.layers.AdaptiveAveragePooling2D((3, 2))(x)
    assert y.shape == (2, 3, 2, 4) and y.is_contiguous()


@pytest.mark.parametrize("name", NAMES)
def test_config_round_trip(name):
    rank = int(name[-2])
    cls = getattr(lamina.layers, name)
    layer = cls(2, data_format="channels_first", name="p")
    config = layer.get_config()
    assert config["output_size"] == (2,) * rank
    clone = cls.from_config(config)
    assert clone.get_config() == config


@pytest.mark.parametrize("name", NAMES)
def test_bad_output_size(name):
    rank = int(name[-2])
    cls = getattr(lamina.layers, name)
    with pytest.raises(TypeError, match=rf"{name}.*output_size"):
        cls("2")
    with pytest.raises(ValueError, match=rf"{name}.*output_size"):
        cls((2,) * (rank + 1))
    with pytest.raises(ValueError, match=rf"{name}.*output_size"):
        cls(0)


def test_bad_data_format_and_rank():
    with pytest.raises(ValueError, match=r"AdaptiveMaxPooling1D.*data_format"):
        lamina.layers.AdaptiveMaxPooling1D(2, data_format="channels_middle")
    with pytest.raises(
        ValueError, match=r"AdaptiveAveragePooling2D.*expected ndim=4"
    ):
        lamina.layers.AdaptiveAveragePooling2D(2)(torch.zeros(1, 4, 4))


def test_upsampling_when_output_is_larger():
    x = torch.arange(3.0).reshape(1, 3, 1)
    y = lamina.layers.AdaptiveMaxPooling1D(5)(x)
    assert y[0, :, 0].tolist() == [0.0, 1.0, 1.0, 2.0, 2.0]
    assert math.isclose(
        lamina.layers.AdaptiveAveragePooling1D(1)(x).item(), 1.0
    )
