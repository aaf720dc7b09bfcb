"""The common eager call of a built layer, without `Layer.__call__`'s
phases that cannot apply to it.

Most calls in `fit`, `evaluate` and `predict` are a built layer called on
one float tensor of its compute dtype, with no mask, outside any shape
trace or mixed-precision layer. For those, building, symbolic dispatch,
input conversion and promotion, masks, autocast and activity losses are
all no-ops; checking each per call doubled the engine's own time per layer
call. `is_lean(layer)` answers once per layer whether none of them can
apply (cached in `layer.__dict__["_lean"]`; `Layer.__setattr__` drops the
cache when an attribute it reads changes); `__call__` then checks only what
varies per call (the input and the thread's modes) and runs `lean_call`.
What remains is what every call needs: the input spec, `training`, the
thread-local call context, clearing the last call's losses, and
`nn.Module.__call__` (so hooks and torch.compile see a module call).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from lamina.engine import call_context
from lamina.engine.layer_hooks import raise_with_context

if TYPE_CHECKING:
    from lamina.engine.layer import Layer

# The attributes `is_lean` reads: setting one drops the cached answer.
WATCHED = frozenset(
    {
        "_initialized",
        "built",
        "_is_quantized",
        "_remat_mode",
        "activity_regularizer",
        "_dtype_policy",
        "supports_masking",
    }
)


def is_lean(layer: Layer) -> bool:
    """Whether no phase but the lean ones can apply to `layer`'s calls."""
    lean = layer.__dict__.get("_lean")
    if lean is None:
        from lamina.engine.layer import Layer  # layer.py imports this

        lean = bool(
            layer.__dict__.get("_initialized", False)
            and layer.built
            and not layer._is_quantized
            and layer._remat_mode is None
            and layer.activity_regularizer is None
            and not layer._dtype_policy.is_mixed
            and not layer._call_info["mask"]
            # A mask is computed only from an input mask, unless the layer
            # makes its own (`Masking`, `Embedding(mask_zero=True)`).
            and (
                not layer.supports_masking
                or type(layer).compute_mask is Layer.compute_mask
            )
        )
        layer.__dict__["_lean"] = lean
    return lean


def lean_call(layer: Layer, x: Any, kwargs: dict[str, Any]) -> Any:
    """`Layer.__call__` for a lean layer on one tensor `x` of its compute
    dtype, without a mask, outside a trace and a mixed-precision call."""
    if layer.input_spec is not None:
        layer._check_input_spec(x)
    if layer._call_info["training"]:
        training = kwargs["training"] = layer._resolve_training(kwargs)
    else:  # a `call` without `training` still passes it to sublayers
        training = kwargs.pop("training", None)
    token = call_context.enter(training)
    try:
        if layer._losses:
            layer._losses.clear()
        return nn.Module.__call__(layer, x, **kwargs)
    except Exception as error:  # noqa: BLE001 - re-raised with context
        raise_with_context(layer, error, (x,), kwargs)
    finally:
        call_context.leave(token)


def accepts(
    layer: Layer, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> bool:
    """Whether this call of `layer` can take `lean_call`."""
    if not (
        len(args) == 1
        and type(args[0]) is torch.Tensor  # not symbolic, not a subclass
        and (not kwargs or (len(kwargs) == 1 and "training" in kwargs))
        and is_lean(layer)
        and args[0].dtype is layer._compute_torch_dtype
    ):
        return False
    state = call_context.state
    return (
        state.trace is None
        and not state.autocast_depth
        and getattr(args[0], "_keras_mask", None) is None
    )
