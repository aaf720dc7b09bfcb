"""`DropoutRNNCell`: the dropout of the built-in RNN cells.

As in Keras, a cell draws its masks once per sequence (the first step
creates them, the RNN forgets them when the sequence is done), so every
timestep drops the same units. Once recurrent dropout is on, one mask per
gate is drawn (Keras's `implementation=1`); otherwise one shared mask.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.engine.layer import Layer
from lamina.utils import rng


class DropoutRNNCell(Layer):
    """Dropout masks for an RNN cell with `GATES` gate blocks.

    Args:
        dropout: fraction of the inputs to drop, clipped into [0, 1].
        recurrent_dropout: fraction of the recurrent state to drop.
        seed: optional integer seed of the masks (torch's global generator
            otherwise).
    """

    GATES = 1

    def __init__(
        self,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        # Keras clips the rates into [0, 1] rather than refusing them.
        self.dropout = min(1.0, max(0.0, float(dropout)))
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
        self.seed = seed
        self._generators: dict = {}
        self._dropout_mask: torch.Tensor | None = None
        self._recurrent_dropout_mask: torch.Tensor | None = None

    def _mask_count(self) -> int | None:
        """Keras draws one mask per gate once recurrent dropout is on."""
        return (
            self.GATES
            if self.recurrent_dropout > 0 and self.GATES > 1
            else None
        )

    def _make_mask(self, like: torch.Tensor, rate: float) -> torch.Tensor:
        count = self._mask_count()
        shape = (
            tuple(like.shape) if count is None else (count,) + tuple(like.shape)
        )
        if like.device.type == "meta":
            return torch.empty(shape, dtype=like.dtype, device=like.device)
        generator = None
        if self.seed is not None:
            key = str(like.device)
            if key not in self._generators:
                self._generators[key] = rng.make_generator(
                    self.seed, like.device
                )
            generator = self._generators[key]
        keep = (
            torch.rand(
                shape, generator=generator, device=like.device, dtype=like.dtype
            )
            >= rate
        )
        return keep.to(like.dtype) / (1.0 - rate)

    def get_dropout_mask(self, step_input: torch.Tensor) -> Any:
        """The input dropout mask of the current sequence (made once)."""
        if self._dropout_mask is None and self.dropout > 0:
            self._dropout_mask = self._make_mask(step_input, self.dropout)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, state: torch.Tensor) -> Any:
        """The recurrent dropout mask of the current sequence."""
        if self._recurrent_dropout_mask is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._make_mask(
                state, self.recurrent_dropout
            )
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self) -> None:
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self) -> None:
        self._recurrent_dropout_mask = None

    def _masks(self, inputs, state, training):
        """(input mask, recurrent mask), each None when not applied."""
        drop = training and 0.0 < self.dropout < 1.0
        recurrent = training and 0.0 < self.recurrent_dropout < 1.0
        return (
            self.get_dropout_mask(inputs) if drop else None,
            self.get_recurrent_dropout_mask(state) if recurrent else None,
        )

    def _project(self, x, mask, weight, bias=None):
        """`x @ weight + bias` for a Keras-layout `weight` `(in, gates *
        units)`, with a dropout mask that is either shared by all gates or
        (leading axis) one per gate."""
        if mask is None:
            return x @ weight if bias is None else torch.addmm(bias, x, weight)
        if mask.ndim == x.ndim:
            x = x * mask
            return x @ weight if bias is None else torch.addmm(bias, x, weight)
        gates = mask.shape[0]
        per_gate = torch.bmm(
            x * mask, weight.view(weight.shape[0], gates, -1).transpose(0, 1)
        )
        out = per_gate.transpose(0, 1).reshape(x.shape[0], -1)
        return out if bias is None else out + bias

    def sequence_dropout(self, sequences: Any, training: bool | None) -> Any:
        """`sequences` times the input mask of the sequence, the same at
        every step (the fused path applies the cell's dropout this way)."""
        if not training or not 0.0 < self.dropout < 1.0:
            return sequences
        return sequences * self.get_dropout_mask(sequences[:, 0])[:, None]

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }
