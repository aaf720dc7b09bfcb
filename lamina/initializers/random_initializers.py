"""Random initializers: the normal, uniform and truncated-normal draws, the
variance-scaling family (Glorot, He, LeCun) and Orthogonal.

Seeds follow Keras 3: an initializer with an int seed, or with `seed=None`
(which draws a seed once, at construction, from lamina's global generator,
so `lamina.config.set_random_seed` makes it reproducible), returns the same
values every time it is called with the same shape; `clone()` of an
unseeded initializer draws a new seed. For fresh values at every call, pass
a `torch.Generator` as the seed (Keras's `SeedGenerator` role). Draws run
on the CPU with a private generator, never torch's global one, so a seed
gives the same values on every machine.
"""

from __future__ import annotations

import math
import operator
from typing import Any

import torch

from lamina.errors import invalid_argument
from lamina.initializers.initializer import Initializer
from lamina.initializers.initializer import resolve_dtype
from lamina.initializers.initializer import standardize_shape
from lamina.saving import serialization
from lamina.utils import rng


def _work_dtype(dtype: torch.dtype) -> torch.dtype:
    # Low-precision values are drawn in float32, then rounded.
    return torch.float64 if dtype == torch.float64 else torch.float32


def _truncated_normal(shape, mean, stddev, dtype, generator):
    """Keras's torch-backend draw: four standard-normal candidates per
    value, the first within two standard deviations, then scaled."""
    candidates = torch.normal(
        0.0,
        1.0,
        size=tuple(shape) + (4,),
        dtype=dtype,
        device=generator.device,
        generator=generator,
    )
    valid = (candidates > -2) & (candidates < 2)
    first = valid.max(-1, keepdim=True)[1]
    out = candidates.gather(-1, first).squeeze(-1)
    return out.mul_(stddev).add_(mean)


class RandomInitializer(Initializer):
    """Base of the random initializers: seed handling and the draws.

    Args:
        seed: an int, None (a seed drawn once, at construction) or a
            `torch.Generator` (advanced by each call).
    """

    def __init__(self, seed: Any = None):
        self._init_seed = seed
        if isinstance(seed, dict):
            seed = serialization.deserialize_keras_object(seed)
        if seed is None:
            seed = rng.draw_seed()
        elif not isinstance(seed, torch.Generator):
            try:
                if isinstance(seed, bool):
                    raise TypeError
                seed = operator.index(seed)
            except TypeError:
                raise ValueError(
                    invalid_argument(
                        type(self),
                        "seed",
                        "an int, None or a torch.Generator",
                        seed,
                    )
                ) from None
        self.seed = seed

    def _draw(self, kind: str, shape: Any, dtype: Any, a: float, b: float):
        """Draw `kind` ("normal", "uniform", "truncated_normal") with
        parameters `a`, `b` (mean/stddev or minval/maxval)."""
        shape = standardize_shape(shape, type(self).__name__)
        dtype = self._float_dtype(dtype)
        work = _work_dtype(dtype)
        gen = (
            self.seed
            if isinstance(self.seed, torch.Generator)
            else (rng.make_generator(self.seed))
        )
        # The draws and the order of operations of Keras's torch backend,
        # so seeded values are bit-identical (torch's `uniform_` computes
        # `a + (b - a) * u` in another order and differs by one ulp; its
        # `trunc_normal_` is another algorithm).
        if kind == "normal":
            out = torch.normal(
                a, b, size=shape, dtype=work, device=gen.device, generator=gen
            )
        elif kind == "uniform":
            out = (b - a) * torch.rand(
                shape, dtype=work, device=gen.device, generator=gen
            ) + a
        else:
            out = _truncated_normal(shape, a, b, work, gen)
        return out.to(dtype)

    def _float_dtype(self, dtype: Any) -> torch.dtype:
        dtype = resolve_dtype(dtype)
        if not dtype.is_floating_point:
            raise ValueError(
                invalid_argument(
                    type(self), "dtype", "a floating-point dtype", dtype
                )
            )
        return dtype

    def get_config(self) -> dict:
        seed = self._init_seed
        if isinstance(seed, torch.Generator):
            seed = None  # a generator's state is not part of the config
        return {"seed": serialization.serialize_keras_object(seed)}


class RandomNormal(RandomInitializer):
    """Initializer drawing from a normal distribution.

    Args:
        mean: the mean.
        stddev: the standard deviation.
        seed: an int, None or a `torch.Generator` (see the module doc).

    Example:

    >>> import lamina
    >>> init = lamina.initializers.RandomNormal(stddev=1.0, seed=1)
    >>> init((2, 2)).shape
    torch.Size([2, 2])
    """

    def __init__(
        self, mean: float = 0.0, stddev: float = 0.05, seed: Any = None
    ):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> torch.Tensor:
        """A tensor of `shape` drawn from N(mean, stddev**2)."""
        return self._draw("normal", shape, dtype, self.mean, self.stddev)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "mean": self.mean,
            "stddev": self.stddev,
        }


class TruncatedNormal(RandomInitializer):
    """Initializer drawing from a normal distribution truncated to two
    standard deviations around the mean.

    Args:
        mean: the mean of the untruncated normal.
        stddev: the standard deviation of the untruncated normal.
        seed: an int, None or a `torch.Generator` (see the module doc).

    Example:

    >>> import lamina
    >>> w = lamina.initializers.TruncatedNormal(stddev=1.0, seed=1)((100,))
    >>> bool(w.abs().max() <= 2.0)
    True
    """

    def __init__(
        self, mean: float = 0.0, stddev: float = 0.05, seed: Any = None
    ):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> torch.Tensor:
        """A tensor of `shape` drawn from the truncated normal."""
        return self._draw(
            "truncated_normal", shape, dtype, self.mean, self.stddev
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "mean": self.mean,
            "stddev": self.stddev,
        }


class RandomUniform(RandomInitializer):
    """Initializer drawing from a uniform distribution on
    `[minval, maxval)`.

    Args:
        minval: the lower bound.
        maxval: the upper bound.
        seed: an int, None or a `torch.Generator` (see the module doc).

    Example:

    >>> import lamina
    >>> w = lamina.initializers.RandomUniform(0.0, 1.0, seed=1)((100,))
    >>> bool((w >= 0).all() and (w < 1).all())
    True
    """

    def __init__(
        self, minval: float = -0.05, maxval: float = 0.05, seed: Any = None
    ):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> torch.Tensor:
        """A tensor of `shape` drawn uniformly from `[minval, maxval)`."""
        return self._draw("uniform", shape, dtype, self.minval, self.maxval)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "minval": self.minval,
            "maxval": self.maxval,
        }


class Orthogonal(RandomInitializer):
    """Initializer producing a random orthogonal matrix.

    The shape is flattened to `(prod(shape[:-1]), shape[-1])`; the result
    has orthonormal rows or columns (whichever are fewer), from the QR
    decomposition of a normal matrix, then is multiplied by `gain`.

    Args:
        gain: multiplicative factor applied to the orthogonal matrix.
        seed: an int, None or a `torch.Generator` (see the module doc).

    Example:

    >>> import torch, lamina
    >>> w = lamina.initializers.Orthogonal(seed=1)((4, 3))
    >>> torch.allclose(w.T @ w, torch.eye(3), atol=1e-5)
    True

    Reference:

    - [Saxe et al., 2014](https://arxiv.org/abs/1312.6120)
    """

    def __init__(self, gain: float = 1.0, seed: Any = None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> torch.Tensor:
        """A (scaled) orthogonal tensor of `shape` (rank 2 or more)."""
        shape = standardize_shape(shape, type(self).__name__)
        if len(shape) < 2:
            raise ValueError(
                "The tensor to initialize must be at least two-dimensional. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        rows, cols = math.prod(shape[:-1]), shape[-1]
        flat = (max(rows, cols), min(rows, cols))
        dtype = self._float_dtype(dtype)
        a = self._draw("normal", flat, _work_dtype(dtype), 0.0, 1.0)
        q, r = torch.linalg.qr(a)
        # Signs of R's diagonal make Q uniformly distributed (Haar).
        q = q * torch.sign(torch.diagonal(r))
        if rows < cols:
            q = q.T
        return (self.gain * q).reshape(shape).to(dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "gain": self.gain}
