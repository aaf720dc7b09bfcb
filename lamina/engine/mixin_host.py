"""What the engine's mixins rely on from the class they are mixed into.

`Trainer` is mixed into `Model`; `QueryValueKeyBuild` into the attention
layers. Their methods use the host's attributes (`self.name`,
`self.train()`, ...). To the type checker each mixin subclasses the host
it needs (`LayerHost`, `ModelHost`), declared here; at run time every host
is `object`, so no class's MRO changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lamina.engine.layer import Layer

    class LayerHost(Layer):
        """A `Layer` as a mixin of one layer class sees it."""

    class ModelHost(Layer):
        """A `Model` as its `Trainer` sees it: what `compile` sets."""

        optimizer: Any
        _compile_loss: Any
        _compile_metrics: Any
        _loss_tracker: Any

else:
    LayerHost = ModelHost = object
