"""`InputSpec`: the shape contract of a layer's inputs, checked in one place.

Layers declare what they accept (rank, fixed axis sizes); `Layer.__call__`
checks it before `call` runs, so no layer hand-writes shape checks and no
bad shape surfaces as a torch error from deep inside.
"""

from __future__ import annotations

from typing import Any

from lamina.errors import format_shape
from lamina.utils import tree


class InputSpec:
    """Specifies the rank, dtype and shape of every input to a layer.

    Args:
        dtype: expected dtype name, or None.
        shape: expected shape tuple (`None` entries are free), or None.
        ndim: expected rank, or None.
        max_ndim: maximum rank, or None.
        min_ndim: minimum rank, or None.
        axes: dict mapping axis indices to expected sizes (or None).
        allow_last_axis_squeeze: accept a trailing axis of size 1 more or
            less than `ndim`/`shape` says.
        name: the input's name, for dict inputs.
        optional: whether the input may be None.

    Example:

    >>> import lamina
    >>> spec = lamina.InputSpec(min_ndim=2, axes={-1: 4})
    >>> spec.min_ndim, spec.axes
    (2, {-1: 4})
    """

    def __init__(
        self,
        dtype: str | None = None,
        shape: tuple[int | None, ...] | None = None,
        ndim: int | None = None,
        max_ndim: int | None = None,
        min_ndim: int | None = None,
        axes: dict[int, int | None] | None = None,
        allow_last_axis_squeeze: bool = False,
        name: str | None = None,
        optional: bool = False,
    ):
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        if self.axes and self.ndim is not None:
            top = max(self.axes)
            if top >= self.ndim:
                raise ValueError(
                    f"Axis {top} is greater than the maximum allowed value: "
                    f"{self.ndim - 1}"
                )

    def get_config(self) -> dict[str, Any]:
        return {
            "dtype": self.dtype,
            "shape": self.shape,
            "ndim": self.ndim,
            "max_ndim": self.max_ndim,
            "min_ndim": self.min_ndim,
            "axes": self.axes,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "InputSpec":
        return cls(**config)

    def __repr__(self) -> str:
        fields = [f"{k}={v}" for k, v in self.get_config().items() if v]
        return f"InputSpec({', '.join(fields)})"


def _fail(layer: Any, index: int, what: str, shape: Any) -> None:
    raise ValueError(
        f"Input {index} of layer '{layer.name}' ({type(layer).__name__}) is "
        f"incompatible with the layer: {what}, found ndim={len(shape)}. "
        f"Full shape received: {format_shape(shape)}"
    )


def _check_one(
    spec: InputSpec, shape: tuple[int | None, ...], layer: Any, index: int
) -> None:
    ndim = len(shape)
    if spec.ndim is not None and not spec.allow_last_axis_squeeze:
        if ndim != spec.ndim:
            _fail(layer, index, f"expected ndim={spec.ndim}", shape)
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        _fail(layer, index, f"expected max_ndim={spec.max_ndim}", shape)
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        _fail(layer, index, f"expected min_ndim={spec.min_ndim}", shape)
    for axis, value in spec.axes.items():
        if value is None:
            continue
        if -ndim <= axis < ndim and shape[axis] not in (value, None):
            raise ValueError(
                f"Input {index} of layer '{layer.name}' "
                f"({type(layer).__name__}) is incompatible with the layer: "
                f"expected axis {axis} of input shape to have value {value}, "
                f"but received input with shape {format_shape(shape)}"
            )
    if spec.shape is not None and not spec.allow_last_axis_squeeze:
        for expected, got in zip(spec.shape, shape):
            if expected is not None and got is not None and expected != got:
                raise ValueError(
                    f"Input {index} of layer '{layer.name}' "
                    f"({type(layer).__name__}) is incompatible with the "
                    f"layer: expected shape={format_shape(spec.shape)}, "
                    f"found shape={format_shape(shape)}"
                )


def assert_input_compatibility(
    input_spec: Any, inputs: Any, layer: Any
) -> None:
    """Raise a ValueError naming `layer` when `inputs` break `input_spec`."""
    if not input_spec:
        return
    specs = tree.flatten(input_spec)
    flat = tree.flatten(inputs)
    if len(flat) != len(specs):
        raise ValueError(
            f"Layer '{layer.name}' ({type(layer).__name__}) expects "
            f"{len(specs)} input(s), but it received {len(flat)} input "
            f"tensors. Inputs received: {inputs}"
        )
    for index, (spec, x) in enumerate(zip(specs, flat)):
        if spec is None or x is None:
            continue
        shape = getattr(x, "shape", None)
        if shape is None:
            raise TypeError(
                f"Inputs to layer '{layer.name}' ({type(layer).__name__}) "
                f"should be tensors. Received: inputs={x!r}"
            )
        _check_one(spec, tuple(shape), layer, index)
