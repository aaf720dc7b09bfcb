"""What `RNN.call` takes besides the sequence: initial states, mask,
constants, and the carried states of a `stateful` layer.

A stateful layer keeps its final states as non-persistent buffers
(`_state_0`, `_state_1`, ...): they follow `.to(device)`, stay out of
`state_dict()` and of the weights (as Keras's state variables stay out of
`layer.weights`), and are detached, so backpropagation stops at batch
boundaries (truncated BPTT), as in Keras.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from lamina.engine.mixin_host import LayerHost
from lamina.errors import format_shape
from lamina.layers.recurrent import cell_utils
from lamina.utils import tree


class RNNArgumentsMixin(LayerHost):
    """States, mask and constants of `RNN` (mixed into it only)."""

    def _init_state_store(self) -> None:
        self._state_count: int | None = None
        self._expected_batch_size = None

    def _owner(self) -> str:
        return f"Layer '{self.name}' ({type(self).__name__})"

    @property
    def states(self) -> Any:
        """The carried states of a stateful layer (nested as
        `state_size`), or None."""
        if self._state_count is None:
            return None
        flat = [getattr(self, f"_state_{i}") for i in range(self._state_count)]
        return tree.pack_sequence_as(self._state_template, flat)

    def _create_states(self, batch_size) -> None:
        if batch_size is None:
            raise ValueError(
                f"{self._owner()}: a stateful RNN needs a fixed batch size: "
                "pass `batch_size=...` to `Input` (or `batch_input_shape` to "
                "the first layer). Received: batch size None"
            )
        flat = tree.flatten(self.get_initial_state(batch_size))
        for i, state in enumerate(flat):
            state = torch.as_tensor(state, dtype=self._compute_torch_dtype)
            if self._build_device is not None:
                state = state.to(self._build_device)
            self.register_buffer(f"_state_{i}", state, persistent=False)
        self._state_count = len(flat)
        self._expected_batch_size = batch_size

    def _store_states(self, states: list) -> None:
        if states[0].device.type == "meta":
            return  # a shape trace leaves the real states alone
        for i, state in enumerate(states):
            self._buffers[f"_state_{i}"] = state.detach()

    def _initial_states(self, sequences, initial_state) -> list:
        """The flat list of initial states, on the inputs' device."""
        batch = sequences.shape[0]
        if self.stateful:
            self._check_batch(batch)
        if initial_state is not None:
            return self._check_initial_state(sequences, initial_state)
        if self.stateful and self._state_count is not None:
            return tree.flatten(self.states)
        if cell_utils.has_default_initial_state(self.cell):
            return [
                sequences.new_zeros(batch, d)
                for d in tree.flatten(self.state_size)
            ]
        return [
            torch.as_tensor(s).to(sequences.device, sequences.dtype)
            for s in tree.flatten(self.get_initial_state(batch))
        ]

    def _check_batch(self, batch) -> None:
        expected = self._expected_batch_size
        if expected is not None and batch != expected:
            raise ValueError(
                f"{self._owner()} is stateful with batch size {expected}: "
                "every batch must have that size (the state of row i "
                f"carries over to row i). Received: batch size {batch}"
            )

    def _check_initial_state(self, sequences, initial_state) -> list:
        flat = (
            tree.flatten(initial_state)
            if tree.is_nested(initial_state)
            else [initial_state]
        )
        sizes = tree.flatten(self.state_size)
        if len(flat) != len(sizes):
            raise ValueError(
                f"{self._owner()} expects {len(sizes)} initial state "
                f"tensor(s) (state_size={self.state_size}). Received: "
                f"{len(flat)} initial state tensor(s)"
            )
        out = []
        for i, (state, size) in enumerate(zip(flat, sizes)):
            state = torch.as_tensor(state, device=sequences.device)
            expected = (sequences.shape[0],) + self._sample_state_shape(size)
            if tuple(state.shape) != expected:
                raise ValueError(
                    f"{self._owner()}: initial_state[{i}] must have shape "
                    f"(batch, state_size) = {format_shape(expected)}. "
                    f"Received: initial_state[{i}].shape="
                    f"{format_shape(state.shape)}"
                )
            out.append(state.to(sequences.dtype))
        return out

    def _sample_state_shape(self, size) -> tuple:
        """One sample's shape of a state with `state_size` entry `size`
        (a convolutional cell's states have spatial axes too)."""
        return (size,)

    def _standardize_mask(self, sequences, mask):
        if mask is None:
            return None
        if tree.is_nested(mask):
            mask = tree.flatten(mask)[0]
        mask = torch.as_tensor(mask, device=sequences.device)
        if tuple(mask.shape) != tuple(sequences.shape[:2]):
            raise ValueError(
                f"{self._owner()} expects a mask "
                "of shape (batch, timesteps) = "
                f"{format_shape(sequences.shape[:2])}. Received: mask.shape="
                f"{format_shape(mask.shape)}"
            )
        return mask if mask.dtype == torch.bool else mask.bool()

    def _standardize_constants(self, sequences, constants):
        if constants is None:
            return None
        if not cell_utils.accepts(self.cell, "constants"):
            raise ValueError(
                f"{self._owner()} was given "
                "`constants`, but its cell's `call` does not take a "
                f"`constants` argument. Received: cell={self.cell!r}"
            )
        items = list(constants) if tree.is_nested(constants) else [constants]
        return [torch.as_tensor(c, device=sequences.device) for c in items]

    def reset_state(self, states: Any = None) -> None:
        """Set the carried states of a stateful layer to zeros, or to
        `states` (arrays or tensors, one per state, nested as
        `state_size` or flat)."""
        if not self.stateful or self._state_count is None:
            if states is None:
                return  # as Keras: nothing to reset
            what = (
                "is not stateful"
                if not self.stateful
                else "is not built yet (call it on data first)"
            )
            raise ValueError(
                f"{self._owner()} {what}, so its states cannot be set. "
                f"Received: states={_describe(states)}"
            )
        current = tree.flatten(self.states)
        if states is None:
            values = [torch.zeros_like(s) for s in current]
        else:
            values = self._check_reset_values(states, current)
        for i, value in enumerate(values):
            self._buffers[f"_state_{i}"] = value

    def reset_states(self, states: Any = None) -> None:
        """Alias of `reset_state` (Keras 2's name, kept by Keras 3)."""
        self.reset_state(states)

    def _check_reset_values(self, states, current) -> list:
        flat = tree.flatten(states) if tree.is_nested(states) else [states]
        if len(flat) != len(current):
            raise ValueError(
                f"{self._owner()} has {len(current)} state(s), but "
                f"reset_state received {len(flat)} value(s). Received: "
                f"states={_describe(states)}"
            )
        out = []
        for i, (value, like) in enumerate(zip(flat, current)):
            value = torch.as_tensor(
                np.asarray(value)
                if not isinstance(value, torch.Tensor)
                else value
            )
            if tuple(value.shape) != tuple(like.shape):
                raise ValueError(
                    f"{self._owner()}: state {i} has shape "
                    f"{format_shape(like.shape)}. Received: a value of shape "
                    f"{format_shape(value.shape)}"
                )
            out.append(value.to(like.device, like.dtype).clone())
        return out


def _describe(states) -> str:
    return str(tree.map_structure(lambda s: format_shape(np.shape(s)), states))
