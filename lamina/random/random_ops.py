"""Random ops (`lamina.random.normal`, ...), drawing as Keras's torch
backend draws: a torch generator seeded from `seed` (an int, a
`SeedGenerator`, or None for the global one), so an int seed gives the same
numbers as Keras on the same device."""

from __future__ import annotations

from typing import Any

import torch

from lamina import config
from lamina.ops._convert import to_tensor
from lamina.random.seed_generator import SeedGenerator
from lamina.random.seed_generator import draw_seed
from lamina.random.seed_generator import torch_generator
from lamina.utils.dtype_utils import to_torch_dtype
from lamina.typing import DTypeLike


def _float(dtype: Any) -> torch.dtype:
    return to_torch_dtype(dtype or config.floatx())


def _device() -> torch.device:
    return torch.get_default_device()


def normal(
    shape: Any,
    mean: float = 0.0,
    stddev: float = 1.0,
    dtype: DTypeLike = None,
    seed: Any = None,
) -> Any:
    """Samples from a normal distribution.

    >>> import lamina
    >>> lamina.random.normal((2, 3), seed=1).shape
    torch.Size([2, 3])
    """
    return torch.normal(
        mean,
        stddev,
        size=tuple(shape),
        dtype=_float(dtype),
        device=_device(),
        generator=torch_generator(seed, _device()),
    )


def uniform(
    shape: Any,
    minval: float = 0.0,
    maxval: float = 1.0,
    dtype: DTypeLike = None,
    seed: Any = None,
) -> Any:
    """Samples from a uniform distribution on `[minval, maxval)`."""
    size = tuple(shape) or (1,)
    draw = torch.rand(
        size,
        dtype=_float(dtype),
        device=_device(),
        generator=torch_generator(seed, _device()),
    )
    out = (maxval - minval) * draw + minval
    return out if tuple(shape) else out[0]


def randint(
    shape: Any,
    minval: Any,
    maxval: Any,
    dtype: DTypeLike = "int32",
    seed: Any = None,
) -> Any:
    """Integers drawn uniformly from `[minval, maxval)`."""
    return torch.randint(
        minval,
        maxval,
        tuple(shape),
        dtype=to_torch_dtype(dtype),
        device=_device(),
        generator=torch_generator(seed, _device()),
    )


def truncated_normal(
    shape: Any,
    mean: float = 0.0,
    stddev: float = 1.0,
    dtype: DTypeLike = None,
    seed: Any = None,
) -> Any:
    """Normal samples redrawn (up to 4 candidates) until within two
    standard deviations, as Keras's torch backend draws them."""
    candidates = normal(tuple(shape) + (4,), dtype=dtype, seed=seed)
    valid = (candidates > -2) & (candidates < 2)
    first = valid.max(-1, keepdim=True)[1]
    return candidates.gather(-1, first).squeeze(-1) * stddev + mean


def dropout(
    inputs: torch.Tensor,
    rate: float,
    noise_shape: Any = None,
    seed: Any = None,
) -> Any:
    """Zero entries with probability `rate`, scale the rest by
    `1 / (1 - rate)`."""
    inputs = to_tensor(inputs)
    if rate == 1.0:
        return torch.zeros_like(inputs)
    if rate == 0.0:
        return inputs
    unseeded = seed is None or (
        isinstance(seed, SeedGenerator) and seed._initial_seed is None
    )
    if unseeded and noise_shape is None:
        return torch.nn.functional.dropout(inputs, p=rate, training=True)
    keep = 1.0 - rate
    shape = (
        inputs.shape
        if noise_shape is None
        else [s if n is None else n for s, n in zip(inputs.shape, noise_shape)]
    )
    mask = torch.bernoulli(
        torch.full(tuple(shape), keep, device=inputs.device),
        generator=torch_generator(seed, inputs.device),
    ).bool()
    return torch.where(
        mask.broadcast_to(inputs.shape), inputs / keep, torch.zeros_like(inputs)
    )


def shuffle(x: Any, axis: Any = 0, seed: Any = None) -> Any:
    """Shuffle `x` along `axis` (each slice before `axis` on its own)."""
    x = to_tensor(x)
    order = torch.rand(
        x.shape[: axis + 1],
        device=x.device,
        generator=torch_generator(seed, x.device),
    ).argsort(axis)
    order = order.reshape(order.shape + (1,) * (x.ndim - axis - 1))
    return x.gather(axis, order.expand(x.shape))


def categorical(
    logits: Any,
    num_samples: Any,
    dtype: DTypeLike = "int32",
    seed: Any = None,
) -> Any:
    """Class indices drawn from the softmax of `logits` (per row)."""
    probs = torch.softmax(to_tensor(logits), dim=-1)
    return torch.multinomial(
        probs,
        num_samples,
        replacement=True,
        generator=torch_generator(seed, probs.device),
    ).to(to_torch_dtype(dtype))


def _with_torch_seed(seed, sample):
    # torch.distributions takes no generator: seed torch's global one for
    # the draw and put its state back, as Keras does.
    state = torch.random.get_rng_state()
    torch.manual_seed(draw_seed(seed))
    try:
        return sample()
    finally:
        torch.random.set_rng_state(state)


def gamma(
    shape: Any, alpha: Any, dtype: DTypeLike = None, seed: Any = None
) -> Any:
    """Samples from a gamma distribution of concentration `alpha`."""
    alpha = torch.broadcast_to(torch.as_tensor(alpha), tuple(shape))
    law = torch.distributions.Gamma(alpha, torch.ones(tuple(shape)))
    return _with_torch_seed(seed, law.sample).to(_float(dtype))


def binomial(
    shape: Any,
    counts: Any,
    probabilities: Any,
    dtype: DTypeLike = None,
    seed: Any = None,
) -> Any:
    """Samples from binomial distributions."""
    law = torch.distributions.Binomial(
        total_count=torch.broadcast_to(torch.as_tensor(counts), tuple(shape)),
        probs=torch.broadcast_to(torch.as_tensor(probabilities), tuple(shape)),
    )
    return _with_torch_seed(seed, law.sample).to(_float(dtype))


def beta(
    shape: Any,
    alpha: Any,
    beta: Any,
    dtype: DTypeLike = None,
    seed: Any = None,
) -> Any:
    """Samples from beta distributions."""
    law = torch.distributions.Beta(
        torch.broadcast_to(torch.as_tensor(alpha), tuple(shape)),
        torch.broadcast_to(torch.as_tensor(beta), tuple(shape)),
    )
    return _with_torch_seed(seed, law.sample).to(_float(dtype))
