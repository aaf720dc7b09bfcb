"""`BaseRNNLayer`: an `RNN` over one built-in cell, configured flat.

`SimpleRNN`, `LSTM` and `GRU` take their cell's arguments directly
(`LSTM(8, dropout=0.1)`), read them back as attributes (`layer.units`) and
write one flat config, as Keras does. The cell's arguments are listed once,
by the cell class; this base routes them, so no layer repeats them.
"""

from __future__ import annotations

from typing import Any

import inspect

from lamina import regularizers
from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.errors import invalid_argument
from lamina.layers.recurrent.base_rnn_cell import BaseRNNCell
from lamina.layers.recurrent.rnn import RNN

_LAYER_KEYS = ("name", "trainable", "dtype")


def _cell_arguments(cell_class) -> set:
    """The keyword arguments `cell_class` (and its bases) take."""
    names = {"implementation"}
    for cls in cell_class.__mro__:
        if cls is Layer:
            break
        if "__init__" in cls.__dict__:
            names.update(inspect.signature(cls.__init__).parameters)
    return names - {"self", "units", "kwargs"}


def cell_attribute(name: str) -> property:
    """A read-only attribute of the layer that reads the cell's."""
    return property(
        lambda self: getattr(self.cell, name), doc=f"The cell's `{name}`."
    )


class BaseRNNLayer(RNN):
    """An `RNN` whose cell (`CELL_CLASS`) is built from the layer's own
    arguments. Subclasses set `CELL_CLASS` and `CELL_NAME`."""

    CELL_CLASS: type = BaseRNNCell
    CELL_NAME = "cell"
    CONFIG_OMITS: tuple = ()  # cell keys Keras leaves out of the config

    def __init__(
        self,
        units: int,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        use_cudnn: bool | str = "auto",
        **kwargs: Any,
    ):
        names = _cell_arguments(self.CELL_CLASS)
        cell_kwargs = {k: kwargs.pop(k) for k in list(kwargs) if k in names}
        cell = self.CELL_CLASS(
            units,
            name=self.CELL_NAME,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            **cell_kwargs,
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            **kwargs,
        )
        if use_cudnn not in ("auto", True, False):
            raise ValueError(
                invalid_argument(
                    type(self).__name__,
                    "use_cudnn",
                    "one of 'auto', True, False",
                    use_cudnn,
                )
            )
        # Keras's switch for its cuDNN kernel; here False selects the step
        # loop, True insists on torch's fused kernel.
        self.use_cudnn = use_cudnn
        self._use_fused = use_cudnn is not False
        self.input_spec = InputSpec(ndim=3)

    def _inner_loop(self, sequences, states, mask, training, constants):
        if self.use_cudnn is True and self._fused_kind(constants) is None:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}): "
                "use_cudnn=True, but this configuration cannot use the "
                "fused kernel (it needs tanh/sigmoid activations, no "
                "recurrent dropout and unroll=False). Pass "
                f"use_cudnn='auto'. Received: use_cudnn={self.use_cudnn}"
            )
        return super()._inner_loop(sequences, states, mask, training, constants)

    units = cell_attribute("units")
    activation = cell_attribute("activation")
    use_bias = cell_attribute("use_bias")
    kernel_initializer = cell_attribute("kernel_initializer")
    recurrent_initializer = cell_attribute("recurrent_initializer")
    bias_initializer = cell_attribute("bias_initializer")
    kernel_regularizer = cell_attribute("kernel_regularizer")
    recurrent_regularizer = cell_attribute("recurrent_regularizer")
    bias_regularizer = cell_attribute("bias_regularizer")
    kernel_constraint = cell_attribute("kernel_constraint")
    recurrent_constraint = cell_attribute("recurrent_constraint")
    bias_constraint = cell_attribute("bias_constraint")
    dropout = cell_attribute("dropout")
    recurrent_dropout = cell_attribute("recurrent_dropout")
    seed = cell_attribute("seed")

    def get_config(self) -> dict:
        config = super().get_config()
        del config["cell"]
        cell_config = {
            k: v
            for k, v in self.cell.get_config().items()
            if k not in _LAYER_KEYS + self.CONFIG_OMITS
        }
        return {
            **config,
            **cell_config,
            "activity_regularizer": regularizers.serialize(
                self.activity_regularizer
            ),
        }

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: dict | None = None
    ) -> BaseRNNLayer:
        return vars(Layer)["from_config"].__func__(cls, config)

    def extra_repr(self) -> str:
        return f"units={self.units}, " + super().extra_repr()
