"""`SeedGenerator`: the state behind seeded random ops, as in Keras.

Random ops are stateless: `seed=42` gives the same numbers on every call.
A `SeedGenerator` gives new numbers each call: its state is `[seed,
counter]` and each draw uses `seed + counter`, then counts up, as Keras's
torch backend does, so that a generator seeded alike draws the same
numbers as Keras's on the same device. `seed=None` uses one global
generator, re-seeded by `lamina.utils.set_random_seed`.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.engine.naming import auto_name
from lamina.utils import rng


class SeedGenerator:
    """Generates a new seed for each call of a seeded random op.

    Args:
        seed: the initial seed (an int); None draws one from lamina's
            global generator (reproducible after `set_random_seed`).
        name: the generator's name.

    Example:

    >>> import lamina
    >>> gen = lamina.random.SeedGenerator(seed=42)
    >>> a = lamina.random.normal((2,), seed=gen)
    >>> b = lamina.random.normal((2,), seed=gen)
    >>> bool((a != b).any())
    True
    """

    def __init__(
        self, seed: int | None = None, name: str | None = None, **kwargs: Any
    ):
        if kwargs:
            raise ValueError(
                f"Unrecognized keyword arguments for SeedGenerator: "
                f"{sorted(kwargs)}. Received: {kwargs}"
            )
        self.name = name or auto_name("seed_generator")
        self._initial_seed = seed
        if seed is None:
            seed = rng.draw_seed()
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise ValueError(
                f"Argument `seed` of SeedGenerator must be an integer. "
                f"Received: seed={seed!r}"
            )
        self.state = torch.tensor([seed, 0], dtype=torch.int64)

    def next(self, ordered: bool = True) -> torch.Tensor:
        """The current state, then advance it (by one draw, or scrambled
        when not `ordered`, as Keras's global generator does)."""
        current = self.state.clone()
        if ordered:
            self.state[1] += 1
        else:
            self.state.copy_((self.state + 1) * 5387 % 933199)
        return current

    def get_config(self) -> dict:
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> SeedGenerator:
        return cls(**config)


_global: dict = {"generator": None}


def global_seed_generator() -> SeedGenerator:
    """The generator behind `seed=None` (made on first use)."""
    if _global["generator"] is None:
        _global["generator"] = SeedGenerator()
    return _global["generator"]


def reset_global_seed_generator() -> None:
    _global["generator"] = None


rng.on_reseed(reset_global_seed_generator)


def draw_seed(seed: Any) -> int:
    """The 32-bit integer a random op seeds its torch generator with."""
    if isinstance(seed, SeedGenerator):
        first, second = seed.next().tolist()
    elif isinstance(seed, int) and not isinstance(seed, bool):
        first, second = seed, 0
    elif seed is None:
        first, second = global_seed_generator().next(ordered=False).tolist()
    else:
        raise ValueError(
            "Argument `seed` must be either an integer or an instance of "
            f"`SeedGenerator`. Received: seed={seed!r} (of type "
            f"{type(seed).__name__})"
        )
    return int(first + second) & 0xFFFFFFFF


def torch_generator(seed: Any, device: torch.device) -> torch.Generator:
    generator = torch.Generator(device=device)
    generator.manual_seed(draw_seed(seed))
    return generator
