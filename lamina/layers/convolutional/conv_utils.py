"""Argument checks and padding arithmetic shared by the convolution layers.

Keras's padding rules live here once: `"same"` padding split the way
Keras's torch backend splits it (the odd pixel after, never before), and
the crops that turn torch's transposed convolution into Keras's.
"""

from __future__ import annotations

from typing import Any

from lamina.errors import invalid_argument
from lamina.layers.reshaping.spatial_utils import is_int
from lamina.layers.reshaping.spatial_utils import standardize_tuple


def conv_tuple(
    value: Any, rank: int, arg: str, owner: str, allow_zero: bool = False
) -> tuple[int, ...]:
    """`value` (an int or `rank` ints) as a tuple of `rank` ints, each
    positive (non-negative with `allow_zero`)."""
    return standardize_tuple(value, rank, arg, owner, allow_zero=allow_zero)


def positive_int(value: Any, arg: str, owner: str) -> int:
    if not is_int(value) or value <= 0:
        raise ValueError(
            invalid_argument(owner, arg, "a positive integer", value)
        )
    return int(value)


def standardize_padding(
    value: Any, rank: int, owner: str, allow_causal: bool = False
) -> str:
    """`"valid"`, `"same"` (any case), and `"causal"` where allowed."""
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    padding = value.lower() if isinstance(value, str) else None
    if padding not in allowed:
        hint = ""
        if padding == "causal":
            hint = f" (`causal` padding is for 1D layers only, not {rank}D)"
        raise ValueError(
            invalid_argument(owner, "padding", f"one of {allowed}{hint}", value)
        )
    return str(padding)


def check_strides_dilation(
    strides: tuple, dilation_rate: tuple, owner: str
) -> None:
    """Keras forbids strides > 1 together with dilation_rate > 1."""
    if max(strides) > 1 and max(dilation_rate) > 1:
        raise ValueError(
            f"{owner}: `strides > 1` is not supported together with "
            f"`dilation_rate > 1`. Received: strides={strides}, "
            f"dilation_rate={dilation_rate}"
        )


def effective_size(kernel: int, dilation: int) -> int:
    """The extent of a dilated kernel."""
    return (kernel - 1) * dilation + 1


def same_padding(
    length: int, kernel: int, stride: int, dilation: int
) -> tuple[int, int]:
    """Keras's `(before, after)` padding for `"same"` along one axis.

    With stride 1 the total is the dilated kernel minus one, whatever the
    length; otherwise just enough for `ceil(length / stride)` outputs. The
    odd pixel goes after, as in Keras's torch (and TensorFlow) backend.
    """
    extent = effective_size(kernel, dilation)
    if stride == 1:
        total = extent - 1
    else:
        out = -(-length // stride)
        total = max(0, (out - 1) * stride + extent - length)
    return total // 2, total - total // 2


def split_padding(pairs: Any) -> tuple[tuple, tuple]:
    """Per-axis `(before, after)` pairs → the symmetric part torch's conv
    pads by itself, and the remaining `(before, after)` amounts that need
    an explicit pad (all zero when every pair is symmetric)."""
    symmetric = tuple(min(pair) for pair in pairs)
    extra = tuple((b - s, a - s) for (b, a), s in zip(pairs, symmetric))
    return symmetric, extra


def transpose_crops(
    kernel: int,
    stride: int,
    dilation: int,
    padding: str,
    output_padding: int | None,
) -> tuple[int, int]:
    """How much Keras removes from each end of the full transposed output.

    The full output (torch's `conv_transpose` without padding) has length
    `(length - 1) * stride + extent`. Keras keeps the window that its
    padding rule defines; a negative crop means the window runs past the
    end (torch's `output_padding` extends it).
    """
    extent = effective_size(kernel, dilation)
    if padding == "valid":
        extra = (
            max(extent, stride) - extent
            if output_padding is None
            else output_padding
        )
        before, after = extent - 1, extent - 1 + extra
    else:
        total = (
            stride + extent - 2
            if output_padding is None
            else extent + extent % 2 - 2 + output_padding
        )
        before = min(total // 2 + total % 2, extent - 1)
        after = total - before
    return extent - 1 - before, extent - 1 - after


def torch_transpose_args(
    crop: tuple[int, int], stride: int, dilation: int
) -> tuple[int, int, int, int]:
    """Crops → torch's `(padding, output_padding)` plus what is left to
    slice off each end afterwards.

    torch's `conv_transpose` returns the full output less `padding` on
    both ends, extended by `output_padding` (< max(stride, dilation)) at
    the end; an uneven crop (Keras's `"same"` with odd kernels and
    strides > 1) needs one slice more.
    """
    before, after = crop
    pad = max(0, min(before, after))
    before, after = before - pad, after - pad
    out_pad = 0
    if before == 0 and -max(stride, dilation) < after < 0:
        out_pad, after = -after, 0
    return pad, out_pad, before, after
