"""Helpers of `Normalization`: axis planning, fixed statistics and the
`adapt` pass over arrays, tensors and iterables of batches."""

from __future__ import annotations

from typing import Any

import itertools
import math

import numpy as np
import torch

from lamina.errors import format_shape


def _first(batch):
    """The inputs of a batch; `(x, y)` and `(x, y, w)` give `x`."""
    return batch[0] if isinstance(batch, tuple) else batch


def check_mean_variance(layer: Any, mean: Any, variance: Any) -> None:
    name = type(layer).__name__
    if (mean is None) != (variance is None):
        raise ValueError(
            f"{name}: when setting values directly, both `mean` and "
            f"`variance` must be set. Received: mean={mean} and "
            f"variance={variance}"
        )
    if mean is None:
        return
    if np.shape(mean) != np.shape(variance):
        raise ValueError(
            f"{name}: `mean` and `variance` must have the same shape. "
            f"Received: mean shape {np.shape(mean)} and variance shape "
            f"{np.shape(variance)}"
        )
    if len(np.shape(mean)) > len(layer.axis):
        raise ValueError(
            f"{name}: the rank of `mean` must be at most the number of "
            f"axes ({len(layer.axis)}). Received: mean shape "
            f"{np.shape(mean)} for axis={layer.axis}"
        )


def axes_plan(layer: Any, shape: tuple) -> tuple:
    """(kept axes, reduced axes, broadcast shape) for an input `shape`."""
    ndim = len(shape)
    name = type(layer).__name__
    if any(a < -ndim or a >= ndim for a in layer.axis):
        raise ValueError(
            f"{name}: all `axis` values must be in the range [-ndim, ndim)."
            f" Received: axis={layer.axis} for inputs with ndim={ndim}"
        )
    keep = tuple(sorted(a % ndim for a in layer.axis))
    for d in keep:
        if shape[d] is None:
            raise ValueError(
                f"{name}: all `axis` values to be kept must have a known "
                f"size. Received: axis={layer.axis}, inputs.shape="
                f"{format_shape(shape)}, unknown axis at index {d}"
            )
    reduce = tuple(d for d in range(ndim) if d not in keep)
    broadcast = tuple(shape[d] if d in keep else 1 for d in range(ndim))
    return keep, reduce, broadcast


def broadcast_stat(value: Any, keep: tuple, broadcast: tuple) -> torch.Tensor:
    """A given mean/variance, aligned with the kept axes from the end."""
    t = torch.as_tensor(np.asarray(value, dtype="float64"))
    if t.ndim:
        expanded = [1] * len(broadcast)
        for i in range(1, t.ndim + 1):
            expanded[keep[-i]] = t.shape[-i]
        t = t.reshape(expanded)
    return t.broadcast_to(broadcast).to(torch.float32).clone()


def peek_shape(layer: Any, data: Any) -> tuple:
    """(input shape, iterable of batches) for `adapt`'s `data`."""
    if isinstance(data, (np.ndarray, torch.Tensor)):
        return tuple(data.shape), [data]
    if not hasattr(data, "__iter__"):
        raise TypeError(
            f"{type(layer).__name__}.adapt() supports NumPy arrays, tensors "
            f"and iterables of batches. Received: data of type "
            f"{type(data).__name__}"
        )
    iterator = iter(data)
    first = next(iterator, None)
    if first is None:
        raise ValueError(
            f"{type(layer).__name__}.adapt() received an empty iterable "
            "(no batches); expected at least one batch."
        )
    first = _first(first)
    if not hasattr(first, "shape"):
        raise TypeError(
            f"{type(layer).__name__}.adapt() expects batches with a "
            f"`.shape`. Received: a batch of type {type(first).__name__}"
        )
    return tuple(first.shape), itertools.chain([first], iterator)


def check_adapt_shape(layer: Any, shape: tuple) -> None:
    built = layer._build_input_shape
    if len(shape) != len(built) or any(
        shape[d] != built[d] for d in layer._keep
    ):
        raise ValueError(
            f"{type(layer).__name__}: the layer was built with input_shape="
            f"{format_shape(built)}, but adapt() received data with an "
            f"incompatible shape {format_shape(shape)}"
        )


def moments(batches: Any, reduce: tuple) -> tuple:
    """Mean and (population) variance over `reduce`, merged batch by
    batch in float64 as Keras merges them."""
    total_mean: Any = None
    total_var: Any = None
    total = 0
    for batch in batches:
        x = (
            torch.as_tensor(np.asarray(_first(batch)))
            if not isinstance(_first(batch), torch.Tensor)
            else _first(batch)
        )
        x = x.detach().to("cpu", torch.float64)
        mean = x.mean(dim=reduce) if reduce else x
        var = x.var(dim=reduce, unbiased=False) if reduce else x * 0
        count = math.prod(x.shape[d] for d in reduce) if reduce else 1
        if total_mean is None:
            total_mean, total_var, total = mean, var, count
            continue
        total += count
        w = count / total
        new_mean = total_mean * (1 - w) + mean * w
        total_var = (total_var + (total_mean - new_mean) ** 2) * (1 - w) + (
            var + (mean - new_mean) ** 2
        ) * w
        total_mean = new_mean
    return total_mean, total_var
