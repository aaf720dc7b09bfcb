"""`Bidirectional`: runs an RNN forwards and backwards and merges them."""

from __future__ import annotations

from typing import Any

import copy

import torch

from lamina.engine.layer import Layer
from lamina.layers.core.wrapper import build_child
from lamina.saving import serialization
from lamina.utils import tree

_MERGE_MODES = ("concat", "sum", "mul", "ave", None)
_RNN_ATTRIBUTES = ("go_backwards", "return_sequences", "return_state")


def _copy_layer(layer: Layer, **overrides) -> Layer:
    """A fresh layer with `layer`'s configuration (no weights, no state)."""
    config = {**layer.get_config(), **overrides}
    copied = type(layer).from_config(config)
    if hasattr(layer, "use_cudnn"):  # not part of the config, as in Keras
        copied.use_cudnn = layer.use_cudnn
        copied._use_fused = layer._use_fused
    return copied


def _merge(mode, y, y_rev):
    if mode == "concat":
        return torch.cat([y, y_rev], dim=-1)
    if mode == "sum":
        return y + y_rev
    if mode == "ave":
        return (y + y_rev) / 2
    if mode == "mul":
        return y * y_rev
    return (y, y_rev)


class Bidirectional(Layer):
    """Bidirectional wrapper for RNNs.

    Runs a copy of `layer` over the sequence and another copy (or
    `backward_layer`) over the reversed sequence, then merges the two
    outputs; with `return_sequences` the backward outputs are flipped back
    into input order first. Masked steps output zeros on both sides
    (`zero_output_for_mask` follows `return_sequences`).

    Args:
        layer: a recurrent layer (`LSTM`, `GRU`, `SimpleRNN`, `RNN`, or
            any layer with `go_backwards`, `return_sequences`,
            `return_state` and `get_config`/`from_config`). Its weights
            are not reused: the wrapper builds fresh copies.
        merge_mode: `"concat"` (default), `"sum"`, `"mul"`, `"ave"`, or
            None to return both outputs.
        weights: optional initial weights (forward half first), set once
            the layer is built.
        backward_layer: optional layer for the backward direction; it must
            match `layer` in `stateful`, `return_sequences` and
            `return_state` and differ in `go_backwards`.

    Call arguments:
        sequences: `(batch, timesteps, features)`.
        initial_state: a list of states: the first half for the forward
            layer, the second half for the backward one.
        mask: boolean `(batch, timesteps)`.
        training: passed to both layers.

    Returns:
        The merged output (a tuple of the two with `merge_mode=None`),
        followed with `return_state` by the forward then the backward
        states.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.Bidirectional(
    ...     lamina.layers.LSTM(4, return_sequences=True))
    >>> layer(torch.ones(2, 5, 3)).shape
    torch.Size([2, 5, 8])
    >>> [w.shape for w in layer.get_weights()][:3]
    [(3, 16), (4, 16), (16,)]
    """

    def __init__(
        self,
        layer: Any,
        merge_mode: str = "concat",
        weights: Any = None,
        backward_layer: Any = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self._check_rnn(layer, "layer")
        if backward_layer is not None:
            self._check_rnn(backward_layer, "backward_layer")
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f"Layer '{self.name}' (Bidirectional): invalid merge mode; "
                "expected one of 'concat', 'sum', 'mul', 'ave' or None. "
                f"Received: merge_mode={merge_mode!r}"
            )
        base = layer.name.removeprefix("forward_")
        self.forward_layer = _copy_layer(layer, name=f"forward_{base}")
        if backward_layer is None:
            base = layer.name.removeprefix("backward_")
            backward_layer = _copy_layer(
                layer, name=f"backward_{base}", go_backwards=True
            )
        self.backward_layer = backward_layer
        self._check_pair()
        for sub in (self.forward_layer, self.backward_layer):
            if hasattr(sub, "zero_output_for_mask"):
                sub.zero_output_for_mask = sub.return_sequences
        self.merge_mode = merge_mode
        self._initial_weights = weights
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _check_rnn(self, layer, arg: str) -> None:
        missing = [
            a for a in _RNN_ATTRIBUTES + ("stateful",) if not hasattr(layer, a)
        ]
        if not isinstance(layer, Layer) or missing:
            raise ValueError(
                f"Layer '{self.name}' (Bidirectional) wraps a recurrent "
                f"layer: `{arg}` must be a Layer with attributes "
                "`go_backwards`, `return_sequences`, `return_state` and "
                f"`stateful` (e.g. LSTM, GRU, RNN). Received: {arg}="
                f"{layer!r}"
            )

    def _check_pair(self) -> None:
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(
                f"Layer '{self.name}' (Bidirectional): the forward and "
                "backward layers must differ in `go_backwards`. Received: "
                f"go_backwards={forward.go_backwards} for both"
            )
        for attribute in ("stateful", "return_sequences", "return_state"):
            values = getattr(forward, attribute), getattr(backward, attribute)
            if values[0] != values[1]:
                raise ValueError(
                    f"Layer '{self.name}' (Bidirectional): the forward and "
                    f"backward layers must have the same `{attribute}`. "
                    f"Received: {values[0]} (forward) and {values[1]} "
                    "(backward)"
                )

    @property
    def states(self) -> Any:
        forward, backward = (
            self.forward_layer.states,
            self.backward_layer.states,
        )
        if forward is None or backward is None:
            return None
        return tuple(forward) + tuple(backward)

    def build(
        self, sequences_shape: Any, initial_state_shape: Any = None
    ) -> None:
        shape = tuple(sequences_shape)
        build_child(self, self.forward_layer, shape)
        build_child(self, self.backward_layer, shape)
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def call(
        self,
        sequences: Any,
        initial_state: Any = None,
        mask: torch.Tensor | None = None,
        training: bool | None = None,
    ) -> Any:
        forward_state = backward_state = None
        if initial_state is not None:
            states = list(initial_state)
            if len(states) % 2:
                raise ValueError(
                    f"Layer '{self.name}' (Bidirectional) splits "
                    "`initial_state` in two halves (forward, backward), so it "
                    "needs an even number of states. Received: "
                    f"{len(states)} state(s)"
                )
            half = len(states) // 2
            forward_state, backward_state = states[:half], states[half:]
        y = self.forward_layer(
            sequences, initial_state=forward_state, mask=mask, training=training
        )
        y_rev = self.backward_layer(
            sequences,
            initial_state=backward_state,
            mask=mask,
            training=training,
        )
        final_states: tuple = ()
        if self.return_state:
            final_states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = y_rev.flip(1)
        output = _merge(self.merge_mode, y, y_rev)
        if not self.return_state:
            return output
        output = output if self.merge_mode is None else (output,)
        return output + final_states

    def compute_mask(self, inputs: Any, mask: torch.Tensor | None) -> Any:
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        masks = [output_mask] * (2 if self.merge_mode is None else 1)
        if not self.return_state:
            return masks[0] if len(masks) == 1 else masks
        count = len(tree.flatten(getattr(self.forward_layer, "state_size", [])))
        return masks + [None] * (2 * count)

    def reset_state(self, states: Any = None) -> None:
        """Reset both layers' states (zeros, or `states`: the forward
        half, then the backward half)."""
        if not self.stateful:
            raise AttributeError(
                f"Layer '{self.name}' (Bidirectional) is not stateful, so it "
                "has no states to reset."
            )
        if states is None:
            self.forward_layer.reset_state()
            self.backward_layer.reset_state()
            return
        states = list(states)
        half = len(states) // 2
        self.forward_layer.reset_state(states[:half])
        self.backward_layer.reset_state(states[half:])

    def reset_states(self, states: Any = None) -> None:
        """Alias of `reset_state`."""
        self.reset_state(states)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "merge_mode": self.merge_mode,
            "layer": serialization.serialize_keras_object(self.forward_layer),
            "backward_layer": serialization.serialize_keras_object(
                self.backward_layer
            ),
        }

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: dict | None = None
    ) -> Bidirectional:
        config = copy.deepcopy(config)
        for key in ("layer", "backward_layer"):
            if config.get(key) is not None:
                config[key] = serialization.deserialize_keras_object(
                    config[key], custom_objects=custom_objects
                )
        return super().from_config(config)

    def extra_repr(self) -> str:
        return f"merge_mode={self.merge_mode}"
