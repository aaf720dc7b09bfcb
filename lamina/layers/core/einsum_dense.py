"""`EinsumDense`: a dense layer of any dimensionality, written as einsum."""

from __future__ import annotations

import re

import torch

from lamina import activations
from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.errors import invalid_argument
from lamina.initializers.variance_scaling import VarianceScaling
from lamina.quantization.einsum_dense import EINSUM_DENSE, gptq_config_entry
from lamina.quantizers import serialize as serialize_config
from lamina.quantizers.quantization_config import from_layer_argument

_L = "([a-zA-Z]+)"
# The three forms Keras accepts: no ellipsis, leading, trailing ellipsis.
_FORMS = (
    ("none", re.compile(f"{_L},{_L}->{_L}")),
    ("left", re.compile(rf"\.\.\.{_L},{_L}->\.\.\.{_L}")),
    ("right", re.compile(rf"([a-zA-Z]{{2,}})\.\.\.,{_L}->{_L}\.\.\.")),
)


def parse_equation(equation) -> tuple:
    """`(form, input_spec, kernel_spec, output_spec)` of an equation."""
    for form, pattern in _FORMS:
        match = (
            pattern.fullmatch(equation) if isinstance(equation, str) else None
        )
        if match:
            return (form,) + match.groups()
    raise ValueError(
        invalid_argument(
            "EinsumDense",
            "equation",
            "an equation of the form 'ab,bc->ac', "
            "'...ab,bc->...ac' or 'ab...,bc->ac...'",
            equation,
        )
    )


def _label_sizes(form, in_spec, out_spec, input_shape, partial) -> tuple:
    """The size of each input label and of each output label."""
    elided = len(input_shape) - len(in_spec)
    if elided < 0 or (form == "none" and elided):
        raise ValueError(
            f"the equation input '{in_spec}' does not match inputs of rank "
            f"{len(input_shape)}. Received: input_shape={input_shape}"
        )
    # The batch axis is the first output label, or part of a leading '...'.
    explicit = len(out_spec) - (0 if form == "left" and elided else 1)
    if len(partial) != explicit:
        raise ValueError(
            f"`output_shape` must give {explicit} size(s) for output "
            f"'{out_spec}' (the batch axis and '...' excluded). "
            f"Received: output_shape={tuple(partial)}"
        )
    out_shape = [input_shape[0]] * (len(out_spec) - explicit) + list(partial)
    in_offset = elided if form == "left" else 0
    in_sizes = {c: input_shape[i + in_offset] for i, c in enumerate(in_spec)}
    out_sizes = {}
    for c, size in zip(out_spec, out_shape):
        known = in_sizes.get(c)
        if size is not None and known is not None and size != known:
            raise ValueError(
                f"input and output shapes do not match at shared dimension "
                f"'{c}': input size {known}, output size {size}. Received: "
                f"input_shape={input_shape}, output_shape={tuple(partial)}"
            )
        out_sizes[c] = known if size is None else size
    return in_sizes, out_sizes


def einsum_shapes(equation, bias_axes, input_shape, partial) -> tuple:
    """`(kernel_shape, bias_shape, input_axes, output_axes)` for an input
    shape, derived as Keras derives them (a `None` in `output_shape` is
    taken from the input where the label is shared)."""
    form, in_spec, w_spec, out_spec = parse_equation(equation)
    input_shape = tuple(input_shape)
    in_sizes, out_sizes = _label_sizes(
        form, in_spec, out_spec, input_shape, partial
    )
    unknown = [c for c in out_spec if c not in in_spec + w_spec] + [
        c for c in w_spec if c not in in_spec + out_spec
    ]
    if unknown:
        raise ValueError(
            f"dimension(s) {unknown} of '{equation}' must appear in two of "
            "the input, kernel and output terms (the kernel must be fully "
            "specified)."
        )
    kernel = [out_sizes.get(c, in_sizes.get(c)) for c in w_spec]
    output_axes = [i for i, c in enumerate(w_spec) if c in out_sizes]
    input_axes = [i for i, c in enumerate(w_spec) if c not in out_sizes]
    bias = None
    if bias_axes is not None:
        if any(c not in out_spec for c in bias_axes):
            raise ValueError(
                f"bias_axes must name labels of the output '{out_spec}'. "
                f"Received: bias_axes={bias_axes!r}"
            )
        first = min(out_spec.index(c) for c in bias_axes)
        bias = [out_sizes[c] if c in bias_axes else 1 for c in out_spec[first:]]
        if form == "right":
            bias += [1] * (len(input_shape) - len(in_spec))
    if None in kernel or (bias is not None and None in bias):
        raise ValueError(
            f"cannot size the weights for '{equation}' (kernel {kernel}, "
            f"bias {bias}): give their sizes in `output_shape`. Received: "
            f"input_shape={input_shape}, output_shape={tuple(partial)}"
        )
    return kernel, bias, input_axes, output_axes


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
        equation,
        output_shape,
        activation=None,
        bias_axes=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        gptq_unpacked_column_size=None,
        quantization_config=None,
        **kwargs,
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

    def build(self, input_shape):
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

    def call(self, inputs):
        x = torch.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            x = x + self.bias
        return self.activation(x)

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
