"""`Maximum`: the elementwise maximum of a list of inputs."""

from __future__ import annotations

import torch

from lamina.layers.merging.base_merge import Merge


class Maximum(Merge):
    """Computes the elementwise maximum of a list of inputs.

    It takes as input a list of tensors, all of the same shape (or
    broadcastable to each other), and returns their maximum. Entries
    masked out in an input do not take part (as in Keras).

    Args:
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        A list of tensors `(batch_size, ...)`, broadcastable on their
        trailing axes.

    Output shape:
        The broadcast shape of the inputs.

    Example:

    >>> import torch, lamina
    >>> x1 = torch.tensor([[1.0, 5.0]])
    >>> x2 = torch.tensor([[3.0, 2.0]])
    >>> lamina.layers.Maximum()([x1, x2])
    tensor([[3., 5.]])
    """

    def _merge_function(self, inputs):
        return self._merge_masked(torch.maximum, inputs)
