"""Rematerialization (gradient checkpointing): `remat` and `RematScope`.

A rematerialized call keeps no intermediate activations for the backward
pass and recomputes them there (`torch.utils.checkpoint`, non-reentrant,
with the RNG state restored so dropout masks repeat), trading compute for
memory. Layers created inside a `RematScope` remember its mode and apply
it on every call, as in Keras.
"""

from __future__ import annotations

import collections
import functools
import math
import threading
from typing import Any, Callable

import torch
import torch.utils.checkpoint

from lamina.utils import tree

RematMode = collections.namedtuple(
    "RematMode", ["mode", "output_size_threshold", "layer_names"]
)
_MODES = ("full", "activations", "larger_than", "list_of_layers", None)
_local = threading.local()


def remat(f: Callable[..., Any]) -> Callable[..., Any]:
    """`f`, recomputed in the backward pass instead of storing its
    intermediate results (Keras's `keras.remat`).

    Example:

    >>> import torch, lamina
    >>> x = torch.ones(3, requires_grad=True)
    >>> y = lamina.remat(lambda t: torch.sin(t) * 2)(x)
    >>> y.sum().backward()
    >>> torch.allclose(x.grad, 2 * torch.cos(x))
    True
    """

    @functools.wraps(f)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        return torch.utils.checkpoint.checkpoint(
            f, *args, use_reentrant=False, **kwargs
        )

    return wrapped


class RematScope:
    """Rematerialize the layers created inside the scope (Keras's
    `keras.RematScope`).

    Args:
        mode: `"full"` (every layer), `"activations"` (only the
            `activation` of layers that have one), `"larger_than"` (layers
            whose outputs hold more than `output_size_threshold` values),
            `"list_of_layers"` (layers named in `layer_names`), or None
            (none; nested inside another scope, turns it off).
        output_size_threshold: the size for `"larger_than"`.
        layer_names: the names for `"list_of_layers"`.

    Example:

    >>> import torch, lamina
    >>> with lamina.RematScope(mode="list_of_layers", layer_names=["big"]):
    ...     big = lamina.layers.Dense(4, name="big")
    ...     small = lamina.layers.Dense(4, name="small")
    >>> big._remat_mode.mode, small._remat_mode.mode
    ('list_of_layers', 'list_of_layers')
    """

    def __init__(
        self,
        mode: str | None = "full",
        output_size_threshold: int = 1024,
        layer_names: list[str] | None = None,
    ):
        if mode not in _MODES:
            raise ValueError(
                f"Invalid mode '{mode}'. Supported modes are: 'full', "
                "'activations', 'larger_than', 'list_of_layers', or None."
            )
        self.mode = mode
        self.output_size_threshold = output_size_threshold
        self.layer_names = layer_names or []

    def __enter__(self) -> RematScope:
        if getattr(_local, "stack", None) is None:
            _local.stack = []
        _local.stack.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _local.stack.pop()


def get_current_remat_mode() -> RematMode | None:
    """The innermost `RematScope`'s settings, or None outside any."""
    stack = getattr(_local, "stack", None)
    if not stack:
        return None
    scope = stack[-1]
    return RematMode(scope.mode, scope.output_size_threshold, scope.layer_names)


def layer_call(
    layer: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """`layer.call(*args, **kwargs)` under the layer's remat mode."""
    mode = layer._remat_mode
    call = layer.call
    from lamina.engine import call_context

    # Nothing to save memory on without gradients, nor in a shape trace.
    if (
        not torch.is_grad_enabled()
        or call_context.is_tracing()
        or mode.mode is None
    ):
        return call(*args, **kwargs)
    if mode.mode == "activations":
        activation = getattr(layer, "activation", None)
        if activation is None:
            return call(*args, **kwargs)
        layer.activation = remat(activation)
        try:
            return call(*args, **kwargs)
        finally:
            layer.activation = activation
    chosen = (
        mode.mode == "full"
        or (mode.mode == "list_of_layers" and layer.name in mode.layer_names)
        or (
            mode.mode == "larger_than"
            and _output_size(layer, args, kwargs) > mode.output_size_threshold
        )
    )
    return remat(call)(*args, **kwargs) if chosen else call(*args, **kwargs)


def _output_size(
    layer: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> int:
    """The number of values in the outputs, from the layer's output spec
    on shape-only copies of the inputs (as Keras measures it)."""
    from lamina.engine.symbolic import SymbolicTensor
    from lamina.utils.dtype_utils import standardize_dtype

    def spec(x: Any) -> Any:
        if not isinstance(x, torch.Tensor):
            return x
        return SymbolicTensor(x.shape, standardize_dtype(x.dtype))

    outputs = layer.compute_output_spec(
        *tree.map_structure(spec, args), **tree.map_structure(spec, kwargs)
    )
    return sum(
        math.prod(d or 1 for d in x.shape)
        for x in tree.flatten(outputs)
        if hasattr(x, "shape")
    )
