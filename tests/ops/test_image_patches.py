import pytest

import lamina
from lamina.ops import image
from tests.ops.helpers import rand
from tests.ops.image_helpers import check_image


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize(
    "size,strides,dilation,padding",
    [
        (2, None, 1, "valid"),
        ((2, 3), 1, 1, "same"),
        (3, 2, 1, "same"),
        (2, 1, 2, "valid"),
    ],
)
@pytest.mark.parametrize("batched", [False, True])
def test_extract_patches_matches_keras(
    data_format, size, strides, dilation, padding, batched
):
    shape = (7, 8, 3) if data_format == "channels_last" else (3, 7, 8)
    x = rand(((2,) if batched else ()) + shape)
    check_image(
        "extract_patches",
        x,
        size,
        strides,
        dilation,
        padding,
        data_format,
        atol=1e-5,
    )


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize(
    "size,strides,padding", [(2, None, "valid"), (3, 2, "same")]
)
def test_extract_patches_3d_matches_keras(data_format, size, strides, padding):
    shape = (
        (2, 5, 6, 4, 2) if data_format == "channels_last" else (2, 2, 5, 6, 4)
    )
    check_image(
        "extract_patches_3d",
        rand(shape),
        size,
        strides,
        1,
        padding,
        data_format,
        atol=1e-5,
    )


def test_symbolic_patches_and_errors():
    x = lamina.Input((6, 6, 3))
    assert tuple(image.extract_patches(x, 2).shape) == (None, 3, 3, 12)
    with pytest.raises(
        ValueError,
        match=r"ops.image.extract_patches: "
        r"expected rank 3 or 4",
    ):
        image.extract_patches(rand((6, 6)), 2)
    with pytest.raises(
        ValueError,
        match=r"`size` of "
        r"ops.image.extract_patches",
    ):
        image.extract_patches(rand((6, 6, 1)), (2, 2, 2))
