"""Small tensor helpers shared by the loss families.

They convert inputs (numpy arrays, lists, torch tensors) the way Keras's
`convert_to_tensor` does and turn shape mismatches into `ValueError`s that
name the loss, instead of a bare torch broadcasting error from deep inside.
All checks read static shapes only, so they cost nothing per element and
stay traceable by `torch.compile`.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.errors import format_shape
from lamina.ops._convert import to_tensor


def as_tensor(
    x: Any,
    dtype: torch.dtype | None = None,
    device: torch.device | None = None,
) -> torch.Tensor:
    """`x` as a torch tensor, cast to `dtype` and moved to `device` if given.

    A tensor that already has the dtype and device is returned as is, so
    the common case in a training step allocates nothing; other values
    convert by Keras's rules (`ops._convert.to_tensor`).
    """
    if isinstance(x, torch.Tensor):
        if (dtype is None or x.dtype == dtype) and (
            device is None or x.device == device
        ):
            return x
        return x.to(device=device, dtype=dtype)
    return to_tensor(x, dtype=dtype, device=device)


def prepare(y_true: Any, y_pred: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """Convert `y_pred`, then cast `y_true` to its dtype and device."""
    y_pred = as_tensor(y_pred)
    # Labels deliberately take the predictions' dtype (not their own
    # converted one), as Keras's losses cast `y_true` to `y_pred.dtype`.
    y_true = as_tensor(y_true, y_pred.dtype, y_pred.device)
    return y_true, y_pred


def squeeze_or_expand_to_same_rank(
    x1: torch.Tensor, x2: torch.Tensor, expand_rank_1: bool = True
) -> tuple[torch.Tensor, torch.Tensor]:
    """Make ranks agree when they differ by one trailing size-1 axis.

    The one with the extra trailing 1 is squeezed, unless the other is
    rank 1 and `expand_rank_1`, in which case that one gets a trailing
    axis: `(batch,)` against `(batch, 1)` compares per sample.
    """
    rank1, rank2 = x1.dim(), x2.dim()
    if rank1 == rank2:
        return x1, x2
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = x2.unsqueeze(-1)
        else:
            x1 = x1.squeeze(-1)
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = x1.unsqueeze(-1)
        else:
            x2 = x2.squeeze(-1)
    return x1, x2


def broadcastable(shape_a: tuple, shape_b: tuple) -> bool:
    """True when two static shapes broadcast together (numpy rules)."""
    for a, b in zip(reversed(shape_a), reversed(shape_b)):
        if a != b and a != 1 and b != 1:
            return False
    return True


def check_broadcastable(
    loss_name: str, y_true: torch.Tensor, y_pred: torch.Tensor
) -> None:
    """Raise a `ValueError` naming `loss_name` if the shapes can't broadcast.

    Keras broadcasts `y_true` against `y_pred` in elementwise losses; the
    same shapes are accepted here, and only a real mismatch is refused.
    """
    if not broadcastable(tuple(y_true.shape), tuple(y_pred.shape)):
        raise ValueError(
            f"Invalid shapes for loss `{loss_name}`: `y_true` and `y_pred` "
            "must have the same shape (or shapes that broadcast together). "
            f"Received: y_true.shape={format_shape(y_true.shape)}, "
            f"y_pred.shape={format_shape(y_pred.shape)}"
        )


def check_same_shape(
    loss_name: str, y_true: torch.Tensor, y_pred: torch.Tensor
) -> None:
    """Raise a `ValueError` naming `loss_name` unless the shapes are equal
    and of rank >= 1 (what the cross-entropy kernels require)."""
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"Invalid shapes for loss `{loss_name}`: `y_true` and `y_pred` "
            "must have the same shape. "
            f"Received: y_true.shape={format_shape(y_true.shape)}, "
            f"y_pred.shape={format_shape(y_pred.shape)}"
        )


def check_axis(loss_name: str, axis: Any) -> None:
    """Keras refuses a boolean `axis` (a common slip for `from_logits`)."""
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(
            f"Invalid value for argument `axis` of {loss_name}: expected an "
            f"int. Received: axis={axis!r} of type {type(axis).__name__}"
        )


def prepare_aligned(
    loss_name: str, y_true: Any, y_pred: Any
) -> tuple[torch.Tensor, torch.Tensor]:
    """`prepare`, rank alignment, then `check_broadcastable`: the input
    handling shared by the elementwise losses."""
    y_true, y_pred = prepare(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    check_broadcastable(loss_name, y_true, y_pred)
    return y_true, y_pred


def multiply_weights(
    a: torch.Tensor,
    b: torch.Tensor,
    names: tuple[str, str],
    name: str | None,
    owner: str = "Loss",
) -> torch.Tensor:
    """`a * b`, refusing shapes that do not broadcast with a message that
    names `owner` (a loss, or a metric) and the fix."""
    # A static shape check: a bare torch broadcasting error would name
    # neither the loss nor the fix.
    if not broadcastable(tuple(a.shape), tuple(b.shape)):
        owner = f"{owner} '{name}'" if name else owner
        raise ValueError(
            f"{owner} cannot apply the {names[1]} of shape "
            f"{format_shape(b.shape)} to the {names[0]} of shape "
            f"{format_shape(a.shape)}: the shapes do not broadcast. Pass "
            "sample weights of shape (batch,) for per-sample losses, or "
            "of the losses' own shape (e.g. (batch, timesteps)), or "
            "(batch, 1) to weight every entry of a sample alike."
        )
    return a * b


def apply_mask(
    sample_weight: torch.Tensor | None,
    mask: torch.Tensor | None,
    dtype: torch.dtype,
    reduction: str | None,
    name: str | None = None,
    owner: str = "Loss",
) -> torch.Tensor | None:
    """Merge `mask` into `sample_weight` (Keras's rule, for losses and
    metrics alike; `owner` and `name` are named in a shape error).

    For the averaging reductions, unmasked entries get weight
    `total / valid`, so that dividing by the number of entries afterwards
    averages over the valid entries only.
    """
    if mask is None:
        return sample_weight
    if reduction in ("mean", "sum_over_batch_size"):
        valid = mask.to(dtype).sum()
        float_mask = torch.where(mask.bool(), mask.numel() / valid, 0.0)
        float_mask = float_mask.to(dtype)
    else:
        float_mask = mask.to(dtype)
    if sample_weight is None:
        return float_mask
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(
        float_mask, sample_weight.to(dtype)
    )
    return multiply_weights(
        sample_weight, float_mask, ("sample_weight", "mask"), name, owner
    )
