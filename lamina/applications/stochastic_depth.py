"""`StochasticDepth`: drops a whole residual branch per sample while
training (ConvNeXt's drop path; Keras keeps it in
`keras.src.applications.convnext`)."""

from __future__ import annotations

from typing import Any

import torch

from lamina.layers.regularization.base_random import (
    BaseRandomLayer,
    check_fraction,
)


class StochasticDepth(BaseRandomLayer):
    """Zeroes each sample's input with probability `drop_path_rate` while
    training and scales the kept ones by `1 / (1 - drop_path_rate)`; the
    identity in inference.

    Reference: [Deep Networks with Stochastic Depth](
    https://arxiv.org/abs/1603.09382); `DropPath` in `timm`.

    Args:
        drop_path_rate: float in [0, 1], the probability of dropping.

    Input shape:
        Any, with the batch first.

    Output shape:
        Same as the input.

    Example:

    >>> import torch
    >>> from lamina.applications.stochastic_depth import StochasticDepth
    >>> layer = StochasticDepth(0.5)
    >>> bool((layer(torch.ones(4, 3), training=False) == 1).all())
    True
    """

    def __init__(self, drop_path_rate: float, **kwargs: Any):
        super().__init__(**kwargs)
        self.drop_path_rate = check_fraction(
            "StochasticDepth", "drop_path_rate", drop_path_rate
        )

    def call(self, x: Any, training: bool | None = None) -> Any:
        if not training:
            return x
        keep_prob = 1 - self.drop_path_rate
        shape = (x.shape[0],) + (1,) * (x.ndim - 1)
        # floor(keep + U[0, 1)) is 1 with probability `keep_prob`.
        mask = torch.floor(keep_prob + self._uniform(shape, x))
        return (x / keep_prob) * mask

    def get_config(self) -> dict:
        config = {**super().get_config(), "drop_path_rate": self.drop_path_rate}
        if self.seed is not None:
            config["seed"] = self.seed
        return config

    def extra_repr(self) -> str:
        return f"drop_path_rate={self.drop_path_rate}"
