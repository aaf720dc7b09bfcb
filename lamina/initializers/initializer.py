"""`Initializer`: the base class of weight initializers."""

from __future__ import annotations

import operator
from typing import Any

import torch

from lamina import config as lamina_config
from lamina.utils.dtype_utils import to_torch_dtype


class Initializer:
    """Base class of initializers: `initializer(shape, dtype)` -> tensor.

    A subclass implements `__call__(self, shape, dtype=None)`, returning a
    `torch.Tensor` of that shape and dtype, and `get_config()` when its
    constructor takes arguments (the default `from_config` passes the config
    to the constructor). Values are created on the CPU; layers move their
    weights to the device they are built on.

    Example:

    >>> import torch, lamina
    >>> class Twos(lamina.initializers.Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return torch.full(shape, 2.0)
    >>> Twos()((2,)).tolist()
    [2.0, 2.0]
    """

    def __call__(self, shape: Any, dtype: Any = None) -> torch.Tensor:
        """Return a tensor of `shape` and `dtype` (default `floatx()`).

        Args:
            shape: a tuple of ints.
            dtype: the dtype; `lamina.config.floatx()` when None.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement "
            "`__call__(self, shape, dtype=None)`."
        )

    def get_config(self) -> dict:
        """The constructor arguments, as a JSON-serializable dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Initializer:
        """Build an initializer from `get_config()`'s output.

        Args:
            config: a dict of constructor arguments.

        Returns:
            An initializer.
        """
        return cls(**config)

    def clone(self) -> Initializer:
        """A new initializer with the same configuration.

        An unseeded initializer's clone draws a new seed, so it produces
        different values; a seeded one's produces the same values.
        """
        return self.__class__.from_config(self.get_config())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def standardize_shape(shape: Any, owner: str) -> tuple:
    """`shape` as a tuple of non-negative ints, or a ValueError."""
    if isinstance(shape, int):
        shape = (shape,)
    try:
        dims = tuple(operator.index(d) for d in shape)
    except TypeError:
        dims = None
    if dims is None or any(d < 0 for d in dims):
        raise ValueError(
            f"Invalid value for argument `shape` of {owner}: expected a "
            f"tuple of non-negative ints. Received: shape={shape!r}"
        )
    return dims


def resolve_dtype(dtype: Any) -> torch.dtype:
    """The torch dtype for `dtype`, `floatx()` when None."""
    return to_torch_dtype(lamina_config.floatx() if dtype is None else dtype)
