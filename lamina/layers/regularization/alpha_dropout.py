"""`AlphaDropout`: dropout that keeps SELU's self-normalisation."""

from __future__ import annotations

from typing import Any

from lamina.layers.regularization.base_random import BaseRandomLayer
from lamina.layers.regularization.base_random import check_fraction
from lamina.layers.regularization.base_random import concrete_noise_shape
from lamina.layers.regularization.base_random import standardize_noise_shape
import torch

# SELU's constants: dropped units are set to its negative saturation value
# `-scale * alpha`.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(BaseRandomLayer):
    """Applies Alpha Dropout to the input.

    Alpha Dropout is a `Dropout` that keeps mean and variance of inputs to
    their original values, in order to ensure the self-normalizing property
    even after this dropout. Alpha Dropout fits well to Scaled Exponential
    Linear Units (SELU) by randomly setting activations to the negative
    saturation value, then applying the affine map `a * x + b` that
    restores zero mean and unit variance.

    Reference:
    - [Klambauer et al., 2017](https://arxiv.org/abs/1706.02515)

    Args:
        rate: float in [0, 1), the fraction of units to drop.
        noise_shape: shape of the binary mask, broadcast against the input
            (`None` entries take the input's size), e.g.
            `(batch, 1, features)` to drop the same features at every
            timestep.
        seed: optional integer seed.

    Call arguments:
        inputs: input tensor of any rank.
        training: whether to drop (True) or pass through (False).

    Input shape:
        Arbitrary.

    Output shape:
        Same shape as input.

    Raises:
        ValueError: for a `rate` outside [0, 1] or a malformed
            `noise_shape`; when called in training with `rate=1` (the
            affine correction is undefined; Keras fails there too).

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.AlphaDropout(0.2, seed=0)
    >>> y = layer(torch.randn(20000), training=True)
    >>> bool(abs(y.mean()) < 0.05), bool(abs(y.std() - 1.0) < 0.05)
    (True, True)
    """

    def __init__(
        self,
        rate: float,
        noise_shape: Any = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(seed=seed, **kwargs)
        self.rate = check_fraction("AlphaDropout", "rate", rate)
        self.noise_shape = standardize_noise_shape("AlphaDropout", noise_shape)

    def call(
        self, inputs: torch.Tensor, training: bool = False
    ) -> torch.Tensor:
        if not training or self.rate == 0:
            return inputs
        if self.rate == 1:
            raise ValueError(
                f"Layer '{self.name}' (AlphaDropout): with `rate=1` the "
                "affine correction is undefined; use a rate below 1. "
                "Received: rate=1"
            )
        shape = (
            tuple(inputs.shape)
            if self.noise_shape is None
            else concrete_noise_shape(self, self.noise_shape, inputs)
        )
        kept = (self._uniform(shape, inputs) >= self.rate).to(inputs.dtype)
        alpha_p = -_SELU_ALPHA * _SELU_SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * self.rate
        x = inputs * kept + alpha_p * (1 - kept)
        return a * x + b

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "rate": self.rate,
            "seed": self.seed,
            "noise_shape": self.noise_shape,
        }

    def extra_repr(self) -> str:
        return f"rate={self.rate}"
