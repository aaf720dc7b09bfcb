"""`CategoryEncoding`: one-hot, multi-hot or count encoding of integers."""

from __future__ import annotations

from typing import Any

import numbers

import torch
import torch.nn.functional as F

from lamina.engine.layer import Layer
from lamina.engine.layer import specs_from_shapes
from lamina.errors import invalid_argument

MODES = ("count", "one_hot", "multi_hot")


class CategoryEncoding(Layer):
    """A preprocessing layer which encodes integer features.

    Args:
        num_tokens: the number of tokens; inputs must lie in
            `[0, num_tokens)` (negative ids are ignored, as in Keras's
            torch backend; ids `>= num_tokens` raise).
        output_mode: `"one_hot"` (each element becomes a `num_tokens`
            vector; a trailing axis of size 1 is replaced), `"multi_hot"`
            (each sample, the last axis, becomes one vector with a 1 for
            every token present; `"binary"` is an alias) or `"count"`
            (like `"multi_hot"`, counting occurrences).
        sparse: kept for Keras compatibility; must be `False` on torch.

    Call arguments:
        inputs: an integer tensor of rank 0, 1 or 2.
        count_weights: optional weights shaped like `inputs`, summed
            instead of 1s in `"count"` mode.

    Output shape:
        `inputs.shape[:-1] + (num_tokens,)`, and `inputs.shape +
        (num_tokens,)` for `"one_hot"` when the last axis is not 1.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.CategoryEncoding(4, output_mode="count")
    >>> layer(torch.tensor([[0, 1, 1], [3, 2, 0]])).tolist()
    [[1.0, 2.0, 0.0, 0.0], [1.0, 0.0, 1.0, 1.0]]
    """

    def __init__(
        self,
        num_tokens: Any = None,
        output_mode: str = "multi_hot",
        sparse: bool = False,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        name = type(self).__name__
        output_mode = "multi_hot" if output_mode == "binary" else output_mode
        if output_mode not in MODES:
            raise ValueError(
                invalid_argument(
                    name, "output_mode", f"one of {MODES}", output_mode
                )
            )
        if (
            not isinstance(num_tokens, numbers.Integral)
            or isinstance(num_tokens, bool)
            or num_tokens < 1
        ):
            raise ValueError(
                invalid_argument(name, "num_tokens", "an int >= 1", num_tokens)
            )
        if sparse:
            raise ValueError(
                invalid_argument(
                    name, "sparse", "False (no sparse outputs on torch)", sparse
                )
            )
        self.num_tokens = int(num_tokens)
        self.output_mode = output_mode
        self.sparse = False

    def call(
        self, inputs: torch.Tensor, count_weights: Any = None
    ) -> torch.Tensor:
        if count_weights is not None and self.output_mode != "count":
            raise ValueError(
                f"{type(self).__name__}: `count_weights` is only used when "
                f"`output_mode='count'`. Received: output_mode="
                f"{self.output_mode!r}"
            )
        x = inputs.long()
        self._check_range(x)
        return encode_categorical(
            x,
            self.output_mode,
            self.num_tokens,
            self._compute_torch_dtype,
            count_weights,
        )

    def _check_range(self, x: torch.Tensor) -> None:
        if (
            x.device.type != "meta"
            and x.numel()
            and bool((x >= self.num_tokens).any())
        ):
            raise ValueError(
                f"{type(self).__name__}: input token ids must be smaller "
                f"than num_tokens={self.num_tokens} (class values must be "
                f"smaller than num_classes). Received: max id "
                f"{int(x.max())}"
            )

    def compute_output_shape(self, input_shape: Any) -> Any:
        input_shape = tuple(input_shape)
        if len(input_shape) == 0:
            return (self.num_tokens,)
        if self.output_mode == "one_hot" and (
            input_shape[-1] != 1 or len(input_shape) == 1
        ):
            return input_shape + (self.num_tokens,)
        return input_shape[:-1] + (self.num_tokens,)

    def compute_output_spec(
        self, inputs: torch.Tensor, count_weights: Any = None
    ) -> Any:
        return specs_from_shapes(
            self.compute_output_shape(inputs.shape), self.compute_dtype
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_tokens": self.num_tokens,
            "output_mode": self.output_mode,
        }


def encode_categorical(
    x: torch.Tensor,
    mode: str,
    depth: int,
    dtype: torch.dtype,
    count_weights: Any = None,
) -> torch.Tensor:
    """One-hot, multi-hot or count encoding of the integer ids `x` (all
    `< depth`); negative ids encode to zeros, so callers mark the values
    to drop (a lookup layer's mask token) with -1. Rank 0 counts as one
    sample; `"one_hot"` replaces a trailing axis of size 1; the other
    modes reduce the last axis."""
    x = x.reshape(1) if x.ndim == 0 else x
    if mode == "one_hot" and x.ndim > 1 and x.shape[-1] == 1:
        x = x.squeeze(-1)
    hot = F.one_hot(x.clamp_min(0), depth).to(dtype)
    hot = hot * (x >= 0).unsqueeze(-1).to(dtype)
    if mode == "one_hot":
        return hot
    if mode == "multi_hot":
        return hot.amax(dim=-2)
    if count_weights is not None:
        weights = torch.as_tensor(count_weights, device=x.device)
        hot = hot * weights.to(dtype).unsqueeze(-1)
    return hot.sum(dim=-2)
