"""`TimeDistributed`: applies a layer to every timestep of its input."""

from __future__ import annotations

from typing import Any

from lamina.engine.input_spec import InputSpec
from lamina.errors import format_shape
from lamina.layers.core.wrapper import Wrapper
from lamina.layers.core.wrapper import build_child
from lamina.utils import tree
import torch


class TimeDistributed(Wrapper):
    """Applies the same layer (same weights) to every temporal slice of an
    input `(batch, timesteps, ...)`.

    The batch and time axes are merged, the layer runs once on
    `(batch · timesteps, ...)` and the result is split back: one kernel
    call instead of one per timestep, with the same numbers for layers
    that treat samples independently (Dense, Conv, pooling, dropout...).
    A mask `(batch, timesteps, ...)` is passed on (merged the same way) to
    a layer whose `call` takes one, and is the output mask.

    Args:
        layer: a `Layer` instance.

    Call arguments:
        inputs: `(batch, timesteps, ...)`.
        training: passed to the layer if its `call` takes it.
        mask: boolean `(batch, timesteps, ...)`.

    Input shape:
        N-D tensor `(batch, timesteps, ...)`, N >= 3.

    Output shape:
        `(batch, timesteps) + ` the layer's output shape without its batch
        axis.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.TimeDistributed(lamina.layers.Dense(8))
    >>> layer(torch.ones(32, 10, 16)).shape
    torch.Size([32, 10, 8])
    >>> [w.shape for w in layer.get_weights()]
    [(16, 8), (8,)]
    """

    def __init__(self, layer: Any, **kwargs: Any):
        super().__init__(layer, **kwargs)
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=3)

    def build(self, input_shape: Any) -> None:
        shape = tuple(input_shape)
        if len(shape) < 3:
            raise ValueError(
                f"Layer '{self.name}' (TimeDistributed) needs inputs of rank "
                f">= 3 (batch, timesteps, ...). Received: input_shape="
                f"{format_shape(shape)}"
            )
        build_child(self, self.layer, (shape[0],) + shape[2:])

    def call(
        self,
        inputs: Any,
        training: bool | None = None,
        mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        batch, steps = inputs.shape[0], inputs.shape[1]
        kwargs: dict[str, Any] = {}
        if self.layer._call_info["training"]:
            kwargs["training"] = training
        if mask is not None:
            self._check_mask(inputs, mask)
            if self.layer._call_info["mask"]:
                kwargs["mask"] = mask.reshape(batch * steps, *mask.shape[2:])
        outputs = self.layer(
            inputs.reshape(batch * steps, *inputs.shape[2:]), **kwargs
        )
        return tree.map_structure(
            lambda y: y.reshape(batch, steps, *y.shape[1:]), outputs
        )

    def _check_mask(self, inputs, mask) -> None:
        if mask.ndim < 2 or tuple(mask.shape[:2]) != tuple(inputs.shape[:2]):
            raise ValueError(
                f"Layer '{self.name}' (TimeDistributed) expects a mask "
                "starting with the (batch, timesteps) axes of its inputs "
                f"{format_shape(inputs.shape[:2])}. Received: mask.shape="
                f"{format_shape(mask.shape)}"
            )
