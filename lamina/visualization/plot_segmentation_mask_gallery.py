"""`plot_segmentation_mask_gallery`: each image beside its true and
predicted masks."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import numpy as np

from lamina.config import standardize_data_format
from lamina.visualization.draw_segmentation_masks import (
    draw_segmentation_masks,
)
from lamina.visualization.optional import check_batched
from lamina.visualization.optional import import_pyplot
from lamina.visualization.optional import to_numpy
from lamina.visualization.plot_image_gallery import plot_image_gallery
import torch


def plot_segmentation_mask_gallery(
    images: torch.Tensor,
    num_classes: Any,
    value_range: Sequence[float] = (0, 255),
    y_true: Any = None,
    y_pred: Any = None,
    color_mapping: Any = None,
    blend: bool = True,
    alpha: float = 0.8,
    ignore_index: int = -1,
    data_format: str | None = None,
    **kwargs: Any,
) -> None:
    """Plots each image beside its true and predicted masks, drawn by
    `draw_segmentation_masks` (with `num_classes`, `color_mapping`, `blend`,
    `alpha`, `ignore_index`); needs `pip install lamina[visualization]`.

    `y_true` and `y_pred` are integer masks `(batch, height, width, 1)`;
    `value_range` is the images' range; `**kwargs` go to
    `plot_image_gallery` (`path`, `show`, `scale`, ...).

    >>> import numpy as np, matplotlib
    >>> matplotlib.use("Agg")
    >>> masks = np.ones((2, 8, 8, 1), "int32")
    >>> plot_segmentation_mask_gallery(np.zeros((2, 8, 8, 3)), 3,
    ...                                y_true=masks, show=False)
    >>> len(matplotlib.pyplot.gcf().axes)
    4
    >>> matplotlib.pyplot.close()
    """
    import_pyplot("plot_segmentation_mask_gallery")
    channels_first = standardize_data_format(data_format) == "channels_first"
    images = _channels_last(images, channels_first)
    draw = dict(num_classes=num_classes, color_mapping=color_mapping)
    draw.update(alpha=alpha, blend=blend, ignore_index=ignore_index)
    draw.update(data_format="channels_last")
    drawn = [images]
    for masks in (y_true, y_pred):
        if masks is not None:
            masks = _channels_last(masks, channels_first).astype("int32")
            drawn.append(draw_segmentation_masks(images, masks, **draw))
    plot_image_gallery(
        _rows(drawn),
        value_range=value_range,
        rows=len(images),
        cols=len(drawn),
        data_format="channels_last",
        **kwargs,
    )


def _rows(drawn: list) -> np.ndarray:
    """A row per image: the image, then its true and its predicted masks."""
    count = len(drawn[0])
    return np.stack(
        [np.asarray(d[i], "float32") for i in range(count) for d in drawn]
    )


def _channels_last(x, channels_first: bool) -> np.ndarray:
    x = to_numpy(x)
    check_batched(x, "plot_segmentation_mask_gallery")
    return x.transpose(0, 2, 3, 1) if channels_first else x
