"""More creation ops: `array`, `copy`, `empty`, `empty_like`, `tri`,
`vander`, `logspace`, `geomspace`.

As in `numpy_create`, ops without a tensor input create on torch's default
device; `*_like` ops and `copy` keep their input's device.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import result_type, to_torch_dtype
from lamina.ops._op import op
from lamina.ops.numpy_create import (
    _dtype_or_floatx,
    _promotion_of,
    _shape,
    linspace,
)
from lamina.typing import TensorLike


@op
def array(x: TensorLike, dtype: Any = None) -> torch.Tensor:
    """Create a tensor (alias of `convert_to_tensor`).

    Args:
        x: A tensor, NumPy array, Python number or nested list.
        dtype: Optional target dtype.

    Returns:
        The tensor.

    Example:

    >>> from lamina import ops
    >>> ops.array([1, 2]).dtype
    torch.int32
    """
    return to_tensor(x, dtype=dtype)


@op
def copy(x: TensorLike) -> torch.Tensor:
    """A copy of `x` (gradients flow through it).

    Args:
        x: Input tensor.

    Returns:
        A new tensor with `x`'s values.

    Example:

    >>> from lamina import ops
    >>> ops.copy([1.0, 2.0]).tolist()
    [1.0, 2.0]
    """
    return torch.clone(to_tensor(x))


@op
def empty(shape: tuple | int, dtype: Any = None) -> torch.Tensor:
    """A new tensor of the given shape with uninitialized values.

    Args:
        shape: The shape.
        dtype: The dtype; defaults to `floatx()`.

    Returns:
        The tensor (its values are arbitrary).

    Example:

    >>> from lamina import ops
    >>> ops.empty((2, 3)).shape
    torch.Size([2, 3])
    """
    return torch.empty(_shape(shape), dtype=_dtype_or_floatx(dtype))


@op
def empty_like(x: TensorLike, dtype: Any = None) -> torch.Tensor:
    """An uninitialized tensor with `x`'s shape (and by default dtype).

    Args:
        x: The model tensor.
        dtype: Overrides the dtype of the result.

    Returns:
        The tensor, on `x`'s device.

    Example:

    >>> from lamina import ops
    >>> ops.empty_like([[1, 2]]).shape
    torch.Size([1, 2])
    """
    x = to_tensor(x)
    target = x.dtype if dtype is None else to_torch_dtype(dtype)
    return torch.empty_like(x, dtype=target)


@op
def tri(
    N: int, M: int | None = None, k: int = 0, dtype: Any = None
) -> torch.Tensor:
    """Ones at and below diagonal `k`, zeros elsewhere.

    Args:
        N: Number of rows.
        M: Number of columns; defaults to `N`.
        k: The diagonal: 0 is the main one, positive above.
        dtype: The dtype; defaults to `floatx()`.

    Returns:
        An `(N, M)` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.tri(2, 3).tolist()
    [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]]
    """
    M = N if M is None else M
    ones = torch.ones((int(N), int(M)), dtype=torch.bool)
    return torch.tril(ones, diagonal=k).to(_dtype_or_floatx(dtype))


@op
def vander(
    x: TensorLike, N: int | None = None, increasing: bool = False
) -> torch.Tensor:
    """The Vandermonde matrix of a 1-D tensor: columns are powers of `x`.

    Args:
        x: 1-D input tensor.
        N: Number of columns; defaults to `len(x)`.
        increasing: If `True`, powers go up left to right.

    Returns:
        A `(len(x), N)` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.vander([1, 2, 3], 3).tolist()
    [[1, 1, 1], [4, 2, 1], [9, 3, 1]]
    """
    x = to_tensor(x)
    if x.ndim != 1:
        raise ValueError(
            "Invalid value for argument `x` of ops.vander: expected a 1-D "
            f"tensor. Received: x.shape={tuple(x.shape)}"
        )
    out = torch.vander(x, N=N, increasing=increasing)
    return out.to(to_torch_dtype(result_type(x.dtype)))


def _check_axis(name: str, axis: int) -> None:
    if axis != 0:
        raise ValueError(
            f"Invalid value for argument `axis` of ops.{name}: only axis=0 "
            f"is supported with torch (as in Keras). Received: axis={axis}"
        )


def _space_dtype(start, stop, dtype) -> torch.dtype:
    if dtype is None:
        dtype = result_type(_promotion_of(start), _promotion_of(stop), float)
    return to_torch_dtype(dtype)


@op
def logspace(
    start: TensorLike,
    stop: TensorLike,
    num: int = 50,
    endpoint: bool = True,
    base: float = 10,
    dtype: Any = None,
    axis: int = 0,
) -> torch.Tensor:
    """`num` values spaced evenly on a log scale, `base**start` to
    `base**stop`.

    Args:
        start: The first exponent (scalar or tensor).
        stop: The last exponent.
        num: Number of values.
        endpoint: Whether `base**stop` is included.
        base: The base of the log scale.
        dtype: Defaults to the float type `result_type` gives.
        axis: Must be 0 (Keras on torch supports no other).

    Returns:
        The values.

    Example:

    >>> from lamina import ops
    >>> ops.logspace(0.0, 2.0, 3).tolist()
    [1.0, 10.0, 100.0]
    """
    _check_axis("logspace", axis)
    target = _space_dtype(start, stop, dtype)
    compute = torch.float32 if target == torch.float16 else target
    exponents = linspace(start, stop, num=num, endpoint=endpoint, dtype=compute)
    return torch.pow(torch.tensor(float(base), dtype=compute), exponents).to(
        target
    )


@op
def geomspace(
    start: TensorLike,
    stop: TensorLike,
    num: int = 50,
    endpoint: bool = True,
    dtype: Any = None,
    axis: int = 0,
) -> torch.Tensor:
    """`num` values spaced evenly on a log scale from `start` to `stop`.

    Args:
        start: The first value (non-zero).
        stop: The last value (same sign as `start`).
        num: Number of values.
        endpoint: Whether `stop` is included.
        dtype: Defaults to the float type `result_type` gives.
        axis: Must be 0 (Keras on torch supports no other).

    Returns:
        The values.

    Example:

    >>> from lamina import ops
    >>> [round(v, 3) for v in ops.geomspace(1.0, 100.0, 3).tolist()]
    [1.0, 10.0, 100.0]
    """
    _check_axis("geomspace", axis)
    target = _space_dtype(start, stop, dtype)
    start_t = to_tensor(start, dtype=target)
    stop_t = to_tensor(stop, dtype=target, device=start_t.device)
    out = logspace(
        torch.log10(torch.abs(start_t)),
        torch.log10(torch.abs(stop_t)),
        num=num,
        endpoint=endpoint,
        dtype=target,
    )
    return out * torch.sign(start_t)
