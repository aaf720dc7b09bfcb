"""Cross-entropy ops (per-sample, unreduced), as `keras.ops` defines them.

Probabilities are clipped to `[epsilon, 1 - epsilon]` before the log, so
the values match Keras's, not `torch.nn.functional`'s defaults.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from lamina import config
from lamina.errors import format_shape
from lamina.ops._convert import as_dtype
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.typing import TensorLike


def _pair(name: str, target, output) -> tuple:
    output = to_tensor(output)
    target = to_tensor(target, device=output.device)
    if target.shape != output.shape:
        raise ValueError(
            f"`ops.{name}` expects `target` and `output` to have the same "
            f"shape. Received: target.shape={format_shape(target.shape)}, "
            f"output.shape={format_shape(output.shape)}"
        )
    if not output.dtype.is_floating_point:
        output = output.to(torch.float32)
    return as_dtype(target, output.dtype), output


@op
def binary_crossentropy(
    target: TensorLike, output: TensorLike, from_logits: bool = False
) -> torch.Tensor:
    """Binary cross-entropy between targets and predictions, element-wise.

    Args:
        target: Targets in `[0, 1]`, same shape as `output`.
        output: Probabilities, or logits if `from_logits=True`.
        from_logits: Whether `output` holds logits.

    Returns:
        The element-wise loss, shaped like `output`.

    Example:

    >>> from lamina import ops
    >>> [round(v, 4) for v in ops.binary_crossentropy([1.0], [0.5]).tolist()]
    [0.6931]
    """
    target, output = _pair("binary_crossentropy", target, output)
    if from_logits:
        return F.binary_cross_entropy_with_logits(
            output, target, reduction="none"
        )
    eps = config.epsilon()
    output = torch.clip(output, eps, 1.0 - eps)
    return F.binary_cross_entropy(output, target, reduction="none")


@op
def categorical_crossentropy(
    target: TensorLike,
    output: TensorLike,
    from_logits: bool = False,
    axis: int = -1,
) -> torch.Tensor:
    """Categorical cross-entropy between one-hot targets and predictions.

    Args:
        target: One-hot (or soft) targets, same shape as `output`.
        output: Probabilities (normalized along `axis` first), or logits
            if `from_logits=True`.
        from_logits: Whether `output` holds logits.
        axis: The class axis. Defaults to `-1`.

    Returns:
        The loss per sample (`output` without `axis`).

    Example:

    >>> from lamina import ops
    >>> out = ops.categorical_crossentropy([[0.0, 1.0]], [[0.5, 0.5]])
    >>> [round(v, 4) for v in out.tolist()]
    [0.6931]
    """
    target, output = _pair("categorical_crossentropy", target, output)
    if output.ndim < 1:
        raise ValueError(
            "`ops.categorical_crossentropy` expects inputs of rank >= 1. "
            f"Received: output.shape={format_shape(output.shape)}"
        )
    if from_logits:
        log_prob = F.log_softmax(output, dim=axis)
    else:
        eps = config.epsilon()
        output = output / torch.sum(output, dim=axis, keepdim=True)
        log_prob = torch.log(torch.clip(output, eps, 1.0 - eps))
    return -torch.sum(target * log_prob, dim=axis)


def _sparse_target(target, output: torch.Tensor, axis: int) -> torch.Tensor:
    """int64 class ids shaped like `output` without `axis`, or an error."""
    target = to_tensor(target, device=output.device).to(torch.int64)
    if output.ndim < 1:
        raise ValueError(
            "`ops.sparse_categorical_crossentropy` expects `output` of rank "
            f">= 1. Received: output.shape={format_shape(output.shape)}"
        )
    if target.ndim == output.ndim and target.shape[axis] == 1:
        target = target.squeeze(axis)
    expected = list(output.shape)
    del expected[axis]
    if list(target.shape) != expected:
        raise ValueError(
            "`ops.sparse_categorical_crossentropy` expects `target` to have "
            "the shape of `output` without the class axis. Received: "
            f"target.shape={format_shape(target.shape)}, "
            f"output.shape={format_shape(output.shape)}"
        )
    return target


@op
def sparse_categorical_crossentropy(
    target: TensorLike,
    output: TensorLike,
    from_logits: bool = False,
    axis: int = -1,
) -> torch.Tensor:
    """Categorical cross-entropy with integer class targets.

    Args:
        target: Integer class indices, shaped like `output` without
            `axis` (a trailing size-1 axis is accepted).
        output: Probabilities (normalized along `axis` first), or logits
            if `from_logits=True`.
        from_logits: Whether `output` holds logits.
        axis: The class axis. Defaults to `-1`.

    Returns:
        The loss per sample.

    Example:

    >>> from lamina import ops
    >>> out = ops.sparse_categorical_crossentropy([1], [[0.5, 0.5]])
    >>> [round(v, 4) for v in out.tolist()]
    [0.6931]
    """
    output = to_tensor(output)
    target = _sparse_target(target, output, axis)
    # The class axis goes to position 1, where F.cross_entropy wants it;
    # this avoids building a one-hot matrix.
    squeeze = output.ndim == 1
    if squeeze:
        output, target = output[None], target[None]
    else:
        output = output.movedim(axis % output.ndim, 1)
    if from_logits:
        loss = F.cross_entropy(output, target, reduction="none")
    else:
        eps = config.epsilon()
        output = output / torch.sum(output, dim=1, keepdim=True)
        log_prob = torch.log(torch.clip(output, eps, 1.0 - eps))
        loss = F.nll_loss(log_prob, target, reduction="none")
    return loss[0] if squeeze else loss
