"""`plot_bounding_box_gallery`: a gallery of images with true and
predicted boxes drawn on them."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import numpy as np

from lamina.config import standardize_data_format
from lamina.visualization.draw_bounding_boxes import draw_bounding_boxes
from lamina.visualization.optional import check_batched
from lamina.visualization.optional import import_pyplot
from lamina.visualization.optional import to_numpy
from lamina.visualization.plot_image_gallery import plot_image_gallery
import torch


def plot_bounding_box_gallery(
    images: torch.Tensor,
    bounding_box_format: Any,
    y_true: Any = None,
    y_pred: Any = None,
    value_range: Sequence[float] = (0, 255),
    true_color: Any = (0, 188, 212),
    pred_color: Any = (255, 235, 59),
    line_thickness: int = 2,
    font_scale: float = 1.0,
    text_thickness: Any = None,
    class_mapping: Any = None,
    ground_truth_mapping: Any = None,
    prediction_mapping: Any = None,
    legend: bool = False,
    legend_handles: Any = None,
    rows: Any = None,
    cols: Any = None,
    data_format: str | None = None,
    **kwargs: Any,
) -> None:
    """Plots images with their true and predicted boxes, drawn by
    `draw_bounding_boxes` and shown by `plot_image_gallery` (needs
    matplotlib and OpenCV: `pip install lamina[visualization]`).

    `y_true` and `y_pred` are dicts as `draw_bounding_boxes` takes, drawn
    in `true_color` and `pred_color`, labelled through
    `ground_truth_mapping` and `prediction_mapping` (both default to
    `class_mapping`). `legend=True` adds a "Ground Truth" / "Prediction"
    legend (or pass your own `legend_handles`). `**kwargs` go to
    `plot_image_gallery` (`path`, `show`, `scale`, `dpi`, ...).

    >>> import numpy as np, matplotlib
    >>> matplotlib.use("Agg")
    >>> boxes = {"boxes": [[[1, 1, 6, 6]]] * 2, "labels": [[0]] * 2}
    >>> plot_bounding_box_gallery(np.zeros((2, 8, 8, 3)), "xyxy",
    ...                           y_true=boxes, show=False)
    >>> len(matplotlib.pyplot.gcf().axes)
    2
    >>> matplotlib.pyplot.close()
    """
    # Keras's signature has 19 arguments; they go on as they are.
    _plot(**locals())


def _plot(
    images,
    bounding_box_format,
    y_true,
    y_pred,
    value_range,
    true_color,
    pred_color,
    line_thickness,
    font_scale,
    text_thickness,
    class_mapping,
    ground_truth_mapping,
    prediction_mapping,
    legend,
    legend_handles,
    rows,
    cols,
    data_format,
    kwargs,
) -> None:
    import_pyplot("plot_bounding_box_gallery")
    plotted = _channels_last(images, data_format)
    draw = dict(line_thickness=line_thickness, font_scale=font_scale)
    draw.update(text_thickness=text_thickness, data_format="channels_last")
    for boxes, color, mapping in (
        (y_true, true_color, ground_truth_mapping),
        (y_pred, pred_color, prediction_mapping),
    ):
        if boxes is not None:
            plotted = draw_bounding_boxes(
                plotted,
                boxes,
                bounding_box_format,
                color=color,
                class_mapping=mapping or class_mapping,
                **draw,
            )
    if legend:
        legend_handles = _legend(legend_handles, true_color, pred_color)
    plot_image_gallery(
        plotted,
        value_range=value_range,
        legend_handles=legend_handles,
        rows=rows,
        cols=cols,
        data_format="channels_last",
        **kwargs,
    )


def _channels_last(images, data_format) -> np.ndarray:
    check_batched(images, "plot_bounding_box_gallery")
    images = to_numpy(images)
    if standardize_data_format(data_format) == "channels_first":
        return images.transpose(0, 2, 3, 1)
    return images


def _legend(legend_handles, true_color, pred_color) -> list:
    from matplotlib import patches

    if legend_handles:
        raise ValueError(
            "plot_bounding_box_gallery: only pass `legend` OR "
            "`legend_handles`. Received: legend=True and "
            f"legend_handles={legend_handles!r}"
        )
    return [
        patches.Patch(color=np.array(true_color) / 255.0, label="Ground Truth"),
        patches.Patch(color=np.array(pred_color) / 255.0, label="Prediction"),
    ]
