"""Deterministic initializers: Zeros, Ones, Constant, Identity."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from lamina.initializers.initializer import Initializer
from lamina.initializers.initializer import resolve_dtype
from lamina.initializers.initializer import standardize_shape
from lamina.saving import serialization


class Zeros(Initializer):
    """Initializer that generates tensors of zeros.

    Example:

    >>> import lamina
    >>> lamina.initializers.Zeros()((2, 2)).tolist()
    [[0.0, 0.0], [0.0, 0.0]]
    """

    def __call__(self, shape: Any, dtype: Any = None) -> torch.Tensor:
        """A tensor of zeros of `shape` and `dtype` (default `floatx()`)."""
        shape = standardize_shape(shape, type(self).__name__)
        return torch.zeros(shape, dtype=resolve_dtype(dtype), device="cpu")


class Ones(Initializer):
    """Initializer that generates tensors of ones.

    Example:

    >>> import lamina
    >>> lamina.initializers.Ones()((3,)).tolist()
    [1.0, 1.0, 1.0]
    """

    def __call__(self, shape: Any, dtype: Any = None) -> torch.Tensor:
        """A tensor of ones of `shape` and `dtype` (default `floatx()`)."""
        shape = standardize_shape(shape, type(self).__name__)
        return torch.ones(shape, dtype=resolve_dtype(dtype), device="cpu")


class Constant(Initializer):
    """Initializer that fills tensors with a constant value.

    Args:
        value: a Python scalar (or an array broadcastable to the shapes
            it is called with), convertible to the requested dtype.

    Example:

    >>> import lamina
    >>> lamina.initializers.Constant(10.0)((2,)).tolist()
    [10.0, 10.0]
    """

    def __init__(self, value: Any = 0.0):
        self.value = value

    def __call__(self, shape: Any, dtype: Any = None) -> torch.Tensor:
        """A tensor of `shape` and `dtype` (default `floatx()`) filled with
        the value."""
        shape = standardize_shape(shape, type(self).__name__)
        value = self.value
        if isinstance(value, torch.Tensor):
            tensor = value.detach().cpu()
        else:  # via NumPy, so a Python float keeps float64 precision
            tensor = torch.as_tensor(np.asarray(value))
        tensor = tensor.to(resolve_dtype(dtype))
        try:
            return torch.broadcast_to(tensor, shape).clone()
        except RuntimeError as e:
            raise ValueError(
                "Constant: the value cannot be broadcast to the requested "
                f"shape. Received: value of shape {tuple(tensor.shape)}, "
                f"shape={shape}"
            ) from e

    def get_config(self) -> dict:
        return {"value": serialization.serialize_keras_object(self.value)}

    @classmethod
    def from_config(cls, config: dict) -> Constant:
        # Keras 3.15 requires "value" (so its `get("constant")` fails).
        value = serialization.deserialize_keras_object(config.get("value", 0.0))
        return cls(value)


class Identity(Initializer):
    """Initializer that generates the identity matrix (2D shapes only).

    Non-square shapes get ones on the main diagonal.

    Args:
        gain: multiplicative factor applied to the identity matrix.

    Example:

    >>> import lamina
    >>> lamina.initializers.Identity(gain=2.0)((2, 3)).tolist()
    [[2.0, 0.0, 0.0], [0.0, 2.0, 0.0]]
    """

    def __init__(self, gain: float = 1.0):
        self.gain = gain

    def __call__(self, shape: Any, dtype: Any = None) -> torch.Tensor:
        """`gain` times the identity matrix of `shape`."""
        shape = standardize_shape(shape, type(self).__name__)
        if len(shape) != 2:
            raise ValueError(
                "Identity matrix initializer can only be used for 2D "
                f"matrices. Received: shape={shape} of rank {len(shape)}."
            )
        dtype = resolve_dtype(dtype)
        eye = torch.eye(*shape, dtype=torch.float64, device="cpu")
        return (self.gain * eye).to(dtype)

    def get_config(self) -> dict:
        # Keras 3.15 writes no config for Identity (so it loses `gain`);
        # write the same empty config for the default gain, and keep the
        # gain otherwise (Keras reads it back fine).
        return {} if self.gain == 1.0 else {"gain": self.gain}
