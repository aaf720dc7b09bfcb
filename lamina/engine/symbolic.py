"""`SymbolicTensor`: a shape and dtype with no data, used to build graphs.

Calling a layer (or a `lamina.ops` function) on symbolic tensors records a
`Node` and returns new symbolic tensors; `Model(inputs, outputs)` then walks
those nodes. Python operators on symbolic tensors dispatch to `lamina.ops`.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import torch

from lamina.errors import format_shape
from lamina.utils.dtype_utils import standardize_dtype, to_torch_dtype

History = collections.namedtuple(
    "History", ["operation", "node_index", "tensor_index"]
)


class SymbolicTensor:
    """A symbolic tensor: `shape` (with `None` for unknown sizes) and
    `dtype`, plus the graph history that produced it.

    Args:
        shape: a tuple of ints or None.
        dtype: a dtype name; defaults to `"float32"`.
        sparse: kept for Keras API parity; lamina tensors are dense.
        name: an optional name.
    """

    def __init__(
        self,
        shape: Any,
        dtype: str | torch.dtype | np.dtype = "float32",
        sparse: bool = False,
        ragged: bool = False,
        record_history: bool = True,
        name: str | None = None,
        **kwargs: Any,
    ):
        # Keras's ragged-tensor details: accepted, unused (lamina tensors
        # are dense).
        kwargs.pop("ragged_rank", None)
        kwargs.pop("row_splits_dtype", None)
        if kwargs:
            raise TypeError(
                f"Unexpected keyword arguments: {', '.join(kwargs.keys())}"
            )
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.name = name
        self._keras_history: History | None = None
        self._keras_mask: SymbolicTensor | None = None
        self.record_history = record_history

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def torch_dtype(self) -> torch.dtype:
        # Read by models on every call: resolved once per dtype name.
        cached = self.__dict__.get("_torch_dtype")
        if cached is None or cached[0] != self.dtype:
            cached = (self.dtype, to_torch_dtype(self.dtype))
            self.__dict__["_torch_dtype"] = cached
        return cached[1]

    def __repr__(self) -> str:
        name = f", name={self.name}" if self.name else ""
        return (
            f"<SymbolicTensor shape={format_shape(self.shape)}, "
            f"dtype={self.dtype}, sparse={self.sparse}{name}>"
        )

    def __bool__(self) -> bool:
        raise TypeError(
            "A symbolic tensor has no value, so it cannot be used as a "
            "Python bool (e.g. in `if` or `while`). Use `lamina.ops.cond` "
            "or `lamina.ops.where`, or write the logic in a layer's `call`."
        )

    def __iter__(self) -> Iterator[SymbolicTensor]:
        if not self.shape or self.shape[0] is None:
            raise TypeError(
                "Iterating over a symbolic tensor requires a known first "
                f"dimension. Received shape: {format_shape(self.shape)}"
            )
        return (self[i] for i in range(self.shape[0]))

    def __len__(self) -> int:
        if not self.shape or self.shape[0] is None:
            raise TypeError(
                "len() of a symbolic tensor needs a known first dimension. "
                f"Received shape: {format_shape(self.shape)}"
            )
        return self.shape[0]

    def __array__(self, *args: Any, **kwargs: Any) -> np.ndarray:
        raise TypeError(
            "A symbolic tensor cannot be converted to a NumPy array: it has "
            "no value until the model is called on real data."
        )

    def __getitem__(self, key: Any) -> Any:
        from lamina.engine.op_layer import call_op_symbolically

        return call_op_symbolically(_getitem, (self, key), {})


def _getitem(x: Any, key: Any) -> Any:
    return x[key]


def _binary(op_name: str, reverse: bool = False) -> Callable[..., Any]:
    def method(self: SymbolicTensor, other: Any) -> Any:
        from lamina import ops

        fn = getattr(ops, op_name)
        return fn(other, self) if reverse else fn(self, other)

    method.__name__ = op_name
    return method


def _unary(op_name: str) -> Callable[..., Any]:
    def method(self: SymbolicTensor) -> Any:
        from lamina import ops

        return getattr(ops, op_name)(self)

    return method


for _name, _op in [
    ("add", "add"),
    ("sub", "subtract"),
    ("mul", "multiply"),
    ("truediv", "true_divide"),
    ("floordiv", "floor_divide"),
    ("mod", "mod"),
    ("pow", "power"),
    ("matmul", "matmul"),
    ("and", "logical_and"),
    ("or", "logical_or"),
    ("xor", "logical_xor"),
]:
    setattr(SymbolicTensor, f"__{_name}__", _binary(_op))
    setattr(SymbolicTensor, f"__r{_name}__", _binary(_op, reverse=True))
for _name, _op in [
    ("lt", "less"),
    ("le", "less_equal"),
    ("gt", "greater"),
    ("ge", "greater_equal"),
]:
    setattr(SymbolicTensor, f"__{_name}__", _binary(_op))
for _name, _op in [
    ("neg", "negative"),
    ("abs", "absolute"),
    ("invert", "logical_not"),
]:
    setattr(SymbolicTensor, f"__{_name}__", _unary(_op))
setattr(SymbolicTensor, "__pos__", lambda self: self)
# Identity-based hashing: symbolic tensors are graph keys, so `==` stays
# Python identity (as in Keras), not an elementwise op.
setattr(SymbolicTensor, "__hash__", object.__hash__)


def history(tensor: SymbolicTensor) -> History:
    """The (operation, node index, tensor index) that produced `tensor`."""
    if tensor._keras_history is None:
        raise ValueError(
            f"{tensor!r} was not produced by `lamina.Input` or a layer call."
        )
    return tensor._keras_history


# Keras's public name for a symbolic tensor (`lamina.KerasTensor`).
KerasTensor = SymbolicTensor


def is_symbolic(x: Any) -> bool:
    return isinstance(x, SymbolicTensor)
