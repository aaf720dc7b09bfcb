import numpy as np
import pytest

import lamina
from lamina.ops import image
from tests.ops.helpers import rand
from tests.ops.image_helpers import check_image


def _rgb(shape, dtype="float32"):
    return np.random.default_rng(0).random(shape).astype(dtype)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_color_conversions_match_keras(data_format, batched, dtype):
    shape = (4, 5, 3) if data_format == "channels_last" else (3, 4, 5)
    x = _rgb(((2,) if batched else ()) + shape, dtype)
    x.reshape(-1)[:3] = [0.5, 0.5, 0.5]  # a grey pixel (zero saturation)
    check_image("rgb_to_grayscale", x, data_format=data_format)
    hsv = check_image("rgb_to_hsv", x, data_format=data_format)
    check_image("hsv_to_rgb", hsv.numpy(), data_format=data_format)


def test_grayscale_of_integer_and_single_channel_images():
    check_image("rgb_to_grayscale", rand((3, 3, 3), "uint8", 0, 255))
    check_image("rgb_to_grayscale", _rgb((3, 3, 1)))


def test_symbolic_and_errors():
    x = lamina.Input((4, 4, 3))
    assert tuple(image.rgb_to_hsv(x).shape) == (None, 4, 4, 3)
    assert tuple(image.rgb_to_grayscale(x).shape) == (None, 4, 4, 1)
    with pytest.raises(
        ValueError,
        match=r"`images` of ops.image.rgb_to_hsv"
        r": expected a float dtype.*int32",
    ):
        image.rgb_to_hsv(np.ones((2, 2, 3), "int32"))
    with pytest.raises(
        ValueError,
        match=r"ops.image.rgb_to_grayscale: "
        r"expected 3 \(RGB\) or 1",
    ):
        image.rgb_to_grayscale(np.ones((2, 2, 2)))
    with pytest.raises(
        ValueError,
        match=r"ops.image.hsv_to_rgb: expected "
        r"rank 3.*images.shape=\(2, 3\)",
    ):
        image.hsv_to_rgb(np.ones((2, 3)))
