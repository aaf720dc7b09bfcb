"""`BaseRandomLayer`: seed handling for the layers that draw noise.

With `seed=None` the noise comes from torch's global generator (seeded by
`lamina.config.set_random_seed`), so the layer stays a plain,
`torch.compile`-friendly module; with an integer `seed` the layer draws
from its own generator, one per device, and repeats its sequence.
"""

from __future__ import annotations

import numbers
from typing import Any, Callable

import torch

from lamina.engine.layer import Layer
from lamina.errors import invalid_argument
from lamina.utils import rng


class BaseRandomLayer(Layer):
    """A layer that is random in training and the identity in inference.

    Args:
        seed: optional integer seed.
    """

    def __init__(self, seed: int | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        if seed is not None and not _is_int(seed):
            raise ValueError(
                invalid_argument(
                    type(self).__name__, "seed", "an integer or None", seed
                )
            )
        self.seed = seed
        self._generators: dict = {}
        self.supports_masking = True
        self.built = True

    def _generator(self, device: torch.device) -> torch.Generator | None:
        if self.seed is None:
            return None
        key = str(device)
        if key not in self._generators:
            self._generators[key] = rng.make_generator(self.seed, device)
        return self._generators[key]

    def _uniform(self, shape: tuple, like: torch.Tensor) -> torch.Tensor:
        """Uniform noise in [0, 1) of `shape`, on `like`'s device/dtype."""
        return self._draw(torch.rand, shape, like)

    def _normal(self, shape: tuple, like: torch.Tensor) -> torch.Tensor:
        """Standard normal noise of `shape`, on `like`'s device/dtype."""
        return self._draw(torch.randn, shape, like)

    def _draw(
        self, fn: Callable, shape: tuple, like: torch.Tensor
    ) -> torch.Tensor:
        dtype = like.dtype if like.is_floating_point() else torch.float32
        if like.device.type == "meta":
            # A shape trace needs no numbers (and a CPU generator would
            # refuse the meta device).
            return torch.empty(shape, dtype=dtype, device=like.device)
        return fn(
            shape,
            generator=self._generator(like.device),
            dtype=dtype,
            device=like.device,
        )


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_fraction(owner: str, arg: str, value: Any) -> Any:
    """`value` as a float in [0, 1], or a ValueError naming `owner`."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not 0 <= float(value) <= 1
    ):
        raise ValueError(
            invalid_argument(owner, arg, "a float value between 0 and 1", value)
        )
    return value


def standardize_noise_shape(owner: str, noise_shape: Any) -> tuple | None:
    """`noise_shape` as a tuple of positive ints and `None`s."""
    if noise_shape is None:
        return None
    expected = "a tuple of positive integers or None"
    if isinstance(noise_shape, str):
        raise ValueError(
            invalid_argument(owner, "noise_shape", expected, noise_shape)
        )
    try:
        shape = tuple(noise_shape)
    except TypeError:
        raise ValueError(
            invalid_argument(owner, "noise_shape", expected, noise_shape)
        ) from None
    if not all(d is None or _is_int(d) and d > 0 for d in shape):
        raise ValueError(
            invalid_argument(owner, "noise_shape", expected, noise_shape)
        )
    return shape


def concrete_noise_shape(
    layer: Layer, noise_shape: tuple, inputs: torch.Tensor
) -> tuple:
    """`noise_shape` with its `None` entries taken from `inputs`."""
    if len(noise_shape) != inputs.ndim:
        raise ValueError(
            f"Layer '{layer.name}' ({type(layer).__name__}): `noise_shape` "
            f"must have the input's rank {inputs.ndim}. Received: "
            f"noise_shape={noise_shape}"
        )
    return tuple(
        inputs.shape[i] if d is None else d for i, d in enumerate(noise_shape)
    )
