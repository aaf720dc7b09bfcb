"""Tensor creation: constant fills, ranges and identity matrices.

Ops without a tensor input create on torch's default device, so they
follow `with torch.device(...)` (the meta device during shape tracing).
`*_like` ops create on their input's device.
"""

from __future__ import annotations

import torch

from lamina import config
from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import result_type
from lamina.ops._dtypes import to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


def _shape(shape) -> tuple:
    if isinstance(shape, int):
        return (shape,)
    return tuple(int(d) for d in shape)


def _dtype_or_floatx(dtype) -> torch.dtype:
    return to_torch_dtype(config.floatx() if dtype is None else dtype)


@op
def zeros(shape: tuple | int, dtype: object = None) -> torch.Tensor:
    """A new tensor of the given shape, filled with zeros.

    Args:
        shape: The shape.
        dtype: The dtype; defaults to `floatx()`.

    Returns:
        The tensor of zeros.

    Example:

    >>> from lamina import ops
    >>> ops.zeros((2,)).tolist()
    [0.0, 0.0]
    """
    return torch.zeros(_shape(shape), dtype=_dtype_or_floatx(dtype))


@op
def ones(shape: tuple | int, dtype: object = None) -> torch.Tensor:
    """A new tensor of the given shape, filled with ones.

    Args:
        shape: The shape.
        dtype: The dtype; defaults to `floatx()`.

    Returns:
        The tensor of ones.

    Example:

    >>> from lamina import ops
    >>> ops.ones((2,), dtype="int32").tolist()
    [1, 1]
    """
    return torch.ones(_shape(shape), dtype=_dtype_or_floatx(dtype))


@op
def zeros_like(x: TensorLike, dtype: object = None) -> torch.Tensor:
    """A tensor of zeros with the shape (and by default dtype) of `x`.

    Args:
        x: The model tensor.
        dtype: Overrides the dtype of the result.

    Returns:
        The tensor of zeros, on `x`'s device.

    Example:

    >>> from lamina import ops
    >>> ops.zeros_like([1, 2]).tolist()
    [0, 0]
    """
    x = to_tensor(x)
    target = x.dtype if dtype is None else to_torch_dtype(dtype)
    return torch.zeros_like(x, dtype=target)


@op
def ones_like(x: TensorLike, dtype: object = None) -> torch.Tensor:
    """A tensor of ones with the shape (and by default dtype) of `x`.

    Args:
        x: The model tensor.
        dtype: Overrides the dtype of the result.

    Returns:
        The tensor of ones, on `x`'s device.

    Example:

    >>> from lamina import ops
    >>> ops.ones_like([1.5, 2.5]).tolist()
    [1.0, 1.0]
    """
    x = to_tensor(x)
    target = x.dtype if dtype is None else to_torch_dtype(dtype)
    return torch.ones_like(x, dtype=target)


def _fill(shape, fill_value, dtype, device) -> torch.Tensor:
    if isinstance(fill_value, (bool, int, float)):
        return torch.full(shape, fill_value, dtype=dtype, device=device)
    fill = to_tensor(fill_value, dtype=dtype, device=device)
    # A tensor fill value is broadcast into the trailing axes; the copy
    # keeps the result from aliasing it.
    return torch.broadcast_to(fill, shape).clone(
        memory_format=torch.contiguous_format
    )


@op
def full(
    shape: tuple | int, fill_value: TensorLike, dtype: object = None
) -> torch.Tensor:
    """A new tensor of the given shape, filled with `fill_value`.

    Args:
        shape: The shape.
        fill_value: The value (a scalar, or a tensor broadcast into the
            trailing axes).
        dtype: The dtype; defaults to `floatx()`, as in Keras.

    Returns:
        The filled tensor.

    Example:

    >>> from lamina import ops
    >>> ops.full((2,), 7, dtype="int32").tolist()
    [7, 7]
    """
    return _fill(_shape(shape), fill_value, _dtype_or_floatx(dtype), None)


@op
def full_like(
    x: TensorLike, fill_value: TensorLike, dtype: object = None
) -> torch.Tensor:
    """A tensor with the shape (and by default dtype) of `x`, filled with
    `fill_value`.

    Args:
        x: The model tensor.
        fill_value: The value.
        dtype: Overrides the dtype of the result.

    Returns:
        The filled tensor, on `x`'s device.

    Example:

    >>> from lamina import ops
    >>> ops.full_like([1, 2, 3], 9).tolist()
    [9, 9, 9]
    """
    x = to_tensor(x)
    target = x.dtype if dtype is None else to_torch_dtype(dtype)
    return _fill(tuple(x.shape), fill_value, target, x.device)


def _promotion_of(value) -> object:
    return getattr(value, "dtype", None) or type(value)


@op
def arange(
    start: float,
    stop: float | None = None,
    step: float | None = None,
    dtype: object = None,
) -> torch.Tensor:
    """Evenly spaced values in `[start, stop)`.

    Args:
        start: First value, or the end when `stop` is not given.
        stop: End of the interval (exclusive).
        step: Spacing between values. Defaults to `1`.
        dtype: Defaults to the promoted type of the arguments (`int32` for
            Python ints, `float32` for floats).

    Returns:
        A 1-D tensor.

    Example:

    >>> from lamina import ops
    >>> ops.arange(1, 7, 2).tolist()
    [1, 3, 5]
    """
    if dtype is None:
        given = [v for v in (start, stop, step) if v is not None]
        dtype = result_type(*(_promotion_of(v) for v in given))
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    return torch.arange(start, stop, step, dtype=to_torch_dtype(dtype))


def _linspace_dtype(start, stop, dtype) -> torch.dtype:
    if dtype is None:
        dtype = result_type(_promotion_of(start), _promotion_of(stop), float)
    return to_torch_dtype(dtype)


@op
def linspace(
    start: TensorLike,
    stop: TensorLike,
    num: int = 50,
    endpoint: bool = True,
    retstep: bool = False,
    dtype: object = None,
    axis: int = 0,
) -> torch.Tensor | tuple[torch.Tensor, object]:
    """`num` evenly spaced values from `start` to `stop`.

    Args:
        start: The first value (scalar or tensor).
        stop: The last value (or the bound, if `endpoint=False`).
        num: Number of values. Defaults to `50`.
        endpoint: Whether `stop` is included. Defaults to `True`.
        retstep: If `True`, also return the spacing.
        dtype: Defaults to the float type `result_type` gives.
        axis: Where the new axis goes when `start`/`stop` are tensors.

    Returns:
        The values, or `(values, step)` when `retstep=True`.

    Example:

    >>> from lamina import ops
    >>> ops.linspace(0.0, 1.0, 5).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    target = _linspace_dtype(start, stop, dtype)
    divisions = (num - 1) if endpoint else num
    step = float("nan")
    if divisions > 0:
        step = (stop - start) / divisions
    if not endpoint and num > 0:
        stop = stop - (stop - start) / num
    if not (hasattr(start, "__len__") or hasattr(stop, "__len__")):
        out = torch.linspace(float(start), float(stop), num, dtype=target)
        return (out, step) if retstep else out
    start_t = to_tensor(start, dtype=target)
    stop_t = to_tensor(stop, dtype=target, device=start_t.device)
    fractions = torch.arange(num, dtype=target, device=start_t.device)
    fractions = fractions / max(num - 1, 1)
    fractions = fractions.reshape((num,) + (1,) * start_t.ndim)
    out = start_t[None] + fractions * (stop_t - start_t)[None]
    out = torch.moveaxis(out, 0, axis)
    return (out, step) if retstep else out


@op
def eye(
    N: int, M: int | None = None, k: int = 0, dtype: object = None
) -> torch.Tensor:
    """A 2-D tensor with ones on diagonal `k` and zeros elsewhere.

    Args:
        N: Number of rows.
        M: Number of columns; defaults to `N`.
        k: Index of the diagonal: 0 is the main one, positive above.
        dtype: The dtype; defaults to `floatx()`.

    Returns:
        An `(N, M)` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.eye(2, 3, k=1).tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    for name, value in (("N", N), ("M", M)):
        if isinstance(value, float) or (
            isinstance(value, torch.Tensor) and value.dtype.is_floating_point
        ):
            raise TypeError(
                f"Argument `{name}` of `ops.eye` must be an integer. "
                f"Received: {name}={value!r}"
            )
    M = N if M is None else M
    target = _dtype_or_floatx(dtype)
    out = torch.ones((int(N), int(M)), dtype=torch.bool)
    # The band between triu(k) and tril(k) is exactly diagonal k.
    return torch.triu(torch.tril(out, k), k).to(target)


@op
def identity(n: int, dtype: object = None) -> torch.Tensor:
    """The `n x n` identity matrix.

    Args:
        n: Number of rows and columns.
        dtype: The dtype; defaults to `floatx()`.

    Returns:
        The identity matrix.

    Example:

    >>> from lamina import ops
    >>> ops.identity(2).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    return torch.eye(int(n), dtype=torch.bool).to(_dtype_or_floatx(dtype))
