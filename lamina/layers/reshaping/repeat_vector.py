"""`RepeatVector`: repeats a vector `n` times along a new axis."""

from __future__ import annotations

from typing import Any

from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.errors import invalid_argument
import torch


class RepeatVector(Layer):
    """Repeats the input n times.

    Args:
        n: positive integer, the repetition factor.

    Input shape:
        2D tensor with shape `(batch_size, features)`.

    Output shape:
        3D tensor with shape `(batch_size, n, features)`.

    Raises:
        TypeError: when `n` is not an integer.
        ValueError: when `n` is not positive.

    Example:

    >>> import torch, lamina
    >>> y = lamina.layers.RepeatVector(3)(torch.tensor([[1.0, 2.0]]))
    >>> y.tolist()
    [[[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]]
    """

    def __init__(self, n: Any, **kwargs: Any):
        super().__init__(**kwargs)
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(
                invalid_argument("RepeatVector", "n", "an integer", n)
            )
        if n <= 0:
            raise ValueError(
                invalid_argument("RepeatVector", "n", "a positive integer", n)
            )
        self.n = n
        self.input_spec = InputSpec(ndim=2)
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        # `repeat` copies: an `expand` view would reject in-place writes.
        return inputs.unsqueeze(1).repeat(1, self.n, 1)

    def get_config(self) -> dict:
        return {**super().get_config(), "n": self.n}

    def extra_repr(self) -> str:
        return f"n={self.n}"
