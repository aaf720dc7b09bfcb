"""`ReLU`: rectified linear unit, with Keras's slope, cap and threshold."""

from __future__ import annotations

from typing import Any

import numbers

from lamina import activations
from lamina.engine.layer import Layer
from lamina.errors import invalid_argument
import torch


class ReLU(Layer):
    """Rectified Linear Unit activation function layer.

    Formula:
    ``` python
    f(x) = max_value if x >= max_value
    f(x) = x if threshold <= x < max_value
    f(x) = negative_slope * (x - threshold) otherwise
    ```

    Args:
        max_value: float >= 0, the maximum activation; None for no cap.
        negative_slope: float >= 0, the slope below `threshold`.
        threshold: float >= 0, the threshold value for thresholded
            activation.

    Input shape:
        Arbitrary.

    Output shape:
        Same shape as input.

    Raises:
        ValueError: for a negative `max_value`, or a negative (or None)
            `negative_slope` or `threshold`.

    Example:

    >>> import torch, lamina
    >>> x = torch.tensor([-3.0, -1.0, 0.0, 2.0, 8.0])
    >>> lamina.layers.ReLU()(x).tolist()
    [0.0, 0.0, 0.0, 2.0, 8.0]
    >>> lamina.layers.ReLU(max_value=6.0, negative_slope=0.5)(x).tolist()
    [-1.5, -0.5, 0.0, 2.0, 6.0]
    """

    def __init__(
        self,
        max_value: Any = None,
        negative_slope: float = 0.0,
        threshold: float = 0.0,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if max_value is not None and not _non_negative(max_value):
            raise ValueError(
                invalid_argument(
                    "ReLU", "max_value", "None or a float >= 0", max_value
                )
            )
        if not _non_negative(negative_slope):
            raise ValueError(
                invalid_argument(
                    "ReLU", "negative_slope", "a float >= 0", negative_slope
                )
            )
        if not _non_negative(threshold):
            raise ValueError(
                invalid_argument("ReLU", "threshold", "a float >= 0", threshold)
            )
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return activations.relu(
            inputs,
            negative_slope=self.negative_slope,
            max_value=self.max_value,
            threshold=self.threshold,
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "max_value": self.max_value,
            "negative_slope": self.negative_slope,
            "threshold": self.threshold,
        }

    def extra_repr(self) -> str:
        return (
            f"max_value={self.max_value}, "
            f"negative_slope={self.negative_slope}, "
            f"threshold={self.threshold}"
        )


def _non_negative(value) -> bool:
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and float(value) >= 0
    )
