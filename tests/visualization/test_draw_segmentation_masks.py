"""`draw_segmentation_masks` against Keras's numbers."""

import numpy as np
import pytest
import torch

from lamina.visualization import draw_segmentation_masks
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy


@pytest.mark.parametrize(
    "kwargs",
    [
        {"num_classes": 4},
        {"num_classes": 4, "alpha": 0.3, "ignore_index": 2},
        {"num_classes": 3, "blend": False},
        {
            "num_classes": 3,
            "color_mapping": {0: (1, 2, 3), 1: (250, 0, 9), 2: (7, 77, 177)},
        },
    ],
)
def test_matches_keras(kwargs):
    rng = np.random.default_rng(len(kwargs))
    images = rng.integers(0, 256, (2, 6, 5, 3)).astype("uint8")
    masks = rng.integers(-1, kwargs["num_classes"], (2, 6, 5, 1))
    want = keras.visualization.draw_segmentation_masks(images, masks, **kwargs)
    got = draw_segmentation_masks(
        torch.from_numpy(images), torch.from_numpy(masks), **kwargs
    )
    if kwargs.get("blend", True):
        assert isinstance(got, np.ndarray) and got.dtype == np.uint8
    else:
        assert isinstance(got, torch.Tensor) and got.dtype == torch.float32
    np.testing.assert_array_equal(to_numpy(got), to_numpy(want))


def test_num_classes_defaults_to_largest_id_plus_one():
    # Keras infers the largest id itself, which its torch backend's one_hot
    # rejects; lamina draws every id present.
    rng = np.random.default_rng(5)
    images = rng.integers(0, 256, (1, 4, 4, 3)).astype("uint8")
    masks = rng.integers(0, 3, (1, 4, 4, 1))
    masks[0, 0, 0, 0] = 2
    want = keras.visualization.draw_segmentation_masks(
        images, masks, num_classes=3
    )
    np.testing.assert_array_equal(
        draw_segmentation_masks(images, masks), to_numpy(want)
    )


def test_channels_first_matches_keras():
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, (1, 3, 4, 4)).astype("uint8")
    masks = rng.integers(0, 3, (1, 1, 4, 4)).astype("int64")
    want = keras.visualization.draw_segmentation_masks(
        images, masks, num_classes=3, data_format="channels_first"
    )
    got = draw_segmentation_masks(
        images, masks, num_classes=3, data_format="channels_first"
    )
    np.testing.assert_array_equal(got, to_numpy(want))


def test_errors():
    images = np.zeros((1, 2, 2, 3), "uint8")
    with pytest.raises(ValueError, match="batched 4D"):
        draw_segmentation_masks(images[0], np.zeros((2, 2, 1), "int32"))
    with pytest.raises(TypeError, match="dtype=float32"):
        draw_segmentation_masks(images, np.zeros((1, 2, 2, 1), "float32"))
    with pytest.raises(ValueError, match="num_classes=1 and a mask with id 1"):
        draw_segmentation_masks(images, np.ones((1, 2, 2, 1), "int32"), 1)
    with pytest.raises(ValueError, match=r"missing \[1\]"):
        draw_segmentation_masks(
            images,
            np.zeros((1, 2, 2, 1), "int32"),
            num_classes=2,
            color_mapping={0: (1, 1, 1)},
        )
