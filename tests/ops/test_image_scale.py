import numpy as np
import pytest

from lamina.ops import image
from tests.ops.helpers import rand
from tests.ops.image_helpers import check_image

METHODS = ["linear", "bilinear", "cubic", "lanczos3", "lanczos5"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("antialias", [True, False])
@pytest.mark.parametrize(
    "out_shape,scale,translation",
    [
        ((2, 9, 11, 3), [1.5, 2.0], [0.5, -1.0]),
        ((2, 3, 4, 3), [0.5, 0.6], [0.0, 0.3]),
    ],
)
def test_scale_and_translate_matches_keras(
    method, antialias, out_shape, scale, translation
):
    x = rand((2, 6, 7, 3))
    check_image(
        "scale_and_translate",
        x,
        out_shape,
        np.array(scale, "float32"),
        np.array(translation, "float32"),
        (1, 2),
        method,
        antialias,
        atol=1e-4,
    )


def test_scale_and_translate_integer_images_match_keras():
    x = rand((5, 6), "int32", 0, 100)
    check_image(
        "scale_and_translate",
        x,
        (10, 3),
        np.array([2.0, 0.5], "float32"),
        np.zeros(2, "float32"),
        (0, 1),
        "cubic",
    )


def test_scale_and_translate_bad_method_raises():
    with pytest.raises(
        ValueError,
        match=r"`method` of "
        r"ops.image.scale_and_translate.*method='area'",
    ):
        image.scale_and_translate(
            np.ones((3, 3)), (2, 2), [1.0, 1.0], [0.0, 0.0], (0, 1), "area"
        )
