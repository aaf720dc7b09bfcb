"""Shapes between `Layer.__call__` and `build`: the shapes `build`
receives, and symbolic tensors made from shapes (`compute_output_shape`,
`build_from_config`)."""

from __future__ import annotations

from typing import Any

from lamina.engine.symbolic import SymbolicTensor


def _shape_structure(shape: Any) -> Any:
    """Tell a single shape `(None, 3)` from a list of shapes."""
    if isinstance(shape, dict):
        return {k: _shape_structure(v) for k, v in shape.items()}
    if (
        isinstance(shape, (list, tuple))
        and shape
        and all(isinstance(s, (list, tuple)) or s is None for s in shape)
        and any(isinstance(s, (list, tuple)) for s in shape)
    ):
        return [_shape_structure(s) for s in shape]
    return tuple(shape)


def as_build_shape(shapes: Any) -> Any:
    """Shapes as `build` receives them: tuples, lists of tuples."""
    if isinstance(shapes, dict):
        return {k: as_build_shape(v) for k, v in shapes.items()}
    if isinstance(shapes, list) or (
        isinstance(shapes, tuple)
        and shapes
        and all(isinstance(s, tuple) for s in shapes)
    ):
        return [as_build_shape(s) for s in shapes]
    return tuple(shapes) if shapes is not None else None


def specs_from_shapes(shape: Any, dtype: str) -> Any:
    """A shape, or a list/dict of shapes → symbolic tensors alike."""

    def convert(s: Any) -> Any:
        if isinstance(s, dict):
            return {k: convert(v) for k, v in s.items()}
        if isinstance(s, list):
            return [convert(v) for v in s]
        return SymbolicTensor(s, dtype=dtype)

    return convert(_shape_structure(shape))
