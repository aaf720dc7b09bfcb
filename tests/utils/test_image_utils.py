"""Image file helpers against keras.utils on the same files."""

import io

import numpy as np
import pytest
import torch

from lamina import utils
from lamina.preprocessing import image as lamina_image
from tests.keras_oracle import keras


@pytest.fixture
def png(tmp_path, rng):
    pixels = rng.integers(0, 256, size=(12, 20, 3)).astype("uint8")
    path = tmp_path / "img.png"
    keras.utils.save_img(path, pixels, scale=False)
    return path


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"color_mode": "grayscale"},
        {"color_mode": "rgba"},
        {"target_size": (6, 8)},
        {"target_size": (6, 6), "interpolation": "bilinear"},
        {"target_size": (5, 5), "keep_aspect_ratio": True},
    ],
)
def test_load_img_matches_keras(png, kwargs):
    ours = utils.img_to_array(utils.load_img(png, **kwargs))
    theirs = keras.utils.img_to_array(keras.utils.load_img(png, **kwargs))
    np.testing.assert_array_equal(ours, theirs)
    assert ours.dtype == theirs.dtype


def test_load_img_from_bytes(png):
    data = io.BytesIO(png.read_bytes())
    np.testing.assert_array_equal(
        utils.img_to_array(utils.load_img(data)),
        keras.utils.img_to_array(keras.utils.load_img(png)),
    )


@pytest.mark.parametrize("channels", [1, 3, 4])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_array_to_img_and_back_match_keras(rng, channels, data_format):
    shape = (
        (channels, 5, 7)
        if data_format == "channels_first"
        else (5, 7, channels)
    )
    x = rng.normal(size=shape).astype("float32")
    ours = utils.array_to_img(x, data_format=data_format)
    theirs = keras.utils.array_to_img(x, data_format=data_format)
    assert ours.mode == theirs.mode
    for fmt in ("channels_last", "channels_first"):
        np.testing.assert_array_equal(
            utils.img_to_array(ours, data_format=fmt, dtype="uint8"),
            keras.utils.img_to_array(theirs, data_format=fmt, dtype="uint8"),
        )


def test_save_img_writes_what_keras_reads(tmp_path, rng):
    x = rng.uniform(0, 255, size=(4, 6, 3)).astype("float32")
    for name, kwargs in [
        ("a.png", {}),
        ("b.jpg", {"file_format": "jpg"}),
        ("c.bmp", {"scale": False}),
    ]:
        utils.save_img(tmp_path / name, x, **kwargs)
        keras.utils.save_img(tmp_path / ("k" + name), x, **kwargs)
        np.testing.assert_array_equal(
            keras.utils.img_to_array(keras.utils.load_img(tmp_path / name)),
            keras.utils.img_to_array(
                keras.utils.load_img(tmp_path / ("k" + name))
            ),
        )


@pytest.mark.parametrize("size", [(8, 8), (4, 10), (12, 5)])
def test_smart_resize_matches_keras(rng, size):
    x = rng.uniform(size=(2, 9, 14, 3)).astype("float32")
    ours = lamina_image.smart_resize(x, size)
    theirs = keras.preprocessing.image.smart_resize(x, size)
    np.testing.assert_allclose(
        ours, keras.ops.convert_to_numpy(theirs), rtol=1e-5, atol=1e-5
    )
    assert isinstance(
        lamina_image.smart_resize(torch.tensor(x[0]), size), torch.Tensor
    )


def test_errors_name_the_problem(png):
    with pytest.raises(ValueError, match="`color_mode` of load_img"):
        utils.load_img(png, color_mode="cmyk")
    with pytest.raises(ValueError, match="`interpolation` of load_img"):
        utils.load_img(png, target_size=(3, 3), interpolation="fancy")
    with pytest.raises(TypeError, match="`path` of load_img"):
        utils.load_img(42)
    with pytest.raises(ValueError, match="rank-3 array"):
        utils.array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="1, 3 or 4 channels"):
        utils.array_to_img(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="`size` of smart_resize"):
        lamina_image.smart_resize(np.zeros((4, 4, 1)), (2,))
