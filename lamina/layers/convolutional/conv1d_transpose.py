"""`Conv1DTranspose`: 1D transposed convolution."""

from __future__ import annotations

from lamina.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv1DTranspose(BaseConvTranspose):
    """1D transposed convolution (sometimes called deconvolution).

    Goes the opposite way of a `Conv1D` over one axis: from something
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
        kernel_size: an int or a 1-tuple, the size of the window.
        strides: an int or a 1-tuple. `strides > 1` cannot be combined with
            `dilation_rate > 1`.
        padding: `"valid"` or `"same"`.
        output_padding: None, or an int or a 1-tuple: the extra length
            at the end of each axis, smaller than the stride.
        data_format: `"channels_last"` (default: `image_data_format()`) or
            `"channels_first"`.
        dilation_rate: an int or a 1-tuple, for dilated convolution.
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
        `channels_last`: `(batch_size, steps, channels)`;
        `channels_first`: `(batch_size, channels, steps)`.

    Output shape:
        `channels_last`: `(batch_size, new_steps, filters)`;
        `channels_first`: `(batch_size, filters, new_steps)`.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.Conv1DTranspose(16, 3, strides=2, padding="same")
    >>> layer(torch.randn(4, 10, 8)).shape
    torch.Size([4, 20, 16])
    >>> [w.shape for w in layer.get_weights()]
    [(3, 16, 8), (16,)]
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            rank=1,
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
