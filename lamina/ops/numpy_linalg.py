"""Products and norms: `matmul`, `dot`, `tensordot`, `einsum`, `outer`,
`norm`.

Result dtypes follow Keras's `result_type` (so two `int8` inputs give
`int32`, and 64-bit inputs give 32-bit results, as in Keras); the
arithmetic runs in a float type where torch lacks integer kernels.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina import config
from lamina.ops._convert import as_dtype
from lamina.ops._convert import operands as convert_operands
from lamina.ops._convert import same_device
from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import result_type
from lamina.ops._dtypes import to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


def _product_dtypes(x1, x2, float_compute: bool) -> tuple:
    """(result dtype, compute dtype) of a product of `x1` and `x2`."""
    dtype = x1.dtype
    if dtype is x2.dtype and dtype in (torch.float32, torch.bfloat16):
        # The common case, without the lattice walk (float64 is not in it:
        # Keras folds its products to float32).
        return dtype, dtype
    if not float_compute and x1.dtype == x2.dtype == torch.int8:
        # matmul accumulates int8 in int32, as JAX does.
        result = "int32"
    else:
        result = result_type(x1.dtype, x2.dtype)
    compute = result_type(result, float) if float_compute else result
    if compute == "bool":
        compute = config.floatx()
    on_cpu = x1.device.type == "cpu"
    if compute == "float16" and on_cpu:
        compute = "float32"  # No CPU half matmul kernel.
    if not on_cpu and "int" in compute:
        compute = config.floatx()  # No integer matmul on GPUs.
    return to_torch_dtype(result), to_torch_dtype(compute)


@op
def matmul(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Matrix product of two tensors, broadcasting over batch axes.

    Args:
        x1: First tensor (a 1-D tensor is treated as a row vector).
        x2: Second tensor (a 1-D tensor is treated as a column vector).

    Returns:
        The matrix product.

    Example:

    >>> from lamina import ops
    >>> ops.matmul([[1, 2], [3, 4]], [[1], [1]]).tolist()
    [[3], [7]]
    """
    x1, x2 = convert_operands(x1, x2)
    result, compute = _product_dtypes(x1, x2, float_compute=False)
    out = torch.matmul(as_dtype(x1, compute), as_dtype(x2, compute))
    return as_dtype(out, result)


@op
def dot(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Dot product of two tensors, with NumPy's rules.

    1-D with 1-D is the inner product, 2-D with 2-D the matrix product,
    a scalar multiplies, and N-D with M-D sums over the last axis of `x1`
    and the second-to-last of `x2`.

    Args:
        x1: First tensor.
        x2: Second tensor.

    Returns:
        The dot product.

    Example:

    >>> from lamina import ops
    >>> ops.dot([1, 2, 3], [4, 5, 6]).item()
    32
    """
    x1, x2 = convert_operands(x1, x2)
    result, compute = _product_dtypes(x1, x2, float_compute=True)
    x1, x2 = as_dtype(x1, compute), as_dtype(x2, compute)
    if x1.ndim == 0 or x2.ndim == 0:
        return as_dtype(torch.multiply(x1, x2), result)
    if x2.ndim >= 3:
        # matmul would broadcast batch axes; NumPy's dot combines them.
        return as_dtype(torch.tensordot(x1, x2, dims=([-1], [-2])), result)
    return as_dtype(torch.matmul(x1, x2), result)


def _tensordot_axes(axes):
    if isinstance(axes, (list, tuple)):
        first, second = axes
        first = tuple(first) if isinstance(first, (list, tuple)) else (first,)
        second = (
            tuple(second) if isinstance(second, (list, tuple)) else (second,)
        )
        return (first, second)
    return int(axes)


@op
def tensordot(
    x1: TensorLike, x2: TensorLike, axes: int | tuple = 2
) -> torch.Tensor:
    """Tensor dot product over the given axes.

    Args:
        x1: First tensor.
        x2: Second tensor.
        axes: An int `N` (sum over the last `N` axes of `x1` and the first
            `N` of `x2`), or a pair of axis lists to sum over.

    Returns:
        The tensor dot product.

    Example:

    >>> from lamina import ops
    >>> ops.tensordot([[1, 2], [3, 4]], [[1, 0], [0, 1]], axes=2).item()
    5
    """
    x1, x2 = convert_operands(x1, x2)
    result, compute = _product_dtypes(x1, x2, float_compute=True)
    out = torch.tensordot(
        as_dtype(x1, compute), as_dtype(x2, compute), dims=_tensordot_axes(axes)
    )
    return as_dtype(out, result)


@op
def einsum(
    subscripts: str, *operands: TensorLike, **kwargs: Any
) -> torch.Tensor:
    """Einstein summation over the operands.

    Args:
        subscripts: The summation, e.g. `"ij,jk->ik"`.
        *operands: The tensors.
        **kwargs: Accepted for Keras compatibility and ignored.

    Returns:
        The result of the summation.

    Example:

    >>> from lamina import ops
    >>> ops.einsum("i,i->", [1.0, 2.0], [3.0, 4.0]).item()
    11.0
    """
    tensors = same_device(*operands)
    dtypes = {t.dtype for t in tensors}
    if dtypes == {torch.int8}:
        # Accumulate int8 products in int32 (as JAX and Keras do).
        compute = torch.int32
        if tensors[0].device.type == "cuda":
            compute = to_torch_dtype(config.floatx())
        out = torch.einsum(subscripts, *(t.to(compute) for t in tensors))
        return out.to(torch.int32)
    if len(dtypes) > 1:
        common = tensors[0].dtype
        for t in tensors[1:]:
            common = torch.promote_types(common, t.dtype)
        tensors = [t.to(common) for t in tensors]
    return torch.einsum(subscripts, *tensors)


@op
def outer(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Outer product of two vectors (inputs are flattened first).

    Args:
        x1: First input (flattened).
        x2: Second input (flattened).

    Returns:
        A `(x1.size, x2.size)` tensor.

    Example:

    >>> from lamina import ops
    >>> ops.outer([1, 2], [3, 4]).tolist()
    [[3, 4], [6, 8]]
    """
    x1, x2 = convert_operands(x1, x2)
    return torch.outer(x1.reshape(-1), x2.reshape(-1))


@op
def norm(
    x: TensorLike,
    ord: int | float | str | None = None,
    axis: int | tuple | None = None,
    keepdims: bool = False,
) -> torch.Tensor:
    """Matrix or vector norm.

    Args:
        x: Input tensor.
        ord: Order of the norm (as in `numpy.linalg.norm`): an int, `inf`,
            `-inf`, `"fro"` or `"nuc"`. Defaults to the 2-norm of the
            flattened tensor, or the Frobenius norm of matrices.
        axis: An int (vector norms) or a pair of ints (matrix norms).
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The norm, as a float tensor.

    Example:

    >>> from lamina import ops
    >>> ops.norm([3.0, 4.0]).item()
    5.0
    """
    x = to_tensor(x)
    if x.dtype == torch.int64:
        dtype = to_torch_dtype(config.floatx())
    else:
        dtype = to_torch_dtype(result_type(x.dtype, float))
    dim = tuple(axis) if isinstance(axis, list) else axis
    return torch.linalg.norm(
        as_dtype(x, dtype), ord=ord, dim=dim, keepdim=keepdims
    )
