"""`Conv3DTranspose`: 3D transposed convolution."""

from __future__ import annotations

from typing import Any

from lamina.layers.convolutional.base_conv_transpose import BaseConvTranspose
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike


class Conv3DTranspose(BaseConvTranspose):
    """3D transposed convolution (sometimes called deconvolution).

    Goes the opposite way of a `Conv3D` over three spatial axes: from something
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
        kernel_size: an int or 3 ints, the size of the window.
        strides: an int or 3 ints. `strides > 1` cannot be combined with
            `dilation_rate > 1`.
        padding: `"valid"` or `"same"`.
        output_padding: None, or an int or 3 ints: the extra length
            at the end of each axis, smaller than the stride.
        data_format: `"channels_last"` (default: `image_data_format()`) or
            `"channels_first"`.
        dilation_rate: an int or 3 ints, for dilated convolution.
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
        `channels_last`: `(batch_size, dim1, dim2, dim3, channels)`;
        `channels_first`: `(batch_size, channels, dim1, dim2, dim3)`.

    Output shape:
        `channels_last`: `(batch_size, new_dim1, new_dim2, new_dim3,
        filters)`;
        `channels_first`: `(batch_size, filters, new_dim1,
        new_dim2, new_dim3)`.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.Conv3DTranspose(8, 2, strides=2)
    >>> layer(torch.randn(2, 4, 5, 6, 3)).shape
    torch.Size([2, 8, 10, 12, 8])
    >>> [w.shape for w in layer.get_weights()]
    [(2, 2, 2, 8, 3), (8,)]
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1, 1),
        padding: Any = "valid",
        data_format: str | None = None,
        output_padding: Any = None,
        dilation_rate: Any = (1, 1, 1),
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
