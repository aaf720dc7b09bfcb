"""Keras-2 style backend functions (`from lamina import backend as K`).

Old `Lambda` code calls `K.mean(x, axis=1)`, `K.concatenate([a, b])`,
`K.batch_dot(x, y)` and so on; these are thin functions over `lamina.ops`
with the Keras 2 names, argument names and defaults. Tensor functions are
symbolic-aware, so they also work on functional-API inputs.

Deviation: `K.shape(x)` returns a tuple of ints (torch shapes are always
known eagerly), not a shape tensor.

Example:

>>> from lamina import backend as K
>>> K.mean(K.constant([[1.0, 2.0], [3.0, 4.0]]), axis=1).tolist()
[1.5, 3.5]
"""

from __future__ import annotations

from typing import Any

import torch

from lamina import ops
from lamina.config import epsilon as epsilon
from lamina.config import floatx as floatx
from lamina.config import image_data_format as image_data_format
from lamina.config import set_epsilon as set_epsilon
from lamina.config import set_floatx as set_floatx
from lamina.config import set_image_data_format as set_image_data_format
from lamina.engine.operation import symbolic_op
from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import result_type as result_type
from lamina.ops._dtypes import standardize_dtype as standardize_dtype
from lamina.ops._dtypes import to_torch_dtype
from lamina.typing import TensorLike
from lamina.utils import rng


def backend() -> str:
    """The name of the backend: always `"torch"`."""
    return "torch"


def clear_session(free_memory: bool = True) -> None:
    """Reset auto-naming and (with `free_memory`) free unreferenced
    memory, as Keras does."""
    from lamina.utils import clear_session as clear

    clear(free_memory=free_memory)


def get_uid(prefix: str = "") -> int:
    """A per-prefix counter, shared with auto-naming: 1, 2, 3, ...

    >>> from lamina import backend as K
    >>> K.get_uid("doctest_prefix"), K.get_uid("doctest_prefix")
    (1, 2)
    """
    from lamina.engine.naming import get_uid as uid

    return uid(prefix)


def is_float_dtype(dtype: Any) -> bool:
    """Whether `dtype` (any spelling) is a floating-point type.

    >>> from lamina import backend as K
    >>> K.is_float_dtype("bfloat16"), K.is_float_dtype("int8")
    (True, False)
    """
    name = standardize_dtype(dtype)
    return name.startswith("float") or name.startswith("bfloat")


def is_int_dtype(dtype: Any) -> bool:
    """Whether `dtype` (any spelling) is a signed or unsigned integer type.

    >>> from lamina import backend as K
    >>> K.is_int_dtype("uint8"), K.is_int_dtype("bool")
    (True, False)
    """
    name = standardize_dtype(dtype)
    return name.startswith("int") or name.startswith("uint")


def is_keras_tensor(x: Any) -> bool:
    """Whether `x` is a symbolic tensor (a functional-API tensor)."""
    from lamina.engine.symbolic import SymbolicTensor

    return isinstance(x, SymbolicTensor)


def int_shape(x: Any) -> tuple:
    """The shape of `x` as a tuple of ints (`None` for unknown sizes).

    >>> from lamina import backend as K
    >>> K.int_shape(K.zeros((2, 3)))
    (2, 3)
    """
    return tuple(x.shape) if hasattr(x, "shape") else ops.shape(x)


shape = int_shape
ndim = ops.ndim
cast = ops.cast


# Reductions: Keras 2 spells them like `keras.ops`, with `keepdims`.
@symbolic_op
def mean(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Mean of `x` over `axis` (bools count as 0/1 in `floatx()`)."""
    x = to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(to_torch_dtype(floatx()))
    return ops.mean(x, axis=axis, keepdims=keepdims)


sum = ops.sum
max = ops.max
min = ops.min
prod = ops.prod
std = ops.std
var = ops.var
abs = ops.abs
square = ops.square
exp = ops.exp
log = ops.log
sigmoid = ops.sigmoid
tanh = ops.tanh
maximum = ops.maximum
minimum = ops.minimum
equal = ops.equal
stack = ops.stack
reshape = ops.reshape
permute_dimensions = ops.transpose
tile = ops.tile
zeros_like = ops.zeros_like
ones_like = ops.ones_like


@symbolic_op
def sqrt(x: TensorLike) -> torch.Tensor:
    """Square root, with negative inputs clipped to 0 first (Keras 2)."""
    return ops.sqrt(torch.clamp(to_tensor(x), min=0))


@symbolic_op
def pow(x: TensorLike, a: TensorLike) -> torch.Tensor:
    """`x ** a`, element-wise."""
    return ops.power(x, a)


@symbolic_op
def clip(
    x: TensorLike, min_value: float | None, max_value: float | None
) -> torch.Tensor:
    """Clip `x` to `[min_value, max_value]` (`None` means unbounded)."""
    low = float("-inf") if min_value is None else min_value
    high = float("inf") if max_value is None else max_value
    if max_value is not None and min_value is not None and high < low:
        high = low
    return ops.clip(x, low, high)


@symbolic_op
def relu(
    x: TensorLike,
    alpha: float = 0.0,
    max_value: float | None = None,
    threshold: float = 0.0,
) -> torch.Tensor:
    """Keras 2 relu: `x` above `threshold`, `alpha * (x - threshold)`
    below, capped at `max_value`.

    >>> from lamina import backend as K
    >>> K.relu(K.constant([-2.0, 1.0, 9.0]), alpha=0.5, max_value=6.0).tolist()
    [-1.0, 1.0, 6.0]
    """
    x = to_tensor(x)
    if alpha == 0 and threshold == 0:
        out = torch.relu(x)
    else:
        below = alpha * (x - threshold) if alpha else torch.zeros_like(x)
        out = torch.where(x >= threshold, x, below)
    if max_value is not None:
        out = torch.clamp(out, max=max_value)
    return out


@symbolic_op
def softmax(x: TensorLike, axis: int = -1) -> torch.Tensor:
    """Softmax of `x` along `axis`."""
    return ops.softmax(x, axis=axis)


@symbolic_op
def l2_normalize(
    x: TensorLike, axis: int | tuple | None = None
) -> torch.Tensor:
    """`x / sqrt(max(sum(x**2, axis), 1e-12))`, as `tf.math.l2_normalize`.

    >>> from lamina import backend as K
    >>> K.l2_normalize(K.constant([3.0, 4.0]), axis=0).tolist()
    [0.6000000238418579, 0.800000011920929]
    """
    x = to_tensor(x)
    dims = tuple(range(x.ndim)) if axis is None else axis
    square_sum = torch.sum(torch.square(x), dim=dims, keepdim=True)
    return x * torch.rsqrt(torch.clamp(square_sum, min=1e-12))


@symbolic_op
def concatenate(tensors: list, axis: int = -1) -> torch.Tensor:
    """Join `tensors` along `axis` (Keras 2 default: the last axis)."""
    return ops.concatenate(tensors, axis=axis)


@symbolic_op
def expand_dims(x: TensorLike, axis: int = -1) -> torch.Tensor:
    """Insert a size-1 axis at `axis` (default: last)."""
    return ops.expand_dims(x, axis)


@symbolic_op
def squeeze(x: TensorLike, axis: int) -> torch.Tensor:
    """Remove the size-1 axis `axis`."""
    return ops.squeeze(x, axis=axis)


@symbolic_op
def flatten(x: TensorLike) -> torch.Tensor:
    """Flatten `x` to 1-D."""
    return to_tensor(x).reshape(-1)


@symbolic_op
def batch_flatten(x: TensorLike) -> torch.Tensor:
    """Flatten all axes but the first: `(batch, ...)` → `(batch, n)`."""
    x = to_tensor(x)
    return x.reshape(x.shape[0], -1)


@symbolic_op
def transpose(x: TensorLike) -> torch.Tensor:
    """Reverse the axes of `x`."""
    return ops.transpose(x)


@symbolic_op
def dot(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Dot product; N-D inputs contract the last axis of `x` with the
    second-to-last of `y` (Theano/NumPy rule)."""
    return ops.dot(x, y)


def _batch_dot_axes(axes, x_ndim: int, y_ndim: int) -> tuple:
    if axes is None:
        axes = (x_ndim - 1, y_ndim - 2 if y_ndim > 2 else y_ndim - 1)
    elif isinstance(axes, int):
        axes = (axes, axes)
    ax, ay = (int(a) % n for a, n in zip(axes, (x_ndim, y_ndim)))
    if ax == 0 or ay == 0:
        raise ValueError(
            "`K.batch_dot` cannot contract the batch axis (0). Received: "
            f"axes={axes}"
        )
    return ax, ay


@symbolic_op
def batch_dot(
    x: TensorLike, y: TensorLike, axes: int | tuple | None = None
) -> torch.Tensor:
    """Per-sample dot product of two batches.

    Args:
        x: `(batch, ...)` tensor.
        y: `(batch, ...)` tensor.
        axes: The axes of `x` and `y` to contract (an int for both);
            default: last of `x` with second-to-last of `y` (last if `y`
            is 2-D).

    Returns:
        `(batch, *x_rest, *y_rest)`; a `(batch,)` result is returned as
        `(batch, 1)`, as in Keras 2.

    >>> from lamina import backend as K
    >>> K.batch_dot(K.ones((2, 3)), K.ones((2, 3)), axes=1).tolist()
    [[3.0], [3.0]]
    """
    x, y = to_tensor(x), to_tensor(y)
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError(
            "`K.batch_dot` needs inputs of rank >= 2. Received: "
            f"x.shape={tuple(x.shape)}, y.shape={tuple(y.shape)}"
        )
    ax, ay = _batch_dot_axes(axes, x.ndim, y.ndim)
    letters = iter("cdefghijklmnopqrstuvwxyz")
    xs = ["b"] + [next(letters) for _ in range(x.ndim - 1)]
    ys = ["b"] + [next(letters) for _ in range(y.ndim - 1)]
    ys[ay] = xs[ax]
    out = [c for c in xs if c != xs[ax]] + [c for c in ys[1:] if c != ys[ay]]
    result = torch.einsum(
        f"{''.join(xs)},{''.join(ys)}->{''.join(out)}", x, y.to(x.dtype)
    )
    return result[:, None] if result.ndim == 1 else result


@symbolic_op
def constant(
    value: TensorLike,
    dtype: Any = None,
    shape: tuple | None = None,
    name: str | None = None,
) -> torch.Tensor:
    """A constant tensor (default dtype `floatx()`), filled or reshaped to
    `shape` when given."""
    t = to_tensor(value, dtype=dtype or floatx())
    if shape is None:
        return t
    if t.numel() == 1:
        return torch.full(tuple(shape), t.item(), dtype=t.dtype)
    return ops.reshape(t, shape)


def zeros(
    shape: tuple, dtype: Any = None, name: str | None = None
) -> torch.Tensor:
    """A tensor of zeros (default dtype `floatx()`)."""
    return ops.zeros(shape, dtype=dtype)


def ones(
    shape: tuple, dtype: Any = None, name: str | None = None
) -> torch.Tensor:
    """A tensor of ones (default dtype `floatx()`)."""
    return ops.ones(shape, dtype=dtype)


@symbolic_op
def gather(reference: TensorLike, indices: TensorLike) -> torch.Tensor:
    """Rows of `reference` at `indices` (along axis 0)."""
    return ops.take(reference, indices, axis=0)


@symbolic_op
def argmax(x: TensorLike, axis: int = -1) -> torch.Tensor:
    """Index of the maximum along `axis` (default: last)."""
    return ops.argmax(x, axis=axis)


@symbolic_op
def argmin(x: TensorLike, axis: int = -1) -> torch.Tensor:
    """Index of the minimum along `axis` (default: last)."""
    return ops.argmin(x, axis=axis)


@symbolic_op
def cumsum(x: TensorLike, axis: int = 0) -> torch.Tensor:
    """Cumulative sum along `axis` (default: first)."""
    return ops.cumsum(x, axis=axis)


@symbolic_op
def repeat_elements(x: TensorLike, rep: int, axis: int) -> torch.Tensor:
    """Repeat each element `rep` times along `axis`."""
    return ops.repeat(x, rep, axis=axis)


@symbolic_op
def switch(
    condition: Any, then_expression: Any, else_expression: Any
) -> torch.Tensor:
    """Pick `then_expression` where `condition` holds, else
    `else_expression` (either may be a callable).

    A scalar condition selects one whole branch; a lower-rank condition is
    broadcast over the trailing axes of the branches.
    """
    then_value = (
        then_expression() if callable(then_expression) else then_expression
    )
    else_value = (
        else_expression() if callable(else_expression) else else_expression
    )
    cond = to_tensor(condition).to(torch.bool)
    then_t, else_t = to_tensor(then_value), to_tensor(else_value)
    while cond.ndim and cond.ndim < then_t.ndim:
        cond = cond.unsqueeze(-1)
    return torch.where(cond, then_t, else_t)


@symbolic_op
def dropout(
    x: TensorLike,
    level: float,
    noise_shape: tuple | None = None,
    seed: int | None = None,
) -> torch.Tensor:
    """Zero entries with probability `level`, scale the rest by
    `1 / (1 - level)` (always on, as Keras 2's `K.dropout`)."""
    if not 0 <= level < 1:
        raise ValueError(
            f"`K.dropout` expects `level` in [0, 1). Received: level={level!r}"
        )
    x = to_tensor(x)
    mask_shape = (
        tuple(x.shape)
        if noise_shape is None
        else tuple(
            x.shape[i] if d is None else d for i, d in enumerate(noise_shape)
        )
    )
    gen = rng.make_generator(seed)
    keep = torch.rand(mask_shape, generator=gen, device="cpu") >= level
    return x * keep.to(device=x.device, dtype=x.dtype) / (1.0 - level)


def random_normal(
    shape: tuple,
    mean: float = 0.0,
    stddev: float = 1.0,
    dtype: Any = None,
    seed: int | None = None,
) -> torch.Tensor:
    """Samples from a normal distribution (default dtype `floatx()`)."""
    gen = rng.make_generator(seed)
    out = torch.randn(
        tuple(shape), generator=gen, dtype=torch.float32, device="cpu"
    )
    return (out * stddev + mean).to(to_torch_dtype(dtype or floatx()))


def random_uniform(
    shape: tuple,
    minval: float = 0.0,
    maxval: float = 1.0,
    dtype: Any = None,
    seed: int | None = None,
) -> torch.Tensor:
    """Samples from `[minval, maxval)` (default dtype `floatx()`)."""
    gen = rng.make_generator(seed)
    out = torch.rand(
        tuple(shape), generator=gen, dtype=torch.float32, device="cpu"
    )
    out = out * (maxval - minval) + minval
    return out.to(to_torch_dtype(dtype or floatx()))
