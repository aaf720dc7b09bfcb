"""`UpSampling1D`: repeats each temporal step."""

from __future__ import annotations

from typing import Any

from lamina.errors import invalid_argument
from lamina.layers.reshaping.base_up_sampling import BaseUpSampling


class UpSampling1D(BaseUpSampling):
    """Upsampling layer for 1D inputs.

    Repeats each temporal step `size` times along the time axis. As in
    Keras, the input is always `channels_last`.

    Args:
        size: positive integer, the upsampling factor.

    Input shape:
        3D tensor with shape `(batch_size, steps, features)`.

    Output shape:
        3D tensor with shape `(batch_size, upsampled_steps, features)`.

    Raises:
        TypeError: when `size` is not an integer.
        ValueError: when `size` is not positive.

    Example:

    >>> import torch, lamina
    >>> x = torch.arange(6.0).reshape(1, 3, 2)
    >>> y = lamina.layers.UpSampling1D(size=2)(x)
    >>> y.shape
    torch.Size([1, 6, 2])
    >>> y[0, :, 0].tolist()
    [0.0, 0.0, 2.0, 2.0, 4.0, 4.0]
    """

    def __init__(self, size: int = 2, **kwargs: Any):
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(
                invalid_argument("UpSampling1D", "size", "an integer", size)
            )
        super().__init__(1, size, data_format="channels_last", **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("data_format")
        # Keras keeps the 1D factor as a plain int.
        return {**config, "size": self.size[0]}

    def extra_repr(self) -> str:
        return f"size={self.size[0]}"
