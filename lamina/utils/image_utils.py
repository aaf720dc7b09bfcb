"""Image files ↔ arrays: `load_img`, `img_to_array`, `array_to_img`,
`save_img`, and `smart_resize`.

The file functions need Pillow (`pip install lamina[image]`); the error
says so when it is missing.
"""

from __future__ import annotations

import io
import pathlib
import warnings
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from lamina import config

_RESAMPLING = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def _pil(function: str):
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(
            f"`{function}` needs Pillow: `pip install lamina[image]` (or "
            "`pip install pillow`)."
        ) from None
    return Image


def array_to_img(
    x: Any,
    data_format: str | None = None,
    scale: bool = True,
    dtype: Any = None,
) -> Any:
    """A 3D array (height, width, channels) → a PIL image.

    Args:
        x: the array; 1 (grayscale), 3 (RGB) or 4 (RGBA) channels.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `config.image_data_format()`.
        scale: rescale values to `[0, 255]` (min to 0, max to 255).
        dtype: the dtype `x` is read as; defaults to `floatx()`.
    """
    image = _pil("array_to_img")
    data_format = config.standardize_data_format(data_format)
    x = np.asarray(x, dtype=dtype or config.floatx())
    if x.ndim != 3:
        raise ValueError(
            "Invalid value for argument `x` of array_to_img: expected a rank-"
            f"3 array (one image). Received: x.shape={x.shape}"
        )
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        if np.max(x) != 0:
            x /= np.max(x)
        x *= 255
    channels = x.shape[2]
    if channels in (3, 4):
        mode = "RGB" if channels == 3 else "RGBA"
        return image.fromarray(x.astype("uint8"), mode)
    if channels == 1:
        if np.max(x) > 255:  # 32-bit grayscale: PIL mode "I"
            return image.fromarray(x[:, :, 0].astype("int32"), "I")
        return image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(
        "Invalid value for argument `x` of array_to_img: expected 1, 3 or 4 "
        f"channels. Received: {channels} channels"
    )


def img_to_array(
    img: Any, data_format: str | None = None, dtype: Any = None
) -> np.ndarray:
    """A PIL image → a 3D NumPy array (`floatx()` by default)."""
    data_format = config.standardize_data_format(data_format)
    x = np.asarray(img, dtype=dtype or config.floatx())
    if x.ndim == 2:
        x = x[None] if data_format == "channels_first" else x[..., None]
    elif x.ndim == 3:
        if data_format == "channels_first":
            x = x.transpose(2, 0, 1)
    else:
        raise ValueError(
            "Invalid value for argument `img` of img_to_array: expected a 2D "
            f"or 3D image. Received shape: {x.shape}"
        )
    return x


def save_img(
    path: Any,
    x: Any,
    data_format: str | None = None,
    file_format: str | None = None,
    scale: bool = True,
    **kwargs: Any,
) -> None:
    """Save an array as an image file (format from `file_format` or the
    file name); extra keyword arguments go to `PIL.Image.save`."""
    data_format = config.standardize_data_format(data_format)
    if file_format is not None and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    suffix = str(path).lower()
    if img.mode == "RGBA" and (
        file_format == "jpeg" or suffix.endswith((".jpg", ".jpeg"))
    ):
        warnings.warn(
            "The JPEG format does not support RGBA images, converting to RGB.",
            stacklevel=2,
        )
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def _open(path: Any):
    image = _pil("load_img")
    if isinstance(path, io.BytesIO):
        return image.open(path)
    if isinstance(path, (pathlib.Path, bytes, str)):
        with open(path, "rb") as f:
            return image.open(io.BytesIO(f.read()))
    raise TypeError(
        "Invalid value for argument `path` of load_img: expected a path or "
        f"io.BytesIO. Received: path of type {type(path).__name__}"
    )


def _convert(img, color_mode: str):
    if color_mode == "grayscale":
        # 16- and 32-bit grayscale images stay as they are.
        return img if img.mode in ("L", "I;16", "I") else img.convert("L")
    if color_mode in ("rgb", "rgba"):
        mode = color_mode.upper()
        return img if img.mode == mode else img.convert(mode)
    raise ValueError(
        "Invalid value for argument `color_mode` of load_img: expected "
        f"'grayscale', 'rgb' or 'rgba'. Received: color_mode={color_mode!r}"
    )


def _center_crop_box(size: tuple, target: tuple) -> list:
    """The largest centred box of the target's aspect ratio."""
    width, height = size
    target_width, target_height = target
    crop_height = min(height, (width * target_height) // target_width)
    crop_width = min(width, (height * target_width) // target_height)
    top, left = (height - crop_height) // 2, (width - crop_width) // 2
    return [left, top, left + crop_width, top + crop_height]


def load_img(
    path: Any,
    color_mode: str = "rgb",
    target_size: tuple | None = None,
    interpolation: str = "nearest",
    keep_aspect_ratio: bool = False,
) -> Any:
    """Load an image file as a PIL image.

    Args:
        path: a path or an `io.BytesIO`.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`.
        target_size: `(height, width)` to resize to, or `None`.
        interpolation: PIL resampling: `"nearest"`, `"bilinear"`,
            `"bicubic"`, `"hamming"`, `"box"` or `"lanczos"`.
        keep_aspect_ratio: crop the centre to the target's aspect ratio
            before resizing.
    """
    img = _convert(_open(path), color_mode)
    if target_size is None:
        return img
    width_height = (target_size[1], target_size[0])
    if img.size == width_height:
        return img
    if interpolation not in _RESAMPLING:
        raise ValueError(
            "Invalid value for argument `interpolation` of load_img: "
            f"expected one of {_RESAMPLING}. Received: "
            f"interpolation={interpolation!r}"
        )
    resample = getattr(_pil("load_img").Resampling, interpolation.upper())
    box = (
        _center_crop_box(img.size, width_height) if keep_aspect_ratio else None
    )
    return img.resize(width_height, resample=resample, box=box)


def smart_resize(
    x: Any,
    size: tuple,
    interpolation: str = "bilinear",
    data_format: str = "channels_last",
    **kwargs: Any,
) -> Any:
    """Resize images to `size` without distorting them: crop the largest
    centred box of the target aspect ratio, then resize.

    Takes one image `(h, w, c)` or a batch `(n, h, w, c)` (channels-first
    with `data_format="channels_first"`); returns a NumPy array for NumPy
    input and a tensor for a tensor.

    >>> import numpy as np
    >>> from lamina.preprocessing.image import smart_resize
    >>> smart_resize(np.ones((40, 20, 3)), (10, 10)).shape
    (10, 10, 3)
    """
    if kwargs:
        raise TypeError(
            f"smart_resize() got unexpected keyword arguments: {list(kwargs)}"
        )
    if len(size) != 2:
        raise ValueError(
            "Invalid value for argument `size` of smart_resize: expected 2 "
            f"integers. Received: size={size!r}"
        )
    is_numpy = not isinstance(x, torch.Tensor)
    img = torch.as_tensor(np.asarray(x) if is_numpy else x)
    if img.ndim not in (3, 4):
        raise ValueError(
            "Invalid value for argument `x` of smart_resize: expected "
            "(height, width, channels) or (batch, height, width, channels). "
            f"Received shape: {tuple(img.shape)}"
        )
    batch = img if img.ndim == 4 else img[None]
    if data_format == "channels_last":
        batch = batch.permute(0, 3, 1, 2)
    height, width = batch.shape[-2:]
    target_height, target_width = size
    crop_h = max(min(height, int(width * target_height / target_width)), 1)
    crop_w = max(min(width, int(height * target_width / target_height)), 1)
    top, left = int((height - crop_h) / 2), int((width - crop_w) / 2)
    batch = batch[..., top : top + crop_h, left : left + crop_w]
    out = _resize(batch, size, interpolation)
    if data_format == "channels_last":
        out = out.permute(0, 2, 3, 1)
    out = out if img.ndim == 4 else out[0]
    return out.numpy() if is_numpy else out


def _resize(batch: torch.Tensor, size: tuple, interpolation: str):
    dtype = batch.dtype
    x = batch.to(torch.float32 if not dtype.is_floating_point else dtype)
    if interpolation == "nearest":
        out = F.interpolate(x, size=tuple(size), mode="nearest-exact")
    else:
        out = F.interpolate(
            x,
            size=tuple(size),
            mode=interpolation,
            align_corners=False,
            antialias=False,
        )
    return out if dtype.is_floating_point else out.to(dtype)
