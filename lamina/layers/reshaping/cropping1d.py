"""`Cropping1D`: crops temporal (1D) data."""

from __future__ import annotations

from typing import Any

from lamina.layers.reshaping.base_cropping import BaseCropping


class Cropping1D(BaseCropping):
    """Cropping layer for 1D input (e.g. temporal sequence).

    It crops along the time dimension (axis 1). As in Keras, the input is
    always `channels_last`: this layer has no `data_format` argument.

    Args:
        cropping: int, or tuple of 2 ints. How many units should be trimmed
            off at the beginning and end of the cropping dimension (axis 1).
            If a single int is provided, the same value will be used for
            both.

    Input shape:
        3D tensor with shape `(batch_size, axis_to_crop, features)`.

    Output shape:
        3D tensor with shape `(batch_size, cropped_axis, features)`.

    Raises:
        ValueError: when the cropping leaves no steps.

    Example:

    >>> import torch, lamina
    >>> x = torch.arange(10.0).reshape(1, 5, 2)
    >>> y = lamina.layers.Cropping1D(cropping=(1, 2))(x)
    >>> y.shape
    torch.Size([1, 2, 2])
    >>> y[0].tolist()
    [[2.0, 3.0], [4.0, 5.0]]
    """

    def __init__(self, cropping: Any = (1, 1), **kwargs: Any):
        super().__init__(1, cropping, data_format="channels_last", **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("data_format")
        return config

    def extra_repr(self) -> str:
        return f"cropping={self.cropping}"
