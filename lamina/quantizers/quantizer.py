"""`Quantizer`, the abs-max scheme (`AbsMaxQuantizer`, `abs_max_quantize`)."""

from __future__ import annotations

from typing import Any

import torch

from lamina import config
from lamina.quantizers._tensor import as_tensor
from lamina.quantizers._tensor import axes
from lamina.utils.dtype_utils import to_torch_dtype


class Quantizer:
    """The base class of quantizers: `quantizer(x)` quantizes `x`.

    Subclasses override `__call__` and `get_config`; the base returns its
    input unchanged.

    Args:
        output_dtype: the dtype of the quantized values.

    Example:

    >>> import lamina
    >>> lamina.quantizers.Quantizer()(3.0)
    3.0
    """

    _keras_module = "keras.quantizers"

    def __init__(self, output_dtype: str = "int8"):
        self.output_dtype = output_dtype

    def __call__(self, x: Any) -> Any:
        return x

    @classmethod
    def from_config(cls, config: dict) -> "Quantizer":
        return cls(**config)

    def get_config(self) -> dict:
        raise NotImplementedError(f"{self} does not implement get_config()")


def abs_max_quantize(
    inputs: Any,
    axis: Any,
    value_range: tuple = (-127, 127),
    dtype: str = "int8",
    epsilon: float = config.epsilon(),
    to_numpy: bool = False,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Quantize `inputs` symmetrically by their absolute maximum.

    `scale = value_range[1] / (max(|inputs|, axis) + epsilon)` (kept with
    `axis` as size-1 dimensions, in the inputs' dtype) and
    `quantized = clip(round(inputs * scale), *value_range)`; the inputs
    are recovered as `quantized / scale`.

    Args:
        inputs: the tensor to quantize.
        axis: the axis (or axes) reduced to compute the range.
        value_range: the `(min, max)` of the quantized values.
        dtype: the dtype of the quantized tensor.
        epsilon: added to the maximum to avoid a division by zero.
        to_numpy: compute on the host (CPU), as Keras does to save
            accelerator memory; the results go back to the input's device.

    Returns:
        `(quantized, scale)`.

    Example:

    >>> import torch, lamina
    >>> q, scale = lamina.quantizers.abs_max_quantize(
    ...     torch.tensor([[1.0, -2.0], [0.5, 0.25]]), axis=-1)
    >>> q
    tensor([[  64, -127],
            [ 127,   63]], dtype=torch.int8)
    """
    x = as_tensor(inputs)
    device = x.device
    if to_numpy:
        x = x.cpu()
    dims = axes(axis, x.ndim)
    peak = torch.amax(x.abs(), dim=dims, keepdim=True)
    # A true division: torch computes `number / tensor` as a reciprocal
    # times the number, one ulp away from Keras's scale.
    top = torch.tensor(float(value_range[1]), dtype=peak.dtype)
    scale = torch.div(top, peak + epsilon).to(x.dtype)
    out = torch.clamp(torch.round(x * scale), value_range[0], value_range[1])
    out = out.to(to_torch_dtype(dtype))
    return out.to(device), scale.to(device)


class AbsMaxQuantizer(Quantizer):
    """Symmetric abs-max quantization (see `abs_max_quantize`).

    Args:
        axis: deprecated; the axis is given when called. Kept for configs.
        value_range: the `(min, max)` of the quantized values.
        epsilon: added to the maximum to avoid a division by zero.
        output_dtype: the dtype of the quantized values.

    Example:

    >>> import torch, lamina
    >>> q, scale = lamina.quantizers.AbsMaxQuantizer()(torch.ones(1, 2))
    >>> q
    tensor([[127, 127]], dtype=torch.int8)
    """

    _keras_module = "keras.quantizers"

    def __init__(
        self,
        axis: Any = None,
        value_range: tuple = (-127, 127),
        epsilon: float = config.epsilon(),
        output_dtype: str = "int8",
    ):
        Quantizer.__init__(self, output_dtype=output_dtype)
        if axis is not None:
            axis = (axis,) if isinstance(axis, int) else tuple(axis)
        self.axis = axis
        self.value_range = value_range
        self.epsilon = epsilon
        if output_dtype == "int8" and (
            value_range[0] < -128 or value_range[1] > 127
        ):
            raise ValueError(
                "Quantizer with output_dtype='int8' requires value_range "
                "to be within the interval [-128, 127]. Received: "
                f"value_range={value_range}"
            )

    def __call__(
        self, x: Any, axis: Any = None, to_numpy: bool = False
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """`(quantized, scale)` of `x` along `axis` (the constructor's
        axis, else -1)."""
        if axis is None:
            axis = self.axis if self.axis is not None else -1
        return abs_max_quantize(
            x,
            axis,
            self.value_range,
            self.output_dtype,
            self.epsilon,
            to_numpy,
        )

    def get_config(self) -> dict:
        config = {
            "value_range": self.value_range,
            "epsilon": self.epsilon,
            "output_dtype": self.output_dtype,
        }
        if self.axis is not None:
            config["axis"] = self.axis
        return config
