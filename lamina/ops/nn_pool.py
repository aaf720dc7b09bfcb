"""Pooling as ops: `max_pool`, `average_pool`, `adaptive_max_pool`,
`adaptive_average_pool` (`keras.ops.max_pool` ...).

`channels_last` inputs reach torch's kernels as permuted views (torch's
`channels_last` memory format), so the layout costs no copy.

`"same"` padding: where Keras's split is even, torch pads itself (with
`-inf` for max pooling, and excluded from the average's divisor). Where
it is uneven, average pooling divides each window by its count of real
entries, as Keras does on TensorFlow and JAX and as
`lamina.layers.AveragePooling*D` does; Keras's torch backend instead
repeats the edge values into the padding for that case.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from lamina.ops import _window as w
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike

_MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
_ADAPTIVE_MAX = {
    1: F.adaptive_max_pool1d,
    2: F.adaptive_max_pool2d,
    3: F.adaptive_max_pool3d,
}
_ADAPTIVE_AVG = {
    1: F.adaptive_avg_pool1d,
    2: F.adaptive_avg_pool2d,
    3: F.adaptive_avg_pool3d,
}


def _lowest(dtype: torch.dtype) -> float:
    if dtype.is_floating_point:
        return float("-inf")
    return torch.iinfo(dtype).min


def _window_args(name, inputs, pool_size, strides, padding, data_format):
    x = to_tensor(inputs)
    rank = w.spatial_rank(name, x)
    pool = w.int_tuple(name, "pool_size", pool_size, rank)
    strides = (
        pool if strides is None else w.int_tuple(name, "strides", strides, rank)
    )
    return (
        x,
        pool,
        strides,
        w.padding_mode(name, padding),
        w.data_format_of(name, data_format),
    )


def _average(x: torch.Tensor, pool: tuple, strides: tuple) -> torch.Tensor:
    """Average pooling of channels-first `x` with Keras's `"same"`."""
    fn = _AVG[len(pool)]
    pairs = [
        w.same_padding(n, k, s) for n, k, s in zip(x.shape[2:], pool, strides)
    ]
    if all(b == a for b, a in pairs):
        pads = [b for b, _ in pairs]
        return fn(x, pool, strides, pads, count_include_pad=False)
    flat = [p for pair in reversed(pairs) for p in pair]
    # Window sums over zero padding, divided by each window's count of
    # real entries (the same pooling of a ones mask).
    ones = torch.ones(
        (1, 1) + tuple(x.shape[2:]), dtype=x.dtype, device=x.device
    )
    sums = fn(F.pad(x, flat), pool, strides) * _volume(pool)
    counts = fn(F.pad(ones, flat), pool, strides) * _volume(pool)
    return sums / counts


def _volume(pool: tuple) -> int:
    out = 1
    for k in pool:
        out *= k
    return out


@op
def max_pool(
    inputs: TensorLike,
    pool_size: int | tuple,
    strides: int | tuple | None = None,
    padding: str = "valid",
    data_format: str | None = None,
) -> torch.Tensor:
    """Max pooling over 1, 2 or 3 spatial axes.

    Args:
        inputs: Tensor of rank N+2: `(batch, *spatial, channels)` for
            `"channels_last"`, `(batch, channels, *spatial)` otherwise.
        pool_size: An int or N ints, the window size.
        strides: An int or N ints; `None` means `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `config.image_data_format()`.

    Returns:
        A tensor of rank N+2.

    Example:

    >>> from lamina import ops
    >>> x = ops.reshape(ops.arange(8.0), (1, 8, 1))
    >>> ops.max_pool(x, 2)[0, :, 0].tolist()
    [1.0, 3.0, 5.0, 7.0]
    """
    x, pool, strides, padding, data_format = _window_args(
        "max_pool", inputs, pool_size, strides, padding, data_format
    )
    y = w.to_channels_first(x, data_format)
    pads = 0
    if padding == "same":
        y, pads = w.pad_same(
            y, pool, strides, (1,) * len(pool), value=_lowest(y.dtype)
        )
    y = _MAX[len(pool)](y, pool, strides, pads)
    return w.from_channels_first(y, data_format)


@op
def average_pool(
    inputs: TensorLike,
    pool_size: int | tuple,
    strides: int | tuple | None = None,
    padding: str = "valid",
    data_format: str | None = None,
) -> torch.Tensor:
    """Average pooling over 1, 2 or 3 spatial axes.

    With `"same"` padding, each window is averaged over its real
    (unpadded) entries.

    Args:
        inputs: Tensor of rank N+2 (see `max_pool`).
        pool_size: An int or N ints, the window size.
        strides: An int or N ints; `None` means `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`.

    Returns:
        A tensor of rank N+2.

    Example:

    >>> from lamina import ops
    >>> x = ops.reshape(ops.arange(8.0), (1, 8, 1))
    >>> ops.average_pool(x, 2)[0, :, 0].tolist()
    [0.5, 2.5, 4.5, 6.5]
    """
    x, pool, strides, padding, data_format = _window_args(
        "average_pool", inputs, pool_size, strides, padding, data_format
    )
    y = w.to_channels_first(x, data_format)
    if padding == "same":
        y = _average(y, pool, strides)
    else:
        y = _AVG[len(pool)](y, pool, strides)
    return w.from_channels_first(y, data_format)


def _adaptive(name, fns, inputs, output_size, data_format):
    x = to_tensor(inputs)
    rank = w.spatial_rank(name, x)
    size = w.int_tuple(name, "output_size", output_size, rank)
    data_format = w.data_format_of(name, data_format)
    y = fns[rank](w.to_channels_first(x, data_format), size)
    return w.from_channels_first(y, data_format)


@op
def adaptive_max_pool(
    inputs: TensorLike, output_size: int | tuple, data_format: str | None = None
) -> torch.Tensor:
    """Max pooling to a fixed output size (windows chosen to fit).

    Args:
        inputs: Tensor of rank N+2 (see `max_pool`).
        output_size: An int or N ints, the spatial output size.
        data_format: `"channels_last"` or `"channels_first"`.

    Returns:
        A tensor with spatial shape `output_size`.

    Example:

    >>> from lamina import ops
    >>> x = ops.reshape(ops.arange(6.0), (1, 6, 1))
    >>> ops.adaptive_max_pool(x, 2)[0, :, 0].tolist()
    [2.0, 5.0]
    """
    return _adaptive(
        "adaptive_max_pool", _ADAPTIVE_MAX, inputs, output_size, data_format
    )


@op
def adaptive_average_pool(
    inputs: TensorLike, output_size: int | tuple, data_format: str | None = None
) -> torch.Tensor:
    """Average pooling to a fixed output size (windows chosen to fit).

    Args:
        inputs: Tensor of rank N+2 (see `max_pool`).
        output_size: An int or N ints, the spatial output size.
        data_format: `"channels_last"` or `"channels_first"`.

    Returns:
        A tensor with spatial shape `output_size`.

    Example:

    >>> from lamina import ops
    >>> x = ops.reshape(ops.arange(6.0), (1, 6, 1))
    >>> ops.adaptive_average_pool(x, 2)[0, :, 0].tolist()
    [1.0, 4.0]
    """
    return _adaptive(
        "adaptive_average_pool", _ADAPTIVE_AVG, inputs, output_size, data_format
    )
