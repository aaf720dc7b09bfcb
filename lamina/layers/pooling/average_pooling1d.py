"""`AveragePooling1D`: average pooling for temporal data."""

from __future__ import annotations

from typing import Any

from lamina.layers.pooling.base_pooling import BasePooling


class AveragePooling1D(BasePooling):
    """Average pooling operation for temporal data.

    Downsamples the input along steps by taking the average value over a
    window of `pool_size` for each channel, the window shifted by `strides`.
    With `padding="same"` each window is averaged over its real entries only
    (the padding is not counted).

    The output size along each pooled axis is
    `floor((input_size - pool_size) / strides) + 1` with `"valid"`
    padding and `ceil(input_size / strides)` with `"same"`.

    Args:
        pool_size: int, the window size.
        strides: int or None (defaults to `pool_size`): how far the
            window moves each step.
        padding: `"valid"` (no padding) or `"same"` (pad evenly, the odd
            one at the end, so the output has `ceil(size / strides)`
            steps), case-insensitive.
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.

    Input shape:
        - With `"channels_last"`:
          3D tensor with shape `(batch_size, steps, features)`.
        - With `"channels_first"`:
          3D tensor with shape `(batch_size, features, steps)`.

    Output shape:
        - With `"channels_last"`:
          3D tensor `(batch_size, pooled_steps, features)`.
        - With `"channels_first"`:
          3D tensor `(batch_size, features, pooled_steps)`.

    Example:

    >>> import torch, lamina
    >>> x = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0]).reshape(1, 5, 1)
    >>> y = lamina.layers.AveragePooling1D(pool_size=2, padding="same")(x)
    >>> y[0, :, 0].tolist()
    [1.5, 3.5, 5.0]
    """

    def __init__(
        self,
        pool_size: Any,
        strides: Any = None,
        padding: Any = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(
            pool_size,
            strides,
            rank=1,
            pool_mode="average",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )


# Keras's alias.
AvgPool1D = AveragePooling1D
