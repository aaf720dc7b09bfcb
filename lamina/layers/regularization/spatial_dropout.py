"""`SpatialDropout1D/2D/3D`: dropout of whole feature maps.

Reference:
- [Tompson et al., 2014](https://arxiv.org/abs/1411.4280)
"""

from __future__ import annotations

from typing import Any

from lamina import config
from lamina.engine.input_spec import InputSpec
from lamina.layers.regularization.dropout import Dropout
from lamina.typing import DTypeLike


class BaseSpatialDropout(Dropout):
    """Dropout with one draw per (sample, channel): every spatial position
    of a feature map is kept or dropped together.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        rate: float in [0, 1], the fraction of feature maps to drop.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: optional integer seed.
    """

    def __init__(
        self,
        rank: int,
        rate: float,
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(rate, seed=seed, **kwargs)
        self.rank = rank
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    def _noise_shape(self, inputs) -> tuple:
        shape = tuple(inputs.shape)
        ones = (1,) * self.rank
        if self.data_format == "channels_first":
            return shape[:2] + ones
        return (shape[0],) + ones + (shape[-1],)

    def get_config(self) -> dict:
        # Keras's spatial dropouts keep this short config (no `trainable`,
        # `noise_shape`, and `dtype` as a name).
        return {
            "rate": self.rate,
            "seed": self.seed,
            "name": self.name,
            "dtype": self.dtype_policy.name,
            "data_format": self.data_format,
        }


class SpatialDropout1D(BaseSpatialDropout):
    """Spatial 1D version of Dropout.

    This layer performs the same function as Dropout, however, it drops
    entire 1D feature maps instead of individual elements. If adjacent
    frames within feature maps are strongly correlated (as is normally the
    case in early convolution layers) then regular dropout will not
    regularize the activations and will otherwise just result in an
    effective learning rate decrease. In this case, `SpatialDropout1D` will
    help promote independence between feature maps and should be used
    instead.

    Args:
        rate: float between 0 and 1, the fraction of feature maps to drop.
        seed: optional integer seed.

    Call arguments:
        inputs: a 3D tensor.
        training: whether to drop (True) or pass through (False).

    Input shape:
        3D tensor with shape `(samples, timesteps, channels)`.

    Output shape:
        Same as input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.SpatialDropout1D(0.5, seed=0)
    >>> y = layer(torch.ones(4, 3, 8), training=True)
    >>> bool((y == y[:, :1]).all())  # a channel is dropped at every step
    True
    """

    def __init__(
        self,
        rate: float,
        seed: int | None = None,
        name: str | None = None,
        dtype: DTypeLike = None,
    ):
        super().__init__(
            1,
            rate,
            data_format="channels_last",
            seed=seed,
            name=name,
            dtype=dtype,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("data_format")
        return config


class SpatialDropout2D(BaseSpatialDropout):
    """Spatial 2D version of Dropout.

    This version performs the same function as Dropout, however, it drops
    entire 2D feature maps instead of individual elements. If adjacent
    pixels within feature maps are strongly correlated (as is normally the
    case in early convolution layers) then regular dropout will not
    regularize the activations and will otherwise just result in an
    effective learning rate decrease. In this case, `SpatialDropout2D` will
    help promote independence between feature maps and should be used
    instead.

    Args:
        rate: float between 0 and 1, the fraction of feature maps to drop.
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.
        seed: optional integer seed.

    Call arguments:
        inputs: a 4D tensor.
        training: whether to drop (True) or pass through (False).

    Input shape:
        4D tensor: `(samples, rows, cols, channels)` with `"channels_last"`,
        `(samples, channels, rows, cols)` with `"channels_first"`.

    Output shape:
        Same as input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.SpatialDropout2D(0.5, seed=0)
    >>> layer(torch.ones(2, 5, 5, 3), training=True).shape
    torch.Size([2, 5, 5, 3])
    """

    def __init__(
        self,
        rate: float,
        data_format: str | None = None,
        seed: int | None = None,
        name: str | None = None,
        dtype: DTypeLike = None,
    ):
        super().__init__(
            2, rate, data_format=data_format, seed=seed, name=name, dtype=dtype
        )


class SpatialDropout3D(BaseSpatialDropout):
    """Spatial 3D version of Dropout.

    This version performs the same function as Dropout, however, it drops
    entire 3D feature maps instead of individual elements. If adjacent
    voxels within feature maps are strongly correlated (as is normally the
    case in early convolution layers) then regular dropout will not
    regularize the activations and will otherwise just result in an
    effective learning rate decrease. In this case, `SpatialDropout3D` will
    help promote independence between feature maps and should be used
    instead.

    Args:
        rate: float between 0 and 1, the fraction of feature maps to drop.
        data_format: `"channels_last"` (default from
            `lamina.config.image_data_format()`) or `"channels_first"`.
        seed: optional integer seed.

    Call arguments:
        inputs: a 5D tensor.
        training: whether to drop (True) or pass through (False).

    Input shape:
        5D tensor: `(samples, dim1, dim2, dim3, channels)` with
        `"channels_last"`, `(samples, channels, dim1, dim2, dim3)` with
        `"channels_first"`.

    Output shape:
        Same as input.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.SpatialDropout3D(0.5)
    >>> layer(torch.ones(2, 2, 2, 2, 3), training=False).sum().item()
    48.0
    """

    def __init__(
        self,
        rate: float,
        data_format: str | None = None,
        seed: int | None = None,
        name: str | None = None,
        dtype: DTypeLike = None,
    ):
        super().__init__(
            3, rate, data_format=data_format, seed=seed, name=name, dtype=dtype
        )
