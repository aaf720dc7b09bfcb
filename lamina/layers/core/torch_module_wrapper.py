"""`TorchModuleWrapper`: any `torch.nn.Module` as a lamina layer."""

from __future__ import annotations

from typing import Any

import base64
import io

import torch
from torch import nn

from lamina import config as lamina_config
from lamina.engine.layer import Layer
from lamina.errors import invalid_argument
from lamina.saving import serialization


class TorchModuleWrapper(Layer):
    """Torch module wrapper layer.

    Turns any `torch.nn.Module` into a layer: the module is registered as a
    submodule, so its parameters are the layer's weights (trainable when
    `requires_grad` is set), and `call` forwards to it. The wrapper puts the
    module in train mode unless it is called with `training=False` (as
    Keras does).

    Args:
        module: `torch.nn.Module` instance. A lazy module (`nn.LazyLinear`)
            must be initialized first (e.g. by calling it once).
        name: The name of the layer (string).
        output_shape: the full output shape (batch included), used for
            symbolic shape inference; when None the module is traced.

    Input shape:
        Whatever `module` accepts.

    Output shape:
        Whatever `module` returns.

    `get_config()` stores the module as Keras does (`torch.save`, base64).
    `from_config()` refuses to unpickle it unless `safe_mode=False` or
    `lamina.config.enable_unsafe_deserialization()` was called: unpickling
    can run arbitrary code.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.TorchModuleWrapper(torch.nn.Linear(4, 2))
    >>> [tuple(w.shape) for w in layer.trainable_weights]
    [(2, 4), (2,)]
    >>> inputs = lamina.Input((4,))
    >>> tuple(layer(inputs).shape)
    (None, 2)
    """

    _keeps_input_dtype = True  # the wrapped module decides its dtypes

    def __init__(
        self,
        module: Any,
        name: str | None = None,
        output_shape: Any = None,
        **kwargs: Any,
    ):
        super().__init__(name=name, **kwargs)
        if not isinstance(module, nn.Module):
            raise ValueError(
                invalid_argument(
                    type(self), "module", "a `torch.nn.Module` instance", module
                )
            )
        if (
            isinstance(module, nn.modules.lazy.LazyModuleMixin)
            and module.has_uninitialized_params()
        ):
            raise ValueError(
                "TorchModuleWrapper: LazyModules are not supported unless "
                "they are already initialized. Received uninitialized "
                f"LazyModule: module={module}"
            )
        self.module = module
        self.output_shape = output_shape
        self.built = True

    def call(
        self, *args: Any, training: bool | None = None, **kwargs: Any
    ) -> torch.Tensor:
        self.module.train(training is not False)
        return self.module(*args, **kwargs)

    def compute_output_spec(self, *args: Any, **kwargs: Any) -> Any:
        if self.output_shape is None:
            return super().compute_output_spec(*args, **kwargs)
        from lamina.engine.symbolic import SymbolicTensor

        return SymbolicTensor(
            tuple(self.output_shape), dtype=self.compute_dtype
        )

    def get_config(self) -> dict:
        buffer = io.BytesIO()
        torch.save(self.module, buffer)
        encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
        return {
            **super().get_config(),
            "module": encoded,
            "output_shape": self.output_shape,
        }

    @classmethod
    def from_config(
        cls,
        config: dict,
        custom_objects: dict | None = None,
        safe_mode: bool | None = None,
    ) -> TorchModuleWrapper:
        """Rebuild the wrapper; the pickled module is refused unless
        `safe_mode=False` or unsafe deserialization is enabled."""
        config = dict(config)
        if isinstance(config.get("module"), str):
            if safe_mode is None:
                safe_mode = serialization.in_safe_mode()
            if (
                safe_mode is not False
                and not lamina_config.unsafe_deserialization_enabled()
            ):
                raise ValueError(
                    f"Layer '{config.get('name')}' (TorchModuleWrapper): "
                    "refused to deserialize the `torch.nn.Module` stored in "
                    "its `module` via `torch.load()`: unpickling it could "
                    "execute arbitrary code. If you trust the source of this "
                    "config, pass `safe_mode=False` to the loading function, "
                    "or call `lamina.config.enable_unsafe_deserialization()`."
                )
            raw = base64.b64decode(config["module"].encode("ascii"))
            config["module"] = torch.load(io.BytesIO(raw), weights_only=False)
        return cls(**config)

    def extra_repr(self) -> str:
        return f"output_shape={self.output_shape}"
