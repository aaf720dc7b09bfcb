"""Weight ownership for `Layer`: creation, tracking and listing.

Weights are native: each is a `Variable` (an `nn.Parameter`; non-trainable
ones do not require grad), registered under its Keras name (`kernel`,
`bias`) so `state_dict()`, `.to()`, DDP and optimizers see it. Per-weight
metadata (Keras name, regularizer, constraint) lives in a small dict on the
layer (`layer._weight_info`), never in a wrapper around the tensor.

These are plain functions of a layer (`weight_listing.py` lists the
weights); `Layer`'s public methods (`add_weight`, `__setattr__`) are
these functions. Every stored
weight has Keras's shape and element order (a layer whose torch kernel
wants another layout makes a view inside `call`), so weight I/O
(`weight_slots.py`) copies values as they are. `runtime.weight_placement`
may shard a new weight (a `ModelParallel` distribution's layout)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeGuard, cast

import torch
from torch import nn

from lamina.engine import layer_losses, lean_call, name_scope
from lamina.engine.variable import Variable
from lamina.runtime import weight_placement
from lamina.utils.dtype_utils import standardize_dtype, to_torch_dtype

if TYPE_CHECKING:
    from lamina.engine.layer import Layer

# attribute name -> {"name", "trainable", "regularizer", "constraint",
# "initializer"} and, for an alias of a sublayer's weight, "alias".
WeightInfo = dict[str, dict[str, Any]]


def is_layer(module: Any) -> TypeGuard[Layer]:
    """Whether `module` is a lamina layer (it keeps weight metadata)."""
    return isinstance(module.__dict__.get("_weight_info"), dict)


def add_weight(
    layer: Layer,
    shape: Any = None,
    initializer: Any = None,
    dtype: Any = None,
    trainable: bool = True,
    autocast: bool = True,
    regularizer: Any = None,
    constraint: Any = None,
    aggregation: str = "none",
    overwrite_with_gradient: bool = False,
    name: str | None = None,
) -> Variable:
    """Create a weight (a `Variable`, an `nn.Parameter` that does not
    require grad if not trainable) and register it on this layer.

    Args:
        shape: the weight's shape (Keras layout).
        initializer: initializer name, object or callable; defaults to
            `"glorot_uniform"` for floats and `"zeros"` otherwise.
        dtype: defaults to the layer's variable dtype.
        trainable: whether gradients update it.
        regularizer: optional regularizer, added to `layer.losses`.
        constraint: optional constraint, applied after each update.
        name: the Keras name; also the attribute name when free.

    Returns:
        The created `Variable`.
    """
    from lamina import constraints, regularizers

    init, value = _initial_value(layer, shape, initializer, dtype)
    attr = _free_attribute(layer, name or "variable")
    requires_grad = bool(trainable) and layer.trainable
    variable = Variable(value, requires_grad=requires_grad)
    with name_scope.layer_scope(layer):
        _set_name(variable, name or attr, name_scope.current_path())
    layer.register_parameter(attr, weight_placement.place(variable))
    # Keras's optimizers apply `variable.constraint` after each update.
    variable.constraint = constraints.get(constraint)
    layer._weight_info[attr] = {
        "name": name or attr,
        "trainable": bool(trainable),
        "regularizer": regularizers.get(regularizer),
        "constraint": variable.constraint,
        "initializer": init,
    }
    if regularizer is not None:
        layer_losses.mark_source(layer)
    return cast(Variable, getattr(layer, attr))  # maybe a sharded copy


def _initial_value(
    layer: Layer, shape: Any, initializer: Any, dtype: Any
) -> tuple[Any, torch.Tensor]:
    """The resolved initializer and the first value of a new weight, on
    the device of the inputs that build the layer."""
    from lamina import initializers

    shape = () if shape is None else tuple(int(d) for d in shape)
    dtype = standardize_dtype(dtype or layer.variable_dtype)
    if initializer is None:
        floating = dtype.startswith(("float", "bfloat"))
        initializer = "glorot_uniform" if floating else "zeros"
    init = initializers.get(initializer)
    value = (
        init(shape, dtype=dtype) if not isinstance(init, torch.Tensor) else init
    )
    value = torch.as_tensor(value, dtype=to_torch_dtype(dtype))
    device = getattr(layer, "_build_device", None)
    if device is not None:
        value = value.to(device)
    return init, value


def _free_attribute(layer: Layer, name: str) -> str:
    attr, i = name, 0
    while (
        attr in layer._weight_info
        or attr in layer._parameters
        or attr in layer._buffers
        or attr in layer._modules
        or attr in layer.__dict__
        or hasattr(type(layer), attr)
    ):
        i += 1
        attr = f"{name}_{i}"
    return attr


def remove_weight(layer: Layer, attr: str) -> None:
    """Unregister the weight `attr` (a float kernel being replaced)."""
    layer._weight_info.pop(attr)
    layer._parameters.pop(attr)


# -- attribute assignment (`Layer.__setattr__`) ----------------------------


def set_attribute(layer: Layer, key: str, value: Any) -> None:
    """`Layer.__setattr__`: weights and layers assigned to attributes are
    tracked as Keras tracks them, then `nn.Module` registers the value."""
    if key in lean_call.WATCHED:
        layer.__dict__.pop("_lean", None)
        if key == "activity_regularizer" and value is not None:
            layer_losses.mark_source(layer)
    info = layer.__dict__.get("_weight_info")
    if info and isinstance(value, torch.Tensor) and key not in info:
        old = attr_of(layer, value)
        if old is not None:
            # `self.w = self.add_weight(...)`: keep one registration,
            # under the attribute the user chose.
            _rename_weight(layer, old, key)
            return
    if (
        info is not None
        and isinstance(value, Variable)
        and key not in info
        and _track_alias(layer, key, value)
    ):
        return
    if (
        isinstance(value, (list, tuple))
        and value
        and all(isinstance(v, nn.Module) for v in value)
    ):
        value = nn.ModuleList(value)
    elif (
        isinstance(value, dict)
        and value
        and all(
            isinstance(k, str) and isinstance(v, nn.Module)
            for k, v in value.items()
        )
    ):
        value = nn.ModuleDict(value)
    nn.Module.__setattr__(layer, key, value)


def _track_alias(layer: Layer, key: str, value: Variable) -> bool:
    """`self.kernel = self.layer.kernel`: Keras tracks a sublayer's
    variable assigned to an attribute as this layer's own too (it is
    listed and saved under both). Record it as an alias: torch keeps
    one registration (the sublayer's), so nothing is counted twice."""
    for module in layer.modules():
        if module is layer or not is_layer(module):
            continue
        attr = attr_of(module, value)
        if attr is not None:
            meta = module._weight_info[attr]
            layer._weight_info[key] = {
                "name": meta["name"],
                "trainable": meta["trainable"],
                "regularizer": None,
                "constraint": None,
                "initializer": None,
                "alias": (module, attr),
            }
            object.__setattr__(layer, key, value)
            return True
    return False


def _rename_weight(layer: Layer, old: str, new: str) -> None:
    meta = layer._weight_info.pop(old)
    if meta.get("alias") is not None:
        layer.__dict__.pop(old, None)
        layer._weight_info[new] = meta
        object.__setattr__(layer, new, find_tensor(layer, new))
        return
    layer._parameters[new] = layer._parameters.pop(old)
    if meta["name"] == old and old.startswith("variable"):
        meta["name"] = new
    layer._weight_info[new] = meta


# -- lookup ----------------------------------------------------------------


def find_tensor(layer: Any, attr: str) -> torch.Tensor | None:
    """The tensor of `layer`'s weight `attr` (an alias's, its owner's), or
    None once it was removed."""
    alias = layer._weight_info[attr].get("alias")
    if alias is not None:
        return find_tensor(alias[0], alias[1])
    tensor: torch.Tensor | None = layer._parameters.get(attr)
    return tensor


def weight_tensor(layer: Any, attr: str) -> torch.Tensor:
    """The tensor of `layer`'s weight `attr`, which must exist."""
    tensor = find_tensor(layer, attr)
    if tensor is None:
        raise KeyError(f"Layer '{layer.name}' has no weight '{attr}'.")
    return tensor


def attr_of(layer: Any, tensor: torch.Tensor) -> str | None:
    """The attribute under which `layer` holds `tensor`, or None."""
    info: WeightInfo = layer._weight_info
    for attr in info:
        if find_tensor(layer, attr) is tensor:
            return attr
    return None


def keras_name(owner: Any, attr: str) -> str:
    """The Keras name of the weight at `owner.attr`."""
    info = getattr(owner, "_weight_info", {}).get(attr)
    return str(info["name"]) if info else attr


def keras_order(layer: Any) -> list[str]:
    """The attribute names of `layer`'s own weights in Keras order
    (trainable first), aliases of sublayer weights included."""
    info: WeightInfo = layer._weight_info
    return [a for a, m in info.items() if m["trainable"]] + [
        a for a, m in info.items() if not m["trainable"]
    ]


def _set_name(variable: Variable, name: str, scope: str) -> None:
    variable.__dict__["_keras_name"] = name
    variable.__dict__["_keras_path"] = f"{scope}/{name}" if scope else name
