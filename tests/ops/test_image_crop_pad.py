import numpy as np
import pytest

import lamina
from lamina.ops import image
from tests.ops.helpers import rand
from tests.ops.image_helpers import check_image

PAD_ARGS = [
    {
        "top_padding": 1,
        "left_padding": 2,
        "bottom_padding": 0,
        "right_padding": 3,
    },
    {
        "top_padding": 1,
        "bottom_padding": 2,
        "left_padding": 1,
        "target_width": 9,
    },
    {
        "target_height": 8,
        "bottom_padding": 1,
        "left_padding": 0,
        "target_width": 7,
    },
]
CROP_ARGS = [
    {
        "top_cropping": 1,
        "left_cropping": 2,
        "bottom_cropping": 0,
        "right_cropping": 1,
    },
    {
        "top_cropping": 1,
        "target_height": 3,
        "target_width": 2,
        "right_cropping": 1,
    },
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize("kwargs", PAD_ARGS)
def test_pad_images_matches_keras(kwargs, batched, data_format):
    shape = (5, 6, 2) if data_format == "channels_last" else (2, 5, 6)
    x = rand(((3,) if batched else ()) + shape)
    check_image("pad_images", x, **kwargs, data_format=data_format)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize("kwargs", CROP_ARGS)
def test_crop_images_matches_keras(kwargs, batched, data_format):
    shape = (5, 6, 2) if data_format == "channels_last" else (2, 5, 6)
    x = rand(((3,) if batched else ()) + shape)
    check_image("crop_images", x, **kwargs, data_format=data_format)


def test_symbolic_crop_pad():
    x = lamina.Input((5, 6, 2))
    out = image.pad_images(x, 1, 1, target_height=8, target_width=9)
    assert tuple(out.shape) == (None, 8, 9, 2)
    out = image.crop_images(x, 1, 1, target_height=3, target_width=4)
    assert tuple(out.shape) == (None, 3, 4, 2)


def test_crop_pad_errors():
    x = np.ones((5, 6, 2))
    with pytest.raises(
        ValueError,
        match=r"ops.image.pad_images: specify "
        r"exactly two of top_padding, bottom_padding, "
        r"target_height",
    ):
        image.pad_images(x, 1, 1, 1, 1, target_height=9)
    with pytest.raises(
        ValueError,
        match=r"`left_cropping` of "
        r"ops.image.crop_images: expected a value >= 0",
    ):
        image.crop_images(x, 0, -1, 0, 0)
    with pytest.raises(
        ValueError,
        match=r"inferred `top_padding` is "
        r"negative.*top_padding=-2",
    ):
        image.pad_images(x, None, 0, 0, 0, target_height=3)
