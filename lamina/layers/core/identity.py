"""`Identity`: returns its inputs unchanged."""

from __future__ import annotations

from typing import Any

from lamina.engine.layer import Layer
import torch


class Identity(Layer):
    """Identity layer.

    A placeholder for when no operation is to be performed: the layer
    returns its `inputs` argument (a tensor or a nested structure of
    tensors) as its output, and passes any mask through.

    Args:
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:

    >>> import torch, lamina
    >>> x = torch.ones(2, 3)
    >>> lamina.layers.Identity()(x) is x
    True
    """

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs

    def compute_mask(
        self, inputs: torch.Tensor, mask: torch.Tensor | None = None
    ) -> Any:
        return mask
