"""`Variable`: an `nn.Parameter` with Keras's variable methods.

Every lamina weight is one: trainable weights require grad, non-trainable
ones (moving statistics, frozen weights) do not. Being a Parameter subclass,
it costs nothing in torch ops (Parameter disables `__torch_function__`), and
`assign` / `assign_add` / `numpy()` work as Keras code expects.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from lamina.engine.stateless_scope import get_stateless_scope


class Variable(nn.Parameter):
    """A layer weight: a `torch.nn.Parameter` with Keras variable methods.

    Example:

    >>> import torch, lamina
    >>> v = lamina.Variable(torch.zeros(2), requires_grad=False)
    >>> _ = v.assign_add(torch.ones(2))
    >>> v.numpy()
    array([1., 1.], dtype=float32)
    """

    # Set by `Layer.add_weight`; the optimizers apply it after each update.
    constraint: Any

    def __new__(
        cls, data: Any = None, requires_grad: bool = True
    ) -> "Variable":
        if data is not None and not isinstance(data, torch.Tensor):
            data = torch.as_tensor(np.asarray(data))
        return super().__new__(cls, data, requires_grad)

    def _coerce(self, value: Any) -> torch.Tensor:
        return torch.as_tensor(value, dtype=self.dtype, device=self.device)

    def assign(self, value: Any) -> "Variable":
        _keep_aside_in_stateless_scope(self)
        with torch.no_grad():
            self.copy_(self._coerce(value))
        return self

    def assign_add(self, value: Any) -> "Variable":
        _keep_aside_in_stateless_scope(self)
        with torch.no_grad():
            self.add_(self._coerce(value))
        return self

    def assign_sub(self, value: Any) -> "Variable":
        _keep_aside_in_stateless_scope(self)
        with torch.no_grad():
            self.sub_(self._coerce(value))
        return self

    def numpy(self, *, force: bool = False) -> np.ndarray:
        # `force` is torch's argument (its ONNX converter passes it); a copy
        # is always made, as Keras's `numpy()` gives.
        from lamina.utils.dtype_utils import tensor_to_numpy

        return tensor_to_numpy(self)

    @property
    def value(self) -> torch.Tensor:
        return self

    @property
    def name(self) -> str | None:
        """Keras's name: `"kernel"`, or the name given to `add_weight`."""
        # getattr, not `__dict__`: torch.compile traces the former.
        return getattr(self, "_keras_name", None)

    @property
    def path(self) -> str | None:
        """The name with its layers' scopes: `"sequential/dense/kernel"`."""
        return getattr(self, "_keras_path", None)

    @property
    def trainable(self) -> bool:
        """Whether training updates it (the owner's flag included)."""
        return bool(self.requires_grad)

    # torch's stub gives Tensor.__repr__ a keyword argument that its
    # implementation does not have.
    def __repr__(self) -> str:  # type: ignore[override]
        # torch's stub leaves Tensor.__repr__ unannotated.
        contents = torch.Tensor.__repr__(self.detach())  # type: ignore[no-untyped-call]
        return "Variable containing:\n" + str(contents)


def _keep_aside_in_stateless_scope(variable: Variable) -> None:
    # Inside a StatelessScope an assignment updates a scoped copy.
    scope = get_stateless_scope()
    if scope is not None:
        scope.track(variable)
