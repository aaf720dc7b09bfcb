"""Nested-structure helpers (lists, tuples, dicts) used across lamina."""

from __future__ import annotations

from typing import Any, Callable


def is_nested(x: Any) -> bool:
    return isinstance(x, (list, tuple, dict))


def flatten(structure: Any) -> list:
    """Leaves in order; dicts are walked in sorted key order, as Keras does."""
    if isinstance(structure, dict):
        out = []
        for key in sorted(structure):
            out.extend(flatten(structure[key]))
        return out
    if isinstance(structure, (list, tuple)):
        out = []
        for item in structure:
            out.extend(flatten(item))
        return out
    return [structure]


def map_structure(fn: Callable, structure: Any) -> Any:
    """Apply `fn` to every leaf, keeping the structure."""
    if isinstance(structure, dict):
        return type(structure)(
            (k, map_structure(fn, v)) for k, v in structure.items()
        )
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return type(structure)(*[map_structure(fn, v) for v in structure])
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(fn, v) for v in structure)
    return fn(structure)


def pack_sequence_as(structure: Any, flat: list) -> Any:
    """Inverse of `flatten`: rebuild `structure` with leaves from `flat`."""
    it = iter(flat)

    def rebuild(s):
        if isinstance(s, dict):
            built = {k: rebuild(s[k]) for k in sorted(s)}
            return type(s)((k, built[k]) for k in s)
        if isinstance(s, (list, tuple)):
            items = [rebuild(v) for v in s]
            if isinstance(s, tuple) and hasattr(s, "_fields"):
                return type(s)(*items)
            return type(s)(items)
        return next(it)

    return rebuild(structure)
