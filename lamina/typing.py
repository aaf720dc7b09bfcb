"""Type aliases shared across lamina's public signatures."""

from __future__ import annotations

from typing import Any, Callable, Sequence, Union

import numpy as np
import torch

Shape = tuple  # tuple[int | None, ...]
ShapeLike = Union[Sequence[Union[int, None]], int, None]
DTypeLike = Union[str, torch.dtype, np.dtype, None]
TensorLike = Union[torch.Tensor, np.ndarray, float, int, Sequence]
InitializerLike = Union[str, dict, Callable, None]
RegularizerLike = Union[str, dict, Callable, None]
ConstraintLike = Union[str, dict, Callable, None]
ActivationLike = Union[str, dict, Callable, None]
Nested = Any
