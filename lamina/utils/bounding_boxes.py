"""`keras.utils.bounding_boxes`: box format conversion, clipping,
cropping, padding and IoU, on torch tensors.

Formats: `xyxy`, `yxyx`, `xywh`, `center_xywh`, `center_yxhw`, and the
relative (fractions of the image) `rel_xyxy`, `rel_yxyx`, `rel_xywh`,
`rel_center_xywh`. `affine_transform`, `encode_box_to_deltas` and
`decode_deltas_to_boxes` live in `bounding_box_transforms` and are
re-exported here.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina import config
from lamina.ops._convert import to_tensor
from lamina.utils.dtype_utils import to_torch_dtype

SUPPORTED_FORMATS = (
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


def _cat(*parts) -> torch.Tensor:
    return torch.cat(parts, dim=-1)


def _to_xyxy(b: torch.Tensor, fmt: str, h, w) -> torch.Tensor:
    a, c, d, e = b.split(1, dim=-1)
    if fmt == "yxyx":
        return _cat(c, a, e, d)
    if fmt == "xywh":
        return _cat(a, c, a + d, c + e)
    if fmt == "center_xywh":
        return _cat(a - d / 2, c - e / 2, a + d / 2, c + e / 2)
    if fmt == "center_yxhw":
        return _cat(c - e / 2, a - d / 2, c + e / 2, a + d / 2)
    if fmt.startswith("rel_"):
        x = _to_xyxy(b, fmt[4:], h, w)
        x1, y1, x2, y2 = x.split(1, dim=-1)
        return _cat(x1 * w, y1 * h, x2 * w, y2 * h)
    return b


def _from_xyxy(b: torch.Tensor, fmt: str, h, w) -> torch.Tensor:
    x1, y1, x2, y2 = b.split(1, dim=-1)
    if fmt == "yxyx":
        return _cat(y1, x1, y2, x2)
    if fmt == "xywh":
        return _cat(x1, y1, x2 - x1, y2 - y1)
    if fmt == "center_xywh":
        return _cat((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1)
    if fmt == "center_yxhw":
        return _cat((y1 + y2) / 2, (x1 + x2) / 2, y2 - y1, x2 - x1)
    if fmt.startswith("rel_"):
        return _from_xyxy(_cat(x1 / w, y1 / h, x2 / w, y2 / h), fmt[4:], h, w)
    return b


def convert_format(
    boxes: Any,
    source: str,
    target: str,
    height: Any = None,
    width: Any = None,
    dtype: str = "float32",
) -> Any:
    """Convert boxes `(..., 4)` (or a dict with a `"boxes"` entry) from
    one format to another; relative formats need `height` and `width`.

    >>> from lamina.utils import bounding_boxes
    >>> bounding_boxes.convert_format([[10, 20, 30, 40]], "xyxy", "xywh")
    tensor([[10., 20., 20., 20.]])
    """
    if isinstance(boxes, dict):
        boxes["boxes"] = convert_format(
            boxes["boxes"], source, target, height, width, dtype
        )
        return boxes
    boxes = to_tensor(boxes).to(to_torch_dtype(dtype))
    if boxes.shape[-1] != 4:
        raise ValueError(
            "Invalid value for argument `boxes` of convert_format: expected "
            f"a last dimension of 4. Received: boxes.shape={tuple(boxes.shape)}"
        )
    source, target = source.lower(), target.lower()
    if source not in SUPPORTED_FORMATS or target not in SUPPORTED_FORMATS:
        raise ValueError(
            "Invalid value for argument `source`/`target` of convert_format: "
            f"expected one of {SUPPORTED_FORMATS}. Received: source={source!r}"
            f", target={target!r}"
        )
    if (source.startswith("rel_") or target.startswith("rel_")) and (
        height is None or width is None
    ):
        raise ValueError(
            "Invalid arguments to convert_format: `height` and `width` are "
            "needed to convert between relative and absolute formats. "
            f"Received: source={source!r}, target={target!r}, "
            f"height={height}, width={width}"
        )
    if source == target:
        return boxes
    if source.startswith("rel_") and target.startswith("rel_"):
        source, target = source[4:], target[4:]
    return _from_xyxy(
        _to_xyxy(boxes, source, height, width), target, height, width
    )


def _area_xyxy(boxes: torch.Tensor) -> torch.Tensor:
    return (boxes[..., 2] - boxes[..., 0]) * (boxes[..., 3] - boxes[..., 1])


def clip_to_image_size(
    bounding_boxes: dict,
    height: Any = None,
    width: Any = None,
    bounding_box_format: str = "xyxy",
) -> dict:
    """Clip `bounding_boxes["boxes"]` to the image; boxes left with no
    area get label -1 (when `"labels"` is present)."""
    if bounding_box_format not in ("xyxy", "rel_xyxy"):
        raise NotImplementedError(
            "clip_to_image_size supports bounding_box_format 'xyxy' and "
            f"'rel_xyxy'. Received: {bounding_box_format!r}"
        )
    if bounding_box_format == "xyxy" and (height is None or width is None):
        raise ValueError(
            "Invalid arguments to clip_to_image_size: `height` and `width` "
            "must be set if bounding_box_format='xyxy'."
        )
    boxes = to_tensor(bounding_boxes["boxes"])
    hi_x, hi_y = (width, height) if bounding_box_format == "xyxy" else (1, 1)
    boxes = torch.stack(
        [
            boxes[..., 0].clamp(0, hi_x),
            boxes[..., 1].clamp(0, hi_y),
            boxes[..., 2].clamp(0, hi_x),
            boxes[..., 3].clamp(0, hi_y),
        ],
        dim=-1,
    )
    result = dict(bounding_boxes)
    result["boxes"] = boxes
    if bounding_boxes.get("labels") is not None:
        labels = to_tensor(bounding_boxes["labels"])
        result["labels"] = torch.where(
            _area_xyxy(boxes) > 0, labels, torch.full_like(labels, -1)
        )
    return result


def _xyxy_only(name: str, bounding_box_format: str) -> None:
    if bounding_box_format != "xyxy":
        raise NotImplementedError(
            f"{name} supports bounding_box_format='xyxy' only. Received: "
            f"{bounding_box_format!r}"
        )


def crop(
    boxes: Any,
    top: Any,
    left: Any,
    height: Any,
    width: Any,
    bounding_box_format: str = "xyxy",
) -> torch.Tensor:
    """Boxes in the frame of a crop at `(top, left)` of size
    `(height, width)`, clipped to it."""
    _xyxy_only("crop", bounding_box_format)
    b = to_tensor(boxes)
    x1, y1, x2, y2 = (b - to_tensor([left, top, left, top]).to(b.dtype)).split(
        1, dim=-1
    )
    return _cat(
        x1.clamp(0, width),
        y1.clamp(0, height),
        x2.clamp(0, width),
        y2.clamp(0, height),
    )


def pad(
    boxes: Any,
    top: Any,
    left: Any,
    height: Any = None,
    width: Any = None,
    bounding_box_format: str = "xyxy",
) -> torch.Tensor:
    """Boxes moved by a padding of `top` rows and `left` columns."""
    _xyxy_only("pad", bounding_box_format)
    b = to_tensor(boxes)
    return b + to_tensor([left, top, left, top]).to(b.dtype)


def compute_iou(
    boxes1: Any,
    boxes2: Any,
    bounding_box_format: str,
    use_masking: bool = False,
    mask_val: Any = -1,
    image_shape: Any = None,
) -> torch.Tensor:
    """Pairwise IoU: `(N, 4)` and `(M, 4)` boxes (optionally with a
    leading batch axis) → `(N, M)`. With `use_masking`, pairs with a box
    whose coordinates are all negative (padding) get `mask_val`.

    >>> from lamina.utils import bounding_boxes
    >>> bounding_boxes.compute_iou([[0, 0, 2, 2]], [[1, 1, 3, 3]], "xyxy")
    tensor([[0.1429]])
    """
    if bounding_box_format.startswith("rel") and image_shape is None:
        raise ValueError(
            "Invalid arguments to compute_iou: a relative bounding box "
            "format needs `image_shape`. Received: image_shape=None"
        )
    h, w = (None, None) if image_shape is None else tuple(image_shape)[:2]
    b1 = convert_format(boxes1, bounding_box_format, "xyxy", h, w)
    b2 = convert_format(boxes2, bounding_box_format, "xyxy", h, w)
    lo = torch.maximum(b1[..., :, None, :2], b2[..., None, :, :2])
    hi = torch.minimum(b1[..., :, None, 2:], b2[..., None, :, 2:])
    inter = (hi - lo).clamp(min=0).prod(dim=-1)
    union = _area_xyxy(b1)[..., :, None] + _area_xyxy(b2)[..., None, :]
    iou = inter / (union - inter + config.epsilon())
    if not use_masking:
        return iou
    masked = (b1.amax(-1) < 0)[..., :, None] | (b2.amax(-1) < 0)[..., None, :]
    return torch.where(masked, torch.full_like(iou, float(mask_val)), iou)


def compute_ciou(
    boxes1: Any, boxes2: Any, bounding_box_format: str, image_shape: Any = None
) -> torch.Tensor:
    """Complete IoU of matching boxes `(..., 4)` (element-wise, not
    pairwise): IoU minus the normalised centre distance and an
    aspect-ratio term, as Keras computes it.

    >>> from lamina.utils import bounding_boxes
    >>> bounding_boxes.compute_ciou([[0, 0, 2, 2]], [[0, 0, 2, 2]], "xyxy")
    tensor([1.])
    """
    h, w = (None, None) if image_shape is None else tuple(image_shape)[:2]
    b1 = convert_format(boxes1, bounding_box_format, "xyxy", h, w)
    b2 = convert_format(boxes2, bounding_box_format, "xyxy", h, w)
    eps = config.epsilon()
    w1, h1 = b1[..., 2] - b1[..., 0], b1[..., 3] - b1[..., 1] + eps
    w2, h2 = b2[..., 2] - b2[..., 0], b2[..., 3] - b2[..., 1] + eps
    lo = torch.maximum(b1[..., :2], b2[..., :2])
    hi = torch.minimum(b1[..., 2:], b2[..., 2:])
    inter = (hi - lo).clamp(min=0).prod(dim=-1)
    union = w1 * h1 + w2 * h2 - inter + eps
    iou = inter / (union + eps)
    hull = torch.maximum(b1[..., 2:], b2[..., 2:]) - torch.minimum(
        b1[..., :2], b2[..., :2]
    )
    diagonal = (hull**2).sum(-1) + eps
    centres = (b1[..., :2] + b1[..., 2:]) / 2 - (b2[..., :2] + b2[..., 2:]) / 2
    distance = (centres**2).sum(-1)
    v = (4 / torch.pi**2) * (torch.atan(w2 / h2) - torch.atan(w1 / h1)) ** 2
    alpha = v / (v - iou + (1 + eps))
    return iou - (distance / diagonal + v * alpha)


# Re-exported at the end: the transforms are built on `convert_format`.
from lamina.utils.bounding_box_transforms import (  # noqa: E402, F401
    affine_transform,
    decode_deltas_to_boxes,
    encode_box_to_deltas,
)
