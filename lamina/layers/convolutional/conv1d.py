"""`Conv1D`: 1D convolution (e.g. temporal convolution)."""

from __future__ import annotations

from typing import Any

from lamina.layers.convolutional.base_conv import BaseConv
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike


class Conv1D(BaseConv):
    """1D convolution (e.g. temporal convolution).

    Convolves (cross-correlates) a kernel with the input over one
    spatial (or temporal) axis and returns
    `activation(conv1d(inputs, kernel) + bias)`.

    The kernel has Keras's shape `kernel_size + (channels // groups,
    filters)` in `get_weights()`, `set_weights()` and weight files; inside
    it is kept in torch's `(filters, channels // groups) + kernel_size`.
    `channels_last` inputs reach torch's kernel without a copy.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a 1-tuple, the size of the window.
        strides: an int or a 1-tuple. `strides > 1` cannot be combined with
            `dilation_rate > 1`.
        padding: `"valid"` (no padding), `"same"` (output length
            `ceil(steps / strides)`; an odd total pads one more step at the
            end) or `"causal"` (`dilation_rate * (kernel_size - 1)` zeros
            before the sequence, so `output[t]` sees no input after `t`).
        data_format: `"channels_last"` (default: `image_data_format()`) or
            `"channels_first"`.
        dilation_rate: an int or a 1-tuple, for dilated convolution.
        groups: the number of groups the channels are split into, each
            convolved with `filters // groups` filters; divides both the
            input channels and `filters`.
        activation: the activation applied to the output; None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer: initializer of the kernel (it sees Keras's
            shape, so fan-in and fan-out are Keras's).
        bias_initializer: initializer of the bias.
        kernel_regularizer, bias_regularizer: optional regularizers.
        activity_regularizer: optional regularizer on the output.
        kernel_constraint: optional constraint on the kernel, applied in
            Keras's layout (e.g. `MaxNorm(axis=[0, 1, 2])`) after updates.
        bias_constraint: optional constraint on the bias.

    Input shape:
        `channels_last`: `(batch_size, steps, channels)`;
        `channels_first`: `(batch_size, channels, steps)`.

    Output shape:
        `channels_last`: `(batch_size, new_steps, filters)`;
        `channels_first`: `(batch_size, filters, new_steps)`.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.Conv1D(32, 3, activation="relu")
    >>> layer(torch.randn(4, 10, 128)).shape
    torch.Size([4, 8, 32])
    >>> [w.shape for w in layer.get_weights()]
    [(3, 128, 32), (32,)]
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: Any = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
        groups: int = 1,
        activation: ActivationLike = None,
        use_bias: bool = True,
        kernel_initializer: InitializerLike = "glorot_uniform",
        bias_initializer: InitializerLike = "zeros",
        kernel_regularizer: RegularizerLike = None,
        bias_regularizer: RegularizerLike = None,
        activity_regularizer: RegularizerLike = None,
        kernel_constraint: ConstraintLike = None,
        bias_constraint: ConstraintLike = None,
        **kwargs: Any,
    ):
        super().__init__(
            rank=1,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
