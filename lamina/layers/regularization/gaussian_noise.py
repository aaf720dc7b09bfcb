"""`GaussianNoise`: additive zero-centred Gaussian noise in training."""

from __future__ import annotations

from typing import Any

from lamina.layers.regularization.base_random import BaseRandomLayer
from lamina.layers.regularization.base_random import check_fraction
import torch


class GaussianNoise(BaseRandomLayer):
    """Apply additive zero-centered Gaussian noise.

    This is useful to mitigate overfitting (you could see it as a form of
    random data augmentation). Gaussian Noise (GS) is a natural choice as
    corruption process for real valued inputs.

    As it is a regularization layer, it is only active at training time.

    Args:
        stddev: float in [0, 1], standard deviation of the noise
            distribution (Keras's range).
        seed: optional integer seed.

    Call arguments:
        inputs: input tensor of any rank.
        training: whether to add noise (True) or pass through (False).

    Input shape:
        Arbitrary.

    Output shape:
        Same shape as input.

    Raises:
        ValueError: for a `stddev` outside [0, 1].

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.GaussianNoise(0.1, seed=0)
    >>> x = torch.zeros(1000)
    >>> bool((layer(x) == x).all())  # inference: the identity
    True
    >>> round(float(layer(x, training=True).std()), 1)
    0.1
    """

    def __init__(self, stddev: Any, seed: int | None = None, **kwargs: Any):
        super().__init__(seed=seed, **kwargs)
        self.stddev = check_fraction("GaussianNoise", "stddev", stddev)

    def call(
        self, inputs: torch.Tensor, training: bool = False
    ) -> torch.Tensor:
        if not training or self.stddev == 0:
            return inputs
        noise = self._normal(tuple(inputs.shape), inputs)
        return inputs + self.stddev * noise

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "stddev": self.stddev,
            "seed": self.seed,
        }

    def extra_repr(self) -> str:
        return f"stddev={self.stddev}"
