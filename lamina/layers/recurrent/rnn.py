"""`RNN`: runs any RNN cell over a sequence."""

from __future__ import annotations

from typing import Any

import torch

from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.errors import format_shape
from lamina.layers.core.wrapper import build_child
from lamina.layers.recurrent import cell_utils
from lamina.layers.recurrent import fused_rnn
from lamina.layers.recurrent import rnn_loop
from lamina.layers.recurrent.base_rnn_cell import BaseRNNCell
from lamina.layers.recurrent import rnn_state
from lamina.layers.recurrent.stacked_rnn_cells import StackedRNNCells
from lamina.saving import serialization
from lamina.utils import tree


class RNN(Layer):
    """Base class for recurrent layers: runs `cell` over the time axis.

    A cell has `call(inputs_t, states_t) -> (output_t, states_t+1)` and a
    `state_size` (an int, or a list of ints, one per state); optionally
    `output_size`, `get_initial_state(batch_size)`, and a `call` that takes
    `training` or `constants`. A list of cells is stacked
    (`StackedRNNCells`).

    Built-in cells run on torch's fused kernels (`torch._VF.lstm`, `gru`,
    `rnn_tanh`/`rnn_relu`) when their configuration is the standard one
    (tanh/sigmoid activations, no recurrent dropout, GRU `reset_after`), no
    `unroll`, no `constants`, and masks (if any) pad each row on one side;
    otherwise, and for every other cell, a step loop runs. Both give the
    same numbers.

    Args:
        cell: an RNN cell, or a list of cells.
        return_sequences: return the output of every step `(batch,
            timesteps, output_size)` rather than the last `(batch,
            output_size)`.
        return_state: also return the final states.
        go_backwards: process the sequence backwards (the outputs come in
            that reversed order).
        stateful: each batch starts from the final states of the previous
            one (row `i` continues row `i`); needs a fixed batch size.
            `reset_state()` (alias `reset_states()`) sets them back to
            zeros, or to given values.
        unroll: accepted for Keras compatibility: eager PyTorch runs a
            Python loop anyway; it selects the step loop over the fused
            kernel. Needs a known number of timesteps.
        zero_output_for_mask: masked steps output zeros instead of the
            previous output (only seen with `return_sequences`, and by
            `Bidirectional`).

    Call arguments:
        sequences: `(batch, timesteps, features)`.
        initial_state: a tensor or list of tensors (one per state, nested
            as `state_size`), the initial states; zeros by default.
        mask: boolean `(batch, timesteps)`, False for steps to skip.
            Masked steps keep the states and output the previous output
            (or zeros); the output mask is the input mask when returning
            sequences.
        training: whether the cell applies dropout.
        constants: a tensor or list of tensors passed to the cell's `call`
            as `constants=` at every step (the cell must accept it).

    Returns:
        The output, then (with `return_state`) the final states.

    Example:

    >>> import torch, lamina
    >>> class MinimalRNNCell(lamina.layers.Layer):
    ...     def __init__(self, units, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.units, self.state_size = units, units
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight(shape=(input_shape[-1], self.units))
    ...         self.u = self.add_weight(shape=(self.units, self.units))
    ...     def call(self, inputs, states):
    ...         h = torch.tanh(inputs @ self.w + states[0] @ self.u)
    ...         return h, [h]
    >>> layer = lamina.layers.RNN(MinimalRNNCell(4), return_state=True)
    >>> out, state = layer(torch.ones(2, 5, 3))
    >>> out.shape, bool((out == state).all())
    (torch.Size([2, 4]), True)
    """

    def __init__(
        self,
        cell: Any,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        zero_output_for_mask: bool = False,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        cell_utils.check_cell(
            cell, f"Layer '{self.name}' ({type(self).__name__})"
        )
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        size = cell.state_size
        self.state_size = (
            list(size) if isinstance(size, (list, tuple)) else [size]
        )
        self._state_template = cell_utils.state_template(cell)
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=3)
        self._use_fused = True  # False: always the step loop (tests)
        rnn_state.init_store(self)

    def build(
        self, sequences_shape: Any, initial_state_shape: Any = None
    ) -> None:
        shape = tuple(sequences_shape)
        if self.unroll and shape[1] is None:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) cannot unroll "
                "an undefined number of timesteps: give `Input` a fixed "
                "`shape` (or pass `unroll=False`). Received: "
                f"input_shape={format_shape(shape)}"
            )
        if isinstance(self.cell, Layer):
            build_child(self, self.cell, (shape[0],) + shape[2:])
        if self.stateful:
            rnn_state.create_states(self, shape[0])

    states = property(rnn_state.states)  # states, masks: rnn_state.py
    reset_state, reset_states = rnn_state.reset_state, rnn_state.reset_states

    def _sample_state_shape(self, size: Any) -> tuple:  # ConvLSTM: spatial
        return (size,)

    def get_initial_state(self, batch_size: Any) -> list:
        """The default initial states (zeros), nested as `state_size`."""
        fn = getattr(self.cell, "get_initial_state", None)
        if fn is None:
            return tree.map_structure(
                lambda d: torch.zeros(
                    batch_size, d, dtype=self._compute_torch_dtype
                ),
                self._state_template,
            )
        states = fn(batch_size=batch_size)
        return list(states) if tree.is_nested(states) else [states]

    def call(
        self,
        sequences: Any,
        initial_state: Any = None,
        mask: torch.Tensor | None = None,
        training: bool = False,
        constants: Any = None,
    ) -> Any:
        if sequences.shape[1] == 0:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) needs at least "
                "one timestep. Received: inputs.shape="
                f"{format_shape(sequences.shape)}"
            )
        mask = rnn_state.standardize_mask(self, sequences, mask)
        constants = rnn_state.standardize_constants(self, sequences, constants)
        states = rnn_state.initial_states(self, sequences, initial_state)
        try:
            last, outputs, states = self._inner_loop(
                sequences, states, mask, training, constants
            )
        finally:
            cell_utils.reset_dropout_masks(self.cell)
        if self.stateful:
            rnn_state.store_states(self, states)
        output = outputs if self.return_sequences else last
        if not self.return_state:
            return output
        return (output, *tree.pack_sequence_as(self._state_template, states))

    # -- the two paths -----------------------------------------------------

    def _inner_loop(self, sequences, states, mask, training, constants):
        if sequences.device.type == "meta":
            return self._shape_trace(
                sequences, states, mask, training, constants
            )
        kind = self._fused_kind(constants)
        if kind is not None:
            result = fused_rnn.run_fused(
                kind,
                self.cell.sequence_dropout(sequences, training),
                states,
                self.cell._fused_params(),
                mask,
                self.go_backwards,
                self.zero_output_for_mask,
                self.return_sequences,
            )
            if result is not None:
                return result
        return rnn_loop.run_loop(
            self._step_function(training, constants),
            sequences,
            states,
            mask,
            self.go_backwards,
            self.zero_output_for_mask,
            self.return_sequences,
        )

    def _shape_trace(self, sequences, states, mask, training, constants):
        """A symbolic call traces `call` on meta tensors: no values, only
        shapes, and no shape depends on the number of steps. One step
        stands for all of them (tracing every step of an unknown-length
        sequence, filled in as 83 and 89 steps, took seconds)."""
        last, outputs, states = rnn_loop.run_loop(
            self._step_function(training, constants),
            sequences[:, :1],
            states,
            None if mask is None else mask[:, :1],
            False,
            self.zero_output_for_mask,
            self.return_sequences,
        )
        if outputs is not None:
            outputs = outputs.expand(-1, sequences.shape[1], *outputs.shape[2:])
        return last, outputs, states

    def _fused_kind(self, constants) -> str | None:
        if (
            not self._use_fused
            or self.unroll
            or constants is not None
            or not isinstance(self.cell, BaseRNNCell)
        ):
            return None
        return self.cell._fused_kind()

    def _step_function(self, training, constants):
        cell, template = self.cell, self._state_template

        def step(inputs, flat_states):
            states = tree.pack_sequence_as(template, flat_states)
            output, new_states = cell_utils.call_cell(
                cell, inputs, states, training, constants
            )
            if not tree.is_nested(new_states):
                return output, [new_states]
            return output, tree.flatten(new_states)

        return step

    def compute_mask(self, inputs: Any, mask: torch.Tensor | None) -> Any:
        if tree.is_nested(mask):
            mask = tree.flatten(mask)[0]
        output_mask = mask if self.return_sequences else None
        if not self.return_state:
            return output_mask
        return [output_mask] + [None] * len(tree.flatten(self.state_size))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            "cell": serialization.serialize_keras_object(self.cell),
        }

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: dict | None = None
    ) -> RNN:
        config = dict(config)
        cell = serialization.deserialize_keras_object(
            config.pop("cell"), custom_objects=custom_objects
        )
        return super().from_config({**config, "cell": cell})

    def extra_repr(self) -> str:
        return (
            f"return_sequences={self.return_sequences}, "
            f"return_state={self.return_state}, "
            f"go_backwards={self.go_backwards}, stateful={self.stateful}"
        )
