"""Weight regularizers: penalties added to the training loss.

A regularizer maps a weight tensor to a scalar tensor. Keras stores the
factors of `L1` and `OrthogonalRegularizer` as `floatx` tensors, so their
configs hold the `floatx`-rounded value (`0.01` reads back as
`0.009999999776482582` in float32); lamina rounds the same way so that
configs and penalties match Keras's exactly.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from lamina import config as lamina_config
from lamina.ops._convert import to_tensor
from lamina.utils.dtype_utils import to_torch_dtype


def validate_float_arg(value: Any, name: str, owner: str) -> float:
    """`value` as a float, or a ValueError unless it is a finite,
    non-negative number."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (float, int))
        or math.isinf(value)
        or math.isnan(value)
        or value < 0
    ):
        raise ValueError(
            f"Invalid value for argument `{name}` of {owner}: expected a "
            f"non-negative float. Received: {name}={value!r}"
        )
    return float(value)


def _round_to_floatx(value: float) -> float:
    dtype = to_torch_dtype(lamina_config.floatx())
    return float(torch.tensor(value, dtype=dtype))


class Regularizer:
    """Base class of regularizers: `regularizer(weight)` -> scalar penalty.

    A subclass implements `__call__(self, x)` and `get_config()`.

    Example:

    >>> import torch, lamina
    >>> class L05(lamina.regularizers.Regularizer):
    ...     def __call__(self, x):
    ...         return 0.5 * torch.sum(x * x)
    ...     def get_config(self):
    ...         return {}
    >>> float(L05()(torch.ones(4)))
    2.0
    """

    def __call__(self, x: torch.Tensor) -> Any:
        """The penalty for weight `x` (the base class's is 0)."""
        return 0.0

    @classmethod
    def from_config(cls, config: dict) -> Regularizer:
        """Build a regularizer from `get_config()`'s output."""
        return cls(**config)

    def get_config(self) -> dict:
        """The constructor arguments, as a JSON-serializable dict."""
        raise NotImplementedError(
            f"{type(self).__name__} does not implement get_config()"
        )

    def __repr__(self) -> str:
        try:
            config = self.get_config()
        except NotImplementedError:
            return f"{type(self).__name__}()"
        args = ", ".join(f"{k}={v!r}" for k, v in config.items())
        return f"{type(self).__name__}({args})"


class L1L2(Regularizer):
    """L1 and L2 penalty: `l1 * sum(abs(x)) + l2 * sum(square(x))`.

    Args:
        l1: the L1 factor (None means 0).
        l2: the L2 factor (None means 0).

    Example:

    >>> import torch, lamina
    >>> float(lamina.regularizers.L1L2(l1=0.5, l2=0.25)(torch.ones(4)))
    3.0
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = validate_float_arg(0.0 if l1 is None else l1, "l1", "L1L2")
        self.l2 = validate_float_arg(0.0 if l2 is None else l2, "l2", "L1L2")

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        x = to_tensor(x)  # NumPy arrays too, as in Keras
        penalty = None
        if self.l1:
            penalty = self.l1 * torch.sum(torch.abs(x))
        if self.l2:
            l2 = self.l2 * torch.sum(torch.square(x))
            penalty = l2 if penalty is None else penalty + l2
        return x.new_zeros(()) if penalty is None else penalty

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """L1 penalty: `l1 * sum(abs(x))`.

    Args:
        l1: the factor (None means 0.01).

    Example:

    >>> import torch, lamina
    >>> round(float(lamina.regularizers.L1(0.5)(torch.ones(4))), 6)
    2.0
    """

    def __init__(self, l1: float = 0.01):
        l1 = validate_float_arg(0.01 if l1 is None else l1, "l1", "L1")
        self.l1 = _round_to_floatx(l1)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.l1 * torch.sum(torch.abs(to_tensor(x)))

    def get_config(self) -> dict:
        return {"l1": self.l1}


class L2(Regularizer):
    """L2 penalty: `l2 * sum(square(x))`.

    Args:
        l2: the factor (None means 0.01).

    Example:

    >>> import torch, lamina
    >>> float(lamina.regularizers.L2(0.5)(torch.ones(4)))
    2.0
    """

    def __init__(self, l2: float = 0.01):
        self.l2 = validate_float_arg(0.01 if l2 is None else l2, "l2", "L2")

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.l2 * torch.sum(torch.square(to_tensor(x)))

    def get_config(self) -> dict:
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Penalty encouraging the rows (or columns) of a 2D weight to be
    orthogonal to each other.

    `factor * 0.5 * mean(|<u_i, u_j>|)` over pairs `i != j` of the
    L2-normalized rows (`mode="rows"`) or columns (`mode="columns"`).

    Args:
        factor: the penalty factor.
        mode: `"rows"` or `"columns"`.

    Example:

    >>> import torch, lamina
    >>> float(lamina.regularizers.OrthogonalRegularizer(1.0)(torch.eye(3)))
    0.0
    """

    def __init__(self, factor: float = 0.01, mode: str = "rows"):
        factor = validate_float_arg(factor, "factor", "OrthogonalRegularizer")
        self.factor = _round_to_floatx(factor)
        if mode not in ("rows", "columns"):
            raise ValueError(
                "Invalid value for argument `mode` of OrthogonalRegularizer: "
                f"expected one of ('rows', 'columns'). Received: mode={mode!r}"
            )
        self.mode = mode

    def __call__(self, inputs: torch.Tensor) -> torch.Tensor:
        inputs = to_tensor(inputs)
        if inputs.ndim != 2:
            raise ValueError(
                "Inputs to OrthogonalRegularizer must have rank 2. Received: "
                f"inputs.shape={tuple(inputs.shape)}"
            )
        axis = 1 if self.mode == "rows" else 0
        # Keras's L2 normalization: x * min(rsqrt(sum(x**2)), 1 / epsilon).
        inv_norm = torch.rsqrt(
            torch.sum(inputs * inputs, dim=axis, keepdim=True)
        )
        unit = inputs * torch.clamp(inv_norm, max=1.0 / lamina_config.epsilon())
        product = unit @ unit.T if axis == 1 else unit.T @ unit
        size = product.shape[0]
        off_diagonal = product * (
            1.0 - torch.eye(size, dtype=product.dtype, device=product.device)
        )
        num_pairs = size * (size - 1.0) / 2.0
        return (
            self.factor * 0.5 * torch.sum(torch.abs(off_diagonal)) / (num_pairs)
        )

    def get_config(self) -> dict:
        return {"factor": self.factor, "mode": self.mode}
