"""`Add`: the elementwise sum of a list of inputs."""

from __future__ import annotations

from lamina.layers.merging.base_merge import Merge


class Add(Merge):
    """Performs elementwise addition of a list of inputs.

    It takes as input a list of tensors, all of the same shape (or
    broadcastable to each other), and returns a single tensor of that
    shape.

    Args:
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        A list of tensors `(batch_size, ...)`, broadcastable on their
        trailing axes.

    Output shape:
        The broadcast shape of the inputs.

    Example:

    >>> import torch, lamina
    >>> x1, x2 = torch.ones(2, 3), torch.full((2, 3), 2.0)
    >>> lamina.layers.Add()([x1, x2])
    tensor([[3., 3., 3.],
            [3., 3., 3.]])
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = output + x
        return output
