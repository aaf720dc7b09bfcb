"""The optimizer's step counter: a device tensor with a host-side mirror.

The counter lives on the device as an int32 tensor (Keras's dtype) (it is saved with the
optimizer and read by schedules). Reading a device tensor's value from
Python would wait for the device, so the counter also keeps the value as a
Python int. Eager optimizer code then branches on plain ints (gradient
accumulation, EMA overwrite) and computes step-dependent constants (bias
corrections) on the host. Under `torch.compile` the tensor itself is used,
so the traced step never specializes on the step number.

The mirror is trusted only while the tensor's version counter says that
nobody else wrote to the tensor (a checkpoint load, a compiled step, a
user's `fill_`); after an outside write it is re-read once.
"""

from __future__ import annotations

import functools

import torch


class IterationCounter:
    """An int32 counter tensor plus a Python mirror of its value.

    Example:

    >>> from lamina.optimizers.iteration_counter import IterationCounter
    >>> counter = IterationCounter()
    >>> counter.increment()
    >>> counter.value(), int(counter.tensor)
    (1, 1)
    """

    def __init__(self, device: torch.device | str | None = None):
        self.tensor = torch.zeros((), dtype=torch.int32, device=device)
        self._host = 0
        self._version = self.tensor._version

    def value(self) -> int | torch.Tensor:
        """The count: a Python int in eager mode, the tensor when traced."""
        if torch.compiler.is_compiling():
            return self.tensor
        if self.tensor._version != self._version:
            self._host = int(self.tensor)
            self._version = self.tensor._version
        return self._host

    def increment(self) -> None:
        """Add one to the tensor (in place) and to the mirror."""
        if torch.compiler.is_compiling():
            self.tensor.add_(1)
            return
        current = self.value()
        self.tensor.add_(1)
        self._host = current + 1
        self._version = self.tensor._version

    def to(self, device: torch.device) -> None:
        """Move the tensor to `device`, keeping the same Python object."""
        if self.tensor.device == device:
            return
        valid = self.tensor._version == self._version
        self.tensor.data = self.tensor.data.to(device)
        # A mirror that was right stays right; otherwise re-read it once.
        self._version = self.tensor._version if valid else -1


@functools.lru_cache(maxsize=256)
def _rounded(value: float, dtype: torch.dtype) -> float:
    return torch.tensor(value, dtype=dtype).item()


def keras_constant(value: float, like: torch.Tensor) -> float:
    """`value` as Keras uses it in step-dependent constants (bias
    corrections): cast to the variable's dtype, float32 below float64.

    Keras computes `1 - beta_2 ** t` from `cast(beta_2, float32)`; for
    `beta_2=0.999` that differs from the exact value by 2e-6 relative, so
    matching Keras means rounding the same way.

    Example:

    >>> import torch
    >>> from lamina.optimizers.iteration_counter import keras_constant
    >>> keras_constant(0.999, torch.zeros(1)) == 0.999
    False
    """
    if torch.compiler.is_compiling():
        # Traced, the constants meet the step tensor and are cast to its
        # float32 by torch itself.
        return value
    dtype = torch.float64 if like.dtype == torch.float64 else torch.float32
    return _rounded(float(value), dtype)
