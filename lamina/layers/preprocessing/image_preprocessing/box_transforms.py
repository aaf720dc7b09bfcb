"""How the geometric augmentation layers move bounding boxes: one
function per layer, each following its Keras layer's
`transform_bounding_boxes` (including where Keras's arithmetic is its
own, so that boxes land where Keras puts them)."""

from __future__ import annotations

from typing import Any


import torch

from lamina.layers.preprocessing.image_preprocessing.bounding_boxes import (
    clip_to_image_size,
    convert_format,
)
from lamina.utils.bounding_box_transforms import (
    inverse_affine_matrix,
    move_corners,
)


def _size(layer, input_shape) -> tuple:
    h_axis = -3 if layer.data_format == "channels_last" else -2
    return input_shape[h_axis], input_shape[h_axis + 1]


def flip(layer: Any, bounding_boxes: Any, transformation: Any) -> dict:
    height, width = _size(layer, transformation["input_shape"])
    flips = transformation["flips"].squeeze(-1).to(torch.bool)
    out = convert_format(
        bounding_boxes, layer.bounding_box_format, "rel_xyxy", height, width
    )
    boxes = out["boxes"]
    x1, y1, x2, y2 = boxes.unbind(-1)
    if layer.mode in ("horizontal", "horizontal_and_vertical"):
        boxes = torch.where(
            flips, torch.stack([1 - x2, y1, 1 - x1, y2], -1), boxes
        )
    x1, y1, x2, y2 = boxes.unbind(-1)
    if layer.mode in ("vertical", "horizontal_and_vertical"):
        boxes = torch.where(
            flips, torch.stack([x1, 1 - y2, x2, 1 - y1], -1), boxes
        )
    out = clip_to_image_size({**out, "boxes": boxes}, height, width)
    return convert_format(
        out, "rel_xyxy", layer.bounding_box_format, height, width
    )


def rotate(layer: Any, bounding_boxes: Any, transformation: Any) -> dict:
    height = transformation["image_height"]
    width = transformation["image_width"]
    boxes = bounding_boxes["boxes"]
    angle = transformation["angle"].to(boxes.device)
    zero = torch.zeros_like(angle)
    matrix = inverse_affine_matrix(
        0.5, 0.5, angle, zero, zero, 1.0, zero, zero, height, width
    )
    boxes = move_corners(boxes, matrix)
    out = clip_to_image_size({**bounding_boxes, "boxes": boxes}, height, width)
    return convert_format(out, "xyxy", layer.bounding_box_format, height, width)


def _moved(transform, x, y):
    a0, a1, a2, b0, b1, b2, c0, c1 = transform.split(1, dim=-1)
    k = c0 * x + c1 * y + 1
    return (a0 * x + a1 * y + a2) / k, (b0 * x + b1 * y + b2) / k


def zoom(layer: Any, bounding_boxes: Any, transformation: Any) -> dict:
    from lamina.layers.preprocessing.image_preprocessing.random_zoom import (
        zoom_matrix,
    )

    height, width = _size(layer, transformation["input_shape"])
    out = convert_format(
        bounding_boxes, layer.bounding_box_format, "xyxy", height, width
    )
    zooms = torch.cat(
        [transformation["width_zoom"], transformation["height_zoom"]], 1
    ).float()
    transform = zoom_matrix(zooms, height, width)
    w_start, h_start = _moved(transform, 0, 0)
    w_end, h_end = _moved(transform, width, height)
    x1, y1, x2, y2 = out["boxes"].split(1, dim=-1)
    starts = [v.unsqueeze(-1) for v in (w_start, h_start, w_end, h_end)]
    x1 = torch.clip(x1, starts[0], starts[2]) - starts[0]
    y1 = torch.clip(y1, starts[1], starts[3]) - starts[1]
    x2 = torch.clip(x2, starts[0], starts[2]) - starts[0]
    y2 = torch.clip(y2, starts[1], starts[3]) - starts[1]
    out = {**out, "boxes": torch.cat([x1, y1, x2, y2], -1)}
    new_h = (h_end - h_start).unsqueeze(-1)
    new_w = (w_end - w_start).unsqueeze(-1)
    out = convert_format(out, "xyxy", "rel_xyxy", new_h, new_w)
    out = clip_to_image_size(out, new_h, new_w, "rel_xyxy")
    return convert_format(
        out, "rel_xyxy", layer.bounding_box_format, height, width
    )


def _shifted(layer, bounding_boxes, transform, height, width) -> dict:
    out = convert_format(
        bounding_boxes, layer.bounding_box_format, "xyxy", height, width
    )
    dx, dy = (v.unsqueeze(-1) for v in _moved(transform, 0, 0))
    x1, y1, x2, y2 = out["boxes"].split(1, dim=-1)
    out = {**out, "boxes": torch.cat([x1 - dx, y1 - dy, x2 - dx, y2 - dy], -1)}
    out = clip_to_image_size(out, height, width)
    return convert_format(out, "xyxy", layer.bounding_box_format, height, width)


def translate(layer: Any, bounding_boxes: Any, transformation: Any) -> dict:
    from lamina.layers.preprocessing.image_preprocessing.random_translation import (
        translation_matrix,
    )

    height, width = _size(layer, transformation["input_shape"])
    transform = translation_matrix(transformation["translations"])
    return _shifted(layer, bounding_boxes, transform, height, width)


def crop(layer: Any, bounding_boxes: Any, transformation: Any) -> dict:
    """Keras subtracts the crop's top from x and its left from y."""
    h_start, w_start = (float(v) for v in transformation)
    boxes = convert_format(
        bounding_boxes["boxes"],
        layer.bounding_box_format,
        "xyxy",
        layer.height,
        layer.width,
    )
    boxes = torch.stack(
        [
            torch.clamp(boxes[..., 0] - h_start, min=0),
            torch.clamp(boxes[..., 1] - w_start, min=0),
            torch.clamp(boxes[..., 2] - h_start, min=0),
            torch.clamp(boxes[..., 3] - w_start, min=0),
        ],
        -1,
    )
    boxes = convert_format(
        boxes, "xyxy", layer.bounding_box_format, layer.height, layer.width
    )
    return {"boxes": boxes, "labels": bounding_boxes["labels"]}


def shear(layer: Any, bounding_boxes: Any, transformation: Any) -> dict:
    height, width = _size(layer, transformation["input_shape"])
    out = convert_format(
        bounding_boxes, layer.bounding_box_format, "rel_xyxy", height, width
    )
    sx, sy = transformation["shear_factor"].float().split(1, dim=-1)
    x1, y1, x2, y2 = out["boxes"].unbind(-1)
    x1 = torch.where(sx < 0, x1 - sx * y1, x1 - sx * y2)
    x2 = torch.where(sx < 0, x2 - sx * y2, x2 - sx * y1)
    y1 = torch.where(sy > 0, y1 - sy * x2, y1 - sy * x1)
    y2 = torch.where(sy > 0, y2 - sy * x1, y2 - sy * x2)
    out = {**out, "boxes": torch.stack([x1, y1, x2, y2], -1)}
    out = clip_to_image_size(out, height, width, "rel_xyxy")
    return convert_format(
        out, "rel_xyxy", layer.bounding_box_format, height, width
    )


def perspective(layer: Any, bounding_boxes: Any, transformation: Any) -> dict:
    from lamina.layers.preprocessing.image_preprocessing.affine import (
        compute_homography_matrix,
    )

    height, width = _size(layer, transformation["input_shape"])
    out = convert_format(
        bounding_boxes, layer.bounding_box_format, "xyxy", height, width
    )
    boxes = out["boxes"]
    matrix = compute_homography_matrix(
        transformation["start_points"], transformation["end_points"]
    )
    matrix = torch.cat([matrix, torch.ones_like(matrix[:, :1])], -1)
    inverse = torch.linalg.inv(matrix.reshape(-1, 3, 3))
    x0, y0, x1, y1 = boxes.split(1, dim=-1)
    xs, ys = [], []
    for x, y in ((x0, y0), (x1, y1), (x0, y1), (x1, y0)):
        points = torch.cat([x, y, torch.ones_like(x)], -1).transpose(-1, -2)
        moved = (inverse @ points).transpose(-1, -2)
        xs.append(moved[..., 0] / moved[..., 2])
        ys.append(moved[..., 1] / moved[..., 2])
    x, y = torch.stack(xs, -1), torch.stack(ys, -1)
    moved = torch.stack([x.amin(-1), y.amin(-1), x.amax(-1), y.amax(-1)], -1)
    apply = transformation["apply_perspective"].to(torch.bool)
    out = {**out, "boxes": torch.where(apply[:, None, None], moved, boxes)}
    return clip_to_image_size(out, height, width)
