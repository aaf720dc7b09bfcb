"""`BaseRNNCell`: what SimpleRNN, LSTM and GRU cells share.

Configuration, zero initial states, and the one place where the torch
layout of the weights meets Keras's (dropout lives in `DropoutRNNCell`).

Layout. Keras keeps `kernel` as `(input_dim, gates * units)` and
`recurrent_kernel` as `(units, gates * units)`; torch's fused RNN kernels
want `(gates * units, input_dim)` and their own gate order (GRU: r, z, n
instead of Keras's z, r, h). The cells store the torch layout, so the fused
path and the step loop use the parameters as they are (`F.linear`, the flat
weight list of `torch._VF.lstm`), and convert only at the boundary:
`get_weights`/`set_weights`, weight files, regularizers and constraints
(which see the Keras layout, as in Keras) all go through
`to_keras_layout` / `from_keras_layout` below.
"""

from __future__ import annotations

import torch

from lamina import activations
from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.errors import invalid_argument
from lamina.layers.recurrent.dropout_rnn_cell import DropoutRNNCell
from lamina.utils import dtype_utils
from lamina.utils.eager import eager_only

_LAYOUT_ATTRS = ("kernel", "recurrent_kernel", "bias")
# What torch's fused kernels compute, by activation name (a user may pass
# either the lamina function or torch's).
_TORCH_FUNCTIONS = {"tanh": torch.tanh, "sigmoid": torch.sigmoid,
                    "relu": torch.relu}


def is_activation(fn, name: str) -> bool:
    """Whether `fn` is the activation `name` (lamina's or torch's)."""
    return fn is activations.get(name) or fn is _TORCH_FUNCTIONS[name]


class BaseRNNCell(DropoutRNNCell):
    """Shared base of the built-in RNN cells (not used directly).

    Subclasses set `GATES` (gate blocks per weight) and `GATE_ORDER`
    (torch gate `k` holds Keras gate `GATE_ORDER[k]`), build their weights
    with `_add_gate_weight` and implement `call(inputs, states, training)`.
    """

    GATES = 1
    GATE_ORDER: tuple = (0,)

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 seed=None, **kwargs):
        kwargs.pop("implementation", None)  # Keras's kernel choice; unused
        name = type(self).__name__
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(invalid_argument(
                name, "units", "a positive integer", units))
        super().__init__(dropout=dropout, recurrent_dropout=recurrent_dropout,
                         seed=seed, **kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self) -> int:
        return self.units

    # -- weights -----------------------------------------------------------

    def _add_gate_weights(self, input_dim: int, bias_shape: tuple) -> None:
        """`kernel`, `recurrent_kernel` and (with `use_bias`) `bias`,
        created from their Keras shapes, stored in torch layout."""
        width = self.GATES * self.units
        self.kernel = self._add_gate_weight(
            "kernel", (input_dim, width), self.kernel_initializer,
            self.kernel_regularizer, self.kernel_constraint)
        self.recurrent_kernel = self._add_gate_weight(
            "recurrent_kernel", (self.units, width),
            self.recurrent_initializer, self.recurrent_regularizer,
            self.recurrent_constraint)
        self.bias = self._add_gate_weight(
            "bias", bias_shape, self._bias_initializer(),
            self.bias_regularizer, self.bias_constraint,
        ) if self.use_bias else None

    def _bias_initializer(self):
        return self.bias_initializer

    # Creating a weight is eager work: under `torch.compile` (a model built
    # by its first compiled call) Dynamo mistraces the `.data` swap below.
    @eager_only
    def _add_gate_weight(self, name, keras_shape, initializer, regularizer,
                         constraint):
        # The initializer runs on the Keras shape (fan-in/fan-out and
        # orthogonality as in Keras); regularizers and constraints are
        # wrapped to see the Keras layout too.
        weight = self.add_weight(
            name=name, shape=keras_shape, initializer=initializer,
            regularizer=_InKerasLayout(self, name, regularizer),
            constraint=_InKerasLayout(self, name, constraint, back=True))
        with torch.no_grad():
            weight.data = self.from_keras_layout(name, weight.data)
        return weight

    def to_keras_layout(self, attr: str, tensor: torch.Tensor):
        """Torch-layout weight `attr` → Keras layout (differentiable)."""
        if attr not in _LAYOUT_ATTRS:
            return tensor
        inverse = tuple(self.GATE_ORDER.index(k) for k in range(self.GATES))
        if attr == "bias":
            return self._permute_gates(tensor, inverse)
        return self._permute_gates(tensor.t(), inverse)

    def from_keras_layout(self, attr: str, tensor: torch.Tensor):
        """Keras-layout weight `attr` → torch layout (contiguous)."""
        if attr not in _LAYOUT_ATTRS:
            return tensor
        tensor = self._permute_gates(tensor, self.GATE_ORDER)
        return (tensor if attr == "bias" else tensor.t()).contiguous()

    def _permute_gates(self, tensor, order):
        """Reorder the gate blocks along the last axis."""
        if tuple(order) == tuple(range(self.GATES)):
            return tensor
        shape = tensor.shape
        blocks = tensor.reshape(*shape[:-1], self.GATES, self.units)
        return blocks[..., list(order), :].reshape(shape)

    def _weight_to_keras(self, attr, tensor):
        return dtype_utils.tensor_to_numpy(
            self.to_keras_layout(attr, tensor.detach()))

    def _weight_from_keras(self, attr, value, like):
        value = dtype_utils.numpy_to_tensor(value, like.dtype)
        return self.from_keras_layout(attr, value)

    def _keras_shape(self, attr, tensor):
        if attr in _LAYOUT_ATTRS and attr != "bias":
            return tuple(reversed(tensor.shape))
        return tuple(tensor.shape)

    # -- fused kernels -----------------------------------------------------

    def _fused_kind(self) -> str | None:
        """The name of torch's fused kernel computing this cell, if any."""
        return None

    def _fused_params(self) -> list:
        """The flat weight list torch's fused kernel takes."""
        if not self.use_bias:
            return [self.kernel, self.recurrent_kernel]
        return [self.kernel, self.recurrent_kernel, self.bias,
                self._zero_bias]

    def _add_zero_bias(self) -> None:
        # torch's kernels add two biases; Keras has one (the second is 0).
        self.register_buffer("_zero_bias", torch.zeros(
            self.GATES * self.units), persistent=False)

    # -- states and config -------------------------------------------------

    def get_initial_state(self, batch_size=None) -> list:
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) \
            else [self.state_size]
        return [torch.zeros(batch_size, d, dtype=self._compute_torch_dtype)
                for d in sizes]

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            **{f"{k}_initializer": initializers.serialize(
                getattr(self, f"{k}_initializer"))
               for k in ("kernel", "recurrent", "bias")},
            **{f"{k}_regularizer": regularizers.serialize(
                getattr(self, f"{k}_regularizer"))
               for k in ("kernel", "recurrent", "bias")},
            **{f"{k}_constraint": constraints.serialize(
                getattr(self, f"{k}_constraint"))
               for k in ("kernel", "recurrent", "bias")},
        }

    def extra_repr(self) -> str:
        return (f"units={self.units}, "
                f"activation={activations.serialize(self.activation)}")


class _InKerasLayout:
    """A regularizer or constraint applied to the Keras layout of a weight
    stored in torch layout (`back=True`: convert the result back)."""

    def __new__(cls, cell, attr, fn, back=False):
        return None if fn is None else super().__new__(cls)

    def __init__(self, cell, attr, fn, back=False):
        self.to_keras = cell.to_keras_layout
        self.from_keras = cell.from_keras_layout
        self.attr, self.fn, self.back = attr, fn, back

    def __call__(self, tensor):
        out = self.fn(self.to_keras(self.attr, tensor))
        return self.from_keras(self.attr, out) if self.back else out
