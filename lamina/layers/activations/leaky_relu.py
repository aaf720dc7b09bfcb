"""`LeakyReLU`: `x` for `x >= 0`, `negative_slope * x` otherwise."""

from __future__ import annotations

from typing import Any

import numbers
import warnings

from lamina import activations
from lamina.engine.layer import Layer
from lamina.errors import LaminaWarning
from lamina.errors import invalid_argument
import torch


class LeakyReLU(Layer):
    """Leaky version of a Rectified Linear Unit activation layer.

    This layer allows a small gradient when the unit is not active.

    Formula:
    ``` python
    f(x) = negative_slope * x if x < 0
    f(x) = x if x >= 0
    ```

    Args:
        negative_slope: float >= 0, the slope for negative inputs.
            Defaults to `0.3`. (The old name `alpha` is still accepted, with
            a warning, so that legacy configs load.)

    Input shape:
        Arbitrary.

    Output shape:
        Same shape as input.

    Raises:
        ValueError: for a negative or None `negative_slope`.

    Example:

    >>> import torch, lamina
    >>> lamina.layers.LeakyReLU()(torch.tensor([-10.0, 0.0, 2.0])).tolist()
    [-3.0, 0.0, 2.0]
    """

    def __init__(self, negative_slope: Any = 0.3, **kwargs: Any):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn(
                "LeakyReLU: argument `alpha` is deprecated; use "
                "`negative_slope` instead.",
                LaminaWarning,
                stacklevel=2,
            )
        super().__init__(**kwargs)
        if (
            isinstance(negative_slope, bool)
            or not isinstance(negative_slope, numbers.Real)
            or negative_slope < 0
        ):
            raise ValueError(
                invalid_argument(
                    "LeakyReLU",
                    "negative_slope",
                    "a float >= 0",
                    negative_slope,
                )
            )
        self.negative_slope: Any = negative_slope
        self.supports_masking = True
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return activations.leaky_relu(
            inputs, negative_slope=self.negative_slope
        )

    def get_config(self) -> dict:
        return {**super().get_config(), "negative_slope": self.negative_slope}

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"
