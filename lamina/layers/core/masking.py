"""`Masking`: masks the timesteps whose features all equal a value."""

from __future__ import annotations

from typing import Any

import torch

from lamina.engine.layer import Layer
from lamina.ops._convert import to_tensor
from lamina.saving import serialization


class Masking(Layer):
    """Masks a sequence by using a mask value to skip timesteps.

    For each timestep of the input (axis 1 of a `(batch, timesteps,
    features)` tensor), if all the features equal `mask_value`, the
    timestep is masked out: its output is zeros and every downstream layer
    receives a mask that marks it `False`. A downstream layer that does
    not support masking raises an error.

    Args:
        mask_value: the value (or a tensor broadcastable to the features)
            that marks a timestep to skip.

    Input shape:
        N-D tensor `(batch_size, timesteps, ..., features)`.

    Output shape:
        Same as the input; the attached mask has shape
        `(batch_size, timesteps, ...)`.

    Example:

    >>> import torch, lamina
    >>> x = torch.tensor([[[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]]])
    >>> y = lamina.layers.Masking(mask_value=0.0)(x)
    >>> y._keras_mask
    tensor([[ True, False,  True]])
    """

    def __init__(self, mask_value: float = 0.0, **kwargs: Any):
        super().__init__(**kwargs)
        # A tensor mask value comes back from a config in serialized form.
        if isinstance(mask_value, dict) and mask_value.get("config"):
            mask_value = serialization.deserialize_keras_object(mask_value)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def _keep(self, inputs: torch.Tensor, keepdim: bool) -> torch.Tensor:
        return torch.any(inputs != self.mask_value, dim=-1, keepdim=keepdim)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs.masked_fill(~self._keep(inputs, keepdim=True), 0)

    def compute_mask(
        self, inputs: torch.Tensor, mask: torch.Tensor | None = None
    ) -> Any:
        # Recomputed from the inputs: the engine asks for the mask
        # separately from `call`, and the comparison is cheap. Keras
        # also takes NumPy inputs here.
        return self._keep(to_tensor(inputs), keepdim=False)

    def get_config(self) -> dict:
        return {**super().get_config(), "mask_value": self.mask_value}

    def extra_repr(self) -> str:
        return f"mask_value={self.mask_value}"
