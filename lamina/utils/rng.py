"""Seed handling: explicit seeds per object, one global fallback generator.

Layers and initializers never touch torch's global RNG inside `call`; each
owns a `torch.Generator` seeded from its `seed` argument, or from the global
generator here when `seed` is None.
"""

from __future__ import annotations

from typing import Any

import random
from collections.abc import Callable

import torch

_global = {"rng": random.Random()}
# Called after each re-seed. `lamina.random` registers the reset of its
# global `SeedGenerator` here when it is imported: this module sits below
# `lamina.random` and must not import it.
_on_reseed: list[Callable[[], None]] = []


def on_reseed(callback: Callable[[], None]) -> None:
    """Call `callback()` after every `reset_global_generator`."""
    _on_reseed.append(callback)


def reset_global_generator(seed: int) -> None:
    _global["rng"] = random.Random(seed)
    for callback in _on_reseed:
        callback()


def draw_seed() -> int:
    """A fresh seed from the global generator (set by `set_random_seed`)."""
    return _global["rng"].randrange(0, 2**31 - 1)


def make_generator(seed: Any, device: Any = "cpu") -> torch.Generator:
    """A torch generator on `device` seeded by `seed` (or a drawn seed)."""
    gen = torch.Generator(device=device)
    gen.manual_seed(draw_seed() if seed is None else int(seed))
    return gen
