"""The weight-slot protocol: every path between weights and arrays.

A weight slot is one weight as `(owner, attr, tensor)`: the module that
holds it, its attribute name there, and the tensor, which has Keras's
shape and element order. `get_weights`/`set_weights`/`count_params`,
`.keras`, `.weights.h5` and legacy `.h5` all go through the slots of a
module, in Keras's order:

- a lamina layer lists its own weights trainable first, aliases of its
  sublayers' weights included (as a `.keras` file stores them);
- a plain `torch.nn.Module` (the one adapter) lists its parameters, then
  its buffers, in registration order.

`saving` uses only these functions, never the engine's private state.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import numpy as np
import torch
from torch import nn

from lamina.engine import quantization_hooks
from lamina.engine.weight_listing import walk_layers
from lamina.engine.weights import (
    is_layer,
    keras_name,
    keras_order,
    weight_tensor,
)
from lamina.errors import format_shape
from lamina.runtime import weight_placement
from lamina.utils.dtype_utils import numpy_to_tensor, tensor_to_numpy


class WeightSlot(NamedTuple):
    """One weight: its owner module, attribute name and tensor."""

    owner: nn.Module
    attr: str
    tensor: torch.Tensor

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.tensor.shape)

    def to_array(self) -> np.ndarray:
        """The weight as a NumPy array (a copy, Keras's layout)."""
        return tensor_to_numpy(self.tensor)

    def assign(self, value: Any) -> None:
        """Copy the Keras-layout array `value` (shape already checked)
        into the weight, in its dtype and on its device (a sharded weight
        keeps its own shard)."""
        tensor = self.tensor
        weight_placement.assign(tensor, numpy_to_tensor(value, tensor.dtype))


def plain_slots(module: nn.Module) -> list[WeightSlot]:
    """A plain torch module's own parameters, then buffers."""
    return [
        WeightSlot(module, attr, tensor)
        for attr, tensor in list(module.named_parameters(recurse=False))
        + list(module.named_buffers(recurse=False))
    ]


def own_slots(module: nn.Module) -> list[WeightSlot]:
    """`module`'s own weights (not its sublayers'), in the order Keras's
    files store them (`weights` order; a quantized layer's handler names
    its own)."""
    if not is_layer(module):
        return plain_slots(module)
    return _slots(module, quantization_hooks.file_order(module))


def all_slots(module: nn.Module) -> list[WeightSlot]:
    """Every weight of `module` and its submodules, in Keras order, each
    once (Keras's `layer.weights` order): a tensor listed twice (an alias)
    appears at its first place."""
    if not is_layer(module):
        return [slot for m in module.modules() for slot in plain_slots(m)]
    slots, seen = [], set()
    for m in walk_layers(module):
        if is_layer(m):
            found = _slots(m, keras_order(m))
        else:  # the plain-torch adapter
            found = plain_slots(m)
        for slot in found:
            if id(slot.tensor) not in seen:
                seen.add(id(slot.tensor))
                slots.append(slot)
    return slots


def _slots(layer: Any, attrs: list[str]) -> list[WeightSlot]:
    return [WeightSlot(layer, a, weight_tensor(layer, a)) for a in attrs]


def trainable_tensors(module: nn.Module) -> list[torch.Tensor]:
    """The weights training updates: a layer's `trainable_weights`, or a
    plain module's parameters that require grad."""
    found = getattr(module, "trainable_weights", None)
    if found is not None:
        return list(found)
    return [p for p in module.parameters() if p.requires_grad]


# -- Layer.get_weights / set_weights / count_params -----------------------


def get_weights(module: nn.Module) -> list[np.ndarray]:
    """The weights as NumPy arrays, in Keras's order and layout."""
    return [slot.to_array() for slot in all_slots(module)]


def set_weights(module: nn.Module, weights: Iterable[Any]) -> None:
    """Set the weights from NumPy arrays in Keras's order and layout.

    The count and every shape are checked first, and one error lists
    every mismatch; nothing changes unless all match."""
    slots = all_slots(module)
    values = [np.asarray(w) for w in weights]
    name = owner_name(module)
    if len(values) != len(slots):
        raise ValueError(
            f"You called `set_weights(weights)` on layer '{name}' with a "
            f"weight list of length {len(values)}, but the layer was "
            f"expecting {len(slots)} weights. Layer '{name}' "
            f"({type(module).__name__}) expected {len(slots)} weights of "
            f"shapes {[s.shape for s in slots]}, but received "
            f"{len(values)} weights of shapes {[v.shape for v in values]}."
        )
    check_shapes(slots, [v.shape for v in values], f"Layer {name}")
    for slot, value in zip(slots, values):
        slot.assign(value)


def count_params(module: nn.Module) -> int:
    """The number of scalars in all weights; the layer must be built."""
    if not getattr(module, "built", True):
        raise ValueError(
            f"You tried to call `count_params` on layer '{owner_name(module)}'"
            ", but the layer isn't built. You can build it manually via: "
            "`layer.build(input_shape)`."
        )
    return int(sum(slot.tensor.numel() for slot in all_slots(module)))


def check_shapes(
    slots: list[WeightSlot], shapes: list[tuple[int, ...]], where: str
) -> None:
    """A ValueError that names, for every slot whose shape is not the
    matching one of `shapes`, the weight, its layer, the expected (Keras)
    shape and the received one.

    A received shape that is a reordering of the expected one is most
    likely a kernel in torch's layout, and the message says so."""
    bad = [
        (slot, tuple(int(d) for d in shape))
        for slot, shape in zip(slots, shapes)
        if tuple(int(d) for d in shape) != slot.shape
    ]
    if not bad:
        return
    first, received = bad[0]
    details = "; ".join(
        f"weight '{keras_name(s.owner, s.attr)}' of layer "
        f"'{owner_name(s.owner)}', expected Keras shape "
        f"{format_shape(s.shape)}, received {format_shape(shape)}"
        for s, shape in bad
    )
    hint = ""
    if any(sorted(r) == sorted(s.shape) and len(r) > 1 for s, r in bad):
        hint = (
            " A received array holds the same sizes in another "
            "order: lamina weights use Keras's layout (e.g. Conv2D "
            "kernels (kh, kw, in, out), LSTM kernels (input_dim, "
            "4 * units)), not torch's; convert torch-layout arrays "
            "before setting them."
        )
    raise ValueError(
        f"{where} weight shape {format_shape(first.shape)} is not "
        f"compatible with provided weight shape {format_shape(received)} "
        f"({len(bad)} mismatch{'es' if len(bad) > 1 else ''}: {details})."
        f"{hint}"
    )


def owner_name(owner: Any) -> str:
    """A layer's name, or a plain module's class name."""
    name = getattr(owner, "name", None)
    return name if isinstance(name, str) else type(owner).__name__
