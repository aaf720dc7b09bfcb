"""Ops that move data between space and depth: `unfold` (im2col),
`fold` (col2im), `depth_to_space`, `space_to_depth`."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from lamina.errors import format_shape
from lamina.ops import _window as w
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike


def _rank(name: str, x: torch.Tensor, rank: int) -> None:
    if x.ndim != rank:
        raise ValueError(
            f"Invalid value for argument `x` of ops.{name}: expected a "
            f"{rank}D tensor. Received: x.shape={format_shape(x.shape)}"
        )


def _pairs(name, kernel_size, dilation, padding, stride):
    return (
        w.int_tuple(name, "kernel_size", kernel_size, 2),
        w.int_tuple(name, "dilation", dilation, 2),
        w.int_tuple(name, "padding", padding, 2, minimum=0),
        w.int_tuple(name, "stride", stride, 2),
    )


@op
def unfold(
    x: TensorLike,
    kernel_size: int | tuple,
    dilation: int | tuple = 1,
    padding: int | tuple = 0,
    stride: int | tuple = 1,
) -> torch.Tensor:
    """Extract sliding blocks from a channels-first batch of images
    (im2col).

    Args:
        x: `(N, C, H, W)` tensor.
        kernel_size: An int or 2 ints, the block size.
        dilation: An int or 2 ints. Defaults to `1`.
        padding: An int or 2 ints of zero padding. Defaults to `0`.
        stride: An int or 2 ints. Defaults to `1`.

    Returns:
        `(N, C * kH * kW, L)`, one column per block.

    Example:

    >>> from lamina import ops
    >>> tuple(ops.unfold(ops.ones((1, 2, 4, 4)), 2, stride=2).shape)
    (1, 8, 4)
    """
    x = to_tensor(x)
    _rank("unfold", x, 4)
    return F.unfold(
        x, *_pairs("unfold", kernel_size, dilation, padding, stride)
    )


@op
def fold(
    x: TensorLike,
    output_size: int | tuple,
    kernel_size: int | tuple,
    dilation: int | tuple = 1,
    padding: int | tuple = 0,
    stride: int | tuple = 1,
) -> torch.Tensor:
    """Sum sliding blocks back into a batch of images (col2im), the
    inverse layout of `unfold`.

    Args:
        x: `(N, C * kH * kW, L)` tensor.
        output_size: An int or 2 ints, the image size `(H, W)`.
        kernel_size: An int or 2 ints, the block size.
        dilation, padding, stride: as for `unfold`.

    Returns:
        `(N, C, H, W)`; overlapping blocks are summed.

    Example:

    >>> from lamina import ops
    >>> cols = ops.unfold(ops.ones((1, 2, 4, 4)), 2, stride=2)
    >>> tuple(ops.fold(cols, (4, 4), 2, stride=2).shape)
    (1, 2, 4, 4)
    """
    x = to_tensor(x)
    _rank("fold", x, 3)
    size = w.int_tuple("fold", "output_size", output_size, 2)
    return F.fold(
        x, size, *_pairs("fold", kernel_size, dilation, padding, stride)
    )


def _block_args(name, x, block_size, data_format):
    x = to_tensor(x)
    if x.ndim != 4:
        raise ValueError(
            f"Invalid value for argument `x` of ops.{name}: expected a 4D "
            f"tensor. Received: x.shape={format_shape(x.shape)}"
        )
    if not w.is_int(block_size) or block_size < 1:
        raise ValueError(
            f"Invalid value for argument `block_size` of ops.{name}: "
            f"expected a positive integer. Received: block_size={block_size!r}"
        )
    return x, int(block_size), w.data_format_of(name, data_format)


@op
def depth_to_space(
    x: TensorLike, block_size: int, data_format: str = "channels_last"
) -> torch.Tensor:
    """Move blocks of channels into `block_size x block_size` spatial
    tiles (TensorFlow's `depth_to_space` order).

    Example:

    >>> from lamina import ops
    >>> tuple(ops.depth_to_space(ops.ones((1, 2, 3, 8)), 2).shape)
    (1, 4, 6, 2)
    """
    x, b, data_format = _block_args(
        "depth_to_space", x, block_size, data_format
    )
    channels = x.shape[-1] if data_format == "channels_last" else x.shape[1]
    if channels % (b * b):
        raise ValueError(
            f"ops.depth_to_space: the number of channels ({channels}) must "
            f"be divisible by block_size**2 ({b * b}). Received: "
            f"x.shape={format_shape(x.shape)}, block_size={b}"
        )
    if data_format == "channels_first":
        return F.pixel_shuffle(x, b)
    n, h, wd, c = x.shape
    y = x.reshape(n, h, wd, b, b, c // (b * b)).permute(0, 1, 3, 2, 4, 5)
    return y.reshape(n, h * b, wd * b, c // (b * b))


@op
def space_to_depth(
    x: TensorLike, block_size: int, data_format: str = "channels_last"
) -> torch.Tensor:
    """Move `block_size x block_size` spatial tiles into channels (the
    inverse of `depth_to_space`).

    Example:

    >>> from lamina import ops
    >>> tuple(ops.space_to_depth(ops.ones((1, 4, 6, 2)), 2).shape)
    (1, 2, 3, 8)
    """
    x, b, data_format = _block_args(
        "space_to_depth", x, block_size, data_format
    )
    spatial = x.shape[1:3] if data_format == "channels_last" else x.shape[2:]
    if any(s % b for s in spatial):
        raise ValueError(
            f"ops.space_to_depth: the height and width must be divisible by"
            f" block_size ({b}). Received: x.shape={format_shape(x.shape)}"
        )
    if data_format == "channels_first":
        return F.pixel_unshuffle(x, b)
    n, h, wd, c = x.shape
    y = x.reshape(n, h // b, b, wd // b, b, c).permute(0, 1, 3, 2, 4, 5)
    return y.reshape(n, h // b, wd // b, c * b * b)
