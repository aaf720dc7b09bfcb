"""Argument checks and shape arithmetic of the ConvLSTM cell and layers."""

from __future__ import annotations

from typing import Any

import torch

from lamina.errors import format_shape, invalid_argument
from lamina.layers.convolutional.conv_utils import check_strides_dilation
from lamina.layers.convolutional.conv_utils import conv_tuple
from lamina.layers.convolutional.conv_utils import effective_size
from lamina.layers.convolutional.conv_utils import positive_int
from lamina.layers.convolutional.conv_utils import same_padding
from lamina.layers.convolutional.conv_utils import split_padding


def check_geometry(
    owner: str,
    rank: int,
    filters: int,
    kernel_size: Any,
    strides: Any,
    padding: Any,
    dilation_rate: Any,
) -> None:
    """Keras's limits on a ConvLSTM's convolution; a ValueError names
    `owner` (the cell, or the layer that makes one)."""
    if rank not in (1, 2, 3):
        raise ValueError(invalid_argument(owner, "rank", "1, 2 or 3", rank))
    positive_int(filters, "filters", owner)
    conv_tuple(kernel_size, rank, "kernel_size", owner)
    if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
        raise ValueError(
            invalid_argument(
                owner,
                "padding",
                "'valid' or 'same' (a ConvLSTM has no causal padding)",
                padding,
            )
        )
    check_strides_dilation(
        conv_tuple(strides, rank, "strides", owner),
        conv_tuple(dilation_rate, rank, "dilation_rate", owner),
        owner,
    )


def recurrent_padding(kernel_size: tuple) -> tuple[tuple, list | None]:
    """Padding of the recurrent convolution (`"same"`, stride 1, no
    dilation): the symmetric part torch's conv applies, and the `F.pad`
    list (channels-first) for the extra pixel after that an even kernel
    needs, as Keras pads; None when there is none."""
    symmetric, extra = split_padding(
        [same_padding(1, k, 1, 1) for k in kernel_size]
    )
    if not any(b or a for b, a in extra):
        return symmetric, None
    return symmetric, [n for b, a in reversed(extra) for n in (b, a)]


def output_spatial(
    spatial: tuple,
    kernel_size: tuple,
    strides: tuple,
    padding: str,
    dilation_rate: tuple,
) -> tuple:
    """The spatial size of the input convolution's output, which the
    states share."""
    if padding == "same":
        return tuple(-(-n // s) for n, s in zip(spatial, strides))
    return tuple(
        (n - effective_size(k, d)) // s + 1
        for n, k, s, d in zip(spatial, kernel_size, strides, dilation_rate)
    )


def state_shape(
    owner: str,
    input_shape: Any,
    spatial: tuple,
    geometry: tuple,
    filters: int,
    channels_last: bool,
) -> tuple:
    """The per-sample shape of the states `h` and `c` for inputs of
    `spatial` size: the output of the input convolution (`geometry`:
    kernel size, strides, padding, dilation). `owner` names the cell in
    the error a dynamic spatial size raises."""
    if None in spatial:
        raise ValueError(
            f"{owner} needs static spatial dimensions (the states' shape "
            "depends on them). "
            f"Received: input_shape={format_shape(input_shape)}"
        )
    kernel_size, strides, padding, dilation_rate = geometry
    out = output_spatial(spatial, kernel_size, strides, padding, dilation_rate)
    return out + (filters,) if channels_last else (filters,) + out


def per_gate(
    x: torch.Tensor, mask: torch.Tensor | None, axis: int
) -> tuple[torch.Tensor, int]:
    """`x` and the number of conv groups. With a per-gate dropout mask
    `(4, *x.shape)`, the four masked copies go side by side along the
    channels `axis` and convolve as 4 groups (group `g` feeds gate `g`),
    one convolution instead of four."""
    if mask is None:
        return x, 1
    return torch.cat((x * mask).unbind(0), dim=axis), mask.shape[0]
