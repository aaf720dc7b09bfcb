"""`GlobalMaxPooling1D`: the maximum over the steps axis."""

from __future__ import annotations

from typing import Any

from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling1D(BaseGlobalPooling):
    """Global max pooling operation for temporal data.

    Takes the maximum of each channel over the steps axis.

    Args:
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.
        keepdims: whether to keep the pooled axes, with size 1. Defaults to
            False (the pooled axes are dropped).

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
    >>> lamina.layers.GlobalMaxPooling1D()(x).tolist()
    [[4.0, 5.0]]
    >>> lamina.layers.GlobalMaxPooling1D(keepdims=True)(x).shape
    torch.Size([1, 1, 2])
    """

    def __init__(
        self,
        data_format: str | None = None,
        keepdims: bool = False,
        **kwargs: Any,
    ):
        super().__init__(
            1, "max", data_format=data_format, keepdims=keepdims, **kwargs
        )


# Keras's alias.
GlobalMaxPool1D = GlobalMaxPooling1D
