"""`GaussianDropout`: multiplicative 1-centred Gaussian noise in training."""

from __future__ import annotations

from typing import Any

import math

from lamina.layers.regularization.base_random import BaseRandomLayer
from lamina.layers.regularization.base_random import check_fraction
import torch


class GaussianDropout(BaseRandomLayer):
    """Apply multiplicative 1-centered Gaussian noise.

    Each input is multiplied by noise drawn from
    `N(1, sqrt(rate / (1 - rate)))`, which has the mean and variance of
    (inverted) dropout with the same `rate`. As it is a regularization
    layer, it is only active at training time.

    Args:
        rate: float in [0, 1), drop probability (as with `Dropout`). The
            multiplicative noise will have standard deviation
            `sqrt(rate / (1 - rate))`.
        seed: optional integer seed.

    Call arguments:
        inputs: input tensor of any rank.
        training: whether to add noise (True) or pass through (False).

    Input shape:
        Arbitrary.

    Output shape:
        Same shape as input.

    Raises:
        ValueError: for a `rate` outside [0, 1]; when called in training
            with `rate=1` (infinite noise; Keras fails there too).

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.GaussianDropout(0.5, seed=0)
    >>> y = layer(torch.ones(10000), training=True)
    >>> round(float(y.mean()), 1), round(float(y.std()), 1)
    (1.0, 1.0)
    """

    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any):
        super().__init__(seed=seed, **kwargs)
        self.rate = check_fraction("GaussianDropout", "rate", rate)

    def call(
        self, inputs: torch.Tensor, training: bool = False
    ) -> torch.Tensor:
        if not training or self.rate == 0:
            return inputs
        if self.rate == 1:
            raise ValueError(
                f"Layer '{self.name}' (GaussianDropout): `rate=1` gives "
                "multiplicative noise of infinite standard deviation; use "
                "a rate below 1. Received: rate=1"
            )
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = self._normal(tuple(inputs.shape), inputs)
        return inputs * (noise * stddev + 1.0)

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}

    def extra_repr(self) -> str:
        return f"rate={self.rate}"
