"""Mixed precision (`keras.mixed_precision`): dtype policies and loss
scaling.

Under `"mixed_float16"` or `"mixed_bfloat16"` a layer keeps its weights in
float32 and runs its `call` under `torch.autocast` with the compute dtype;
a layer whose own policy is float32 (e.g. a final `Dense(dtype="float32")`)
turns autocast off again inside. Losses are computed in float32 outside
the model. `compile` wraps the optimizer in a `LossScaleOptimizer` under
`"mixed_float16"`.

Example:

>>> import torch, lamina
>>> lamina.mixed_precision.set_global_policy("mixed_bfloat16")
>>> layer = lamina.layers.Dense(2)
>>> layer(torch.ones(1, 3)).dtype, layer.kernel.dtype
(torch.bfloat16, torch.float32)
>>> lamina.mixed_precision.set_global_policy("float32")
"""

from __future__ import annotations

from lamina.engine.dtype_policy import DTypePolicy as DTypePolicy
from lamina.engine.dtype_policy import global_policy as global_policy
from lamina.engine.dtype_policy import set_global_policy as set_global_policy
from lamina.optimizers.loss_scale_optimizer import (
    LossScaleOptimizer as LossScaleOptimizer,
)

Policy = DTypePolicy
dtype_policy = global_policy
set_dtype_policy = set_global_policy

__all__ = [
    "DTypePolicy",
    "LossScaleOptimizer",
    "Policy",
    "dtype_policy",
    "global_policy",
    "set_dtype_policy",
    "set_global_policy",
]
