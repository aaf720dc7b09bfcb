"""`draw_bounding_boxes`: boxes (and class labels) drawn into images."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.config import standardize_data_format
from lamina.utils.bounding_boxes import convert_format
from lamina.visualization.optional import check_batched
from lamina.visualization.optional import import_cv2
from lamina.visualization.optional import to_numpy
import torch


def draw_bounding_boxes(
    images: torch.Tensor,
    bounding_boxes: Any,
    bounding_box_format: Any,
    class_mapping: Any = None,
    color: Any = (128, 128, 128),
    line_thickness: int = 2,
    text_thickness: int = 1,
    font_scale: float = 1.0,
    data_format: str | None = None,
) -> np.ndarray:
    """Draws bounding boxes (and class labels) on images, with OpenCV as
    Keras does, so the pixels match (`pip install lamina[visualization]`).
    Float images at most 1 are scaled by 255, others clipped to [0, 255];
    boxes labelled -1 are skipped.

    Args:
        images: a batch `(batch, height, width, channels)`.
        bounding_boxes: a dict of `"boxes"` `(batch, num_boxes, 4)`,
            `"labels"` `(batch, num_boxes)` and optional `"confidences"`.
        bounding_box_format: e.g. `"xyxy"`, `"xywh"`, `"rel_yxyx"`.
        class_mapping: dict from class id to the label written above it.
        color: RGB color of lines and text.
        line_thickness, text_thickness, font_scale: line and text sizes
            (`text_thickness=None` takes `line_thickness`).
        data_format: `"channels_last"` or `"channels_first"` (drawn as
            channels last, returned as given; Keras draws on it as is).

    Returns:
        A `uint8` NumPy array shaped as `images`.

    >>> import numpy as np
    >>> boxes = {"boxes": [[[1, 1, 6, 6]]], "labels": np.array([[0]])}
    >>> out = draw_bounding_boxes(np.zeros((1, 8, 8, 3), "uint8"), boxes,
    ...                           "xyxy", line_thickness=1)
    >>> out[0, 1, 1:7, 0].tolist()
    [128, 128, 128, 128, 128, 128]
    """
    cv2 = import_cv2("draw_bounding_boxes")
    data_format = standardize_data_format(data_format)
    images, boxes = _prepare(
        images, bounding_boxes, bounding_box_format, data_format
    )
    text = (class_mapping or {}, font_scale, text_thickness or line_thickness)
    for i, image in enumerate(images):
        for box in _boxes_of(boxes, i):
            _draw_box(cv2, image, *box, color, line_thickness, text)
    if data_format == "channels_first":
        images = images.transpose(0, 3, 1, 2)
    return images


def _prepare(images, bounding_boxes, bounding_box_format, data_format):
    """Checked `uint8` channels-last images and `xyxy` boxes."""
    check_batched(images, "draw_bounding_boxes")
    _check_boxes(bounding_boxes)
    images = to_numpy(images)
    if data_format == "channels_first":
        images = images.transpose(0, 2, 3, 1)
    height, width = images.shape[1:3]
    boxes = convert_format(
        dict(bounding_boxes), bounding_box_format, "xyxy", height, width
    )
    return np.ascontiguousarray(_to_uint8(images)), boxes


def _boxes_of(boxes: dict, i: int):
    """(xyxy ints, label, confidence or None) of image `i`'s boxes."""
    coords = to_numpy(boxes["boxes"])[i]
    labels = to_numpy(boxes["labels"])[i]
    confidences = boxes.get("confidences")
    for j, box in enumerate(coords):
        confidence = None
        if confidences is not None:
            confidence = to_numpy(confidences)[i][j]
        label = int(labels[j].astype("int32"))
        yield [int(v) for v in box.astype("int32")], label, confidence


def _draw_box(cv2, image, box, label, confidence, color, thickness, text):
    if label == -1:
        return
    x1, y1, x2, y2 = box
    cv2.rectangle(image, (x1, y1), (x2, y2), color, thickness)
    class_mapping, font_scale, text_thickness = text
    if label not in class_mapping:
        return
    words = class_mapping[label]
    if confidence is not None:
        words = f"{words} | {confidence:.2f}"
    cv2.putText(
        img=image,
        text=words,
        org=_text_origin(x1, y1, font_scale, text_thickness),
        fontFace=cv2.FONT_HERSHEY_SIMPLEX,
        fontScale=font_scale,
        color=color,
        thickness=text_thickness,
    )


def _check_boxes(bounding_boxes) -> None:
    if not isinstance(bounding_boxes, dict):
        raise TypeError(
            "draw_bounding_boxes: `bounding_boxes` should be a dict. "
            f"Received: bounding_boxes={bounding_boxes} of type "
            f"{type(bounding_boxes)}"
        )
    if "boxes" not in bounding_boxes or "labels" not in bounding_boxes:
        raise ValueError(
            "draw_bounding_boxes: `bounding_boxes` should be a dict "
            "containing 'boxes' and 'labels' keys. Received: "
            f"bounding_boxes keys={sorted(bounding_boxes)}"
        )


def _to_uint8(images: np.ndarray) -> np.ndarray:
    if images.dtype.kind == "f" and images.size > 0:
        if images.max() <= 1.0:
            images = np.clip(images, 0, 1) * 255
        else:
            images = np.clip(images, 0, 255)
    return images.astype("uint8")


def _text_origin(x: int, y: int, font_scale: float, thickness: int) -> tuple:
    """Above the box when the text fits there, else inside its top-left
    corner (Keras's placement)."""
    font_height = int(font_scale * 12)
    if y - 8 - 2 * font_height > 0:
        return x, y - 8
    return x + 3, y + 2 * font_height + thickness + 3
