import numpy as np
import pytest

import lamina
from lamina.ops import image
from tests.ops.helpers import rand
from tests.ops.image_helpers import check_image


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize(
    "kernel_size,sigma", [((3, 3), (1.0, 1.0)), ((5, 5), (2.0, 2.0))]
)
@pytest.mark.parametrize("batched", [False, True])
def test_gaussian_blur_matches_keras(data_format, kernel_size, sigma, batched):
    shape = (7, 8, 3) if data_format == "channels_last" else (3, 7, 8)
    x = rand(((2,) if batched else ()) + shape)
    check_image("gaussian_blur", x, kernel_size, sigma, data_format, atol=1e-5)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_sobel_edges_matches_keras(data_format):
    shape = (2, 6, 7, 3) if data_format == "channels_last" else (2, 3, 6, 7)
    check_image("sobel_edges", rand(shape), data_format, atol=1e-5)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize(
    "kwargs",
    [{}, {"max_val": 255.0, "filter_size": 5, "filter_sigma": 1.0, "k1": 0.02}],
)
def test_ssim_matches_keras(data_format, batched, kwargs):
    shape = (16, 14, 3) if data_format == "channels_last" else (3, 16, 14)
    shape = ((2,) if batched else ()) + shape
    a = np.random.default_rng(0).random(shape).astype("float32")
    b = np.clip(a + rand(shape) * 0.05, 0, 1).astype("float32")
    check_image("ssim", a, b, **kwargs, data_format=data_format, atol=1e-5)


def test_symbolic_filters():
    x = lamina.Input((8, 8, 3))
    assert tuple(image.gaussian_blur(x).shape) == (None, 8, 8, 3)
    assert tuple(image.sobel_edges(x).shape) == (None, 8, 8, 3, 2)
    y = lamina.Input((16, 16, 3))
    assert tuple(image.ssim(y, y).shape) == (None,)


def test_filter_errors():
    with pytest.raises(
        ValueError,
        match=r"ops.image.gaussian_blur: "
        r"expected rank 3",
    ):
        image.gaussian_blur(np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"`image2` of ops.image.ssim"):
        image.ssim(np.ones((8, 8, 1)), np.ones((8, 8)))
