"""`extract_patches` and `extract_patches_3d` (`keras.ops.image`)."""

from __future__ import annotations

import torch

from lamina.errors import format_shape
from lamina.ops import _window as w
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.ops.nn_conv import _convolve
from lamina.typing import TensorLike


def _identity_kernel(size: tuple, channels: int, dtype, device):
    """A conv kernel `(*size, C, prod(size) * C)` whose output channels
    copy each patch element: patch order `(*size, C)`, as Keras's."""
    n = channels
    for s in size:
        n *= s
    eye = torch.eye(n, dtype=dtype, device=device)
    return eye.reshape(*size, channels, n)


def _patches(name, x, size, strides, dilation_rate, padding, data_format, rank):
    if x.ndim not in (rank + 1, rank + 2):
        raise ValueError(
            f"Invalid value for argument of ops.image.{name}: expected rank"
            f" {rank + 1} or {rank + 2} inputs. Received: shape="
            f"{format_shape(x.shape)}"
        )
    fmt = w.data_format_of(f"image.{name}", data_format)
    single = x.ndim == rank + 1
    x = x[None] if single else x
    size = w.int_tuple(f"image.{name}", "size", size, rank)
    strides = (
        size
        if strides is None
        else w.int_tuple(f"image.{name}", "strides", strides, rank)
    )
    dilation = w.int_tuple(
        f"image.{name}", "dilation_rate", dilation_rate, rank
    )
    padding = w.padding_mode(f"image.{name}", padding)
    channels = x.shape[-1] if fmt == "channels_last" else x.shape[1]
    dtype = x.dtype if x.dtype.is_floating_point else torch.float32
    kernel = _identity_kernel(size, channels, dtype, x.device)
    y = _convolve(x.to(dtype), kernel, strides, padding, fmt, dilation)
    y = y.to(x.dtype)
    return y[0] if single else y


@op
def extract_patches(
    images: TensorLike,
    size: int | tuple,
    strides: int | tuple | None = None,
    dilation_rate: int | tuple = 1,
    padding: str = "valid",
    data_format: str | None = None,
) -> torch.Tensor:
    """Extract `size` patches from images, flattened into the channel
    axis (each patch in `(rows, cols, channels)` order).

    Args:
        images: `(H, W, C)` or `(N, H, W, C)` (channels-first likewise).
        size: An int or `(rows, cols)`, the patch size.
        strides: Step between patches; defaults to `size`.
        dilation_rate: Spacing of the patch elements. Defaults to `1`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`.

    Example:

    >>> from lamina import ops
    >>> tuple(ops.image.extract_patches(ops.ones((1, 6, 6, 3)), 2).shape)
    (1, 3, 3, 12)
    """
    return _patches(
        "extract_patches",
        to_tensor(images),
        size,
        strides,
        dilation_rate,
        padding,
        data_format,
        2,
    )


@op
def extract_patches_3d(
    volumes: TensorLike,
    size: int | tuple,
    strides: int | tuple | None = None,
    dilation_rate: int | tuple = 1,
    padding: str = "valid",
    data_format: str | None = None,
) -> torch.Tensor:
    """Extract `size` patches from volumes, flattened into the channel
    axis (each patch in `(depth, rows, cols, channels)` order).

    Example:

    >>> from lamina import ops
    >>> x = ops.ones((1, 4, 4, 4, 2))
    >>> tuple(ops.image.extract_patches_3d(x, 2).shape)
    (1, 2, 2, 2, 16)
    """
    return _patches(
        "extract_patches_3d",
        to_tensor(volumes),
        size,
        strides,
        dilation_rate,
        padding,
        data_format,
        3,
    )
