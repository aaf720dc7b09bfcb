"""What `RNN.call` takes besides the sequence: initial states, mask,
constants, and the carried states of a `stateful` layer.

A stateful layer keeps its final states as non-persistent buffers
(`_state_0`, `_state_1`, ...): they follow `.to(device)`, stay out of
`state_dict()` and of the weights (as Keras's state variables stay out of
`layer.weights`), and are detached, so backpropagation stops at batch
boundaries (truncated BPTT), as in Keras.

These are functions of the `RNN` (its `states` property and `reset_state`
are two of them); a subclass changes one sample's state shape through
`RNN._sample_state_shape`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from lamina.errors import format_shape
from lamina.layers.recurrent import cell_utils
from lamina.utils import tree

if TYPE_CHECKING:
    from lamina.layers.recurrent.rnn import RNN


def init_store(rnn: RNN) -> None:
    """No carried states until a stateful layer is built."""
    rnn._state_count = None
    rnn._expected_batch_size = None


def _owner(rnn: RNN) -> str:
    return f"Layer '{rnn.name}' ({type(rnn).__name__})"


def states(rnn: RNN) -> Any:
    """The carried states of a stateful layer (nested as
    `state_size`), or None."""
    if rnn._state_count is None:
        return None
    flat = [getattr(rnn, f"_state_{i}") for i in range(rnn._state_count)]
    return tree.pack_sequence_as(rnn._state_template, flat)


def create_states(rnn: RNN, batch_size: int | None) -> None:
    if batch_size is None:
        raise ValueError(
            f"{_owner(rnn)}: a stateful RNN needs a fixed batch size: "
            "pass `batch_size=...` to `Input` (or `batch_input_shape` to "
            "the first layer). Received: batch size None"
        )
    flat = tree.flatten(rnn.get_initial_state(batch_size))
    for i, state in enumerate(flat):
        state = torch.as_tensor(state, dtype=rnn._compute_torch_dtype)
        if rnn._build_device is not None:
            state = state.to(rnn._build_device)
        rnn.register_buffer(f"_state_{i}", state, persistent=False)
    rnn._state_count = len(flat)
    rnn._expected_batch_size = batch_size


def store_states(rnn: RNN, states: list) -> None:
    if states[0].device.type == "meta":
        return  # a shape trace leaves the real states alone
    for i, state in enumerate(states):
        rnn._buffers[f"_state_{i}"] = state.detach()


def initial_states(
    rnn: RNN, sequences: torch.Tensor, initial_state: Any
) -> list[torch.Tensor]:
    """The flat list of initial states, on the inputs' device."""
    batch = sequences.shape[0]
    if rnn.stateful:
        _check_batch(rnn, batch)
    if initial_state is not None:
        return _check_initial_state(rnn, sequences, initial_state)
    if rnn.stateful and rnn._state_count is not None:
        return tree.flatten(rnn.states)
    if cell_utils.has_default_initial_state(rnn.cell):
        return [
            sequences.new_zeros(batch, d) for d in tree.flatten(rnn.state_size)
        ]
    return [
        torch.as_tensor(s).to(sequences.device, sequences.dtype)
        for s in tree.flatten(rnn.get_initial_state(batch))
    ]


def _check_batch(rnn: RNN, batch) -> None:
    expected = rnn._expected_batch_size
    if expected is not None and batch != expected:
        raise ValueError(
            f"{_owner(rnn)} is stateful with batch size {expected}: "
            "every batch must have that size (the state of row i "
            f"carries over to row i). Received: batch size {batch}"
        )


def _check_initial_state(rnn: RNN, sequences, initial_state) -> list:
    flat = (
        tree.flatten(initial_state)
        if tree.is_nested(initial_state)
        else [initial_state]
    )
    sizes = tree.flatten(rnn.state_size)
    if len(flat) != len(sizes):
        raise ValueError(
            f"{_owner(rnn)} expects {len(sizes)} initial state "
            f"tensor(s) (state_size={rnn.state_size}). Received: "
            f"{len(flat)} initial state tensor(s)"
        )
    out = []
    for i, (state, size) in enumerate(zip(flat, sizes)):
        state = torch.as_tensor(state, device=sequences.device)
        expected = (sequences.shape[0],) + rnn._sample_state_shape(size)
        if tuple(state.shape) != expected:
            raise ValueError(
                f"{_owner(rnn)}: initial_state[{i}] must have shape "
                f"(batch, state_size) = {format_shape(expected)}. "
                f"Received: initial_state[{i}].shape="
                f"{format_shape(state.shape)}"
            )
        out.append(state.to(sequences.dtype))
    return out


def standardize_mask(
    rnn: RNN, sequences: torch.Tensor, mask: Any
) -> torch.Tensor | None:
    if mask is None:
        return None
    if tree.is_nested(mask):
        mask = tree.flatten(mask)[0]
    mask = torch.as_tensor(mask, device=sequences.device)
    if tuple(mask.shape) != tuple(sequences.shape[:2]):
        raise ValueError(
            f"{_owner(rnn)} expects a mask "
            "of shape (batch, timesteps) = "
            f"{format_shape(sequences.shape[:2])}. Received: mask.shape="
            f"{format_shape(mask.shape)}"
        )
    return mask if mask.dtype == torch.bool else mask.bool()


def standardize_constants(
    rnn: RNN, sequences: torch.Tensor, constants: Any
) -> list[torch.Tensor] | None:
    if constants is None:
        return None
    if not cell_utils.accepts(rnn.cell, "constants"):
        raise ValueError(
            f"{_owner(rnn)} was given "
            "`constants`, but its cell's `call` does not take a "
            f"`constants` argument. Received: cell={rnn.cell!r}"
        )
    items = list(constants) if tree.is_nested(constants) else [constants]
    return [torch.as_tensor(c, device=sequences.device) for c in items]


def reset_state(rnn: RNN, states: Any = None) -> None:
    """Set the carried states of a stateful layer to zeros, or to
    `states` (arrays or tensors, one per state, nested as
    `state_size` or flat)."""
    if not rnn.stateful or rnn._state_count is None:
        if states is None:
            return  # as Keras: nothing to reset
        what = (
            "is not stateful"
            if not rnn.stateful
            else "is not built yet (call it on data first)"
        )
        raise ValueError(
            f"{_owner(rnn)} {what}, so its states cannot be set. "
            f"Received: states={_describe(states)}"
        )
    current = tree.flatten(rnn.states)
    if states is None:
        values = [torch.zeros_like(s) for s in current]
    else:
        values = _check_reset_values(rnn, states, current)
    for i, value in enumerate(values):
        rnn._buffers[f"_state_{i}"] = value


def reset_states(rnn: RNN, states: Any = None) -> None:
    """Alias of `reset_state` (Keras 2's name, kept by Keras 3)."""
    rnn.reset_state(states)


def _check_reset_values(rnn: RNN, states, current) -> list:
    flat = tree.flatten(states) if tree.is_nested(states) else [states]
    if len(flat) != len(current):
        raise ValueError(
            f"{_owner(rnn)} has {len(current)} state(s), but "
            f"reset_state received {len(flat)} value(s). Received: "
            f"states={_describe(states)}"
        )
    out = []
    for i, (value, like) in enumerate(zip(flat, current)):
        value = torch.as_tensor(
            np.asarray(value) if not isinstance(value, torch.Tensor) else value
        )
        if tuple(value.shape) != tuple(like.shape):
            raise ValueError(
                f"{_owner(rnn)}: state {i} has shape "
                f"{format_shape(like.shape)}. Received: a value of shape "
                f"{format_shape(value.shape)}"
            )
        out.append(value.to(like.device, like.dtype).clone())
    return out


def _describe(states) -> str:
    return str(tree.map_structure(lambda s: format_shape(np.shape(s)), states))
