"""The optional packages of `lamina.visualization`, imported on first
use so that `import lamina` does not need them."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

EXTRA = "`pip install lamina[visualization]`"


def import_cv2(function: str) -> Any:
    try:
        import cv2
    except ImportError:
        raise ImportError(
            f"{function} needs OpenCV (the `cv2` module) to draw boxes and "
            f"text. Install it with {EXTRA} (or `pip install "
            "opencv-python-headless`)."
        ) from None
    return cv2


def import_pyplot(function: str) -> Any:
    try:
        import matplotlib.pyplot as pyplot
    except ImportError:
        raise ImportError(
            f"{function} needs matplotlib to plot. Install it with {EXTRA} "
            "(or `pip install matplotlib`)."
        ) from None
    return pyplot


def to_numpy(x: Any) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def check_batched(images: torch.Tensor, function: str) -> tuple:
    shape = tuple(images.shape)
    if len(shape) != 4:
        raise ValueError(
            f"{function}: `images` must be batched 4D tensor. "
            f"Received: images.shape={shape}"
        )
    return shape
