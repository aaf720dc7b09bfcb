"""`ELU`: exponential linear unit."""

from __future__ import annotations

from typing import Any

from lamina import activations
from lamina.engine.layer import Layer
import torch


class ELU(Layer):
    """Applies an Exponential Linear Unit function to an output.

    Formula:

    ```
    f(x) = alpha * (exp(x) - 1.) for x < 0
    f(x) = x for x >= 0
    ```

    Reference:
    - [Clevert et al., 2016](https://arxiv.org/abs/1511.07289)

    Args:
        alpha: float, slope of negative section. Defaults to `1.0`.

    Input shape:
        Arbitrary.

    Output shape:
        Same shape as input.

    Example:

    >>> import torch, lamina
    >>> y = lamina.layers.ELU(alpha=2.0)(torch.tensor([-100.0, 0.0, 3.0]))
    >>> y.tolist()
    [-2.0, 0.0, 3.0]
    """

    def __init__(self, alpha: float = 1.0, **kwargs: Any):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return activations.elu(inputs, alpha=self.alpha)

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha}

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"
