"""lamina.utils.bounding_boxes against keras.utils.bounding_boxes."""

import numpy as np
import pytest

import lamina
from lamina.utils import bounding_boxes as ours
from tests.api.signatures import assert_same_signature
from tests.keras_oracle import keras, to_numpy

theirs = keras.utils.bounding_boxes
FORMATS = ours.SUPPORTED_FORMATS


@pytest.fixture
def boxes(rng):
    xy = rng.uniform(0, 50, size=(2, 5, 2))
    wh = rng.uniform(1, 30, size=(2, 5, 2))
    return np.concatenate([xy, xy + wh], axis=-1).astype("float32")


@pytest.mark.parametrize("source", FORMATS)
@pytest.mark.parametrize(
    "target", ["xyxy", "center_yxhw", "rel_xywh", "rel_center_xywh", "yxyx"]
)
def test_convert_format_matches_keras(boxes, source, target):
    kw = {"height": 64, "width": 80}
    got = ours.convert_format(boxes, source, target, **kw)
    want = theirs.convert_format(boxes, source, target, **kw)
    np.testing.assert_allclose(
        to_numpy(got), to_numpy(want), rtol=1e-5, atol=1e-6
    )


def test_clip_crop_pad_match_keras(boxes):
    data = {"boxes": boxes - 20, "labels": np.arange(10).reshape(2, 5)}
    got = ours.clip_to_image_size(data, height=30, width=40)
    want = theirs.clip_to_image_size(
        {k: v.copy() for k, v in data.items()}, height=30, width=40
    )
    for key in ("boxes", "labels"):
        np.testing.assert_allclose(to_numpy(got[key]), to_numpy(want[key]))
    for name, args in (("crop", (5, 7, 30, 40)), ("pad", (3, 4, 60, 70))):
        np.testing.assert_allclose(
            to_numpy(getattr(ours, name)(boxes, *args)),
            to_numpy(getattr(theirs, name)(boxes, *args)),
        )


@pytest.mark.parametrize("fmt", ["xyxy", "yxyx", "center_xywh", "rel_xyxy"])
def test_compute_iou_matches_keras(boxes, fmt):
    b = np.asarray(
        to_numpy(theirs.convert_format(boxes, "xyxy", fmt, height=64, width=80))
    )
    shape = (64, 80, 3)
    for batch in (b[0], b):
        got = ours.compute_iou(batch, batch[..., :3, :], fmt, image_shape=shape)
        want = theirs.compute_iou(
            batch, batch[..., :3, :], fmt, image_shape=shape
        )
        np.testing.assert_allclose(to_numpy(got), to_numpy(want), rtol=1e-5)
    padded = b[0].copy()
    padded[1] = -1
    got = ours.compute_iou(
        padded, padded, fmt, use_masking=True, mask_val=-5, image_shape=shape
    )
    want = theirs.compute_iou(
        padded, padded, fmt, use_masking=True, mask_val=-5, image_shape=shape
    )
    np.testing.assert_allclose(to_numpy(got), to_numpy(want), rtol=1e-5)


def test_signatures_and_errors(boxes):
    for name in (
        "convert_format",
        "clip_to_image_size",
        "crop",
        "pad",
        "compute_iou",
    ):
        assert_same_signature(getattr(ours, name), getattr(theirs, name))
    assert lamina.utils.bounding_boxes is ours
    with pytest.raises(ValueError, match="last dimension of 4"):
        ours.convert_format(boxes[..., :3], "xyxy", "yxyx")
    with pytest.raises(ValueError, match="expected one of"):
        ours.convert_format(boxes, "xyxy", "polar")
    with pytest.raises(ValueError, match="`height` and `width` are needed"):
        ours.convert_format(boxes, "xyxy", "rel_xyxy")
    with pytest.raises(NotImplementedError, match="xyxy"):
        ours.crop(boxes, 0, 0, 1, 1, bounding_box_format="yxyx")
    with pytest.raises(ValueError, match="needs `image_shape`"):
        ours.compute_iou(boxes, boxes, "rel_xyxy")


# Keras refuses relative formats in compute_ciou even with image_shape.
@pytest.mark.parametrize("fmt", ["xyxy", "center_yxhw", "xywh"])
def test_compute_ciou_matches_keras(boxes, fmt):
    b = np.asarray(
        to_numpy(theirs.convert_format(boxes, "xyxy", fmt, height=64, width=80))
    )
    other = b[:, ::-1].copy()
    shape = (64, 80, 3)
    got = ours.compute_ciou(b, other, fmt, image_shape=shape)
    want = theirs.compute_ciou(b, other, fmt, image_shape=shape)
    np.testing.assert_allclose(
        to_numpy(got), to_numpy(want), rtol=1e-5, atol=1e-6
    )
    assert_same_signature(ours.compute_ciou, theirs.compute_ciou)
