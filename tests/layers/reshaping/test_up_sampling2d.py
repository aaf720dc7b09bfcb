import numpy as np
import pytest
import torch

from lamina.layers.reshaping.up_sampling2d import UpSampling2D
from tests.keras_oracle import keras
from tests.layers.parity import assert_close
from tests.layers.parity import full_parity


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"size": 3},
        {"size": (1, 2), "data_format": "channels_first"},
        {"size": (2, 3), "interpolation": "bilinear"},
        {
            "size": (3, 2),
            "interpolation": "bilinear",
            "data_format": "channels_first",
        },
        {"size": (2, 2), "interpolation": "bicubic"},
        {"interpolation": "BILINEAR"},
    ],
)
def test_parity(kwargs):
    full_parity(
        "UpSampling2D",
        UpSampling2D,
        kwargs,
        (2, 3, 4, 5),
        symbolic=[(3, 4, 5), (None, 4, 5), (None, None, 5)],
        rtol=1e-5,
        atol=1e-5,
    )


@pytest.mark.parametrize("size", [0, (1, -1), (1, 2, 3), "ab"])
def test_bad_size(size):
    with pytest.raises(ValueError, match="size"):
        UpSampling2D(size=size)


def test_bad_interpolation():
    with pytest.raises(ValueError, match="interpolation='lanczos3'"):
        UpSampling2D(interpolation="lanczos3")


def test_wrong_rank():
    with pytest.raises(ValueError, match="expected ndim=4"):
        UpSampling2D()(torch.zeros(2, 3, 4))


@pytest.mark.parametrize("dtype", ["int32", "uint8"])
def test_bilinear_integer_inputs_match_keras(dtype):
    x = np.random.default_rng(1).integers(0, 50, (1, 3, 3, 2)).astype(dtype)
    k_out = keras.layers.UpSampling2D(interpolation="bilinear")(x)
    out = UpSampling2D(interpolation="bilinear")(torch.from_numpy(x))
    assert out.dtype == torch.from_numpy(x).dtype
    assert_close(out, k_out)
