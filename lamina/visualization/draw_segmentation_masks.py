"""`draw_segmentation_masks`: class masks painted over images."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from lamina.config import standardize_data_format
from lamina.visualization.optional import check_batched
from lamina.visualization.optional import to_numpy


def draw_segmentation_masks(
    images: torch.Tensor,
    segmentation_masks: Any,
    num_classes: Any = None,
    color_mapping: Any = None,
    alpha: float = 0.8,
    blend: bool = True,
    ignore_index: int = -1,
    data_format: str | None = None,
) -> Any:
    """Draws segmentation masks on images.

    A pixel of class `c` in `[0, num_classes)` takes `c`'s color, mixed
    into the image with weight `alpha` when blending; pixels equal to
    `ignore_index` then keep the image's value.

    Args:
        images: a batch `(batch, height, width, channels)`.
        segmentation_masks: integer ids, `(batch, height, width[, 1])`.
        num_classes: ids must be below it. Defaults to the largest id plus
            one (Keras takes the largest id, which its torch backend then
            rejects as out of range).
        color_mapping: dict from class id to RGB color (Keras's palette
            by default).
        alpha: the masks' weight when blending.
        blend: blend; if `False`, return the colored images unblended.
        ignore_index: the id of pixels left as they are when blending.
        data_format: `"channels_last"` or `"channels_first"`.

    Returns:
        A channels-last `uint8` NumPy array; a float32 tensor if not
        `blend` (as Keras returns).

    >>> import numpy as np
    >>> images = np.full((1, 2, 2, 3), 100, "uint8")
    >>> masks = np.array([[[[1], [0]], [[-1], [1]]]])
    >>> out = draw_segmentation_masks(images, masks, num_classes=2)
    >>> out[0, 0, 0].tolist(), out[0, 1, 0].tolist()
    ([20, 121, 44], [100, 100, 100])
    """
    data_format = standardize_data_format(data_format)
    images, masks = _inputs(images, segmentation_masks, data_format)
    num_classes = _num_classes(masks, num_classes)
    drawn = _paint(images, masks, _colors(num_classes, color_mapping))
    if not blend:
        return drawn
    blended = images * (1 - alpha) + drawn * alpha
    valid = (masks != ignore_index)[..., None]
    return torch.where(valid, blended, images).to(torch.uint8).numpy()


def _paint(images, masks, colors) -> torch.Tensor:
    drawn = images.clone()
    for c, color in enumerate(colors):
        drawn[masks == c] = color
    return drawn


def _inputs(images, segmentation_masks, data_format: str) -> tuple:
    """float32 channels-last images, integer masks `(batch, h, w)`."""
    check_batched(images, "draw_segmentation_masks")
    images = torch.as_tensor(to_numpy(images)).to(torch.float32)
    masks = torch.as_tensor(to_numpy(segmentation_masks))
    if data_format == "channels_first":
        images = images.permute(0, 2, 3, 1)
        masks = masks.permute(0, 2, 3, 1)
    if masks.dtype.is_floating_point or masks.dtype == torch.bool:
        raise TypeError(
            "draw_segmentation_masks: `segmentation_masks` must be in "
            "integer dtype. Received: segmentation_masks.dtype="
            f"{str(masks.dtype).replace('torch.', '')}"
        )
    return images, masks[..., 0] if masks.ndim == 4 else masks


def _num_classes(masks: torch.Tensor, num_classes) -> int:
    largest = int(masks.max()) if masks.numel() else -1
    if num_classes is None:
        return largest + 1
    if largest >= num_classes:
        raise ValueError(
            "draw_segmentation_masks: every class id in `segmentation_masks`"
            f" must be below `num_classes`. Received: num_classes="
            f"{num_classes} and a mask with id {largest}"
        )
    return num_classes


def _colors(num_classes: int, color_mapping) -> torch.Tensor:
    if color_mapping is None:
        palette = np.array([2**25 - 1, 2**15 - 1, 2**21 - 1])
        rows = [(i * palette) % 255 for i in range(num_classes)]
    else:
        missing = [i for i in range(num_classes) if i not in color_mapping]
        if missing:
            raise ValueError(
                "draw_segmentation_masks: `color_mapping` needs a color for "
                f"every class in [0, {num_classes}); missing {missing}. "
                f"Received: color_mapping keys={sorted(color_mapping)}"
            )
        rows = [color_mapping[i] for i in range(num_classes)]
    return torch.tensor(np.array(rows, dtype="float32").reshape(-1, 3))
