"""Convolutions as ops: `conv`, `depthwise_conv`, `separable_conv`,
`conv_transpose` (`keras.ops.conv` ...).

Kernels come in Keras's layout, `(*kernel_size, in_channels,
out_channels)` (`(*kernel_size, out_channels, in_channels)` for the
transposed convolution), and reach torch's kernels as permuted views.
`channels_last` inputs are never copied for the layout: the permuted view
is a `torch.channels_last` tensor, which torch's convolutions read
natively. 1D channels-last convolutions run as 2D over an `(N, C, 1, L)`
view, because torch's 1D kernels copy a permuted input.
"""

from __future__ import annotations

import functools

import torch
import torch.nn.functional as F

from lamina.errors import format_shape
from lamina.ops import _window as w
from lamina.ops._convert import as_dtype
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def _operands(name: str, inputs, kernel, data_format):
    """Inputs and kernel as tensors (the kernel in the inputs' dtype), the
    spatial rank and the data format, with Keras's rank check."""
    x = to_tensor(inputs)
    k = to_tensor(kernel, device=x.device)
    rank = w.spatial_rank(name, x)
    if k.ndim != x.ndim:
        raise ValueError(
            f"Invalid value for argument `kernel` of ops.{name}: expected a "
            f"tensor of rank {x.ndim} (the rank of `inputs`). Received: "
            f"kernel.shape={format_shape(k.shape)}, "
            f"inputs.shape={format_shape(x.shape)}"
        )
    return x, as_dtype(k, x.dtype), rank, w.data_format_of(name, data_format)


def _check_channels(name: str, x, in_channels: int, data_format: str):
    channels = x.shape[-1] if data_format == "channels_last" else x.shape[1]
    if channels != in_channels:
        raise ValueError(
            f"ops.{name}: the number of input channels must match the "
            f"kernel's input channels. Received: input channels={channels},"
            f" kernel input channels={in_channels}, "
            f"data_format='{data_format}'"
        )


@functools.lru_cache(maxsize=512)
def _plan(
    x_shape: tuple,
    k_shape: tuple,
    strides: tuple,
    padding: str,
    data_format: str,
    dilation: tuple,
) -> tuple:
    """Everything about a convolution that depends on shapes and
    arguments only, worked out once per configuration: the kernel's
    permutation, whether 1D is lifted to 2D, torch's
    strides/padding/dilation/groups and any uneven `"same"` padding."""
    rank = len(x_shape) - 2
    # (*k, in, out) -> torch's (out, in, *k).
    kernel_perm = (rank + 1, rank, *range(rank))
    lifted = rank == 1 and data_format == "channels_last"
    if lifted:
        strides, dilation = (1,) + strides, (1,) + dilation
    fmt = "channels_last" if lifted else data_format
    spatial = x_shape[1:-1] if data_format == "channels_last" else x_shape[2:]
    spatial = (1,) + spatial if lifted else spatial
    channels = x_shape[-1] if data_format == "channels_last" else x_shape[1]
    kernel = ((1,) if lifted else ()) + k_shape[:rank]
    groups = channels // k_shape[-2] if k_shape[-2] else 1
    pad, explicit = (0,) * len(kernel), None
    if padding == "same":
        # _plan is cached itself; the uncached arithmetic suffices.
        pairs = w.same_pairs.__wrapped__(spatial, kernel, strides, dilation)
        if all(b == a for b, a in pairs):
            pad = tuple(b for b, _ in pairs)
        else:
            explicit = [p for pair in reversed(pairs) for p in pair]
    return (kernel_perm, lifted, fmt, strides, pad, explicit, dilation, groups)


def _convolve(x, kernel, strides, padding, data_format, dilation):
    """Keras-layout `kernel` over `x`, in `x`'s own layout."""
    key = (
        tuple(x.shape),
        tuple(kernel.shape),
        strides,
        padding,
        data_format,
        dilation,
    )
    # Under torch.compile the plan is traced once anyway; calling past the
    # cache keeps dynamo from warning about it.
    plan = (
        _plan.__wrapped__(*key)
        if torch.compiler.is_compiling()
        else _plan(*key)
    )
    perm, lifted, fmt, strides, pad, explicit, dilation, groups = plan
    tk = kernel.permute(perm)
    if lifted:
        x, tk = x.unsqueeze(1), tk.unsqueeze(2)
    y = w.to_channels_first(x, fmt)
    if explicit is not None:
        y = F.pad(y, explicit)
    y = _CONV[y.ndim - 2](y, tk, None, strides, pad, dilation, groups)
    y = w.from_channels_first(y, fmt)
    return y.squeeze(1) if lifted else y


def _parse_args(name, rank, strides, padding, dilation_rate):
    return (
        w.int_tuple(name, "strides", strides, rank),
        w.padding_mode(name, padding),
        w.int_tuple(name, "dilation_rate", dilation_rate, rank),
    )


_cached_args = functools.lru_cache(maxsize=256)(_parse_args)


def _conv_args(name, rank, strides, padding, dilation_rate):
    """Validated `(strides, padding, dilation)`, cached for hashable
    arguments (parsing costs about as much as a small convolution's
    dispatch)."""
    if torch.compiler.is_compiling():
        return _parse_args(name, rank, strides, padding, dilation_rate)
    try:
        return _cached_args(name, rank, strides, padding, dilation_rate)
    except TypeError as e:
        if "unhashable" not in str(e):
            raise
        return _parse_args(name, rank, strides, padding, dilation_rate)


@op
def conv(
    inputs: TensorLike,
    kernel: TensorLike,
    strides: int | tuple = 1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate: int | tuple = 1,
) -> torch.Tensor:
    """General N-D convolution (1D, 2D or 3D).

    Args:
        inputs: Tensor of rank N+2: `(batch, *spatial, channels)` for
            `"channels_last"`, `(batch, channels, *spatial)` otherwise.
        kernel: Tensor of shape `(*kernel_size, in_channels,
            out_channels)`. When `in_channels` divides the input's channel
            count, the convolution is grouped.
        strides: An int or N ints. Defaults to `1`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `config.image_data_format()`.
        dilation_rate: An int or N ints. Defaults to `1`.

    Returns:
        A tensor of rank N+2 in the input's layout and dtype.

    Example:

    >>> import numpy as np
    >>> from lamina import ops
    >>> x = np.ones((1, 5, 5, 2), "float32")
    >>> k = np.ones((3, 3, 2, 4), "float32")
    >>> tuple(ops.conv(x, k, padding="same").shape)
    (1, 5, 5, 4)
    """
    x, k, rank, data_format = _operands("conv", inputs, kernel, data_format)
    strides, padding, dilation = _conv_args(
        "conv", rank, strides, padding, dilation_rate
    )
    channels = x.shape[-1] if data_format == "channels_last" else x.shape[1]
    if k.shape[-2] == 0 or channels % k.shape[-2]:
        raise ValueError(
            "ops.conv: the input channels must be a multiple of the kernel's"
            f" input channels. Received: input channels={channels}, kernel "
            f"input channels={k.shape[-2]}, data_format='{data_format}'"
        )
    return _convolve(x, k, strides, padding, data_format, dilation)


def _depthwise(name, x, k, strides, padding, data_format, dilation):
    _check_channels(name, x, k.shape[-2], data_format)
    # (*k, in, multiplier) -> (*k, 1, in * multiplier): one group per
    # input channel.
    k = k.reshape(*k.shape[:-2], 1, k.shape[-2] * k.shape[-1])
    return _convolve(x, k, strides, padding, data_format, dilation)


@op
def depthwise_conv(
    inputs: TensorLike,
    kernel: TensorLike,
    strides: int | tuple = 1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate: int | tuple = 1,
) -> torch.Tensor:
    """General N-D depthwise convolution: each input channel is convolved
    with its own `depth_multiplier` filters.

    Args:
        inputs: Tensor of rank N+2 (see `conv`).
        kernel: Tensor of shape `(*kernel_size, in_channels,
            depth_multiplier)`.
        strides: An int or N ints. Defaults to `1`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`.
        dilation_rate: An int or N ints. Defaults to `1`.

    Returns:
        A tensor with `in_channels * depth_multiplier` channels.

    Example:

    >>> import numpy as np
    >>> from lamina import ops
    >>> x = np.ones((1, 5, 5, 2), "float32")
    >>> tuple(ops.depthwise_conv(x, np.ones((3, 3, 2, 3), "float32")).shape)
    (1, 3, 3, 6)
    """
    name = "depthwise_conv"
    x, k, rank, data_format = _operands(name, inputs, kernel, data_format)
    strides, padding, dilation = _conv_args(
        name, rank, strides, padding, dilation_rate
    )
    return _depthwise(name, x, k, strides, padding, data_format, dilation)


@op
def separable_conv(
    inputs: TensorLike,
    depthwise_kernel: TensorLike,
    pointwise_kernel: TensorLike,
    strides: int | tuple = 1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate: int | tuple = 1,
) -> torch.Tensor:
    """General N-D separable convolution: a depthwise convolution followed
    by a pointwise (1x1) convolution.

    Args:
        inputs: Tensor of rank N+2 (see `conv`).
        depthwise_kernel: `(*kernel_size, in_channels, depth_multiplier)`.
        pointwise_kernel: `(*1, in_channels * depth_multiplier,
            out_channels)`.
        strides: An int or N ints, for the depthwise step.
        padding: `"valid"` or `"same"`, for the depthwise step.
        data_format: `"channels_last"` or `"channels_first"`.
        dilation_rate: An int or N ints, for the depthwise step.

    Returns:
        A tensor with `out_channels` channels.

    Example:

    >>> import numpy as np
    >>> from lamina import ops
    >>> x = np.ones((1, 5, 5, 2), "float32")
    >>> dk, pk = np.ones((3, 3, 2, 2), "float32"), np.ones((1, 1, 4, 6), "float32")
    >>> tuple(ops.separable_conv(x, dk, pk, padding="same").shape)
    (1, 5, 5, 6)
    """
    name = "separable_conv"
    x, dk, rank, data_format = _operands(
        name, inputs, depthwise_kernel, data_format
    )
    pk = as_dtype(to_tensor(pointwise_kernel, device=x.device), x.dtype)
    strides, padding, dilation = _conv_args(
        name, rank, strides, padding, dilation_rate
    )
    y = _depthwise(name, x, dk, strides, padding, data_format, dilation)
    ones = (1,) * rank
    return _convolve(y, pk, ones, "valid", data_format, dilation)


@op
def conv_transpose(
    inputs: TensorLike,
    kernel: TensorLike,
    strides: int | tuple = 1,
    padding: str = "valid",
    output_padding: int | tuple | None = None,
    data_format: str | None = None,
    dilation_rate: int | tuple = 1,
) -> torch.Tensor:
    """General N-D transposed convolution (the gradient of `conv`).

    Args:
        inputs: Tensor of rank N+2 (see `conv`).
        kernel: Tensor of shape `(*kernel_size, out_channels,
            in_channels)`.
        strides: An int or N ints. Defaults to `1`.
        padding: `"valid"` or `"same"`.
        output_padding: `None`, an int or N ints: extra size added after
            each spatial axis. `None` infers it (with `"same"`, the output
            is `input * strides`).
        data_format: `"channels_last"` or `"channels_first"`.
        dilation_rate: An int or N ints. Defaults to `1`.

    Returns:
        A tensor of rank N+2 with `out_channels` channels.

    Example:

    >>> import numpy as np
    >>> from lamina import ops
    >>> x = np.ones((1, 4, 4, 2), "float32")
    >>> k = np.ones((3, 3, 5, 2), "float32")
    >>> tuple(ops.conv_transpose(x, k, 2, padding="same").shape)
    (1, 8, 8, 5)
    """
    name = "conv_transpose"
    x, k, rank, data_format = _operands(name, inputs, kernel, data_format)
    strides, padding, dilation = _conv_args(
        name, rank, strides, padding, dilation_rate
    )
    _check_channels(name, x, k.shape[-1], data_format)
    extra = (
        (None,) * rank
        if output_padding is None
        else w.int_tuple(
            name, "output_padding", output_padding, rank, minimum=0
        )
    )
    # (*k, out, in) -> torch's (in, out, *k), a view.
    tk = k.permute(rank + 1, rank, *range(rank))
    y = _CONV_T[rank](
        w.to_channels_first(x, data_format),
        tk,
        None,
        strides,
        0,
        0,
        1,
        dilation,
    )
    # torch gives the full `(n - 1) * s + extent` output; Keras's window
    # is cropped from it (or zero-extended where a crop is negative).
    index, pads = [slice(None)] * 2, []
    for ks, s, d, e in zip(k.shape[:rank], strides, dilation, extra):
        before, after = w.transpose_pads(ks, s, d, padding, e)
        extent = (ks - 1) * d + 1
        crop_b, crop_a = extent - 1 - before, extent - 1 - after
        index.append(slice(max(crop_b, 0), -crop_a if crop_a > 0 else None))
        pads.append((max(-crop_b, 0), max(-crop_a, 0)))
    y = y[tuple(index)]
    if any(b or a for b, a in pads):
        y = F.pad(y, [p for pair in reversed(pads) for p in pair])
    return w.from_channels_first(y, data_format)
