"""`keras.utils.bounding_boxes`'s box transforms: the affine move of boxes
that the geometric augmentation layers share, and the anchor-relative
delta encoding of detection heads."""

from __future__ import annotations

import math
from typing import Any

import torch

from lamina import config
from lamina.ops._convert import to_tensor

_DELTA_FORMATS = ("center_xywh", "center_yxhw")


def inverse_affine_matrix(
    center_x: Any, center_y: Any, angle: Any, translate_x: Any, translate_y: Any, scale: Any, shear_x: Any,
    shear_y: Any, height: Any, width: Any,
) -> torch.Tensor:  # fmt: skip
    """The `(batch, 3, 3)` matrix mapping output pixels back to input
    pixels for a rotation (degrees), translation (fractions), scale and
    shear (degrees) about a centre (fractions), in Keras's arithmetic."""
    angle = torch.as_tensor(angle)
    rot = -angle * (1.0 / 180.0 * math.pi)
    sx = -torch.as_tensor(shear_x, dtype=angle.dtype) * (math.pi / 180.0)
    sy = -torch.as_tensor(shear_y, dtype=angle.dtype) * (math.pi / 180.0)
    cx, cy = center_x * (width - 1), center_y * (height - 1)
    cx_tx = cx + (-translate_x) * (width - 1)
    cy_ty = cy + (-translate_y) * (height - 1)
    cos_sy, tan_sx = torch.cos(sy), torch.tan(sx)
    a = torch.cos(rot - sy) / cos_sy
    b = a * tan_sx + torch.sin(rot)
    c = -torch.sin(rot - sy) / cos_sy
    d = torch.cos(rot) - c * tan_sx
    # det([[a, b], [c, d]]) is 1, so the inverse is the adjugate.
    a0, a1, b0, b1 = d * scale, -b * scale, -c * scale, a * scale
    a2 = cx - a0 * cx_tx - a1 * cy_ty
    b2 = cy - b0 * cx_tx - b1 * cy_ty
    a0, a1, a2, b0, b1, b2 = torch.broadcast_tensors(a0, a1, a2, b0, b1, b2)
    zeros, ones = torch.zeros_like(a0), torch.ones_like(a0)
    rows = [a0, a1, a2, b0, b1, b2, zeros, zeros, ones]
    return torch.stack(rows, -1).reshape(-1, 3, 3)


def affine_transform(
    boxes: Any,
    angle: Any,
    translate_x: Any,
    translate_y: Any,
    scale: Any,
    shear_x: Any,
    shear_y: Any,
    height: Any,
    width: Any,
    center_x: Any = None,
    center_y: Any = None,
    bounding_box_format: str = "xyxy",
) -> torch.Tensor:
    """Move `xyxy` boxes `(batch, num_boxes, 4)` by an affine transform:
    the box around the four moved corners (one set of parameters per
    image, each of shape `(batch,)`).

    >>> import torch
    >>> from lamina.utils import bounding_boxes
    >>> boxes = torch.tensor([[[0.0, 0.0, 4.0, 2.0]]])
    >>> z = torch.zeros(1)
    >>> bounding_boxes.affine_transform(boxes, z, z, z, torch.ones(1), z, z,
    ...     height=5, width=5)
    tensor([[[0., 0., 4., 2.]]])
    """
    if bounding_box_format != "xyxy":
        raise NotImplementedError(
            "affine_transform supports only bounding_box_format='xyxy'. "
            f"Received: bounding_box_format={bounding_box_format!r}. Convert "
            "with `bounding_boxes.convert_format` first."
        )
    angle = to_tensor(angle).to(torch.float32)
    matrix = inverse_affine_matrix(
        0.5 if center_x is None else center_x,
        0.5 if center_y is None else center_y,
        angle, translate_x, translate_y, scale, shear_x, shear_y,
        height, width,
    )  # fmt: skip
    boxes = to_tensor(boxes).to(matrix.dtype)
    if boxes.ndim != 3 or boxes.shape[-1] != 4:
        raise ValueError(
            "Invalid value for argument `boxes` of affine_transform: expected "
            "shape (batch_size, num_boxes, 4). Received: "
            f"boxes.shape={tuple(boxes.shape)}"
        )
    return move_corners(boxes, matrix)


def move_corners(boxes: torch.Tensor, matrix: torch.Tensor) -> torch.Tensor:
    """The `xyxy` box around each box's four corners moved by `matrix`."""
    x1, y1, x2, y2 = boxes.unbind(-1)
    corners = torch.stack([x1, y1, x2, y1, x2, y2, x1, y2], -1)
    corners = corners.reshape(*boxes.shape[:2], 4, 2)
    corners = torch.cat([corners, torch.ones_like(corners[..., :1])], -1)
    moved = torch.einsum(
        "bnxy,byz->bnxz", corners, matrix[:, :2, :].transpose(1, 2)
    )
    return torch.cat([moved.amin(2), moved.amax(2)], -1)


def _check_delta_args(function: str, fmt_name: str, fmt: str, variance):
    if fmt not in _DELTA_FORMATS:
        raise ValueError(
            f"Invalid value for argument `{fmt_name}` of {function}: expected "
            f"one of {_DELTA_FORMATS}. Received: {fmt_name}={fmt!r}"
        )
    if variance is None:
        return None
    variance = to_tensor(variance).to(torch.float32)
    if variance.shape[-1:] != (4,):
        raise ValueError(
            f"Invalid value for argument `variance` of {function}: expected "
            f"4 values. Received: variance={variance.tolist()!r}"
        )
    return variance


def _size(image_shape):
    return (None, None) if image_shape is None else tuple(image_shape[:2])


def encode_box_to_deltas(
    anchors: Any,
    boxes: Any,
    anchor_format: str,
    box_format: str,
    encoding_format: str = "center_yxhw",
    variance: Any = None,
    image_shape: Any = None,
) -> torch.Tensor:
    """Encode `boxes` as offsets from `anchors` `(num_anchors, 4)`: centre
    shifts over the anchor's size and log size ratios (each divided by
    `variance` when given).

    >>> from lamina.utils import bounding_boxes
    >>> bounding_boxes.encode_box_to_deltas(
    ...     [[0, 0, 2, 2]], [[1, 1, 3, 3]], "xyxy", "xyxy")
    tensor([[0.5000, 0.5000, 0.0000, 0.0000]])
    """
    # Imported here: `bounding_boxes` re-exports this module's names.
    from lamina.utils.bounding_boxes import convert_format

    variance = _check_delta_args(
        "encode_box_to_deltas", "encoding_format", encoding_format, variance
    )
    height, width = _size(image_shape)
    anchors = convert_format(
        anchors, anchor_format, encoding_format, height, width
    )
    boxes = convert_format(boxes, box_format, encoding_format, height, width)
    eps = config.epsilon()
    anchor_size = torch.clamp(anchors[..., 2:], min=eps)
    box_size = torch.clamp(boxes[..., 2:], min=eps)
    deltas = torch.cat(
        [
            (boxes[..., :2] - anchors[..., :2]) / anchor_size,
            torch.log(box_size / anchor_size),
        ],
        -1,
    )
    return deltas if variance is None else deltas / variance


def decode_deltas_to_boxes(
    anchors: Any,
    boxes_delta: Any,
    anchor_format: str,
    box_format: str,
    encoded_format: str = "center_yxhw",
    variance: Any = None,
    image_shape: Any = None,
) -> Any:
    """Invert `encode_box_to_deltas`: boxes in `box_format` from deltas and
    their anchors (both may be dicts keyed by feature level).

    >>> from lamina.utils import bounding_boxes
    >>> bounding_boxes.decode_deltas_to_boxes(
    ...     [[0, 0, 2, 2]], [[0.5, 0.5, 0.0, 0.0]], "xyxy", "xyxy")
    tensor([[1., 1., 3., 3.]])
    """
    from lamina.utils.bounding_boxes import convert_format

    variance = _check_delta_args(
        "decode_deltas_to_boxes", "encoded_format", encoded_format, variance
    )
    height, width = _size(image_shape)

    def decode(anchor, delta):
        anchor = convert_format(
            anchor, anchor_format, encoded_format, height, width
        )
        delta = to_tensor(delta).to(anchor.dtype)
        if variance is not None:
            delta = delta * variance
        box = torch.cat(
            [
                delta[..., :2] * anchor[..., 2:] + anchor[..., :2],
                torch.exp(delta[..., 2:]) * anchor[..., 2:],
            ],
            -1,
        )
        return convert_format(box, encoded_format, box_format, height, width)

    if isinstance(anchors, dict) and isinstance(boxes_delta, dict):
        return {k: decode(a, boxes_delta[k]) for k, a in anchors.items()}
    return decode(anchors, boxes_delta)
