"""Small helpers for plain Python objects."""

from __future__ import annotations


def named_arguments(arguments: dict, *exclude: str) -> dict:
    """A constructor's named arguments, from `locals()` taken on its first
    line.

    A class that spells out Keras's full signature (so positional arguments
    bind as they do in Keras) forwards it to its base without listing every
    name a second time. `self`, `kwargs`, `__class__` and `exclude` are
    left out.

    >>> def f(self, units, activation="tanh", **kwargs):
    ...     return named_arguments(locals(), "units")
    >>> f(None, 4, "relu", name="x")
    {'activation': 'relu'}
    """
    skip = {"self", "kwargs", "__class__", *exclude}
    return {k: v for k, v in arguments.items() if k not in skip}
