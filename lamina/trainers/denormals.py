"""Flushing denormal floats to zero while `fit` trains on the CPU.

Recurrent kernels' gradients decay step by step into the denormal range
(below ~1e-38 in float32), where CPU arithmetic is many times slower: a
GRU's backward pass ran 4-5x slower on this account. TensorFlow (Keras's
original backend) and XLA flush denormals by default; torch does not.
`fit` flushes them on the CPU for its duration (values that small change
no result at float32 precision) and turns flushing off afterwards. Set
`LAMINA_FLUSH_DENORMAL=0` to keep torch's default.
"""

from __future__ import annotations

import contextlib
import os
from typing import Iterator

import torch


@contextlib.contextmanager
def flush_denormals(device: torch.device) -> Iterator[None]:
    """Flush denormals inside the block when training on the CPU."""
    wanted = (
        device.type == "cpu"
        and os.environ.get("LAMINA_FLUSH_DENORMAL", "1") != "0"
    )
    if not wanted or not torch.set_flush_denormal(True):
        yield
        return
    try:
        yield
    finally:
        torch.set_flush_denormal(False)  # torch's default
