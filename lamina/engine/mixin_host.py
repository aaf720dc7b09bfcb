"""What the engine's mixins rely on from the class they are mixed into.

`WeightsMixin` is mixed into `Layer`; `Trainer` into `Model`; the RNN's
argument mixin into `RNN`. Their methods use the host's attributes
(`self.name`, `self.train()`, ...). To the type checker each mixin
subclasses the host it needs (`ModuleHost`, `LayerHost`, `ModelHost`),
declared here; at run time every host is `object`, so no class's MRO
changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from torch import nn

    from lamina.engine.layer import Layer

    class ModuleHost(nn.Module):
        """A `Layer` as its `WeightsMixin` sees it."""

        name: str
        built: bool
        trainable: bool
        _trainable: bool
        _call_info: dict[str, Any]  # what `call` accepts, per class

        @property
        def variable_dtype(self) -> str: ...

        # Attributes a layer or model gets outside its class body (graph
        # state, sublayers set by helpers) resolve through
        # nn.Module.__getattr__, whose stub says `Tensor | Module`.
        def __getattr__(self, name: str) -> Any: ...

    class LayerHost(Layer):
        """A `Layer` as a mixin of one layer class sees it."""

    class ModelHost(Layer):
        """A `Model` as its `Trainer` sees it: what `compile` sets."""

        optimizer: Any
        _compile_loss: Any
        _compile_metrics: Any
        _loss_tracker: Any

else:
    ModuleHost = LayerHost = ModelHost = object
