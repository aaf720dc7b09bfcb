"""`Multiply`: the elementwise product of a list of inputs."""

from __future__ import annotations

from typing import Any

import torch

from lamina.layers.merging.base_merge import Merge
from lamina.layers.merging.base_merge import expanded_mask


class Multiply(Merge):
    """Performs elementwise multiplication of a list of inputs.

    It takes as input a list of tensors, all of the same shape (or
    broadcastable to each other), and returns their product. When every
    input carries a mask, masked-out entries count as 1 in the product and
    positions masked out in all inputs come out as 0 (as in Keras).

    Args:
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        A list of tensors `(batch_size, ...)`, broadcastable on their
        trailing axes.

    Output shape:
        The broadcast shape of the inputs.

    Example:

    >>> import torch, lamina
    >>> x1, x2 = torch.full((1, 3), 2.0), torch.full((1, 3), 3.0)
    >>> lamina.layers.Multiply()([x1, x2])
    tensor([[6., 6., 6.]])
    """

    def _merge_function(self, inputs):
        masks = [expanded_mask(x) for x in inputs]
        all_masked = all(m is not None for m in masks)
        output: Any = None
        output_mask: Any = None
        for x, mask in zip(inputs, masks):
            if mask is not None:
                # A masked-out entry must not change the product.
                x = torch.where(
                    mask, x, torch.ones((), dtype=x.dtype, device=x.device)
                )
                if all_masked:
                    output_mask = (
                        mask
                        if output_mask is None
                        else torch.logical_or(output_mask, mask)
                    )
            output = x if output is None else output * x
        if all_masked:
            output = torch.where(
                output_mask,
                output,
                torch.zeros((), dtype=output.dtype, device=output.device),
            )
        return output
