"""`fit`, `evaluate` and `predict` of a model whose weights a
`ModelParallel` sharded (torch DTensors).

Every process runs the whole batch (the mesh's batch axis has one
device): each step runs under DTensor's implicit replication, so plain
inputs and unsharded weights count as replicated, and the model's
outputs are gathered into plain tensors, so the loss, the metrics and
the callbacks see what one process computing everything would. Autograd
carries the gradients back into the shards, and the optimizer updates
each shard where it lives (its state is created like the weight, so it
is sharded too).
"""

from __future__ import annotations

from typing import Any, Callable

from lamina.trainers.run_hooks import RunHooks
from lamina.utils import tree


def _whole(value: Any) -> Any:
    full = getattr(value, "full_tensor", None)
    return full() if full is not None else value


class ShardedRun(RunHooks):
    """The hooks of one call on a model with sharded weights."""

    def train_step(self, step: Callable) -> Callable:
        return self._wrap(step)

    def test_step(self, step: Callable) -> Callable:
        return self._wrap(step)

    def predict_step(self, step: Callable) -> Callable:
        return self._wrap(step)

    def _wrap(self, step: Callable) -> Callable:
        from torch.distributed.tensor.experimental import implicit_replication

        model = self.model

        def whole_outputs(module: Any, inputs: Any, outputs: Any) -> Any:
            return tree.map_structure(_whole, outputs)

        def sharded_step(*args: Any, **kwargs: Any) -> Any:
            # Only the model's own call is gathered: its sublayers keep
            # passing DTensors to each other.
            handle = model.register_forward_hook(whole_outputs)
            try:
                with implicit_replication():
                    return step(*args, **kwargs)
            finally:
                handle.remove()

        return sharded_step
