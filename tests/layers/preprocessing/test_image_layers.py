import numpy as np
import pytest

import torch

import lamina
from lamina.layers import CenterCrop, Resizing
from tests.keras_oracle import keras
from tests.layers.parity import assert_close, full_parity
from tests.layers.preprocessing.helpers import archive_both_ways


@pytest.mark.parametrize(
    "kwargs,shape",
    [
        ({"height": 3, "width": 5}, (2, 6, 4, 2)),
        ({"height": 8, "width": 3, "interpolation": "nearest"}, (2, 5, 6, 3)),
        ({"height": 4, "width": 4, "interpolation": "bicubic"}, (1, 7, 5, 2)),
        ({"height": 3, "width": 6, "crop_to_aspect_ratio": True}, (2, 6, 5, 2)),
        (
            {
                "height": 3,
                "width": 6,
                "pad_to_aspect_ratio": True,
                "fill_value": 1.5,
            },
            (2, 6, 5, 2),
        ),
        ({"height": 6, "width": 3, "pad_to_aspect_ratio": True}, (2, 6, 5, 2)),
        ({"height": 4, "width": 3, "antialias": True}, (2, 9, 8, 1)),
        (
            {"height": 3, "width": 5, "data_format": "channels_first"},
            (2, 2, 6, 4),
        ),
    ],
)
def test_resizing_matches_keras(kwargs, shape):
    full_parity("Resizing", Resizing, kwargs, shape)


@pytest.mark.parametrize(
    "kwargs,shape",
    [
        ({"height": 3, "width": 2}, (2, 6, 5, 2)),
        (
            {"height": 4, "width": 4, "data_format": "channels_first"},
            (2, 3, 6, 7),
        ),
        ({"height": 8, "width": 3}, (2, 6, 5, 2)),
    ],
)
def test_center_crop_matches_keras(kwargs, shape):
    full_parity("CenterCrop", CenterCrop, kwargs, shape)


@pytest.mark.parametrize(
    "name,size",
    [("Resizing", (3, 2)), ("CenterCrop", (2, 2)), ("CenterCrop", (7, 2))],
)
def test_single_image(name, size):
    x = np.random.default_rng(2).random((5, 4, 2)).astype("float32")
    ours = getattr(lamina.layers, name)(*size)(torch.from_numpy(x))
    assert_close(ours, getattr(keras.layers, name)(*size)(x))


@pytest.mark.parametrize("name", ["Resizing", "CenterCrop"])
def test_archive_both_ways(name, tmp_path):
    x = np.random.default_rng(1).random((2, 7, 6, 3)).astype("float32")
    archive_both_ways(
        lambda lib: getattr(lib.layers, name)(4, 5), (7, 6, 3), x, tmp_path
    )


@pytest.mark.parametrize("cls", [Resizing, CenterCrop])
def test_bad_sizes(cls):
    with pytest.raises(ValueError, match=f"`height` of {cls.__name__}"):
        cls(0, 3)
    with pytest.raises(ValueError, match=f"`width` of {cls.__name__}"):
        cls(3, -1)


def test_bad_resizing_arguments():
    with pytest.raises(ValueError, match="interpolation"):
        Resizing(2, 2, interpolation="lanczos3")
    with pytest.raises(ValueError, match="only one of"):
        Resizing(2, 2, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="rank 3"):
        Resizing(2, 2)(np.zeros((2, 3), "float32"))


def test_in_fit():
    model = lamina.Sequential(
        [
            lamina.Input((6, 6, 1)),
            Resizing(3, 3),
            CenterCrop(2, 2),
            lamina.layers.Flatten(),
            lamina.layers.Dense(1),
        ]
    )
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).random((4, 6, 6, 1)).astype("float32")
    model.fit(x, np.zeros((4, 1)), epochs=1, verbose=0)
    assert (
        model.output_shape
        == keras.Sequential(
            [
                keras.Input((6, 6, 1)),
                keras.layers.Resizing(3, 3),
                keras.layers.CenterCrop(2, 2),
                keras.layers.Flatten(),
                keras.layers.Dense(1),
            ]
        ).output_shape
    )
