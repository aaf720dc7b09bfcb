"""`Average`: the elementwise mean of a list of inputs."""

from __future__ import annotations

from lamina.layers.merging.base_merge import Merge


class Average(Merge):
    """Averages a list of inputs elementwise.

    It takes as input a list of tensors, all of the same shape (or
    broadcastable to each other), and returns their mean.

    Args:
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        A list of tensors `(batch_size, ...)`, broadcastable on their
        trailing axes.

    Output shape:
        The broadcast shape of the inputs.

    Example:

    >>> import torch, lamina
    >>> x1, x2 = torch.ones(1, 3), torch.full((1, 3), 3.0)
    >>> lamina.layers.Average()([x1, x2])
    tensor([[2., 2., 2.]])
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = output + x
        return output / len(inputs)
