"""`InputLayer` and `Input()`: the entry points of a functional graph."""

from __future__ import annotations

from typing import Any

import torch

from lamina.engine.layer import Layer
from lamina.engine.node import Node
from lamina.engine.symbolic import SymbolicTensor
from lamina.utils.dtype_utils import standardize_dtype
from lamina.typing import DTypeLike


class InputLayer(Layer):
    """The layer behind `lamina.Input`: it holds one symbolic tensor.

    Args:
        shape: the shape without the batch axis, e.g. `(32,)`.
        batch_size: an optional fixed batch size.
        dtype: the input's dtype (default `floatx()`).
        sparse: accepted for Keras parity; must be False.
        ragged: accepted for Keras parity; must be False (ragged tensors
            exist only on TensorFlow).
        batch_shape: the full shape including the batch axis (instead of
            `shape` and `batch_size`).
        input_tensor: an existing symbolic tensor to wrap.
        optional: whether the input may be None.
        name: the layer's name.
    """

    def __init__(
        self,
        shape: Any = None,
        batch_size: int | None = None,
        dtype: DTypeLike = None,
        sparse: Any = None,
        ragged: Any = None,
        batch_shape: Any = None,
        input_tensor: Any = None,
        optional: bool = False,
        name: str | None = None,
        **kwargs: Any,
    ):
        kwargs.pop("input_shape", None)
        super().__init__(name=name, **kwargs)
        if sparse:
            raise ValueError(
                f"InputLayer '{self.name}': lamina tensors are dense; "
                "sparse inputs are not supported. Received: sparse=True"
            )
        if ragged:
            raise ValueError(
                f"InputLayer '{self.name}': `ragged=True` is not supported "
                "with the torch backend (Keras supports it only on "
                "TensorFlow). Received: ragged=True"
            )
        if shape is not None and batch_shape is not None:
            raise ValueError(
                "You cannot pass both `shape` and `batch_shape` at the same "
                f"time. Received: shape={shape}, batch_shape={batch_shape}"
            )
        if input_tensor is not None:
            batch_shape = tuple(input_tensor.shape)
            dtype = dtype or standardize_dtype(input_tensor.dtype)
        elif batch_shape is None:
            if shape is None:
                raise ValueError(
                    "You must pass a `shape` argument to Input / InputLayer "
                    f"(layer '{self.name}'). Received: shape=None"
                )
            shape = (shape,) if isinstance(shape, int) else tuple(shape)
            batch_shape = (batch_size,) + shape
        self._batch_shape = tuple(batch_shape)
        self._dtype = standardize_dtype(dtype or self.compute_dtype)
        self.sparse = False
        self.optional = optional
        self.built = True
        output = SymbolicTensor(
            self._batch_shape, dtype=self._dtype, name=self.name
        )
        Node(self, (), {}, output)
        self.output_tensor = output

    @property
    def batch_shape(self) -> tuple:
        return self._batch_shape

    @property
    def dtype(self) -> str:
        return self._dtype

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs

    def get_config(self) -> dict:
        return {
            "batch_shape": list(self._batch_shape),
            "dtype": self._dtype,
            "sparse": False,
            "ragged": False,
            "name": self.name,
            "optional": self.optional,
        }

    def extra_repr(self) -> str:
        return f"batch_shape={self._batch_shape}, dtype={self._dtype}"


def Input(
    shape: Any = None,
    batch_size: int | None = None,
    dtype: DTypeLike = None,
    sparse: Any = None,
    ragged: Any = None,
    batch_shape: Any = None,
    name: str | None = None,
    tensor: Any = None,
    optional: bool = False,
) -> SymbolicTensor:
    """A symbolic input for a functional model.

    Args:
        shape: the shape without the batch axis, e.g. `(784,)`.
        batch_size: optional fixed batch size.
        dtype: the dtype (default `floatx()`).
        sparse: accepted for Keras parity; must be False.
        ragged: accepted for Keras parity; must be False (ragged tensors
            exist only on TensorFlow).
        batch_shape: the full shape with the batch axis.
        name: the input's name.
        tensor: an existing tensor whose shape and dtype to use.
        optional: whether the input may be None when the model is called.

    Returns:
        A `SymbolicTensor`.

    Example:

    >>> import lamina
    >>> x = lamina.Input(shape=(32,))
    >>> x.shape
    (None, 32)
    """
    if isinstance(tensor, torch.Tensor):
        tensor = SymbolicTensor(
            tuple(tensor.shape), dtype=standardize_dtype(tensor.dtype)
        )
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        sparse=sparse,
        ragged=ragged,
        batch_shape=batch_shape,
        name=name,
        input_tensor=tensor,
        optional=optional,
    )
    return layer.output_tensor


def input_layer_of(x: Any) -> InputLayer | None:
    history = getattr(x, "_keras_history", None)
    if history is not None and isinstance(history.operation, InputLayer):
        return history.operation
    return None
