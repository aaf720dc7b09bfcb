"""Float8 training with delayed scaling, as Keras's float8 layers do.

Inputs and kernel are quantize-dequantized through float8_e4m3fn with
their current scale; the gradient of the output through float8_e5m2.
Each scale is refreshed from its amax history: in Keras the new values
are returned as the "gradients" of the scale and history variables, which
the optimizer writes over them (`overwrite_with_gradient`). Here the
layers write them in place (inputs and kernel scales in the forward
pass, the gradient's in the backward pass), so the variables hold the
same values after a training step without the optimizer knowing them.
"""

from __future__ import annotations

from typing import Any, Callable

import torch

from lamina.engine import call_context
from lamina.quantizers.float8 import (
    compute_float8_amax_history,
    compute_float8_scale,
    quantize_and_dequantize,
)

E4M3_MAX = float(torch.finfo(torch.float8_e4m3fn).max)
E5M2_MAX = float(torch.finfo(torch.float8_e5m2).max)
SCALE_NAMES = (
    "inputs_scale",
    "inputs_amax_history",
    "kernel_scale",
    "kernel_amax_history",
    "outputs_grad_scale",
    "outputs_grad_amax_history",
)


def resolve_training(training: bool | None) -> bool:
    """The call's `training` flag: `Dense.call` takes none, so the value
    comes from the enclosing `Layer.__call__`'s context."""
    if training is None:
        ctx = call_context.current()
        training = ctx.training if ctx is not None else None
    return bool(training)


def _refresh(scale, history, x, dtype_max) -> None:
    new_scale = compute_float8_scale(
        history.amax(dim=0), scale, torch.tensor(dtype_max)
    )
    new_history = compute_float8_amax_history(x, history)
    with torch.no_grad():
        scale.copy_(new_scale)
        history.copy_(new_history)


class QDQForward(torch.autograd.Function):
    """Quantize-dequantize `x` (e4m3) with the gradient passing straight
    through. In training the scale is refreshed right after its use: in
    the forward pass, since inputs that need no gradient never reach a
    backward pass (Keras applies the same values after the step)."""

    @staticmethod
    def forward(
        ctx: Any,
        x: torch.Tensor,
        scale: torch.Tensor,
        history: torch.Tensor,
        compute_dtype: Any,
        training: bool | None,
    ) -> torch.Tensor:
        y = quantize_and_dequantize(x, scale, "float8_e4m3fn", compute_dtype)
        if training:
            _refresh(scale, history, x.detach(), E4M3_MAX)
        return y

    @staticmethod
    def backward(ctx: Any, dy: torch.Tensor) -> tuple:
        return dy, None, None, None, None


class QDQBackward(torch.autograd.Function):
    """Identity forward; quantize-dequantize the incoming gradient (e5m2)
    with the current scale, then refresh the scale from it."""

    @staticmethod
    def forward(
        ctx: Any,
        y: torch.Tensor,
        scale: torch.Tensor,
        history: torch.Tensor,
        compute_dtype: Any,
    ) -> torch.Tensor:
        ctx.state = (scale, history, compute_dtype)
        return y.view_as(y)

    @staticmethod
    def backward(ctx: Any, dy: torch.Tensor) -> tuple:
        scale, history, compute_dtype = ctx.state
        qdq = quantize_and_dequantize(
            dy, scale.detach().clone(), "float8_e5m2", compute_dtype
        )
        _refresh(scale, history, dy, E5M2_MAX)
        return qdq, None, None, None


def add_scale_weights(layer: Any, history_length: int) -> None:
    """The six float32 scaling variables Keras's float8 layers carry."""
    for name in SCALE_NAMES:
        is_history = name.endswith("history")
        setattr(
            layer,
            name,
            layer.add_weight(
                name=name,
                shape=(history_length,) if is_history else (),
                initializer="zeros" if is_history else "ones",
                dtype="float32",
                trainable=False,  # updated by the backward pass, see above
            ),
        )


def float8_matmul(
    layer: Any,
    inputs: torch.Tensor,
    kernel: torch.Tensor,
    training: bool | None,
    matmul: Callable,
) -> torch.Tensor:
    """`matmul(qdq(inputs), qdq(kernel))` with the output-gradient qdq."""
    dtype = layer.compute_dtype
    x = QDQForward.apply(
        inputs, layer.inputs_scale, layer.inputs_amax_history, dtype, training
    )
    k = QDQForward.apply(
        kernel, layer.kernel_scale, layer.kernel_amax_history, dtype, training
    )
    y = matmul(x, k)
    return QDQBackward.apply(
        y, layer.outputs_grad_scale, layer.outputs_grad_amax_history, dtype
    )


def float8_bias(layer: Any) -> Any:
    """The bias; float32 ones pass through bfloat16 as in Keras's float8
    layers (there for XLA's bias-add fusion, kept for equal numbers)."""
    if layer.bias is None:
        return 0.0
    if layer.compute_dtype == "float32":
        return layer.bias.to(torch.bfloat16).to(layer.bias.dtype)
    return layer.bias
