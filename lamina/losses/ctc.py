"""CTC (Connectionist Temporal Classification) loss."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from lamina.errors import format_shape
from lamina.losses.loss_function_wrapper import LossFunctionWrapper
from lamina.losses.loss_utils import as_tensor


def _check_ranks(y_true: torch.Tensor, y_pred: torch.Tensor) -> None:
    if y_true.dim() != 2:
        raise ValueError(
            "Invalid `y_true` for loss `ctc`: expected integer labels of "
            "shape (batch_size, max_length). Received: "
            f"y_true.shape={format_shape(y_true.shape)}"
        )
    if y_pred.dim() != 3:
        raise ValueError(
            "Invalid `y_pred` for loss `ctc`: expected logits of shape "
            "(batch_size, max_length, num_classes). Received: "
            f"y_pred.shape={format_shape(y_pred.shape)}"
        )


def ctc(y_true: Any, y_pred: Any) -> torch.Tensor:
    """CTC loss between padded label sequences and per-step logits.

    Label `0` is the blank (and padding) index; every sequence of logits
    is used whole, and a label sequence's length is its count of non-zero
    labels.

    Args:
        y_true: integer labels, shape `(batch, max_label_length)`.
        y_pred: unnormalised logits (no softmax),
            shape `(batch, timesteps, num_classes)`.

    Returns:
        Losses of shape `(batch,)`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.ctc(torch.tensor([[1, 2]]), torch.zeros(1, 4, 3)).shape
    torch.Size([1])
    """
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true, device=y_pred.device)
    _check_ranks(y_true, y_pred)
    targets = y_true.long()
    batch, steps = y_pred.shape[0], y_pred.shape[1]
    input_lengths = torch.full(
        (batch,), steps, dtype=torch.long, device=y_pred.device
    )
    target_lengths = torch.sum(targets != 0, dim=-1)
    # Keras promotes to at least float32, as tf.nn.ctc_loss does.
    logits = y_pred.to(torch.promote_types(y_pred.dtype, torch.float32))
    log_probs = F.log_softmax(logits.transpose(0, 1), dim=-1)
    return F.ctc_loss(
        log_probs,
        targets,
        input_lengths,
        target_lengths,
        blank=0,
        reduction="none",
    )


class CTC(LossFunctionWrapper):
    """CTC loss (see `lamina.losses.ctc`).

    Args:
        reduction: see `lamina.losses.Loss`.
        name: optional name; defaults to `"ctc"`.
        dtype: see `lamina.losses.Loss`.

    Example:

    >>> import torch, lamina
    >>> lamina.losses.CTC()(torch.tensor([[1, 2]]), torch.zeros(1, 4, 3))
    tensor(1.6864)
    """

    _config_keys = ()
    _cast_y_true = False

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "ctc",
        dtype: Any = None,
    ):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)
