"""`Softmax`: softmax over one or several axes, honouring a mask."""

from __future__ import annotations

from typing import Any

import torch

from lamina import activations
from lamina.engine.layer import Layer
from lamina.errors import format_shape


class Softmax(Layer):
    """Softmax activation layer.

    Formula:
    ``` python
    exp_x = exp(x - max(x))
    f(x) = exp_x / sum(exp_x)
    ```

    Masked positions (mask False, or <= 0.5 for a numeric mask) get
    probability 0: their logits are replaced by a large negative number
    (-1e9; -3e4 in float16) before the softmax, and the outputs are zeroed
    after it, so an axis that is masked entirely gives zeros rather than a
    uniform distribution (as in Keras).

    Args:
        axis: integer, or tuple of integers, axis along which the softmax
            normalization is applied.

    Call arguments:
        inputs: the inputs (logits) to the softmax layer.
        mask: a boolean mask of the same shape as `inputs`, or
            broadcastable to it. Defaults to the input's Keras mask.

    Input shape:
        Arbitrary.

    Output shape:
        Same shape as input.

    Raises:
        ValueError: when `mask` is not broadcastable to `inputs`.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.Softmax()
    >>> x = torch.tensor([[1.0, 2.0, 1.0]])
    >>> mask = torch.tensor([[True, False, True]])
    >>> layer(x, mask=mask).tolist()
    [[0.5, 0.0, 0.5]]
    """

    def __init__(self, axis: Any = -1, **kwargs: Any):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def call(
        self, inputs: torch.Tensor, mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        if mask is not None:
            mask = self._standardize_mask(inputs, mask)
            low = -3e4 if inputs.dtype == torch.float16 else -1e9
            inputs = torch.where(mask, inputs, low)
        axis = self.axis
        if isinstance(axis, (tuple, list)) and len(axis) == 1:
            axis = axis[0]
        outputs = activations.softmax(inputs, axis=axis)
        if mask is not None:
            outputs = torch.where(mask, outputs, 0.0)
        return outputs

    def _standardize_mask(self, inputs, mask):
        """`mask` as a bool tensor broadcastable to `inputs`."""
        mask = torch.as_tensor(mask, device=inputs.device)
        try:
            ok = (
                mask.ndim <= inputs.ndim
                and torch.broadcast_shapes(mask.shape, inputs.shape)
                == inputs.shape
            )
        except RuntimeError:
            ok = False
        if not ok:
            raise ValueError(
                f"Layer '{self.name}' (Softmax): the `mask` must be "
                "broadcastable to `inputs` (each mask dimension 1 or equal "
                "to the input's) and must not have more dimensions. "
                f"Received: inputs.shape={format_shape(inputs.shape)}, "
                f"mask.shape={format_shape(mask.shape)}"
            )
        return mask if mask.dtype == torch.bool else mask > 0.5

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}

    def extra_repr(self) -> str:
        return f"axis={self.axis}"
