"""`ActivityRegularization`: an L1/L2 penalty on its input, as a loss."""

from __future__ import annotations

from typing import Any

from lamina import regularizers
from lamina.engine.layer import Layer
import torch


class ActivityRegularization(Layer):
    """Layer that applies an update to the cost function based input
    activity.

    The layer is the identity; each call adds
    `(l1 * sum(|x|) + l2 * sum(x ** 2)) / batch_size` to `layer.losses`
    (and so to `model.losses`), the normalisation Keras uses for activity
    regularizers.

    Args:
        l1: L1 regularization factor (positive float).
        l2: L2 regularization factor (positive float).

    Input shape:
        Arbitrary.

    Output shape:
        Same shape as input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.ActivityRegularization(l1=0.5)
    >>> y = layer(torch.ones(2, 3))
    >>> [float(loss) for loss in layer.losses]
    [1.5]
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0, **kwargs: Any):
        super().__init__(
            activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs
        )
        self.l1 = l1
        self.l2 = l2
        self.supports_masking = True
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs

    def get_config(self) -> dict:
        config = super().get_config()
        # The regularizer is rebuilt from `l1`/`l2`.
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}

    def extra_repr(self) -> str:
        return f"l1={self.l1}, l2={self.l2}"
