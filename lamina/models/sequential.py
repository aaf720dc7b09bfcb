"""`Sequential`: a plain stack of layers, one input and one output."""

from __future__ import annotations

from typing import Any

import torch

from lamina.engine import name_scope
from lamina.engine.layer import Layer
from lamina.engine.symbolic import SymbolicTensor
from lamina.layers.core.input_layer import InputLayer
from lamina.layers.core.input_layer import input_layer_of
from lamina.models import network
from lamina.models.model import Model
from lamina.models.model import layer_key


class Sequential(Model):
    """A linear stack of layers.

    The input shape comes from an `Input`/`InputLayer` given first, or from
    the first layer's `input_shape`/`input_dim`; otherwise the model is
    built on its first call.

    Args:
        layers: optional list of layers to add.
        trainable: whether the model's weights are trainable.
        name: the model's name.

    Example:

    >>> import lamina
    >>> model = lamina.Sequential([
    ...     lamina.Input((16,)),
    ...     lamina.layers.Dense(8, activation="relu"),
    ...     lamina.layers.Dense(2),
    ... ])
    >>> model.output_shape
    (None, 2)
    >>> model.count_params()
    154
    """

    def __init__(
        self,
        layers: Any = None,
        trainable: bool = True,
        name: str | None = None,
    ):
        super().__init__(trainable=trainable, name=name)
        object.__setattr__(self, "_stack", [])
        object.__setattr__(self, "_input_layer", None)
        self.built = False
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    def add(self, layer: Any, rebuild: bool = True) -> None:
        """Append a layer (or an `Input` tensor, first)."""
        source = (
            input_layer_of(layer) if isinstance(layer, SymbolicTensor) else None
        )
        if source is not None:
            layer = source
        if not isinstance(layer, Layer):
            raise ValueError(
                "Only instances of `lamina.Layer` can be added to a "
                f"Sequential model. Received: {layer!r} "
                f"(of type {type(layer).__name__})"
            )
        if isinstance(layer, InputLayer):
            if self._input_layer is not None or self._stack:
                raise ValueError(
                    f"Sequential model '{self.name}' already has an input; "
                    "an InputLayer can only be its first layer."
                )
            object.__setattr__(self, "_input_layer", layer)
        else:
            if any(other.name == layer.name for other in self._stack):
                raise ValueError(
                    f"All layers added to a Sequential model should have "
                    f"unique names. Name '{layer.name}' is already the name "
                    f"of a layer in model '{self.name}'."
                )
            self._stack.append(layer)
            self.add_module(layer_key(self, layer.name), layer)
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild: bool = True) -> Layer:
        """Remove and return the last layer."""
        if not self._stack:
            raise ValueError(
                f"There are no layers in Sequential model '{self.name}' to pop."
            )
        layer = self._stack.pop()
        for key, module in list(self._modules.items()):
            if module is layer:
                del self._modules[key]
        network.set_graph(self, None)
        self.__dict__.pop("_accepted_input", None)
        self.built = False
        if rebuild:
            self._maybe_rebuild()
        return layer

    @property
    def layers(self) -> list:
        return list(self._stack)

    def _known_batch_shape(self):
        if self._input_layer is not None:
            return self._input_layer.batch_shape
        if self._stack and self._stack[0]._batch_shape is not None:
            return self._stack[0]._batch_shape
        return None

    def _maybe_rebuild(self) -> None:
        shape = self._known_batch_shape()
        if shape is not None and self._stack:
            self._build_graph(shape)

    def _build_graph(self, batch_shape: tuple, dtype=None) -> None:
        # The layers are built under this model's name, as Keras's paths
        # say ("sequential/dense/kernel").
        with name_scope.layer_scope(self):
            self._build_stack_graph(batch_shape, dtype)

    def _build_stack_graph(self, batch_shape: tuple, dtype=None) -> None:
        from lamina.models import functional

        if self._input_layer is None:
            dtype = dtype or self._stack[0]._input_dtype
            object.__setattr__(
                self,
                "_input_layer",
                InputLayer(batch_shape=batch_shape, dtype=dtype),
            )
        x = self._input_layer.output_tensor
        inputs = x
        for layer in self._stack:
            x = layer(x)
        # Only the symbolic ends are kept: the layers are this model's own
        # children, so the graph is not registered a second time.
        graph = functional.Graph([inputs], [x], owner_name=self.name)
        network.set_graph(self, graph)
        self.__dict__.pop("_accepted_input", None)
        object.__setattr__(self, "_inputs_struct", inputs)
        object.__setattr__(self, "_outputs_struct", x)
        self.built = True

    def build(self, input_shape: Any = None) -> None:
        if self._network.is_graph_network:
            self.built = True
            return
        shape = (
            input_shape
            if input_shape is not None
            else self._known_batch_shape()
        )
        if shape is None:
            raise ValueError(
                f"Sequential model '{self.name}' cannot be built: its input "
                "shape is unknown. Add an `Input(shape)` first, pass "
                "`input_shape` to the first layer, or call the model on data."
            )
        if not self._stack:
            raise ValueError(
                f"Sequential model '{self.name}' has no layers to build."
            )
        self._build_graph(tuple(shape))

    def _maybe_build(self, args: tuple, kwargs: dict) -> None:
        first = args[0] if args else None
        if (
            not self._network.is_graph_network
            and first is not None
            and hasattr(first, "shape")
        ):
            shape = (None,) + tuple(first.shape[1:])
            self._build_graph(shape, dtype=_dtype_name(first))
        self.built = True

    def call(
        self,
        inputs: torch.Tensor,
        training: bool | None = None,
        mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        x = inputs
        if self._network.is_graph_network and isinstance(x, torch.Tensor):
            # Keras runs a built Sequential through its functional graph,
            # which refuses an input of another rank.
            key = (x.shape[1:], x.dtype)  # not the batch size: any is fine
            if key != self.__dict__.get("_accepted_input"):
                from lamina.models.functional import _check_input

                checked = _check_input(self, x, self._inputs_struct, 0)
                if checked is x:  # taken as it is: skip the check next time
                    self.__dict__["_accepted_input"] = key
                x = checked
        elif self._input_layer is not None and isinstance(x, torch.Tensor):
            # As Keras: the input takes its `Input`'s dtype (bool or
            # integer data fed to a float32 `Input`; the graph's check above
            # casts too).
            dtype = self._input_layer.output_tensor.torch_dtype
            if x.dtype != dtype:
                x = x.to(dtype)
        if mask is not None and hasattr(x, "shape"):
            setattr(x, "_keras_mask", mask)
        for layer in self._stack:
            x = layer(x)
        return x

    def get_config(self) -> dict:
        from lamina.models import serialization

        return serialization.sequential_config(self)

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: dict | None = None
    ) -> Sequential:
        from lamina.models import serialization

        return serialization.sequential_from_config(cls, config, custom_objects)


def _dtype_name(x) -> str | None:
    from lamina.utils.dtype_utils import standardize_dtype

    try:
        name = standardize_dtype(x.dtype)
    except ValueError:
        return None
    # Float inputs are cast to the layers' compute dtype anyway.
    return None if name.startswith(("float", "bfloat")) else name
