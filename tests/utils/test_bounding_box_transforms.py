"""affine_transform and the delta encoding against keras.utils.bounding_boxes."""

import numpy as np
import pytest
import torch

from lamina.utils import bounding_boxes as ours
from tests.api.signatures import assert_same_signature
from tests.keras_oracle import keras, to_numpy

theirs = keras.utils.bounding_boxes
NAMES = ["affine_transform", "encode_box_to_deltas", "decode_deltas_to_boxes"]


def _boxes(rng, batch=2, n=5):
    xy = rng.uniform(0, 40, size=(batch, n, 2))
    wh = rng.uniform(1, 20, size=(batch, n, 2))
    return np.concatenate([xy, xy + wh], axis=-1).astype("float32")


@pytest.mark.parametrize("name", NAMES)
def test_signatures_match_keras(name):
    assert_same_signature(getattr(ours, name), getattr(theirs, name))


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("center", [None, 0.3])
def test_affine_transform_matches_keras(seed, center):
    rng = np.random.default_rng(seed)
    boxes = _boxes(rng)

    def draw(low, high):
        return rng.uniform(low, high, size=(2,)).astype("float32")

    params = [draw(-40, 40), draw(-0.2, 0.2), draw(-0.2, 0.2)]
    params += [draw(0.7, 1.3), draw(-20, 20), draw(-20, 20)]
    kw = {"height": 48, "width": 64, "center_x": center, "center_y": center}
    got = ours.affine_transform(boxes, *[torch.tensor(p) for p in params], **kw)
    want = theirs.affine_transform(
        boxes, *[keras.ops.convert_to_tensor(p) for p in params], **kw
    )
    np.testing.assert_allclose(
        got.numpy(), to_numpy(want), rtol=1e-5, atol=1e-4
    )


def test_affine_transform_errors():
    z = torch.zeros(1)
    with pytest.raises(NotImplementedError, match="bounding_box_format='xyxy'"):
        ours.affine_transform(
            torch.zeros(1, 1, 4), z, z, z, z + 1, z, z, 8, 8,
            bounding_box_format="yxyx",
        )  # fmt: skip
    with pytest.raises(ValueError, match=r"boxes\.shape=\(4,\)"):
        ours.affine_transform(torch.zeros(4), z, z, z, z + 1, z, z, 8, 8)


@pytest.mark.parametrize(
    "anchor_format,box_format", [("xyxy", "xyxy"), ("xywh", "yxyx")]
)
@pytest.mark.parametrize("encoding", ["center_yxhw", "center_xywh"])
@pytest.mark.parametrize("variance", [None, [0.1, 0.1, 0.2, 0.2]])
def test_deltas_match_keras_and_round_trip(
    anchor_format, box_format, encoding, variance
):
    rng = np.random.default_rng(3)
    anchors = _boxes(rng, batch=1)[0]
    boxes = _boxes(rng)
    args = (anchor_format, box_format, encoding, variance)
    got = ours.encode_box_to_deltas(anchors, boxes, *args)
    want = theirs.encode_box_to_deltas(anchors, boxes, *args)
    np.testing.assert_allclose(
        got.numpy(), to_numpy(want), rtol=1e-5, atol=1e-6
    )
    back = ours.decode_deltas_to_boxes(anchors, got, *args)
    kback = theirs.decode_deltas_to_boxes(anchors, want, *args)
    np.testing.assert_allclose(
        back.numpy(), to_numpy(kback), rtol=1e-5, atol=1e-5
    )
    np.testing.assert_allclose(back.numpy(), boxes, rtol=1e-4, atol=1e-4)


def test_relative_formats_and_dict_levels():
    rng = np.random.default_rng(4)
    shape = (40, 50, 3)
    anchors = {"P3": _boxes(rng, 1)[0] / 60, "P4": _boxes(rng, 1)[0] / 60}
    deltas = {k: rng.normal(size=(2, 5, 4)).astype("float32") for k in anchors}
    args = ("rel_xyxy", "xyxy", "center_yxhw", None, shape)
    got = ours.decode_deltas_to_boxes(anchors, deltas, *args)
    k_deltas = {k: keras.ops.convert_to_tensor(v) for k, v in deltas.items()}
    want = theirs.decode_deltas_to_boxes(anchors, k_deltas, *args)
    assert set(got) == set(want)
    for level in got:
        np.testing.assert_allclose(
            got[level].numpy(), to_numpy(want[level]), rtol=1e-5
        )


@pytest.mark.parametrize(
    "fn", ["encode_box_to_deltas", "decode_deltas_to_boxes"]
)
def test_delta_errors(fn):
    box = np.zeros((1, 4), "float32")
    with pytest.raises(ValueError, match="center_xywh.*Received.*'xyxy'"):
        getattr(ours, fn)(box, box, "xyxy", "xyxy", "xyxy")
    with pytest.raises(ValueError, match=r"`variance`.*Received: variance="):
        getattr(ours, fn)(box, box, "xyxy", "xyxy", variance=[1.0, 2.0])
