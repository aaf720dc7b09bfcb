"""`GlobalAveragePooling1D`: the mean over the steps axis."""

from __future__ import annotations

from typing import Any

import torch

from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Global average pooling operation for temporal data.

    Takes the mean of each channel over the steps axis. With a mask (e.g.
    from `Embedding(mask_zero=True)` or `Masking`), only the unmasked steps
    are averaged, and the output carries no mask.

    Args:
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.
        keepdims: whether to keep the pooled axes, with size 1. Defaults to
            False (the pooled axes are dropped).

    Call arguments:
        inputs: the 3D input tensor.
        mask: optional boolean tensor of shape `(batch_size, steps)`,
            True for the steps to average.

    Input shape:
        - With `"channels_last"`:
          3D tensor with shape `(batch_size, steps, features)`.
        - With `"channels_first"`:
          3D tensor with shape `(batch_size, features, steps)`.

    Output shape:
        - With `keepdims=False`: 2D tensor `(batch_size, features)`.
        - With `keepdims=True`:
          `(batch_size, 1, features)` with `"channels_last"`,
          `(batch_size, features, 1)` with `"channels_first"`.

    Example:

    >>> import torch, lamina
    >>> x = torch.arange(6.0).reshape(1, 3, 2)
    >>> lamina.layers.GlobalAveragePooling1D()(x).tolist()
    [[2.0, 3.0]]
    >>> lamina.layers.GlobalAveragePooling1D(keepdims=True)(x).shape
    torch.Size([1, 1, 2])
    >>> mask = torch.tensor([[True, True, False]])
    >>> lamina.layers.GlobalAveragePooling1D()(x, mask=mask).tolist()
    [[1.0, 2.0]]
    """

    def __init__(
        self,
        data_format: str | None = None,
        keepdims: bool = False,
        **kwargs: Any,
    ):
        super().__init__(
            1, "average", data_format=data_format, keepdims=keepdims, **kwargs
        )

    def call(
        self, inputs: torch.Tensor, mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        if mask is None:
            return super().call(inputs)
        # The mask covers the steps; broadcast it over the features.
        channel_axis = 2 if self.data_format == "channels_last" else 1
        weights = mask.unsqueeze(channel_axis).to(inputs.dtype)
        steps = self._axes
        total = torch.where(weights.bool(), inputs, 0.0).sum(
            dim=steps, keepdim=self.keepdims
        )
        return total / weights.sum(dim=steps, keepdim=self.keepdims)

    def compute_mask(self, inputs: torch.Tensor, previous_mask: Any) -> Any:
        return None


# Keras's alias.
GlobalAvgPool1D = GlobalAveragePooling1D
