"""`EinsumDense`: a dense layer of any dimensionality, written as einsum."""

from __future__ import annotations

import math
from typing import Any, Sequence

import torch

from lamina import activations
from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.errors import invalid_argument
from lamina.initializers.variance_scaling import VarianceScaling
from lamina.layers.core.einsum_equation import contracted_axes
from lamina.layers.core.einsum_equation import einsum_shapes
from lamina.layers.core.einsum_equation import parse_equation
from lamina.quantization.einsum_dense import EINSUM_DENSE, gptq_config_entry
from lamina.quantizers import serialize as serialize_config
from lamina.quantizers.quantization_config import from_layer_argument
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike
from lamina.utils.sharded_copies import is_sharded


class EinsumDense(Layer):
    """A layer that uses `einsum` as the backing computation.

    It performs `activation(einsum(equation, inputs, kernel) + bias)` for
    an einsum of arbitrary dimensionality. The kernel's shape follows from
    the equation, the input shape and `output_shape`; its default init is
    `glorot_uniform`, with fans computed over the kernel's input and
    output axes. The bias (default `zeros`) covers the output axes from
    the first one named in `bias_axes` to the end.

    Args:
        equation: an einsum equation of the form `ab,bc->ac`,
            `...ab,bc->...ac` or `ab...,bc->ac...`.
        output_shape: the expected output shape, without the batch axis
            and the axes covered by `...`; an int for a single axis.
            `None` marks a size taken from the input.
        activation: activation function (name or callable); None is
            linear.
        bias_axes: a string of output labels to add a bias to, or None.
        kernel_initializer, bias_initializer: initializers.
        kernel_regularizer, bias_regularizer: optional regularizers.
        activity_regularizer: optional regularizer on the output.
        kernel_constraint, bias_constraint: optional constraints.

    Input shape:
        N-D tensor whose rank matches the equation's input term.

    Output shape:
        N-D tensor `(batch_size, ...)` as given by the equation and
        `output_shape`.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.EinsumDense("abc,cd->abd",
    ...                                   output_shape=(None, 64),
    ...                                   bias_axes="d")
    >>> layer(torch.ones(2, 32, 128)).shape
    torch.Size([2, 32, 64])
    >>> tuple(layer.kernel.shape), tuple(layer.bias.shape)
    ((128, 64), (64,))
    """

    _quantization_handler = EINSUM_DENSE  # lamina/quantization/

    def __init__(
        self,
        equation: str,
        output_shape: int | Sequence[int | None],
        activation: ActivationLike = None,
        bias_axes: str | None = None,
        kernel_initializer: InitializerLike = "glorot_uniform",
        bias_initializer: InitializerLike = "zeros",
        kernel_regularizer: RegularizerLike = None,
        bias_regularizer: RegularizerLike = None,
        kernel_constraint: ConstraintLike = None,
        bias_constraint: ConstraintLike = None,
        lora_rank: Any = None,
        lora_alpha: Any = None,
        gptq_unpacked_column_size: Any = None,
        quantization_config: Any = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)  # with activity_regularizer, as Keras
        parse_equation(equation)
        if lora_rank is not None:
            raise ValueError(
                "EinsumDense: LoRA is not part of core layers in lamina. "
                f"Received: lora_rank={lora_rank!r}"
            )
        self.gptq_unpacked_column_size = gptq_unpacked_column_size
        self.quantization_config = from_layer_argument(quantization_config)
        if bias_axes is not None and not isinstance(bias_axes, str):
            raise ValueError(
                invalid_argument(
                    "EinsumDense",
                    "bias_axes",
                    "a string of output labels",
                    bias_axes,
                )
            )
        self.equation = equation
        self.partial_output_shape = (
            (output_shape,)
            if isinstance(output_shape, int)
            else tuple(output_shape)
        )
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape: Sequence[int | None]) -> None:
        try:
            kernel_shape, bias_shape, in_axes, out_axes = einsum_shapes(
                self.equation,
                self.bias_axes,
                input_shape,
                self.partial_output_shape,
            )
        except ValueError as error:
            raise ValueError(
                f"Layer '{self.name}' (EinsumDense): {error}"
            ) from None
        self.input_spec = InputSpec(ndim=len(input_shape))
        self.kernel = self.add_weight(
            name="kernel",
            shape=kernel_shape,
            initializer=self._kernel_init(in_axes, out_axes),
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = (
            None
            if bias_shape is None
            else self.add_weight(
                name="bias",
                shape=bias_shape,
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        )
        # A plain matrix product runs as one `addmm` with the bias fused
        # (no separate pass over the output to add it): 7% of the bench
        # Transformer's predict was MultiHeadAttention's bias additions.
        n = contracted_axes(self.equation)
        free = tuple(kernel_shape[n:])
        self._matmul = (n, free) if n else None
        self._fused_bias = bias_shape is not None and tuple(bias_shape) == free
        # Set here too: a direct `build()` call must not be redone (and
        # the weights re-drawn) by the first `__call__`.
        self.built = True

    def _kernel_init(self, input_axes: list, output_axes: list):
        """A variance-scaling initializer sees the kernel's real fan-in and
        fan-out (over the equation's input and output axes), not the
        last-two-axes rule meant for Dense kernels."""
        init = self.kernel_initializer
        if not isinstance(init, VarianceScaling) or (
            init.input_axes is not None and init.output_axes is not None
        ):
            return init
        # The same seed as the original, so a seeded layer stays seeded.
        config = {
            **init.get_config(),
            "seed": init.seed,
            "input_axes": input_axes,
            "output_axes": output_axes,
        }
        return type(init).from_config(config)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        plan = getattr(self, "_matmul", None)
        kernel = self.kernel
        # A sharded (DTensor) or non-contiguous kernel keeps the einsum,
        # which needs no reshape of it.
        if plan is None or not kernel.is_contiguous() or is_sharded(kernel):
            x = torch.einsum(self.equation, inputs, kernel)
            return self.activation(x if self.bias is None else x + self.bias)
        n, free = plan
        lead = inputs.shape[: inputs.ndim - n]
        x = inputs.reshape(-1, math.prod(inputs.shape[inputs.ndim - n :]))
        w = kernel.reshape(x.shape[1], -1)
        if self.bias is not None and self._fused_bias:
            y = torch.addmm(self.bias.reshape(-1), x, w).reshape(*lead, *free)
        else:
            y = torch.mm(x, w).reshape(*lead, *free)
            y = y if self.bias is None else y + self.bias
        return self.activation(y)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": initializers.serialize(
                self.kernel_initializer
            ),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(
                self.kernel_regularizer
            ),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(
                self.activity_regularizer
            ),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": serialize_config(self.quantization_config),
        } | gptq_config_entry(self.gptq_unpacked_column_size)

    def extra_repr(self) -> str:
        return (
            f"equation={self.equation!r}, "
            f"output_shape={self.partial_output_shape}, "
            f"bias_axes={self.bias_axes!r}"
        )
