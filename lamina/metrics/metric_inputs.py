"""Labels and predictions as the metrics take them: tensors on one
device, ranks matched (the losses' rule, `losses/loss_utils.py`) and
shapes checked, with the error that names the metric."""

from __future__ import annotations

from typing import Any

import torch

from lamina.ops import _convert

from lamina import config
from lamina.losses.loss_utils import squeeze_or_expand_to_same_rank
from lamina.utils.dtype_utils import to_torch_dtype


def to_tensor(
    x: Any, dtype: torch.dtype | None = None, device: Any = None
) -> torch.Tensor:
    """A tensor by Keras's rules (`ops._convert`), made on `device` unless
    one already; `dtype` casts labels and weights as Keras's metrics do."""
    return _convert.to_tensor(x, dtype=dtype, device=device)


def get_mask(x: Any) -> torch.Tensor | None:
    """The Keras mask a layer attached to `x`, if any."""
    return getattr(x, "_keras_mask", None)


def check_same_shape(owner: str, y_true: Any, y_pred: Any) -> None:
    """Raise the error that names `owner` for labels and predictions of
    different shapes (nothing is silently broadcast)."""
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"`{owner}` expected `y_true` and `y_pred` with the same shape. "
            f"Received: y_true.shape={tuple(y_true.shape)}, "
            f"y_pred.shape={tuple(y_pred.shape)}"
        )


def prepare_pair(
    owner: str,
    y_true: Any,
    y_pred: Any,
    cast_true: bool = True,
    broadcast: bool = False,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Labels and predictions as tensors on one device, ranks matched
    (a trailing axis of size 1 squeezed or added) and shapes checked.

    `y_true` takes `y_pred`'s dtype when `cast_true`, as in Keras; integer
    or bool predictions become `floatx()` (Keras's means promote them).
    With `broadcast` (the regression metrics, whose Keras formulas
    broadcast `y_true - y_pred`), broadcastable shapes are accepted.
    """
    y_pred = to_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(to_torch_dtype(config.floatx()))
    y_true = to_tensor(
        y_true, y_pred.dtype if cast_true else None, y_pred.device
    )
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    if broadcast:
        try:
            torch.broadcast_shapes(y_true.shape, y_pred.shape)
            return y_true, y_pred
        except RuntimeError:
            pass  # raise the error below
    check_same_shape(owner, y_true, y_pred)
    return y_true, y_pred
