import numpy as np
import pytest

import lamina
from lamina.ops import image
from tests.ops.helpers import rand
from tests.ops.image_helpers import check_image


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic"])
@pytest.mark.parametrize("size", [(3, 4), (9, 7)])
@pytest.mark.parametrize("antialias", [False, True])
def test_resize_matches_keras(data_format, interpolation, size, antialias):
    shape = (2, 6, 5, 3) if data_format == "channels_last" else (2, 3, 6, 5)
    check_image(
        "resize",
        rand(shape),
        size,
        interpolation,
        antialias,
        data_format=data_format,
        atol=1e-4,
    )


@pytest.mark.parametrize(
    "option", ["crop_to_aspect_ratio", "pad_to_aspect_ratio"]
)
@pytest.mark.parametrize("size", [(4, 8), (8, 3)])
def test_resize_to_aspect_ratio_matches_keras(option, size):
    x = rand((6, 5, 2))
    check_image("resize", x, size, **{option: True}, fill_value=0.5, atol=1e-4)


@pytest.mark.parametrize("dtype", ["uint8", "int32", "float16", "float64"])
def test_resize_dtypes_match_keras(dtype):
    check_image(
        "resize",
        rand((1, 5, 5, 1), dtype, 0, 255),
        (3, 7),
        "bicubic",
        atol=1e-3,
    )


def test_resize_symbolic_and_errors():
    x = lamina.Input((6, 5, 3))
    assert tuple(image.resize(x, (3, 4)).shape) == (None, 3, 4, 3)
    with pytest.raises(
        ValueError,
        match=r"`interpolation` of "
        r"ops.image.resize.*interpolation='area'",
    ):
        image.resize(np.ones((4, 4, 1)), (2, 2), "area")
    with pytest.raises(
        ValueError,
        match=r"Lanczos interpolation is not "
        r"supported",
    ):
        image.resize(np.ones((4, 4, 1)), (2, 2), "lanczos3")
    with pytest.raises(ValueError, match=r"`size` of ops.image.resize"):
        image.resize(np.ones((4, 4, 1)), (2, 2, 2))
    with pytest.raises(
        ValueError,
        match=r"only one of `pad_to_aspect_"
        r"ratio` and `crop_to_aspect_ratio`",
    ):
        image.resize(
            np.ones((4, 4, 1)),
            (2, 2),
            crop_to_aspect_ratio=True,
            pad_to_aspect_ratio=True,
        )
