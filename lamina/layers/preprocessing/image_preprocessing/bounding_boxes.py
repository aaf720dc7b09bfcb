"""Bounding boxes of the augmentation layers, in Keras's dict format
`{"boxes": (batch, num_boxes, 4), "labels": (batch, num_boxes)}`.

`transform` is the entry the base layer's `call` uses: it checks the
input, densifies nested lists (padding with boxes of 0 and labels of -1,
as Keras does) and hands the tensors to the layer. The format
conversions mirror `keras.utils.bounding_boxes.convert_format`.
"""

from __future__ import annotations

import torch

FORMATS = ("xyxy", "yxyx", "xywh", "center_xywh", "center_yxhw",
           "rel_xyxy", "rel_yxyx", "rel_xywh", "rel_center_xywh")


def _pad_lists(boxes, labels):
    longest = max((len(b) for b in boxes), default=0)
    boxes = [list(b) + [[0, 0, 0, 0]] * (longest - len(b)) for b in boxes]
    labels = [list(n) + [-1] * (longest - len(n)) for n in labels]
    return boxes, labels


def densify(bounding_boxes, device=None) -> dict:
    """Check Keras's bounding-box dict and make its entries tensors."""
    if not isinstance(bounding_boxes, dict) or "boxes" not in bounding_boxes \
            or "labels" not in bounding_boxes:
        raise ValueError(
            "Expected `bounding_boxes` to be a dict with keys 'boxes' and "
            f"'labels'. Received: bounding_boxes={bounding_boxes!r}")
    boxes, labels = bounding_boxes["boxes"], bounding_boxes["labels"]
    if isinstance(boxes, list) and boxes and isinstance(boxes[0], list) \
            and boxes[0] and isinstance(boxes[0][0], (list, tuple)):
        boxes, labels = _pad_lists(boxes, labels)
    boxes = torch.as_tensor(boxes, dtype=torch.float32, device=device)
    labels = torch.as_tensor(labels, device=device)
    if boxes.ndim not in (2, 3) or boxes.shape[-1] != 4:
        raise ValueError(
            "Expected `bounding_boxes['boxes']` to have rank 2 or 3, with "
            "shape (num_boxes, 4) or (batch_size, num_boxes, 4). Received: "
            f"bounding_boxes['boxes'].shape={tuple(boxes.shape)}")
    return {**bounding_boxes, "boxes": boxes, "labels": labels}


def transform(layer, bounding_boxes, transformation, training, batched):
    """Run `layer.transform_bounding_boxes` on a (densified) box dict."""
    if not layer.bounding_box_format:
        raise ValueError(
            "You passed an input with a 'bounding_boxes' key, but you "
            "didn't specify a bounding box format. Pass a "
            f"`bounding_box_format` argument to your {type(layer).__name__} "
            "layer, e.g. `bounding_box_format='xyxy'`.")
    boxes = densify(bounding_boxes)
    if batched:
        return layer.transform_bounding_boxes(boxes, transformation,
                                              training=training)
    single = {**boxes, "boxes": boxes["boxes"][None],
              "labels": boxes["labels"][None]}
    out = layer.transform_bounding_boxes(single, transformation,
                                         training=training)
    return {**out, "boxes": out["boxes"][0], "labels": out["labels"][0]}
