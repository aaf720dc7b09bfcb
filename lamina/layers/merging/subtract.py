"""`Subtract`: the difference of exactly two inputs."""

from __future__ import annotations

from typing import Any

from lamina.layers.merging.base_merge import Merge
from lamina.layers.merging.base_merge import format_shapes


class Subtract(Merge):
    """Performs elementwise subtraction of two inputs.

    It takes as input a list of exactly two tensors of the same shape (or
    broadcastable to each other) and returns `inputs[0] - inputs[1]`.

    Args:
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        A list of two tensors `(batch_size, ...)`.

    Output shape:
        The broadcast shape of the two inputs.

    Raises:
        ValueError: when called on a number of inputs other than two.

    Example:

    >>> import torch, lamina
    >>> x1, x2 = torch.full((1, 3), 5.0), torch.ones(1, 3)
    >>> lamina.layers.Subtract()([x1, x2])
    tensor([[4., 4., 4.]])
    """

    def build(self, input_shape: Any) -> None:
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(
                f"Layer '{self.name}' (Subtract) should be called on exactly "
                f"2 inputs. Received: {len(input_shape)} inputs with "
                f"input_shape={format_shapes(input_shape)}"
            )

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(
                f"Layer '{self.name}' (Subtract) should be called on exactly "
                f"2 inputs. Received: {len(inputs)} inputs."
            )
        return inputs[0] - inputs[1]
