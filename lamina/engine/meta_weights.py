"""Meta views of weights for a shape trace, without touching the module.

A shape trace runs a layer's real `call` on `meta` tensors, so its
weights must be meta tensors too. Swapping them into the module (or
`torch.func.functional_call`, which swaps attributes the same way) would
show the meta copies to every thread calling the same layer meanwhile.
Instead, the trace is a `TorchFunctionMode`: each torch function and
tensor method called while it is active sees a registered weight replaced
by its meta copy (`layer.kernel.device` reads `meta` too). The module, its
parameters and buffers are never written, and torch keeps the mode stack
per thread, so eager calls elsewhere see the real weights.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from lamina.runtime import weight_placement


class MetaWeights(TorchFunctionMode):
    """Maps registered real tensors to meta copies in every torch call.

    Example:

    >>> import torch
    >>> linear = torch.nn.Linear(3, 2)
    >>> with MetaWeights() as trace:
    ...     trace.register(linear)
    ...     linear(torch.zeros(1, 3, device="meta")).device
    device(type='meta')
    >>> linear.weight.device
    device(type='cpu')
    """

    def __init__(self) -> None:
        super().__init__()
        # id(real) -> (real, meta); the real tensor is kept so its id is
        # not reused while the trace runs.
        self._meta: dict[int, tuple[torch.Tensor, torch.Tensor]] = {}

    def register(self, module: nn.Module) -> None:
        """Give `module`'s own parameters and buffers meta copies."""
        for store in (module._parameters, module._buffers):
            for value in store.values():
                if (
                    value is None
                    or id(value) in self._meta
                    or value.device.type == "meta"
                ):
                    continue
                meta = weight_placement.meta_copy(value)
                self._meta[id(value)] = (value, meta)

    def _swap(self, x: Any) -> Any:
        if type(x) is list or type(x) is tuple:
            return type(x)(self._swap(v) for v in x)
        entry = self._meta.get(id(x))
        return x if entry is None else entry[1]

    def __torch_function__(
        self,
        func: Any,
        types: Any,
        args: tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
    ) -> Any:
        if self._meta:
            args = self._swap(args)
            if kwargs:
                kwargs = {k: self._swap(v) for k, v in kwargs.items()}
        return func(*args, **(kwargs or {}))
