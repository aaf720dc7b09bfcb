"""Bounding boxes of the augmentation layers, in Keras's dict format
`{"boxes": (batch, num_boxes, 4), "labels": (batch, num_boxes)}`.

`transform` is the entry the base layer's `call` uses: it checks the
input, densifies nested lists (padding with boxes of 0 and labels of -1,
as Keras does) and hands the tensors to the layer. The format
conversions mirror `keras.utils.bounding_boxes.convert_format`.
"""

from __future__ import annotations

from typing import Any

import torch

FORMATS = (
    "xyxy",
    "yxyx",
    "xywh",
    "center_xywh",
    "center_yxhw",
    "rel_xyxy",
    "rel_yxyx",
    "rel_xywh",
    "rel_center_xywh",
)


def _pad_lists(boxes, labels):
    longest = max((len(b) for b in boxes), default=0)
    boxes = [list(b) + [[0, 0, 0, 0]] * (longest - len(b)) for b in boxes]
    labels = [list(n) + [-1] * (longest - len(n)) for n in labels]
    return boxes, labels


def densify(bounding_boxes: Any, device: Any = None) -> dict:
    """Check Keras's bounding-box dict and make its entries tensors."""
    if (
        not isinstance(bounding_boxes, dict)
        or "boxes" not in bounding_boxes
        or "labels" not in bounding_boxes
    ):
        raise ValueError(
            "Expected `bounding_boxes` to be a dict with keys 'boxes' and "
            f"'labels'. Received: bounding_boxes={bounding_boxes!r}"
        )
    boxes, labels = bounding_boxes["boxes"], bounding_boxes["labels"]
    if (
        isinstance(boxes, list)
        and boxes
        and isinstance(boxes[0], list)
        and boxes[0]
        and isinstance(boxes[0][0], (list, tuple))
    ):
        boxes, labels = _pad_lists(boxes, labels)
    boxes = torch.as_tensor(boxes, dtype=torch.float32, device=device)
    labels = torch.as_tensor(labels, device=device)
    if boxes.ndim not in (2, 3) or boxes.shape[-1] != 4:
        raise ValueError(
            "Expected `bounding_boxes['boxes']` to have rank 2 or 3, with "
            "shape (num_boxes, 4) or (batch_size, num_boxes, 4). Received: "
            f"bounding_boxes['boxes'].shape={tuple(boxes.shape)}"
        )
    return {**bounding_boxes, "boxes": boxes, "labels": labels}


def transform(
    layer: Any,
    bounding_boxes: Any,
    transformation: Any,
    training: bool | None,
    batched: Any,
) -> Any:
    """Run `layer.transform_bounding_boxes` on a (densified) box dict."""
    if not layer.bounding_box_format:
        raise ValueError(
            "You passed an input with a 'bounding_boxes' key, but you "
            "didn't specify a bounding box format. Pass a "
            f"`bounding_box_format` argument to your {type(layer).__name__} "
            "layer, e.g. `bounding_box_format='xyxy'`."
        )
    boxes = densify(bounding_boxes)
    if batched:
        return layer.transform_bounding_boxes(
            boxes, transformation, training=training
        )
    single = {
        **boxes,
        "boxes": boxes["boxes"][None],
        "labels": boxes["labels"][None],
    }
    out = layer.transform_bounding_boxes(
        single, transformation, training=training
    )
    return {**out, "boxes": out["boxes"][0], "labels": out["labels"][0]}


def _split(boxes):
    return boxes.unbind(-1)


def _to_xyxy(boxes, fmt, height, width):
    a, b, c, d = _split(boxes)
    if fmt == "yxyx":
        a, b, c, d = b, a, d, c
    elif fmt == "xywh":
        c, d = a + c, b + d
    elif fmt in ("center_xywh", "center_yxhw"):
        if fmt == "center_yxhw":
            a, b, c, d = b, a, d, c
        a, b, c, d = a - c / 2.0, b - d / 2.0, a + c / 2.0, b + d / 2.0
    return torch.stack([a, b, c, d], dim=-1)


def _from_xyxy(boxes, fmt):
    x1, y1, x2, y2 = _split(boxes)
    if fmt == "yxyx":
        return torch.stack([y1, x1, y2, x2], dim=-1)
    if fmt == "xywh":
        return torch.stack([x1, y1, x2 - x1, y2 - y1], dim=-1)
    if fmt in ("center_xywh", "center_yxhw"):
        cx, cy = x1 + (x2 - x1) / 2.0, y1 + (y2 - y1) / 2.0
        w, h = x2 - x1, y2 - y1
        if fmt == "center_yxhw":
            return torch.stack([cy, cx, h, w], dim=-1)
        return torch.stack([cx, cy, w, h], dim=-1)
    return boxes


def _scale(height, width, boxes):
    """(w, h, w, h), broadcasting per-image sizes against the boxes."""
    if height is None or width is None:
        raise ValueError(
            "convert_format() must receive `height` and "
            "`width` between relative and absolute formats."
        )
    w, h = torch.broadcast_tensors(
        *(
            torch.as_tensor(v, dtype=boxes.dtype, device=boxes.device)
            for v in (width, height)
        )
    )
    if w.ndim == 0:
        return torch.stack([w, h, w, h])
    # Per-image sizes come as (..., 1), like one coordinate of the boxes.
    return torch.cat([w, h, w, h], dim=-1)


def convert_format(
    boxes: Any, source: str, target: str, height: Any = None, width: Any = None
) -> Any:
    """`keras.utils.bounding_boxes.convert_format` (tensor or dict)."""
    if isinstance(boxes, dict):
        return {
            **boxes,
            "boxes": convert_format(
                boxes["boxes"], source, target, height, width
            ),
        }
    source, target = source.lower(), target.lower()
    if source not in FORMATS or target not in FORMATS:
        raise ValueError(
            f"Invalid source or target format. Supported "
            f"formats: {FORMATS}. Received: source={source!r}, "
            f"target={target!r}"
        )
    boxes = boxes.to(torch.float32)
    if source == target:
        return boxes
    if source.startswith("rel_") and target.startswith("rel_"):
        source, target = source[4:], target[4:]
    if source.startswith("rel_"):
        source = source[4:]
        boxes = _to_xyxy(boxes, source, height, width)
        boxes, source = boxes * _scale(height, width, boxes), "xyxy"
    boxes = _to_xyxy(boxes, source, height, width)
    if target.startswith("rel_"):
        return _from_xyxy(boxes / _scale(height, width, boxes), target[4:])
    return _from_xyxy(boxes, target)


def clip_to_image_size(
    bounding_boxes: Any,
    height: Any = None,
    width: Any = None,
    bounding_box_format: str = "xyxy",
) -> dict:
    """Clip `xyxy` boxes to the image (`rel_xyxy` to [0, 1]); boxes left
    with no area get the label -1."""
    x1, y1, x2, y2 = _split(bounding_boxes["boxes"])
    high_x, high_y = (
        (1.0, 1.0) if bounding_box_format == "rel_xyxy" else (width, height)
    )
    x1, x2 = (torch.clip(v, 0, high_x) for v in (x1, x2))
    y1, y2 = (torch.clip(v, 0, high_y) for v in (y1, y2))
    result = {**bounding_boxes, "boxes": torch.stack([x1, y1, x2, y2], -1)}
    if bounding_boxes.get("labels") is not None:
        area = (x2 - x1) * (y2 - y1)
        labels = bounding_boxes["labels"]
        result["labels"] = torch.where(
            area > 0, labels, torch.full_like(labels, -1)
        )
    return result
