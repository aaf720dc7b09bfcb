"""NaN-ignoring running and order statistics: `nancumsum`, `nancumprod`,
`nanquantile`, `nanpercentile`, `nanmedian`."""

from __future__ import annotations

import torch

from lamina import config
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.ops.numpy_accumulate import cumprod as _cumprod
from lamina.ops.numpy_accumulate import cumsum as _cumsum
from lamina.ops.numpy_stats import quantile_along
from lamina.typing import TensorLike


def _empty_axis(axis) -> bool:
    return isinstance(axis, (tuple, list)) and len(axis) == 0


@op
def nancumsum(
    x: TensorLike, axis: int | None = None, dtype: object = None
) -> torch.Tensor:
    """Cumulative sum treating NaNs as zero.

    Args:
        x: Input tensor.
        axis: The axis; `None` works on the flattened tensor.
        dtype: Output dtype, as in `cumsum`.

    Returns:
        The running sums.

    Example:

    >>> from lamina import ops
    >>> ops.nancumsum([1.0, float("nan"), 3.0]).tolist()
    [1.0, 1.0, 4.0]
    """
    x = to_tensor(x)
    return _cumsum(
        torch.nan_to_num(x) if x.dtype != torch.bool else x,
        axis=axis,
        dtype=dtype,
    )


@op
def nancumprod(
    x: TensorLike, axis: int | None = None, dtype: object = None
) -> torch.Tensor:
    """Cumulative product treating NaNs as one.

    Args:
        x: Input tensor.
        axis: The axis; `None` works on the flattened tensor.
        dtype: Output dtype, as in `cumprod`.

    Returns:
        The running products.

    Example:

    >>> from lamina import ops
    >>> ops.nancumprod([2.0, float("nan"), 3.0]).tolist()
    [2.0, 2.0, 6.0]
    """
    x = to_tensor(x)
    if x.dtype != torch.bool:
        x = torch.nan_to_num(x, nan=1.0)
    return _cumprod(x, axis=axis, dtype=dtype)


@op
def nanquantile(
    x: TensorLike,
    q: TensorLike,
    axis: int | tuple | None = None,
    method: str = "linear",
    keepdims: bool = False,
) -> torch.Tensor:
    """The `q`-th quantiles ignoring NaNs.

    Args:
        x: Input tensor.
        q: Quantile(s) in `[0, 1]`, a scalar or 1-D.
        axis: Axis or axes to reduce; `None` reduces all.
        method: As in `quantile`.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The quantiles, in `result_type(x, float)`.

    Example:

    >>> from lamina import ops
    >>> ops.nanquantile([1.0, float("nan"), 3.0], 0.5).item()
    2.0
    """
    return quantile_along(
        "nanquantile", torch.nanquantile, x, q, axis, method, keepdims
    )


@op
def nanpercentile(
    x: TensorLike,
    q: TensorLike,
    axis: int | tuple | None = None,
    method: str = "linear",
    keepdims: bool = False,
) -> torch.Tensor:
    """The `q`-th percentiles ignoring NaNs.

    Args:
        x: Input tensor.
        q: Percentile(s) in `[0, 100]`, a scalar or 1-D.
        axis: Axis or axes to reduce; `None` reduces all.
        method: As in `quantile`.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The percentiles, in `result_type(x, float)`.

    Example:

    >>> from lamina import ops
    >>> ops.nanpercentile([1.0, float("nan"), 3.0], 50).item()
    2.0
    """
    x = to_tensor(x)
    q = to_tensor(q, dtype=config.floatx(), device=x.device) / 100.0
    return quantile_along(
        "nanpercentile", torch.nanquantile, x, q, axis, method, keepdims
    )


@op
def nanmedian(
    x: TensorLike, axis: int | tuple | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Median ignoring NaNs.

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce; `None` reduces all.
        keepdims: If `True`, reduced axes are kept with size 1.

    Returns:
        The median, in `result_type(x, float)`.

    Example:

    >>> from lamina import ops
    >>> ops.nanmedian([1.0, float("nan"), 4.0, 2.0]).item()
    2.0
    """
    x = to_tensor(x)
    if _empty_axis(axis):
        return x
    return quantile_along(
        "nanmedian", torch.nanquantile, x, 0.5, axis, "linear", keepdims
    )
