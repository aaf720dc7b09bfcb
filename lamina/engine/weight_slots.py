"""The weight-slot protocol: what file formats read and write.

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

from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from lamina.utils.dtype_utils import tensor_to_numpy


class WeightSlot(NamedTuple):
    """One weight: its owner module, attribute name and tensor."""

    owner: nn.Module
    attr: str
    tensor: torch.Tensor

    @property
    def shape(self) -> tuple:
        return tuple(self.tensor.shape)

    def to_array(self) -> np.ndarray:
        """The weight as a NumPy array (a copy, Keras's layout)."""
        return tensor_to_numpy(self.tensor)


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
    own = getattr(module, "_own_file_entries", None)
    if own is None:
        return plain_slots(module)
    return [WeightSlot(*entry) for entry in own()]


def all_slots(module: nn.Module) -> list[WeightSlot]:
    """Every weight of `module` and its submodules, in Keras order, each
    once (Keras's `layer.weights` order)."""
    entries = getattr(module, "_keras_entries", None)
    if entries is not None:
        return [WeightSlot(*entry) for entry in entries()]
    return [slot for m in module.modules() for slot in plain_slots(m)]


def trainable_tensors(module: nn.Module) -> list[torch.Tensor]:
    """The weights training updates: a layer's `trainable_weights`, or a
    plain module's parameters that require grad."""
    weights = getattr(module, "trainable_weights", None)
    if weights is not None:
        return list(weights)
    return [p for p in module.parameters() if p.requires_grad]
