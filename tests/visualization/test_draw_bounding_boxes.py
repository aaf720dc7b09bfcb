"""`draw_bounding_boxes` against Keras's pixels (both draw with OpenCV)."""

import numpy as np
import pytest
import torch

from lamina.visualization import draw_bounding_boxes
from tests.keras_oracle import keras


def _data(rng, fmt, batch=2, n=3, size=32):
    xy = rng.integers(0, size // 2, (batch, n, 2))
    wh = rng.integers(4, size // 2, (batch, n, 2))
    xyxy = np.concatenate([xy, xy + wh], -1).astype("float32")
    boxes = keras.utils.bounding_boxes.convert_format(
        xyxy, "xyxy", fmt, height=size, width=size
    )
    labels = rng.integers(-1, 3, (batch, n))
    return {
        "boxes": keras.ops.convert_to_numpy(boxes),
        "labels": labels,
        "confidences": rng.random((batch, n)).astype("float32"),
    }


@pytest.mark.parametrize(
    "fmt,kwargs,images_kind",
    [
        ("xyxy", {}, "uint8"),
        ("xywh", {"class_mapping": {0: "cat", 1: "dog"}}, "float01"),
        (
            "rel_yxyx",
            {"class_mapping": {1: "a", 2: "b"}, "color": (255, 0, 0)},
            "float255",
        ),
        (
            "center_xywh",
            {
                "line_thickness": 1,
                "text_thickness": None,
                "font_scale": 0.5,
                "class_mapping": {0: "x"},
            },
            "uint8",
        ),
    ],
)
def test_matches_keras(fmt, kwargs, images_kind):
    rng = np.random.default_rng(len(fmt))
    images = rng.integers(0, 256, (2, 32, 32, 3)).astype("float32")
    if images_kind == "float01":
        images = images / 255.0
    elif images_kind == "uint8":
        images = images.astype("uint8")
    boxes = _data(rng, fmt)
    want = keras.visualization.draw_bounding_boxes(
        images.copy(), dict(boxes), fmt, **kwargs
    )
    got = draw_bounding_boxes(
        torch.from_numpy(images), dict(boxes), fmt, **kwargs
    )
    assert got.dtype == np.uint8
    np.testing.assert_array_equal(got, want)


def test_without_confidences_and_channels_first():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (1, 24, 24, 3)).astype("uint8")
    boxes = _data(rng, "xyxy", batch=1, size=24)
    del boxes["confidences"]
    mapping = {0: "a", 1: "b", 2: "c"}
    want = keras.visualization.draw_bounding_boxes(
        images.copy(), dict(boxes), "xyxy", class_mapping=mapping
    )
    got = draw_bounding_boxes(
        images.transpose(0, 3, 1, 2),
        dict(boxes),
        "xyxy",
        class_mapping=mapping,
        data_format="channels_first",
    )
    # Channels first in, channels first out, drawn as channels last.
    np.testing.assert_array_equal(got.transpose(0, 2, 3, 1), want)


def test_errors():
    images = np.zeros((1, 8, 8, 3))
    with pytest.raises(ValueError, match=r"Received: images.shape=\(8, 8, 3\)"):
        draw_bounding_boxes(images[0], {"boxes": [], "labels": []}, "xyxy")
    with pytest.raises(TypeError, match="should be a dict"):
        draw_bounding_boxes(images, [[0, 0, 1, 1]], "xyxy")
    with pytest.raises(ValueError, match="'boxes' and 'labels'"):
        draw_bounding_boxes(images, {"boxes": np.zeros((1, 1, 4))}, "xyxy")


def test_missing_opencv_names_the_extra(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "cv2", None)
    with pytest.raises(ImportError, match=r"lamina\[visualization\]"):
        draw_bounding_boxes(
            np.zeros((1, 4, 4, 3)), {"boxes": [], "labels": []}, "xyxy"
        )
