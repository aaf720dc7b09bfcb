"""`Dropout`: randomly zeroes inputs during training."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from lamina.engine.layer import Layer
from lamina.errors import invalid_argument
from lamina.utils import rng


class Dropout(Layer):
    """Applies dropout to the input.

    During training, sets input units to 0 with frequency `rate` and scales
    the others by `1 / (1 - rate)`, so the expected sum is unchanged. In
    inference (the default outside `fit`) it is the identity.

    With `seed=None` the mask comes from torch's global generator (seeded by
    `lamina.config.set_random_seed`), which keeps the layer a single fused
    kernel and `torch.compile`-friendly; with an integer `seed` the layer
    draws from its own generator.

    Args:
        rate: float in [0, 1), the fraction of units to drop.
        noise_shape: shape of the binary mask, broadcast against the input
            (`None` entries take the input's size), e.g. `(batch, 1, features)`
            to drop the same features at every timestep.
        seed: optional integer seed.

    Call arguments:
        inputs: input tensor of any rank.
        training: whether to drop (True) or pass through (False).

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.Dropout(0.5, seed=1)
    >>> x = torch.ones(2, 4)
    >>> bool((layer(x, training=False) == x).all())
    True
    >>> sorted(set(layer(x, training=True).flatten().tolist())) in (
    ...     [0.0, 2.0], [0.0], [2.0])
    True
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError(invalid_argument(
                "Dropout", "rate", "a float in the range [0, 1]", rate))
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self._generators: dict = {}
        self.supports_masking = True
        self.built = True

    def _generator(self, device: torch.device) -> torch.Generator:
        key = str(device)
        if key not in self._generators:
            self._generators[key] = rng.make_generator(self.seed, device)
        return self._generators[key]

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        if self.rate == 1:
            return torch.zeros_like(inputs)
        if self.noise_shape is None and self.seed is None:
            return F.dropout(inputs, self.rate, training=True)
        shape = self._mask_shape(inputs)
        keep = 1.0 - self.rate
        mask = torch.empty(shape, dtype=inputs.dtype, device=inputs.device)
        if mask.device.type != "meta":
            mask.bernoulli_(keep, generator=self._generator(inputs.device))
        return inputs * mask / keep

    def _mask_shape(self, inputs) -> tuple:
        if self.noise_shape is None:
            return tuple(inputs.shape)
        if len(self.noise_shape) != inputs.ndim:
            raise ValueError(
                f"Layer '{self.name}' (Dropout): `noise_shape` must have the "
                f"input's rank {inputs.ndim}. Received: "
                f"noise_shape={self.noise_shape}"
            )
        return tuple(
            inputs.shape[i] if d is None else d
            for i, d in enumerate(self.noise_shape)
        )

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate,
                "seed": self.seed, "noise_shape": self.noise_shape}

    def extra_repr(self) -> str:
        return f"rate={self.rate}"
