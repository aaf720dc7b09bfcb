"""The `Loss` base class and the reduction of per-sample losses.

A loss is called as `loss(y_true, y_pred, sample_weight=None, mask=None)`.
`call` computes unreduced losses; `__call__` then merges the mask into the
sample weights, weights the losses and reduces them, exactly as Keras 3
does (`keras/src/losses/loss.py`). Everything here is plain torch with no
host synchronisation, so a train step that calls a loss stays traceable
by `torch.compile`.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina import config
from lamina.engine.naming import auto_name
from lamina.engine.naming import to_snake_case
from lamina.losses.loss_utils import apply_mask as apply_mask
from lamina.losses.loss_utils import as_tensor
from lamina.losses.loss_utils import multiply_weights
from lamina.losses.loss_utils import squeeze_or_expand_to_same_rank
from lamina.utils import tree
from lamina.utils.dtype_utils import standardize_dtype
from lamina.utils.dtype_utils import to_torch_dtype

REDUCTIONS = (
    "sum_over_batch_size",
    "sum",
    None,
    "none",
    "mean",
    "mean_with_sample_weight",
)


def standardize_reduction(reduction: str | None) -> str | None:
    """Validate a reduction name and return it unchanged.

    Args:
        reduction: one of `"sum_over_batch_size"`, `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None`.

    Returns:
        The reduction.

    Example:

    >>> import lamina
    >>> lamina.losses.loss.standardize_reduction("sum")
    'sum'
    """
    if not (reduction is None or isinstance(reduction, str)) or (
        reduction not in REDUCTIONS
    ):
        raise ValueError(
            "Invalid value for argument `reduction`. Expected one of "
            f"{REDUCTIONS}. Received: reduction={reduction!r}"
        )
    return reduction


def _standardize_loss_dtype(dtype: Any) -> str:
    # A dtype policy contributes its compute dtype, as in Keras.
    if dtype is None:
        return config.floatx()
    compute = getattr(dtype, "compute_dtype", None)
    if compute is not None:
        return standardize_dtype(compute)
    if isinstance(dtype, str) and dtype.startswith("mixed_"):
        return standardize_dtype(dtype[len("mixed_") :])
    return standardize_dtype(dtype)


class Loss:
    """Loss base class.

    Subclass it and implement `call(y_true, y_pred)`, which returns the
    unreduced losses (usually one value per sample). Calling the instance
    then applies sample weights, the mask and the reduction.

    Args:
        name: optional name for the loss instance.
        reduction: how the weighted losses are reduced: `"sum"` sums them,
            `"sum_over_batch_size"` and `"mean"` divide the sum by the
            number of loss values, `"mean_with_sample_weight"` divides it by
            the sum of the sample weights, and `"none"` / `None` return the
            weighted losses unreduced. Defaults to `"sum_over_batch_size"`.
        dtype: the dtype of the loss computation: a dtype name, a torch
            dtype or a dtype policy (its compute dtype is used). Defaults to
            `lamina.config.floatx()`.

    Call arguments:
        y_true: ground truth values (tensor, array or nested structure).
        y_pred: predicted values, same structure as `y_true`.
        sample_weight: optional weights, a scalar or a tensor broadcastable
            to the losses (shapes `(batch,)`, `(batch, 1)` or the full
            shape of the losses).
        mask: optional boolean mask over the losses (e.g. the padding mask
            of a sequence model). Masked-out entries get weight 0; with
            `"sum_over_batch_size"` the sum is divided by the number of
            unmasked entries. Defaults to `y_pred._keras_mask`, the mask
            a lamina (or Keras) layer leaves on its output, if any.

    Returns:
        A scalar tensor, or the weighted losses with reduction `None`.

    Example:

    >>> import torch, lamina
    >>> class MeanSquaredError(lamina.losses.Loss):
    ...     def call(self, y_true, y_pred):
    ...         return torch.mean(torch.square(y_pred - y_true), dim=-1)
    >>> loss = MeanSquaredError()
    >>> loss(torch.ones(2, 2), torch.zeros(2, 2))
    tensor(1.)
    """

    # False in losses that read integer labels: their `y_true` keeps its
    # dtype instead of a float32 round trip (same values, two fewer casts).
    _cast_y_true = True

    def __init__(
        self,
        name: str | None = None,
        reduction: str | None = "sum_over_batch_size",
        dtype: Any = None,
    ):
        self.name = name or auto_name(to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype = _standardize_loss_dtype(dtype)
        self._torch_dtype = to_torch_dtype(self._dtype)

    @property
    def dtype(self) -> str:
        """The dtype of the loss computation, as a name (`"float32"`)."""
        return self._dtype

    def __call__(
        self,
        y_true: Any,
        y_pred: Any,
        sample_weight: Any = None,
        *,
        mask: Any = None,
    ) -> torch.Tensor:
        if mask is None:
            # lamina layers carry their output mask as Keras does.
            mask = getattr(y_pred, "_keras_mask", None)
        y_true, y_pred, device = self._convert_inputs(y_true, y_pred)
        losses = self.call(y_true, y_pred)
        # Losses such as sparse crossentropy with `ignore_class` return a
        # mask of their own on the result (Keras's `_keras_mask`).
        out_mask = getattr(losses, "_keras_mask", None)
        if (
            mask is None
            and out_mask is None
            and sample_weight is None
            and isinstance(losses, torch.Tensor)
        ):
            # The common case (nothing to weight or mask): straight to the
            # reduction, the same arithmetic as `reduce_weighted_values`
            # without its conversions (~15 us a call).
            if losses.dtype != self._torch_dtype:
                losses = losses.to(self._torch_dtype)
            return reduce_values(losses, None, self.reduction)
        if mask is not None and out_mask is not None:
            mask = as_tensor(mask, device=device).bool() & out_mask.bool()
        elif out_mask is not None:
            mask = out_mask
        return reduce_weighted_values(
            losses,
            sample_weight=sample_weight,
            mask=mask,
            reduction=self.reduction,
            dtype=self._torch_dtype,
            name=self.name,
        )

    def _convert_inputs(self, y_true: Any, y_pred: Any) -> tuple:
        """Tensors in the loss dtype, `y_true` on `y_pred`'s device."""
        dtype = self._torch_dtype
        true_dtype = dtype if self._cast_y_true else None
        if isinstance(y_pred, torch.Tensor):  # the common, cheap case
            y_pred = as_tensor(y_pred, dtype)
            device = y_pred.device
            if not tree.is_nested(y_true):
                return as_tensor(y_true, true_dtype, device), y_pred, device
        else:
            y_pred = tree.map_structure(lambda x: as_tensor(x, dtype), y_pred)
            device = tree.flatten(y_pred)[0].device
        y_true = tree.map_structure(
            lambda x: as_tensor(x, true_dtype, device), y_true
        )
        return y_true, y_pred, device

    def call(self, y_true: Any, y_pred: Any) -> torch.Tensor:
        """The unreduced losses; subclasses implement this."""
        raise NotImplementedError(
            f"Loss {type(self).__name__} does not implement `call()`. "
            "Subclasses of `Loss` must define "
            "`call(self, y_true, y_pred)` returning the unreduced losses."
        )

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict) -> "Loss":
        return cls(**config)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} name={self.name!r} "
            f"reduction={self.reduction!r}>"
        )


def _divide_no_nan(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    zero = y == 0
    return torch.where(zero, 0.0, x / torch.where(zero, 1.0, y))


def reduce_values(
    values: torch.Tensor,
    sample_weight: torch.Tensor | None = None,
    reduction: str | None = "sum_over_batch_size",
) -> torch.Tensor:
    """Reduce (already weighted) losses as `reduction` says.

    Scalars and empty 1-D losses are returned as they are, as in Keras.
    """
    if reduction is None or reduction == "none":
        return values
    if values.dim() == 0 or (values.dim() == 1 and values.shape[0] == 0):
        return values
    loss = values.sum()
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return _divide_no_nan(loss, sample_weight.sum().to(loss.dtype))
    count = values.numel()
    return loss / count if count else torch.zeros_like(loss)


def reduce_weighted_values(
    values: Any,
    sample_weight: Any = None,
    mask: Any = None,
    reduction: str | None = "sum_over_batch_size",
    dtype: Any = None,
    name: str | None = None,
) -> torch.Tensor:
    """Weight `values` by `sample_weight` and `mask`, then reduce them.

    Args:
        values: the unreduced losses.
        sample_weight: optional weights broadcastable to `values`.
        mask: optional mask over `values` (see `Loss`).
        reduction: see `Loss`.
        dtype: the dtype of the computation (default: `values`' dtype).
        name: the loss name used in error messages.

    Returns:
        The reduced loss (a scalar unless `reduction` is `None`/`"none"`).

    Example:

    >>> import torch, lamina
    >>> lamina.losses.loss.reduce_weighted_values(
    ...     torch.tensor([1.0, 3.0]), sample_weight=torch.tensor([1.0, 0.0]))
    tensor(0.5000)
    """
    reduction = standardize_reduction(reduction)
    dtype = to_torch_dtype(dtype) if dtype is not None else None
    values = as_tensor(values, dtype)
    device = values.device
    if sample_weight is not None:
        sample_weight = as_tensor(sample_weight, values.dtype, device)
    if mask is not None:
        mask = as_tensor(mask, device=device)
    sample_weight = apply_mask(
        sample_weight, mask, values.dtype, reduction, name
    )
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(
            values, sample_weight.to(values.dtype)
        )
        what = "sample_weight" if mask is None else "masked sample_weight"
        values = multiply_weights(values, sample_weight, ("losses", what), name)
    return reduce_values(values, sample_weight, reduction)
