"""`Merge`: the shared logic of the elementwise merge layers.

`Add`, `Subtract`, `Multiply`, `Average`, `Maximum` and `Minimum` only
write `_merge_function`; `Concatenate` and `Dot` also replace the shape
rule. Shapes follow Keras: inputs are broadcast against each other on
their trailing axes, and an input of lower rank is expanded after the
batch axis (`(batch, 4)` merges with `(batch, 3, 4)`).
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.engine.layer import Layer
from lamina.engine.symbolic import SymbolicTensor
from lamina.errors import format_shape
from lamina.errors import format_value


def broadcast_dims(shape1: tuple, shape2: tuple) -> tuple | None:
    """The broadcast of two shapes aligned on their last axes; `None`
    sizes are unknown (and stay unknown). Returns None if incompatible."""
    if len(shape1) < len(shape2):
        shape1, shape2 = shape2, shape1
    lead = len(shape1) - len(shape2)
    out = list(shape1[:lead])
    for i, j in zip(shape1[lead:], shape2):
        if i is None or j is None:
            out.append(None)
        elif i == 1 or j == 1 or i == j:
            out.append(j if i == 1 else i)
        else:
            return None
    return tuple(out)


def format_shapes(shapes: Any) -> str:
    return "[" + ", ".join(format_shape(s) for s in shapes) + "]"


class Merge(Layer):
    """Base class of the elementwise merge layers.

    Subclasses implement `_merge_function(inputs)`, which receives a list
    of tensors of equal rank.

    Args:
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).
    """

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.supports_masking = True
        self._reshape_required = False

    def _merge_function(self, inputs: list) -> torch.Tensor:
        raise NotImplementedError

    # -- shapes ------------------------------------------------------------

    def _check_list(self, input_shape) -> list:
        if (
            not isinstance(input_shape, (list, tuple))
            or not input_shape
            or not isinstance(input_shape[0], (list, tuple))
        ):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) should be "
                "called on a list of at least 1 input. "
                f"Received: input_shape={input_shape}"
            )
        return [tuple(s) for s in input_shape]

    def _merged_shape(self, input_shape) -> tuple:
        """The output shape; raises when the inputs cannot be merged."""
        shapes = self._check_list(input_shape)
        batch_sizes = {s[0] for s in shapes if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) cannot merge "
                "tensors with different batch sizes. "
                f"Received: input_shape={format_shapes(shapes)}"
            )
        out = shapes[0][1:]
        for shape in shapes[1:]:
            merged = broadcast_dims(out, shape[1:])
            if merged is None:
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}) received "
                    f"inputs with incompatible shapes {format_shape(out)} "
                    f"and {format_shape(shape[1:])} (batch axis left out). "
                    f"Received: input_shape={format_shapes(shapes)}"
                )
            out = merged
        batch = batch_sizes.pop() if batch_sizes else None
        return (batch,) + tuple(out)

    def build(self, input_shape: Any) -> None:
        shapes = self._check_list(input_shape)
        self._merged_shape(shapes)
        self._reshape_required = len({len(s) for s in shapes}) > 1

    def compute_output_shape(self, input_shape: Any) -> Any:
        return self._merged_shape(input_shape)

    def compute_output_spec(self, inputs: Any, **kwargs: Any) -> Any:
        # Not traced: a trace fills every unknown size with one stand-in
        # value, so `(None, None, 4)` against `(None, 5, 4)` would fail to
        # broadcast although Keras's rule accepts it.
        shape = self.compute_output_shape([tuple(x.shape) for x in inputs])
        out = SymbolicTensor(shape, dtype=self.compute_dtype)
        masks = [getattr(x, "_keras_mask", None) for x in inputs]
        mask_shape = self._mask_shape(shape, masks)
        if mask_shape is not None:
            out._keras_mask = SymbolicTensor(
                mask_shape, dtype="bool", record_history=False
            )
        return out

    def _mask_shape(self, output_shape: tuple, masks: list):
        """The shape of `compute_mask`'s result for symbolic inputs."""
        if any(m is None for m in masks):
            return None
        shape = tuple(masks[0].shape)
        for m in masks[1:]:
            shape = broadcast_dims(shape, tuple(m.shape)) or shape
        return shape

    # -- computation -------------------------------------------------------

    def call(self, inputs: Any) -> torch.Tensor:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) should be "
                "called on a list of inputs. "
                f"Received: inputs={format_value(inputs)}"
            )
        if self._reshape_required:
            # Lower-rank inputs get size-1 axes after the batch axis, so
            # their trailing axes line up (Keras's rule).
            rank = max(x.ndim for x in inputs)
            inputs = [
                x.reshape(x.shape[:1] + (1,) * (rank - x.ndim) + x.shape[1:])
                for x in inputs
            ]
        return self._merge_function(list(inputs))

    def compute_mask(
        self, inputs: Any, mask: torch.Tensor | None = None
    ) -> Any:
        """A position is kept if it is kept in any input (Keras's OR);
        with an unmasked input, the output has no mask."""
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)) or len(mask) != len(inputs):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) expected one "
                f"mask per input ({len(inputs)}). Received: mask={format_value(mask)}"
            )
        if any(m is None for m in mask):
            return None
        out = mask[0]
        for m in mask[1:]:
            out = torch.logical_or(out, m)
        return out

    def _merge_masked(self, op, inputs: list) -> torch.Tensor:
        """Apply `op` pairwise so that masked-out positions of one input
        take the other input's value (for Maximum and Minimum, which have
        no neutral element)."""
        output: Any = None
        output_mask: Any = None
        for x in inputs:
            mask = expanded_mask(x)
            if output is None:
                output, output_mask = x, mask
                continue
            if mask is not None:
                x = torch.where(mask, x, output)
            if output_mask is not None:
                output = torch.where(output_mask, output, x)
            output_mask = (
                torch.logical_or(output_mask, mask)
                if mask is not None and output_mask is not None
                else None
            )
            output = op(output, x)
        return output


def expanded_mask(x: torch.Tensor) -> Any:
    """`x`'s mask with a features axis, broadcast to `x`'s shape."""
    mask = getattr(x, "_keras_mask", None)
    if mask is None:
        return None
    if mask.ndim < x.ndim:
        mask = mask.unsqueeze(-1)
    return mask.expand_as(x)
