"""Weight ownership for `Layer`: creation, tracking, weight I/O.

Weights are native: each is a `Variable` (an `nn.Parameter`; non-trainable
ones do not require grad), registered under its Keras name (`kernel`,
`bias`) so `state_dict()`, `.to()`, DDP and optimizers see it. Per-weight
metadata (Keras name, regularizer, constraint) lives in a small dict on the
layer, never in a wrapper around the tensor.

Every stored weight has Keras's shape and element order (a layer whose
torch kernel wants another layout makes a view inside `call`), so weight
I/O copies values as they are. `runtime.weight_placement` may shard a new
weight (a `ModelParallel` distribution's layout)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import torch
from torch import nn

from lamina.engine import mixin_host, name_scope
from lamina.engine.variable import Variable
from lamina.runtime import weight_placement
from lamina.utils.dtype_utils import standardize_dtype, to_torch_dtype


class WeightsMixin(mixin_host.ModuleHost):
    """Weight creation and Keras-layout access, mixed into `Layer` only."""

    def _init_weights_state(self) -> None:
        # attribute name -> {"name", "trainable", "regularizer", "constraint"}
        self._weight_info: dict[str, dict] = {}

    def add_weight(
        self,
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
        """Create a weight and register it on this layer.

        Every weight is a `Variable` (an `nn.Parameter`); non-trainable
        ones do not require grad. All appear in `state_dict()`.

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
        from lamina import constraints, initializers, regularizers

        shape = () if shape is None else tuple(int(d) for d in shape)
        dtype = standardize_dtype(dtype or self.variable_dtype)
        if initializer is None:
            initializer = (
                "glorot_uniform"
                if dtype.startswith(("float", "bfloat"))
                else "zeros"
            )
        init = initializers.get(initializer)
        value = (
            init(shape, dtype=dtype)
            if not isinstance(init, torch.Tensor)
            else init
        )
        value = torch.as_tensor(value, dtype=to_torch_dtype(dtype))
        device = getattr(self, "_build_device", None)
        if device is not None:
            value = value.to(device)
        attr = self._free_attribute(name or "variable")
        variable = Variable(
            value, requires_grad=bool(trainable) and self.trainable
        )
        with name_scope.layer_scope(self):
            _set_name(variable, name or attr, name_scope.current_path())
        self.register_parameter(attr, weight_placement.place(variable))
        # The optimizer applies `constraint` after each update, as Keras's
        # optimizers read `variable.constraint`.
        variable.constraint = constraints.get(constraint)
        self._weight_info[attr] = {
            "name": name or attr,
            "trainable": bool(trainable),
            "regularizer": regularizers.get(regularizer),
            "constraint": constraints.get(constraint),
            "initializer": init,
        }
        return getattr(self, attr)

    def _free_attribute(self, name: str) -> str:
        attr, i = name, 0
        while (
            attr in self._weight_info
            or attr in self._parameters
            or (
                attr in self._buffers
                or attr in self._modules
                or attr in self.__dict__
                or hasattr(type(self), attr)
            )
        ):
            i += 1
            attr = f"{name}_{i}"
        return attr

    def __setattr__(self, key: str, value: Any) -> None:
        info = self.__dict__.get("_weight_info")
        if info and isinstance(value, torch.Tensor) and key not in info:
            old = self._weight_attr_of(value)
            if old is not None:
                # `self.w = self.add_weight(...)`: keep one registration,
                # under the attribute the user chose.
                self._rename_weight(old, key)
                return
        if (
            info is not None
            and isinstance(value, Variable)
            and key not in info
            and self._track_alias(key, value)
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
        super().__setattr__(key, value)

    def _track_alias(self, key: str, value: Variable) -> bool:
        """`self.kernel = self.layer.kernel`: Keras tracks a sublayer's
        variable assigned to an attribute as this layer's own too (it is
        listed and saved under both). Record it as an alias: torch keeps
        one registration (the sublayer's), so nothing is counted twice."""
        for module in self.modules():
            if module is self or not isinstance(module, WeightsMixin):
                continue
            attr = module._weight_attr_of(value)
            if attr is not None:
                meta = module._weight_info[attr]
                self._weight_info[key] = {
                    "name": meta["name"],
                    "trainable": meta["trainable"],
                    "regularizer": None,
                    "constraint": None,
                    "initializer": None,
                    "alias": (module, attr),
                }
                object.__setattr__(self, key, value)
                return True
        return False

    def _weight_tensor(self, attr: str) -> torch.Tensor | None:
        alias = self._weight_info[attr].get("alias")
        if alias is not None:
            return alias[0]._weight_tensor(alias[1])
        return self._parameters.get(attr)

    def _weight_attr_of(self, tensor: torch.Tensor) -> str | None:
        for attr in self._weight_info:
            if self._weight_tensor(attr) is tensor:
                return attr
        return None

    def _rename_weight(self, old: str, new: str) -> None:
        meta = self._weight_info.pop(old)
        if meta.get("alias") is not None:
            self.__dict__.pop(old, None)
            self._weight_info[new] = meta
            object.__setattr__(self, new, self._weight_tensor(new))
            return
        self._parameters[new] = self._parameters.pop(old)
        if meta["name"] == old and old.startswith("variable"):
            meta["name"] = new
        self._weight_info[new] = meta

    # -- listing -----------------------------------------------------------

    def _own_weights(self, trainable: bool | None = None) -> list:
        out = []
        for attr, meta in self._weight_info.items():
            tensor = self._weight_tensor(attr)
            if tensor is None:
                continue
            if trainable is None or meta["trainable"] == trainable:
                out.append(tensor)
        return out

    def _walk_layers(self) -> Iterator[nn.Module]:
        return walk_layers(self)

    def _collect(self, trainable: bool | None) -> list:
        out, seen = [], set()
        for module in self._walk_layers():
            if isinstance(module, WeightsMixin):
                if trainable is None:
                    tensors = module._own_weights(True) + module._own_weights(
                        False
                    )
                else:
                    tensors = [
                        w
                        for w in module._own_weights()
                        if module._is_trainable_weight(w) == trainable
                    ]
            else:
                tensors = list(module.parameters(recurse=False)) + list(
                    module.buffers(recurse=False)
                )
                if trainable is not None:
                    tensors = [
                        w for w in tensors if _torch_trainable(w) == trainable
                    ]
            for t in tensors:
                if id(t) not in seen:
                    seen.add(id(t))
                    out.append(t)
        return out

    def _is_trainable_weight(self, tensor: torch.Tensor) -> bool:
        attr = self._weight_attr_of(tensor)
        if attr is None or not self._trainable:
            return False
        alias = self._weight_info[attr].get("alias")
        if alias is not None:
            return alias[0]._is_trainable_weight(tensor)
        return self._weight_info[attr]["trainable"]

    @property
    def weights(self) -> list:
        """All weights, Keras order: own trainable, own non-trainable, then
        sublayers'."""
        return self._collect(None)

    @property
    def trainable_weights(self) -> list:
        return self._collect(True)

    @property
    def non_trainable_weights(self) -> list:
        return self._collect(False)

    @property
    def variables(self) -> list:
        return self.weights

    @property
    def trainable_variables(self) -> list:
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list:
        return self.non_trainable_weights

    def _sync_requires_grad(self) -> None:
        for attr, meta in self._weight_info.items():
            p = self._parameters.get(attr)
            if p is not None:
                p.requires_grad_(self._trainable and meta["trainable"])

    def _regularization_losses(self) -> list:
        out = []
        for attr, meta in self._weight_info.items():
            reg = meta["regularizer"]
            if reg is not None:
                out.append(reg(getattr(self, attr)))
        return out

    def _weight_metadata(self) -> list:
        """(owner layer, attribute, info) for every weight, Keras order."""
        out = []
        for module in self._walk_layers():
            if isinstance(module, WeightsMixin):
                for flag in (True, False):
                    for attr, meta in module._weight_info.items():
                        # An alias's owner applies its constraint once.
                        if meta["trainable"] == flag and not meta.get("alias"):
                            out.append((module, attr, meta))
        return out

    # -- weight I/O (through the weight-slot protocol) ----------------------

    def get_weights(self) -> list:
        """The weights as NumPy arrays, in Keras's order and layout."""
        from lamina.engine import weight_slots

        return weight_slots.get_weights(self)

    def set_weights(self, weights: list) -> None:
        """Set the weights from NumPy arrays in Keras's order and layout.

        Every shape is checked before any weight changes."""
        from lamina.engine import weight_slots

        weight_slots.set_weights(self, weights)

    def count_params(self) -> int:
        """The number of scalars in all weights (the layer must be built)."""
        from lamina.engine import weight_slots

        return weight_slots.count_params(self)

    def apply_constraints(self) -> None:
        """Apply every weight constraint in place (after an update)."""
        with torch.no_grad():
            for owner, attr, meta in self._weight_metadata():
                if meta["constraint"] is not None:
                    t = getattr(owner, attr)
                    t.copy_(meta["constraint"](t))

    def reset_parameters(self) -> None:
        """Re-run every weight's initializer (PyTorch's convention)."""
        with torch.no_grad():
            for owner, attr, meta in self._weight_metadata():
                t = getattr(owner, attr)
                value = meta["initializer"](
                    tuple(t.shape), dtype=standardize_dtype(t.dtype)
                )
                t.copy_(torch.as_tensor(value, dtype=t.dtype).to(t.device))


def is_layer(module: Any) -> bool:
    """Whether `module` is a lamina layer (it keeps weight metadata)."""
    return isinstance(module.__dict__.get("_weight_info"), dict)


def walk_layers(layer: Any) -> Iterator[nn.Module]:
    """`layer`, then each tracked submodule once, depth first."""
    seen = set()

    def visit(module: nn.Module) -> Iterator[nn.Module]:
        for child in module.children():
            if id(child) in seen:
                continue
            seen.add(id(child))
            yield child
            yield from visit(child)

    yield layer
    yield from visit(layer)


def keras_order(layer: Any) -> list[str]:
    """The attribute names of `layer`'s own weights in Keras order
    (trainable first), aliases of sublayer weights included."""
    info = layer._weight_info
    return [a for a, m in info.items() if m["trainable"]] + [
        a for a, m in info.items() if not m["trainable"]
    ]


def weight_tensor(layer: Any, attr: str) -> torch.Tensor:
    """The tensor of `layer`'s weight `attr` (an alias's, its owner's)."""
    tensor = layer._weight_tensor(attr)
    if tensor is None:
        raise KeyError(f"Layer '{layer.name}' has no weight '{attr}'.")
    return tensor


def keras_name(owner: Any, attr: str) -> str:
    """The Keras name of the weight at `owner.attr`."""
    info = getattr(owner, "_weight_info", {}).get(attr)
    return info["name"] if info else attr


def _set_name(variable: Variable, name: str, scope: str) -> None:
    variable.__dict__["_keras_name"] = name
    variable.__dict__["_keras_path"] = f"{scope}/{name}" if scope else name


def _torch_trainable(t: torch.Tensor) -> bool:
    return isinstance(t, nn.Parameter) and t.requires_grad
