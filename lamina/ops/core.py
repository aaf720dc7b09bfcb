"""Core ops: conversion, dtype and shape queries, casting, gradients.

`shape`, `dtype`, `is_tensor` and `convert_to_numpy` read attributes only,
so they work the same on symbolic tensors and record no graph node.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from lamina.engine.operation import any_symbolic
from lamina.engine.operation import symbolic_op
from lamina.ops._convert import to_tensor
from lamina.ops._dtypes import standardize_dtype
from lamina.ops._dtypes import to_torch_dtype
from lamina.ops._op import op
from lamina.typing import TensorLike


def _torch_dtype_for(op_name: str, dtype: Any) -> torch.dtype:
    try:
        return to_torch_dtype(dtype)
    except ValueError as e:
        raise ValueError(f"`ops.{op_name}`: {e}") from None


@op
def cast(x: TensorLike, dtype: Any) -> torch.Tensor:
    """Cast a tensor to the given dtype.

    Args:
        x: A tensor or tensor-like.
        dtype: The target dtype (`"float32"`, `torch.int64`, `"bool"`...).

    Returns:
        `x` in the new dtype (`x` itself when it already has it).

    Example:

    >>> from lamina import ops
    >>> ops.cast([1.7, -1.7], "int32").tolist()
    [1, -1]
    """
    return to_tensor(x, dtype=_torch_dtype_for("cast", dtype))


@op
def convert_to_tensor(
    x: TensorLike,
    dtype: Any = None,
    sparse: bool | None = None,
    ragged: bool | None = None,
) -> torch.Tensor:
    """Convert a NumPy array, Python value or tensor to a torch tensor.

    A Python float becomes `floatx()`, a Python int `int32`, a NumPy array
    keeps its dtype, and a torch tensor stays on its device.

    Args:
        x: The value to convert.
        dtype: Optional target dtype.
        sparse: Must be falsy: lamina tensors are dense.
        ragged: Must be falsy: lamina tensors are dense.

    Returns:
        A `torch.Tensor`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_tensor([1, 2]).dtype
    torch.int32
    """
    for name, flag in (("sparse", sparse), ("ragged", ragged)):
        if flag:
            raise ValueError(
                f"`ops.convert_to_tensor` does not support `{name}=True`: "
                f"lamina tensors are dense. Received: {name}={flag!r}"
            )
    target = (
        None if dtype is None else _torch_dtype_for("convert_to_tensor", dtype)
    )
    return to_tensor(x, dtype=target)


def _tensor_to_numpy(x: torch.Tensor) -> np.ndarray:
    x = x.detach()
    if x.device.type != "cpu":
        x = x.cpu()
    if x.dtype == torch.bfloat16:
        # numpy has no bfloat16; ml_dtypes (a Keras/JAX dependency) does.
        try:
            import ml_dtypes
        except ImportError:
            return x.float().numpy()
        return x.float().numpy().astype(ml_dtypes.bfloat16)
    return x.numpy()


def convert_to_numpy(x: TensorLike) -> np.ndarray:
    """Convert a tensor (or nested list of tensors) to a NumPy array.

    Args:
        x: A tensor, NumPy array, Python value, or list of tensors.

    Returns:
        A `numpy.ndarray` (on the host, detached from autograd).

    Raises:
        ValueError: for a symbolic tensor, which has no value yet.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.ones((2,)))
    array([1., 1.], dtype=float32)
    """
    if any_symbolic((x,)):
        raise ValueError(
            "`ops.convert_to_numpy` cannot convert a symbolic tensor: it "
            "has no value until the model runs on data. Received: "
            f"x={x!r}"
        )
    if isinstance(x, torch.Tensor):
        return _tensor_to_numpy(x)
    if isinstance(x, (list, tuple)):
        return np.array([convert_to_numpy(e) for e in x])
    return np.asarray(x)


def is_tensor(x: Any) -> bool:
    """Whether `x` is a (torch) tensor.

    Args:
        x: Any value.

    Returns:
        `True` for a `torch.Tensor` (parameters included).

    Example:

    >>> from lamina import ops
    >>> ops.is_tensor(ops.zeros(2)), ops.is_tensor([1.0])
    (True, False)
    """
    return isinstance(x, torch.Tensor)


def dtype(x: TensorLike) -> str:
    """The Keras name of a tensor's dtype.

    Args:
        x: A tensor (symbolic ones too) or tensor-like.

    Returns:
        A dtype name such as `"float32"`.

    Example:

    >>> from lamina import ops
    >>> ops.dtype(ops.ones((2,), dtype="int32"))
    'int32'
    """
    value = getattr(x, "dtype", None)
    if value is None:
        value = to_tensor(x).dtype
    return standardize_dtype(value)


def shape(x: TensorLike) -> tuple:
    """The shape of a tensor, as a tuple.

    On a symbolic tensor unknown sizes are `None`.

    Args:
        x: A tensor (symbolic ones too) or tensor-like.

    Returns:
        A tuple of ints (or `None`).

    Example:

    >>> from lamina import ops
    >>> ops.shape(ops.zeros((2, 3)))
    (2, 3)
    """
    value = getattr(x, "shape", None)
    if value is None:
        value = to_tensor(x).shape
    return tuple(value)


@op
def stop_gradient(variable: TensorLike) -> torch.Tensor:
    """Stop gradients from flowing through a tensor.

    Args:
        variable: The tensor.

    Returns:
        The same values, detached from autograd.

    Example:

    >>> import torch
    >>> from lamina import ops
    >>> w = torch.ones(2, requires_grad=True)
    >>> ops.stop_gradient(w * 2).requires_grad
    False
    """
    return to_tensor(variable).detach()


@op
def unstack(x: TensorLike, num: int | None = None, axis: int = 0) -> list:
    """Split a tensor into a list of tensors along an axis.

    Args:
        x: Input tensor.
        num: Accepted for Keras compatibility (the size of `axis`).
        axis: The axis to unpack along.

    Returns:
        A list of tensors, each without `axis`.

    Example:

    >>> from lamina import ops
    >>> [t.tolist() for t in ops.unstack([[1, 2], [3, 4]])]
    [[1, 2], [3, 4]]
    """
    x = to_tensor(x)
    if num is not None and num != x.shape[axis]:
        raise ValueError(
            f"`ops.unstack`: `num` must equal the size of axis {axis} "
            f"({x.shape[axis]}). Received: num={num}"
        )
    return list(x.unbind(axis))


@symbolic_op
def cond(pred: Any, true_fn: Any, false_fn: Any) -> Any:
    """Return `true_fn()` if `pred` is true, else `false_fn()`.

    Args:
        pred: A boolean scalar (Python or tensor).
        true_fn: Callable returning the output when `pred` is true.
        false_fn: Callable returning the output when `pred` is false.

    Returns:
        The output of the branch taken.

    Example:

    >>> from lamina import ops
    >>> ops.cond(ops.convert_to_tensor(True), lambda: 1, lambda: 2)
    1
    """
    if isinstance(pred, torch.Tensor) and pred.device.type == "meta":
        # Shape tracing has no value to branch on; Keras takes the true
        # branch in that case too.
        return true_fn()
    return true_fn() if bool(pred) else false_fn()


@symbolic_op
def while_loop(
    cond: Any, body: Any, loop_vars: Any, maximum_iterations: int | None = None
) -> Any:
    """Repeat `body` while `cond` is true.

    Args:
        cond: Callable taking the loop variables, returning a boolean.
        body: Callable taking the loop variables, returning new ones (same
            structure).
        loop_vars: A tensor, or a tuple/list of tensors.
        maximum_iterations: Optional cap on the number of iterations.

    Returns:
        The final loop variables, in the structure of `loop_vars`.

    Example:

    >>> from lamina import ops
    >>> ops.while_loop(lambda i: i < 10, lambda i: i + 3, 0).item()
    12
    """
    is_sequence = isinstance(loop_vars, (list, tuple))
    values = tuple(loop_vars) if is_sequence else (loop_vars,)
    values = tuple(to_tensor(v) for v in values)
    steps = 0
    while (maximum_iterations is None or steps < maximum_iterations) and bool(
        cond(*values)
    ):
        values = body(*values)
        if not isinstance(values, (list, tuple)):
            values = (values,)
        values = tuple(values)
        steps += 1
    return values if is_sequence else values[0]


@symbolic_op
def fori_loop(lower: int, upper: int, body_fun: Any, init_val: Any) -> Any:
    """Run `val = body_fun(i, val)` for `i` in `range(lower, upper)`.

    Args:
        lower: First loop index.
        upper: Loop bound (exclusive).
        body_fun: Callable `(i, val) -> new val`.
        init_val: The initial value.

    Returns:
        The final value.

    Example:

    >>> from lamina import ops
    >>> ops.fori_loop(0, 4, lambda i, v: v + i, 0)
    6
    """
    val = init_val
    for i in range(int(lower), int(upper)):
        val = body_fun(i, val)
    return val
