"""`Conv3D`: 3D convolution (e.g. spatial convolution over volumes)."""

from __future__ import annotations

from typing import Any

from lamina.layers.convolutional.base_conv import BaseConv
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike


class Conv3D(BaseConv):
    """3D convolution (e.g. spatial convolution over volumes).

    Convolves (cross-correlates) a kernel with the input over three
    spatial axes and returns `activation(conv3d(inputs, kernel) + bias)`.

    The kernel has Keras's shape `kernel_size + (channels // groups,
    filters)` in `get_weights()`, `set_weights()` and weight files; inside
    it is kept in torch's `(filters, channels // groups) + kernel_size`.
    `channels_last` inputs reach torch's kernel without a copy.

    Args:
        filters: the number of output channels.
        kernel_size: an int or 3 ints, the size of the window.
        strides: an int or 3 ints. `strides > 1` cannot be combined with
            `dilation_rate > 1`.
        padding: `"valid"` (no padding) or `"same"` (output size
            `ceil(input / strides)`; an odd total pads one more after than
            before, as Keras does).
        data_format: `"channels_last"` (default: `image_data_format()`) or
            `"channels_first"`.
        dilation_rate: an int or 3 ints, for dilated convolution.
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
        `channels_last`: `(batch_size, dim1, dim2, dim3, channels)`;
        `channels_first`: `(batch_size, channels, dim1, dim2, dim3)`.

    Output shape:
        `channels_last`: `(batch_size, new_dim1, new_dim2, new_dim3,
        filters)`; `channels_first`: `(batch_size, filters, new_dim1,
        new_dim2, new_dim3)`.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.Conv3D(16, 3, activation="relu")
    >>> layer(torch.randn(4, 10, 10, 10, 8)).shape
    torch.Size([4, 8, 8, 8, 16])
    >>> [w.shape for w in layer.get_weights()]
    [(3, 3, 3, 8, 16), (16,)]
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1, 1),
        padding: Any = "valid",
        data_format: str | None = None,
        dilation_rate: Any = (1, 1, 1),
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
            rank=3,
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
