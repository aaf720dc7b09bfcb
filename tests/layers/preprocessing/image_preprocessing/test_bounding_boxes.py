"""Bounding boxes through the geometric layers, against Keras 3: the same
transformation moves the boxes alike, and a seeded layer gives Keras's
images and boxes end to end, in every box format."""

import numpy as np
import pytest
import torch
from keras.src.layers.preprocessing.image_preprocessing.bounding_boxes import (
    validation,
)

import lamina
from lamina.layers.preprocessing.image_preprocessing import bounding_boxes
from tests.keras_oracle import keras
from tests.layers.preprocessing.image_preprocessing.augment_parity import (
    _clone,
    assert_close,
    both,
    images,
)

X = images((2, 20, 16, 3))
BOXES = {
    "boxes": np.array(
        [[[2, 3, 9, 12], [5, 6, 15, 18]], [[1, 1, 4, 8], [0, 0, 10, 10]]],
        "float32",
    ),
    "labels": np.array([[1, 2], [3, 4]], "int32"),
}
FORMATS = ("xyxy", "rel_xyxy", "center_xywh", "yxyx", "xywh")
# Keras reads the boxes of these as xyxy whatever the format.
XYXY_ONLY = ("RandomRotation", "RandomCrop", "RandomPerspective")
LAYERS = [
    ("RandomFlip", {}),
    ("RandomFlip", {"mode": "vertical"}),
    ("RandomRotation", {"factor": 0.2}),
    ("RandomZoom", {"height_factor": 0.3, "width_factor": 0.2}),
    ("RandomTranslation", {"height_factor": 0.2, "width_factor": 0.3}),
    ("RandomCrop", {"height": 10, "width": 12}),
    ("RandomShear", {"x_factor": 0.3, "y_factor": 0.2}),
    ("RandomPerspective", {"scale": 0.5}),
]
CASES = [
    (n, k, f)
    for n, k in LAYERS
    for f in FORMATS
    if f == "xyxy" or n not in XYXY_ONLY
]


def _boxes(fmt):
    boxes = {k: v.copy() for k, v in BOXES.items()}
    if fmt.startswith("rel"):
        boxes["boxes"] = boxes["boxes"] / np.array([16, 20, 16, 20], "float32")
    return boxes


@pytest.mark.parametrize("name,kwargs,fmt", CASES)
def test_same_transformation_moves_boxes_alike(name, kwargs, fmt):
    theirs, ours = both(name, {**kwargs, "bounding_box_format": fmt})
    boxes = _boxes(fmt)
    drawn = theirs.get_random_transformation(
        {"images": torch.from_numpy(X), "bounding_boxes": boxes}
    )
    expected = theirs.transform_bounding_boxes(
        validation.densify_bounding_boxes(
            {k: torch.from_numpy(v.copy()) for k, v in boxes.items()},
            is_batched=True,
        ),
        _clone(drawn),
    )
    got = ours.transform_bounding_boxes(
        {k: torch.from_numpy(v.copy()) for k, v in boxes.items()}, _clone(drawn)
    )
    assert_close(got["boxes"], expected["boxes"], atol=1e-4)
    assert_close(got["labels"], expected["labels"])


@pytest.mark.parametrize("name,kwargs,fmt", CASES)
def test_seeded_layer_gives_kerass_images_and_boxes(name, kwargs, fmt):
    theirs, ours = both(name, {**kwargs, "bounding_box_format": fmt, "seed": 5})
    got = ours({"images": X.copy(), "bounding_boxes": _boxes(fmt)})
    expected = theirs({"images": X.copy(), "bounding_boxes": _boxes(fmt)})
    assert_close(got["images"], expected["images"])
    for key in ("boxes", "labels"):
        assert_close(
            got["bounding_boxes"][key],
            expected["bounding_boxes"][key],
            atol=1e-4,
        )


def test_unbatched_image_with_boxes():
    layer = lamina.layers.RandomFlip(
        "horizontal", seed=0, bounding_box_format="xyxy"
    )
    out = layer(
        {
            "images": X[0],
            "bounding_boxes": {
                "boxes": BOXES["boxes"][0],
                "labels": BOXES["labels"][0],
            },
        }
    )
    assert out["bounding_boxes"]["boxes"].shape == (2, 4)


@pytest.mark.parametrize(
    "source", FORMATS + ("rel_xywh", "center_yxhw", "rel_center_xywh")
)
@pytest.mark.parametrize("target", ("xyxy", "rel_yxyx", "center_yxhw"))
def test_convert_format_matches_keras(source, target):
    boxes = torch.from_numpy(BOXES["boxes"] / 20.0)
    expected = keras.utils.bounding_boxes.convert_format(
        boxes.clone(), source, target, height=20, width=16
    )
    got = bounding_boxes.convert_format(boxes, source, target, 20, 16)
    assert_close(got, expected, atol=1e-5)


def test_bad_boxes():
    layer = lamina.layers.RandomFlip(bounding_box_format="xyxy")
    with pytest.raises(ValueError, match="keys 'boxes' and 'labels'"):
        layer({"images": X, "bounding_boxes": {"boxes": BOXES["boxes"]}})
    with pytest.raises(ValueError, match="rank 2 or 3"):
        layer(
            {
                "images": X,
                "bounding_boxes": {
                    "boxes": np.zeros((2, 3)),
                    "labels": np.zeros(2),
                },
            }
        )
    with pytest.raises(ValueError, match="Invalid source or target"):
        bounding_boxes.convert_format(torch.zeros(1, 4), "xyzw", "xyxy")


@pytest.mark.parametrize("seed", range(6))
def test_rand_augment_moves_boxes_through_the_picked_operations(seed):
    """RandAugment hands `bounding_box_format` to its geometric operations
    and moves the boxes through each picked one, in Keras's layer order,
    with Keras's numbers. (Keras's own RandAugment also lets the
    operations it did not pick move the boxes, since its shear,
    translation and rotation write into the box tensor they are given;
    lamina's boxes follow its images.)"""
    kwargs = {"num_ops": 3, "factor": 0.6, "bounding_box_format": "xyxy"}
    theirs, ours = both("RandAugment", {**kwargs, "seed": seed})
    data = {"images": torch.from_numpy(X), "bounding_boxes": _boxes("xyxy")}
    drawn = theirs.get_random_transformation(data)
    mine = ours.get_random_transformation(data)
    assert mine["layer_idxes"].tolist() == drawn["layer_idxes"].tolist()

    def tensors():
        return {k: torch.from_numpy(v.copy()) for k, v in BOXES.items()}

    expected = validation.densify_bounding_boxes(tensors(), is_batched=True)
    picked = set(drawn["layer_idxes"].tolist())
    for idx, name in enumerate(drawn["transforms"]):
        if idx in picked:
            expected = getattr(theirs, name).transform_bounding_boxes(
                {k: v.clone() for k, v in expected.items()},
                _clone(drawn["transforms"][name]),
            )
    got = ours.transform_bounding_boxes(tensors(), _clone(drawn))
    assert_close(got["boxes"], expected["boxes"], atol=1e-4)
    assert_close(got["labels"], expected["labels"])
