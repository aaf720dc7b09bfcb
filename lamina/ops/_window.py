"""Window geometry shared by the convolution, pooling and patch ops.

Keras's padding rules, once for the ops: `"same"` splits the padding with
the odd pixel after (Keras's torch and TensorFlow backends), and the
crops that turn torch's transposed convolution into Keras's. The layers
in `lamina.layers.convolutional` and `lamina.layers.pooling` keep their
own copy of this arithmetic (they predate the ops and cache it per
layer); the formulas are the same and both are tested against Keras.
"""

from __future__ import annotations

import functools
import numbers
from typing import Any

import torch
import torch.nn.functional as F

from lamina import config
from lamina.errors import format_shape
from lamina.errors import invalid_argument


def is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def int_tuple(
    op: str, arg: str, value: Any, n: int, minimum: int = 1
) -> tuple[int, ...]:
    """`value` (an int or `n` ints) as `n` ints, each `>= minimum`."""
    if type(value) is int and value >= minimum:
        return (value,) * n  # the common case, without the ABC checks
    if is_int(value):
        values = (int(value),) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            values = ()
        if len(values) != n or not all(is_int(v) for v in values):
            raise ValueError(
                invalid_argument(
                    f"ops.{op}",
                    arg,
                    f"an integer or a tuple of {n} integers",
                    value,
                )
            )
        values = tuple(int(v) for v in values)
    if any(v < minimum for v in values):
        raise ValueError(
            invalid_argument(f"ops.{op}", arg, f"integers >= {minimum}", value)
        )
    return values


def padding_mode(op: str, padding: Any) -> str:
    """`"valid"` or `"same"`, any case."""
    mode = padding.lower() if isinstance(padding, str) else None
    if mode not in ("valid", "same"):
        raise ValueError(
            invalid_argument(
                f"ops.{op}", "padding", "one of 'valid', 'same'", padding
            )
        )
    return mode


def data_format_of(op: str, data_format: Any) -> str:
    """`None` → `config.image_data_format()`; otherwise validated."""
    if data_format in ("channels_last", "channels_first"):
        return data_format
    try:
        return config.standardize_data_format(data_format)
    except ValueError:
        raise ValueError(
            invalid_argument(
                f"ops.{op}",
                "data_format",
                "one of 'channels_last', 'channels_first'",
                data_format,
            )
        ) from None


def spatial_rank(op: str, x: torch.Tensor, arg: str = "inputs") -> int:
    """The number of spatial axes of a batched, channelled input (1-3)."""
    if not 3 <= x.ndim <= 5:
        raise ValueError(
            f"Invalid value for argument `{arg}` of ops.{op}: expected a "
            "tensor of rank 3, 4 or 5 (1D, 2D or 3D inputs with batch and "
            f"channel axes). Received: {arg}.shape={format_shape(x.shape)}"
        )
    return x.ndim - 2


def to_channels_first(x: torch.Tensor, data_format: str) -> torch.Tensor:
    """A view in torch's `(N, C, *spatial)` order. For channels-last input
    this view is a `torch.channels_last` tensor, which torch's conv and
    pooling kernels read natively (no copy)."""
    return x if data_format == "channels_first" else x.movedim(-1, 1)


def from_channels_first(y: torch.Tensor, data_format: str) -> torch.Tensor:
    return y if data_format == "channels_first" else y.movedim(1, -1)


@functools.lru_cache(maxsize=256)
def same_pairs(
    spatial: tuple, kernel: tuple, strides: tuple, dilation: tuple
) -> tuple:
    """Keras's `(before, after)` `"same"` padding of every spatial axis
    (cached: the arithmetic costs more than a small convolution's
    dispatch)."""
    return tuple(
        same_padding(n, k, s, d)
        for n, k, s, d in zip(spatial, kernel, strides, dilation)
    )


def same_padding(
    length: int, kernel: int, stride: int, dilation: int = 1
) -> tuple[int, int]:
    """Keras's `(before, after)` padding for `"same"` along one axis."""
    extent = (kernel - 1) * dilation + 1
    if stride == 1:
        total = extent - 1
    else:
        out = -(-length // stride)
        total = max(0, (out - 1) * stride + extent - length)
    return total // 2, total - total // 2


def pad_same(
    x: torch.Tensor,
    kernel: tuple,
    strides: tuple,
    dilation: tuple,
    value: float = 0.0,
) -> tuple[torch.Tensor, tuple]:
    """Channels-first `x` and the symmetric padding for torch's kernel.

    Torch's kernels pad both sides equally; where Keras's split is uneven
    the input is padded explicitly with `value` and the kernel gets 0.
    """
    # Under torch.compile the arithmetic is traced once anyway; calling
    # past the cache keeps dynamo from warning about it.
    plan = (
        same_pairs.__wrapped__ if torch.compiler.is_compiling() else same_pairs
    )
    pairs = plan(tuple(x.shape[2:]), tuple(kernel), strides, dilation)
    if all(b == a for b, a in pairs):
        return x, tuple(b for b, _ in pairs)
    flat = [p for pair in reversed(pairs) for p in pair]
    return F.pad(x, flat, value=value), (0,) * len(pairs)


def transpose_pads(
    kernel: int,
    stride: int,
    dilation: int,
    padding: str,
    output_padding: int | None,
) -> tuple[int, int]:
    """The `(before, after)` padding of the dilated input that Keras's
    transposed convolution uses (its JAX formulation, shared by every
    backend)."""
    extent = (kernel - 1) * dilation + 1
    if padding == "valid":
        if output_padding is None:
            output_padding = max(extent, stride) - extent
        return extent - 1, extent - 1 + output_padding
    if output_padding is None:
        total = stride + extent - 2
    else:
        total = extent + extent % 2 - 2 + output_padding
    before = min(total // 2 + total % 2, extent - 1)
    return before, total - before
