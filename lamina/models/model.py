"""`Model`: a `Layer` that trains. The only place `Trainer` is mixed in.

Three ways to make one, as in Keras:
- functional: `Model(inputs, outputs)` (config class `Functional`);
- `Sequential([...])`;
- subclassing: define layers in `__init__` and the forward pass in `call`.
"""

from __future__ import annotations

import os
from typing import Any, Callable

from torch import nn

from lamina.engine.layer import Layer
from lamina.engine.layer import specs_from_shapes
from lamina.models import network
from lamina.quantization import quantization_layer_structure, quantize_model
from lamina.trainers.trainer import Trainer
from lamina.utils import tree


class Model(Trainer, Layer):
    """A layer with training and inference features.

    Args:
        inputs: (functional models) the symbolic input(s).
        outputs: (functional models) the symbolic output(s).
        name: the model's name.

    Example:

    >>> import torch, lamina
    >>> class MLP(lamina.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = lamina.layers.Dense(8, activation="relu")
    ...         self.out = lamina.layers.Dense(2)
    ...     def call(self, inputs):
    ...         return self.out(self.hidden(inputs))
    >>> MLP()(torch.ones(3, 4)).shape
    torch.Size([3, 2])
    """

    # Functional models cast inputs to their `Input` dtypes (as Keras).
    _keeps_input_dtype = True
    quantize: Callable[..., None] = quantize_model  # Keras's own arguments
    get_quantization_layer_structure = quantization_layer_structure

    def __new__(cls, *args, **kwargs):
        # `Model(inputs, outputs)` makes a `Functional`, as in Keras.
        functional_init = args or "inputs" in kwargs or "outputs" in kwargs
        if cls is Model and functional_init:
            from lamina.models.functional import Functional

            return super().__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any):
        inputs = kwargs.pop("inputs", None)
        outputs = kwargs.pop("outputs", None)
        if args:
            if len(args) > 2:
                raise TypeError(
                    "Model() takes at most 2 positional arguments (inputs, "
                    f"outputs). Received {len(args)}."
                )
            inputs = args[0]
            outputs = args[1] if len(args) > 1 else outputs
        if inputs is not None and kwargs.get("name") is None:
            from lamina.engine import naming

            kwargs["name"] = naming.auto_name("functional")
        Layer.__init__(self, **kwargs)
        Trainer.__init__(self)
        network.set_graph(self, None)
        if inputs is not None or outputs is not None:
            if inputs is None or outputs is None:
                raise ValueError(
                    "A functional model needs both `inputs` and `outputs`. "
                    f"Received: inputs={inputs}, outputs={outputs}"
                )
            from lamina.models import functional

            functional.init_graph(self, inputs, outputs)

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        return self._network.call(self, inputs, mask)

    @property
    def is_graph_network(self) -> bool:
        """Whether the model runs a graph of layers (functional, or a
        `Sequential` with a known input shape), as Keras names it."""
        return self._network.is_graph_network

    def build(self, input_shape: Any = None) -> None:
        """Build a subclassed model by tracing `call` on `input_shape`."""
        if self._network.is_graph_network or self.built:
            self.built = True
            return
        if input_shape is None:
            raise ValueError(
                f"Model '{self.name}': `build()` needs an `input_shape`."
            )
        if type(self).build is not Model.build:
            return
        if type(self).call is Model.call:  # no graph and no `call`: say so
            self._network.call(self, None)  # before tracing hides it
        specs = specs_from_shapes(input_shape, self.compute_dtype)
        self.built = True
        self.compute_output_spec(specs)

    # -- graph introspection ------------------------------------------------

    @property
    def layers(self) -> list:
        """The model's layers (for functional models, in graph order,
        input layers included)."""
        return self._network.layers(self)

    def get_layer(
        self, name: str | None = None, index: int | None = None
    ) -> Layer:
        """A layer by `name` or by `index` in `model.layers`."""
        if index is not None and name is not None:
            raise ValueError(
                "Provide only a layer name or a layer index. Received: "
                f"index={index}, name={name}."
            )
        if index is not None:
            if not isinstance(index, int) or not (
                -len(self.layers) <= index < len(self.layers)
            ):
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model "
                    f"'{self.name}' only has {len(self.layers)} layers."
                )
            return self.layers[index]
        if name is not None:
            for layer in self.layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name}. Existing layers are: "
                f"{[layer.name for layer in self.layers]}."
            )
        raise ValueError(
            "Provide either a layer name or layer index at `get_layer`."
        )

    @property
    def inputs(self) -> list:
        return self._network.ends(self, "inputs")

    @property
    def outputs(self) -> list:
        return self._network.ends(self, "outputs")

    @property
    def input(self) -> Any:
        return self._network.structure(self, "input")

    @property
    def output(self) -> Any:
        return self._network.structure(self, "output")

    @property
    def input_shape(self) -> Any:
        return tree.map_structure(
            lambda t: t.shape, self._need_graph()._inputs_struct
        )

    @property
    def output_shape(self) -> Any:
        return tree.map_structure(
            lambda t: t.shape, self._need_graph()._outputs_struct
        )

    def _need_graph(self) -> "Model":
        if not self._network.is_graph_network:
            raise AttributeError(
                f"Model '{self.name}' has no defined input/output shape: "
                "it is not a functional model or has not been built on a "
                "known input shape."
            )
        return self

    def summary(
        self,
        line_length: int | None = None,
        positions: list[float] | None = None,
        print_fn: Callable[..., Any] | None = None,
        expand_nested: bool = False,
        show_trainable: bool = False,
        layer_range: list[str] | tuple[str, str] | None = None,
    ) -> None:
        """Print a table of the layers, output shapes and parameter counts."""
        from lamina.models import summary

        summary.print_summary(
            self,
            line_length=line_length,
            print_fn=print_fn,
            show_trainable=show_trainable,
        )

    def save(
        self,
        filepath: str | os.PathLike,
        overwrite: bool = True,
        zipped: bool | None = None,
        **kwargs: Any,
    ) -> None:
        """Save the model (config, weights, optimizer state) to a `.keras`
        archive that Keras 3 also reads; the write is atomic. See
        `lamina.saving.save_model`."""
        from lamina.runtime.chief import run_on_chief
        from lamina.saving import saving_api

        # Under lamina.distribute, rank 0 writes and the others wait.
        run_on_chief(
            lambda: saving_api.save_model(
                self, filepath, overwrite=overwrite, zipped=zipped, **kwargs
            ),
            f"saving {filepath}",
            self,
        )

    def to_json(self, **kwargs: Any) -> str:
        """The model's config as a JSON string (`kwargs` go to
        `json.dumps`); `lamina.models.model_from_json` rebuilds it."""
        from lamina.saving import saving_api

        return saving_api.model_to_json(self, **kwargs)

    def save_weights(
        self, filepath: str | os.PathLike, overwrite: bool = True, **kwargs: Any
    ) -> None:
        """Write the weights to a `.weights.h5` file (Keras 3's layout),
        atomically: a crash mid-write leaves any old file whole."""
        from lamina.runtime.chief import run_on_chief
        from lamina.saving import saving_api

        run_on_chief(
            lambda: saving_api.save_weights(
                self, filepath, overwrite=overwrite, **kwargs
            ),
            f"saving {filepath}",
            self,
        )

    def load_weights(
        self,
        filepath: str | os.PathLike,
        skip_mismatch: bool = False,
        **kwargs: Any,
    ) -> None:
        """Load weights from a `.weights.h5` file or a `.keras` archive
        (lamina's or Keras's); every mismatch is reported in one error."""
        from lamina.saving import saving_api

        saving_api.load_weights(
            self, filepath, skip_mismatch=skip_mismatch, **kwargs
        )

    def export(
        self,
        filepath: str | os.PathLike,
        format: str | None = None,
        verbose: bool | None = None,
        input_signature: Any = None,
        **kwargs: Any,
    ) -> str:
        """Export the inference graph for serving, on CPU, with a dynamic
        batch axis; the write is atomic.

        Args:
            filepath: the file to write.
            format: `"onnx"` (`onnxruntime.InferenceSession`; needs
                `pip install lamina[export]`), `"torch"` (`.pt2`, reload with
                `torch.export.load`) or `"torchscript"` (`torch.jit.load`).
                No default: Keras's, `"tf_saved_model"`, needs TensorFlow.
            verbose: print where the file went (default `True`).
            input_signature: the input's `InputSpec` (or a list/dict of
                them); inferred for functional and Sequential models, and
                for subclassed models from their first call.
            **kwargs: `opset_version` for ONNX.

        Returns:
            The path written. See `lamina.models.export.export_model`.
        """
        from lamina.runtime.chief import run_on_chief
        from lamina.models.export import export_model

        return run_on_chief(
            lambda: export_model(
                self,
                filepath,
                format=format,
                verbose=verbose,
                input_signature=input_signature,
                **kwargs,
            ),
            f"exporting {filepath}",
            self,
        )

    def get_config(self) -> dict:
        return self._network.get_config(self)

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: dict | None = None
    ) -> Model:
        if "layers" in config and "input_layers" in config:
            from lamina.models import serialization

            return serialization.functional_from_config(
                cls, config, custom_objects
            )
        return super().from_config(config)


def layer_key(model: Layer, name: str) -> str:
    """The attribute a sublayer named `name` is registered under: its name,
    unless that would shadow an existing attribute."""
    key = name.replace(".", "_")
    if key in model._modules or hasattr(model, key):
        key = f"layer_{key}"
    return key


def child_layers(module: nn.Module) -> list:
    """Direct sublayers, looking through lists and dicts of layers."""
    out = []
    for child in module.children():
        if isinstance(child, Layer):
            out.append(child)
        elif isinstance(child, (nn.ModuleList, nn.ModuleDict)):
            out.extend(child_layers(child))
    return out
