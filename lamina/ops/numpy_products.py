"""Vector products and finite differences: `cross`, `kron`, `inner`,
`vdot`, `correlate`, `diff`, `trapezoid`.

Result dtypes are Keras's `result_type` of the inputs; where torch has no
half-precision CPU kernel, the op computes in `float32` and casts back, as
Keras on torch does.
"""

from __future__ import annotations

import torch

from lamina import config
from lamina.ops._convert import as_dtype, same_device, to_tensor
from lamina.ops._dtypes import result_type, to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


def _compute_dtype(dtype: torch.dtype, device: torch.device) -> torch.dtype:
    """`dtype`, or float32 where torch lacks a half kernel on `device`."""
    if dtype == torch.float16 and device.type == "cpu":
        return torch.float32
    if dtype == torch.bfloat16 and device.type == "cuda":
        return torch.float32
    return dtype


@op
def cross(
    x1: TensorLike,
    x2: TensorLike,
    axisa: int = -1,
    axisb: int = -1,
    axisc: int = -1,
    axis: int | None = None,
) -> torch.Tensor:
    """Cross product of 3-vectors along an axis.

    Args:
        x1: Vectors (size 3 along the product axis).
        x2: Vectors, broadcastable with `x1`.
        axisa: Must be -1 (Keras on torch supports `axis` only).
        axisb: Must be -1.
        axisc: Must be -1.
        axis: The vector axis of both inputs and the output; `None` means
            the last axis.

    Returns:
        The cross products, in `result_type(x1, x2)`.

    Example:

    >>> from lamina import ops
    >>> ops.cross([1, 0, 0], [0, 1, 0]).tolist()
    [0, 0, 1]
    """
    if (axisa, axisb, axisc) != (-1, -1, -1):
        raise ValueError(
            "Invalid value for arguments `axisa`/`axisb`/`axisc` of "
            "ops.cross: only -1 is supported with torch (use `axis`). "
            f"Received: axisa={axisa}, axisb={axisb}, axisc={axisc}"
        )
    x1, x2 = same_device(x1, x2)
    out_dtype = to_torch_dtype(result_type(x1.dtype, x2.dtype))
    compute = _compute_dtype(out_dtype, x1.device)
    out = torch.linalg.cross(
        as_dtype(x1, compute),
        as_dtype(x2, compute),
        dim=-1 if axis is None else axis,
    )
    return as_dtype(out, out_dtype)


@op
def kron(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Kronecker product of two tensors.

    Args:
        x1: First input tensor.
        x2: Second input tensor.

    Returns:
        The Kronecker product (blocks of `x2` scaled by `x1`).

    Example:

    >>> from lamina import ops
    >>> ops.kron([1, 2], [1, 10]).tolist()
    [1, 10, 2, 20]
    """
    return torch.kron(*same_device(x1, x2))


def _float_product(torch_fn, x1, x2) -> torch.Tensor:
    x1, x2 = same_device(x1, x2)
    out_dtype = to_torch_dtype(result_type(x1.dtype, x2.dtype))
    compute = to_torch_dtype(result_type(out_dtype, float))
    compute = _compute_dtype(compute, x1.device)
    out = torch_fn(as_dtype(x1, compute), as_dtype(x2, compute))
    return as_dtype(out, out_dtype)


@op
def inner(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Inner product over the last axes of two tensors.

    Args:
        x1: First input tensor.
        x2: Second input tensor (same last-axis size).

    Returns:
        The inner products, in `result_type(x1, x2)`.

    Example:

    >>> from lamina import ops
    >>> ops.inner([1, 2, 3], [4, 5, 6]).item()
    32
    """
    return _float_product(torch.inner, x1, x2)


@op
def vdot(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Dot product of two 1-D tensors (conjugating the first).

    Args:
        x1: First 1-D tensor.
        x2: Second 1-D tensor of the same size.

    Returns:
        A scalar, in `result_type(x1, x2)`.

    Example:

    >>> from lamina import ops
    >>> ops.vdot([1.0, 2.0], [3.0, 4.0]).item()
    11.0
    """
    return _float_product(torch.vdot, x1, x2)


def _correlate_dtype(x1: torch.Tensor, x2: torch.Tensor) -> torch.dtype:
    name = result_type(x1.dtype, x2.dtype)
    if name == "int64":
        return torch.float64
    if name in ("bfloat16", "float16", "float64"):
        return to_torch_dtype(name)
    return torch.float32


@op
def correlate(
    x1: TensorLike, x2: TensorLike, mode: str = "valid"
) -> torch.Tensor:
    """Cross-correlation of two 1-D sequences.

    Args:
        x1: First 1-D sequence.
        x2: Second 1-D sequence.
        mode: `"valid"` (full overlap only), `"same"` (`len(x1)` outputs)
            or `"full"` (every overlap).

    Returns:
        The correlation, in a float dtype.

    Example:

    >>> from lamina import ops
    >>> ops.correlate([1.0, 2.0, 3.0], [0.0, 1.0]).tolist()
    [2.0, 3.0]
    """
    if mode not in ("valid", "same", "full"):
        raise ValueError(
            "Invalid value for argument `mode` of ops.correlate: expected "
            f"'valid', 'same' or 'full'. Received: mode={mode!r}"
        )
    x1, x2 = same_device(x1, x2)
    for name, t in (("x1", x1), ("x2", x2)):
        if t.ndim != 1:
            raise ValueError(
                f"Invalid value for argument `{name}` of ops.correlate: "
                f"expected a 1-D tensor. Received: {name}.shape="
                f"{tuple(t.shape)}"
            )
    dtype = _correlate_dtype(x1, x2)
    compute = _compute_dtype(dtype, x1.device)
    a, v = as_dtype(x1, compute), as_dtype(x2, compute)
    n, m = a.shape[0], v.shape[0]
    full = torch.nn.functional.conv1d(
        a[None, None], v[None, None], padding=m - 1
    )[0, 0]
    if mode == "valid":
        length = max(n, m) - min(n, m) + 1
    elif mode == "same":
        length = n
    else:
        length = n + m - 1
    start = (full.shape[0] - length) // 2
    return as_dtype(full[start : start + length], dtype)


@op
def diff(a: TensorLike, n: int = 1, axis: int = -1) -> torch.Tensor:
    """The `n`-th discrete difference along an axis.

    Args:
        a: Input tensor.
        n: Number of times to difference.
        axis: The axis.

    Returns:
        `a[1:] - a[:-1]` applied `n` times along `axis`.

    Example:

    >>> from lamina import ops
    >>> ops.diff([1, 4, 9, 16]).tolist()
    [3, 5, 7]
    """
    return torch.diff(to_tensor(a), n=n, dim=axis)


@op
def trapezoid(
    y: TensorLike, x: TensorLike | None = None, dx: float = 1.0, axis: int = -1
) -> torch.Tensor:
    """Integrate along an axis with the trapezoidal rule.

    Args:
        y: Values to integrate.
        x: Optional sample points (else spacing `dx`).
        dx: The spacing when `x` is `None`.
        axis: The axis to integrate along.

    Returns:
        The integral.

    Example:

    >>> from lamina import ops
    >>> ops.trapezoid([1.0, 2.0, 3.0]).item()
    4.0
    """
    y = to_tensor(y)
    if y.dtype == torch.bool:
        y = y.to(to_torch_dtype(config.floatx()))
    if x is not None:
        return torch.trapezoid(y, to_tensor(x, device=y.device), dim=axis)
    return torch.trapezoid(y, dx=to_tensor(dx), dim=axis)
