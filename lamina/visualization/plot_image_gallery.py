"""`plot_image_gallery`: a grid of images with optional label titles."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import math

import numpy as np
import torch

from lamina.config import standardize_data_format
from lamina.layers.preprocessing.image_preprocessing.color import (
    transform_value_range,
)
from lamina.visualization.optional import import_pyplot
from lamina.visualization.optional import to_numpy


def plot_image_gallery(
    images: torch.Tensor,
    y_true: Any = None,
    y_pred: Any = None,
    label_map: Any = None,
    rows: Any = None,
    cols: Any = None,
    value_range: Sequence[float] = (0, 255),
    scale: Any = 2,
    path: Any = None,
    show: Any = None,
    transparent: bool = True,
    dpi: int = 60,
    legend_handles: Any = None,
    data_format: str | None = None,
) -> None:
    """Displays a gallery of images with optional labels and predictions
    (needs matplotlib: `pip install lamina[visualization]`).

    Args:
        images: a batch `(batch, height, width, channels)`.
        y_true, y_pred: class ids, titled "Label: ..." and "Pred: ...".
        label_map: dict from class id to name; needed with `y_true` or
            `y_pred`.
        rows, cols: the grid (default `ceil(sqrt(batch))` rows).
        value_range: the images' value range, mapped to [0, 255].
        scale: inches per image.
        path: save the figure there (and close it).
        show: `plt.show()` it (and close it); default when `path` is None.
        transparent, dpi: options of the saved file.
        legend_handles: matplotlib handles for a legend.
        data_format: `"channels_last"` or `"channels_first"`.

    >>> import numpy as np, matplotlib
    >>> matplotlib.use("Agg")
    >>> plot_image_gallery(np.zeros((4, 8, 8, 3)), show=False)
    >>> len(matplotlib.pyplot.gcf().axes)
    4
    >>> matplotlib.pyplot.close()
    """
    plt = import_pyplot("plot_image_gallery")
    _check(path, show, y_true, y_pred, label_map)
    images = torch.as_tensor(to_numpy(images))
    rows, cols = _grid(images, rows, cols)
    if standardize_data_format(data_format) == "channels_first":
        images = images.permute(0, 2, 3, 1)
    images = transform_value_range(images, value_range, (0, 255)).numpy()
    axes = _axes(plt, rows, cols, scale, legend_handles)
    _draw(axes, images, _titles(y_true, y_pred, label_map))
    _finish(plt, path, show, transparent, dpi)


def _draw(axes: np.ndarray, images: np.ndarray, titles: list) -> None:
    for index, axis in enumerate(axes.flat):
        axis.imshow(images[index].astype("uint8"))
        axis.margins(x=0, y=0)
        axis.axis("off")
        if index < len(titles):
            axis.set_title(titles[index], fontsize=8)


def _finish(plt, path, show, transparent, dpi) -> None:
    """Save to `path` or show, then close; else leave the figure open."""
    if path is not None:
        plt.savefig(
            fname=path,
            pad_inches=0,
            bbox_inches="tight",
            transparent=transparent,
            dpi=dpi,
        )
        plt.close()
    elif show if show is not None else True:
        plt.show()
        plt.close()


def _check(path, show, y_true, y_pred, label_map) -> None:
    if path is not None and show:
        raise ValueError(
            "plot_image_gallery expects either `path` to be set, or `show` "
            f"to be true, not both. Received: path={path!r}, show={show!r}"
        )
    if (y_true is not None or y_pred is not None) and label_map is None:
        raise ValueError(
            "plot_image_gallery: if `y_true` or `y_pred` are provided, a "
            "`label_map` must also be provided. Received: label_map=None"
        )


def _grid(images: torch.Tensor, rows, cols) -> tuple:
    if images.ndim != 4:
        raise ValueError(
            "plot_image_gallery requires you to batch your images together "
            f"(a 4D array). Received: images.shape={tuple(images.shape)}"
        )
    batch_size = images.shape[0]
    rows = rows or int(math.ceil(math.sqrt(batch_size)))
    return rows, cols or int(math.ceil(batch_size // rows))


def _axes(plt, rows: int, cols: int, scale, legend_handles) -> np.ndarray:
    """A borderless `rows` x `cols` grid of axes, as Keras lays it out."""
    fig, axes = plt.subplots(
        nrows=rows,
        ncols=cols,
        figsize=(cols * scale, rows * scale),
        frameon=False,
        layout="tight",
        squeeze=True,
        sharex="row",
        sharey="col",
    )
    fig.subplots_adjust(wspace=0, hspace=0)
    if legend_handles is not None:
        fig.legend(handles=legend_handles, loc="lower center")
    return np.asarray(axes).reshape(rows, cols)


def _titles(y_true, y_pred, label_map) -> list:
    """One title per image: "Label: ..." and/or "Pred: ..."."""
    parts: list = []
    for prefix, ids in (("Label", y_true), ("Pred", y_pred)):
        if ids is None:
            continue
        for i, c in enumerate(to_numpy(ids)):
            while len(parts) <= i:
                parts.append([])
            parts[i].append(f"{prefix}: {label_map.get(c, 'Unknown')}")
    return ["  ".join(p) for p in parts]
