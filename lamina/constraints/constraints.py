"""Weight constraints: projections applied to a weight after each update.

A constraint maps a weight tensor to a tensor of the same shape; layers
apply it in place, under `torch.no_grad()`, after every optimizer step.
Norms are taken over `axis` (Keras layouts: for a Dense kernel
`(in, out)`, `axis=0` constrains each output unit's incoming weights).
"""

from __future__ import annotations

from typing import Any

import torch

from lamina import config as lamina_config
from lamina.ops._convert import to_tensor


def _as_tensor(w: Any) -> torch.Tensor:
    return w if isinstance(w, torch.Tensor) else to_tensor(w)


def _dims(axis: Any) -> Any:
    return tuple(axis) if isinstance(axis, (list, tuple)) else axis


def _norms(w: torch.Tensor, axis: Any) -> torch.Tensor:
    return torch.sqrt(torch.sum(torch.square(w), dim=_dims(axis), keepdim=True))


class Constraint:
    """Base class of weight constraints: `constraint(w)` -> projected `w`.

    A subclass implements `__call__(self, w)` and, when its constructor
    takes arguments, `get_config()`.

    Example:

    >>> import torch, lamina
    >>> class Clip(lamina.constraints.Constraint):
    ...     def __call__(self, w):
    ...         return torch.clamp(w, -1, 1)
    >>> Clip()(torch.tensor([-3.0, 0.5, 2.0])).tolist()
    [-1.0, 0.5, 1.0]
    """

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        """The constrained weight (the base class returns `w`)."""
        return w

    def get_config(self) -> dict:
        """The constructor arguments, as a JSON-serializable dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Constraint:
        """Build a constraint from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class MaxNorm(Constraint):
    """Caps the norm of the weights along `axis` at `max_value`.

    Args:
        max_value: the largest norm allowed.
        axis: the axis (or list of axes) the norms are taken over.

    Example:

    >>> import torch, lamina
    >>> w = lamina.constraints.MaxNorm(1.0)(torch.tensor([[3.0], [4.0]]))
    >>> [round(v, 4) for v in w.flatten().tolist()]
    [0.6, 0.8]

    Reference:

    - [Srivastava et al., 2014](https://jmlr.org/papers/v15/srivastava14a.html)
    """

    def __init__(self, max_value: float = 2, axis: Any = 0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        w = _as_tensor(w)
        norms = _norms(w, self.axis)
        desired = torch.clamp(norms, 0, self.max_value)
        return w * (desired / (lamina_config.epsilon() + norms))

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to zero.

    Example:

    >>> import torch, lamina
    >>> lamina.constraints.NonNeg()(torch.tensor([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    """

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        return torch.clamp(_as_tensor(w), min=0)


class UnitNorm(Constraint):
    """Scales the weights to unit norm along `axis`.

    Args:
        axis: the axis (or list of axes) the norms are taken over.

    Example:

    >>> import torch, lamina
    >>> w = lamina.constraints.UnitNorm()(torch.tensor([[3.0], [4.0]]))
    >>> [round(v, 4) for v in w.flatten().tolist()]
    [0.6, 0.8]
    """

    def __init__(self, axis: Any = 0):
        self.axis = axis

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        w = _as_tensor(w)
        return w / (lamina_config.epsilon() + _norms(w, self.axis))

    def get_config(self) -> dict:
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Keeps the norm of the weights along `axis` within
    `[min_value, max_value]`.

    The norm moves `rate` of the way to its clipped value:
    `norm <- rate * clip(norm, min_value, max_value) + (1 - rate) * norm`.

    Args:
        min_value: the smallest norm allowed.
        max_value: the largest norm allowed.
        rate: how far to move towards the allowed range, in `[0, 1]`.
        axis: the axis (or list of axes) the norms are taken over.

    Example:

    >>> import torch, lamina
    >>> c = lamina.constraints.MinMaxNorm(min_value=1.0, max_value=2.0)
    >>> w = c(torch.tensor([[0.3], [0.4]]))
    >>> round(float(w.norm()), 4)
    1.0
    """

    def __init__(
        self,
        min_value: float = 0.0,
        max_value: float = 1.0,
        rate: float = 1.0,
        axis: Any = 0,
    ):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        w = _as_tensor(w)
        norms = _norms(w, self.axis)
        desired = (
            self.rate * torch.clamp(norms, self.min_value, self.max_value)
            + (1 - self.rate) * norms
        )
        return w * (desired / (lamina_config.epsilon() + norms))

    def get_config(self) -> dict:
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }
