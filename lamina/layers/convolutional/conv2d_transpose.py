"""`Conv2DTranspose`: 2D transposed convolution."""

from __future__ import annotations

from typing import Any

from lamina.layers.convolutional.base_conv_transpose import BaseConvTranspose
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike


class Conv2DTranspose(BaseConvTranspose):
    """2D transposed convolution (sometimes called deconvolution).

    Goes the opposite way of a `Conv2D` over height and width: from something
    shaped like a convolution's output to something shaped like its
    input, with the same connectivity; `strides > 1` upsamples.

    Output length along each spatial axis of length `n` (`extent` is
    `(kernel_size - 1) * dilation_rate + 1`): with `padding="valid"`,
    `(n - 1) * strides + max(extent, strides)`, or `(n - 1) * strides +
    extent + output_padding` when `output_padding` is given; with
    `padding="same"`, `n * strides`, or `(n - 1) * strides + extent % 2 +
    output_padding`. The numbers are Keras's.

    The kernel has Keras's shape `kernel_size + (filters, channels)` in
    `get_weights()` and weight files; inside it is kept in torch's
    `(channels, filters) + kernel_size`.

    Args:
        filters: the number of output channels.
        kernel_size: an int or 2 ints, the size of the window.
        strides: an int or 2 ints. `strides > 1` cannot be combined with
            `dilation_rate > 1`.
        padding: `"valid"` or `"same"`.
        output_padding: None, or an int or 2 ints: the extra length
            at the end of each axis, smaller than the stride.
        data_format: `"channels_last"` (default: `image_data_format()`) or
            `"channels_first"`.
        dilation_rate: an int or 2 ints, for dilated convolution.
        activation: the activation applied to the output; None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer: initializer of the kernel (it sees Keras's
            shape, so fan-in and fan-out are Keras's).
        bias_initializer: initializer of the bias.
        kernel_regularizer, bias_regularizer: optional regularizers.
        activity_regularizer: optional regularizer on the output.
        kernel_constraint: optional constraint on the kernel, applied in
            Keras's layout.
        bias_constraint: optional constraint on the bias.

    Input shape:
        `channels_last`: `(batch_size, height, width, channels)`;
        `channels_first`: `(batch_size, channels, height, width)`.

    Output shape:
        `channels_last`: `(batch_size, new_height, new_width, filters)`;
        `channels_first`: `(batch_size, filters, new_height, new_width)`.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.Conv2DTranspose(16, 3, strides=2, padding="same")
    >>> layer(torch.randn(4, 10, 8, 3)).shape
    torch.Size([4, 20, 16, 16])
    >>> [w.shape for w in layer.get_weights()]
    [(3, 3, 16, 3), (16,)]
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1),
        padding: Any = "valid",
        output_padding: Any = None,
        data_format: str | None = None,
        dilation_rate: Any = (1, 1),
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
            rank=2,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            output_padding=output_padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
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
