"""`ConvCore`: what every convolution layer shares.

The window geometry (kernel size, strides, padding, dilation, data
format), the bias and activation, Keras's padding rules, the
channels-last handling and, in one place, the view of each kernel in
torch's layout (`KernelLayout`, made inside `call`: the stored weight
keeps Keras's shape, so `get_weights`, files, constraints and gradients
see Keras's layout with no conversion; only its memory order is torch's,
so that view needs no copy).

`channels_last` inputs are never copied: `(N, H, W, C).permute(0, 3, 1,
2)` is an NCHW tensor in torch's `channels_last` memory format, which
torch's convolutions read natively; their output comes back in the same
format, so permuting it to NHWC is free too.
"""

from __future__ import annotations

from typing import Any, Sequence

import torch
import torch.nn.functional as F

from lamina import activations
from lamina import config
from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.engine.weights import attr_of
from lamina.errors import format_shape
from lamina.layers.convolutional.conv_utils import conv_tuple
from lamina.layers.convolutional.conv_utils import effective_size
from lamina.layers.convolutional.conv_utils import same_padding
from lamina.layers.convolutional.conv_utils import split_padding
from lamina.layers.convolutional.conv_utils import standardize_padding
from lamina.layers.convolutional.kernel_layout import KernelLayout
from lamina.typing import ActivationLike, ConstraintLike, InitializerLike
from lamina.typing import RegularizerLike


class ConvCore(Layer):
    """Base of the convolution layers (not used directly).

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        kernel_size, strides, dilation_rate: an int or `rank` ints.
        padding: `"valid"`, `"same"`, or `"causal"` where `allow_causal`.
        data_format: `"channels_last"` or `"channels_first"`.
        activation: the activation applied to the output.
        use_bias: whether to add a bias vector.
        bias_initializer, bias_regularizer, bias_constraint: for the bias.
        allow_causal: whether `padding="causal"` is accepted.
    """

    def __init__(
        self,
        rank: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: Any = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
        activation: ActivationLike = None,
        use_bias: bool = True,
        bias_initializer: InitializerLike = "zeros",
        bias_regularizer: RegularizerLike = None,
        bias_constraint: ConstraintLike = None,
        allow_causal: bool = False,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = rank
        self.kernel_size = conv_tuple(kernel_size, rank, "kernel_size", owner)
        self.strides = conv_tuple(strides, rank, "strides", owner)
        self.padding = standardize_padding(padding, rank, owner, allow_causal)
        self.data_format = config.standardize_data_format(data_format)
        self.dilation_rate = conv_tuple(
            dilation_rate, rank, "dilation_rate", owner
        )
        self.activation = activations.get(activation)
        self._linear = self.activation is activations.get("linear")
        self.use_bias = bool(use_bias)
        self.bias_initializer = initializers.get(bias_initializer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)
        self._layouts: dict[str | None, KernelLayout] = {}
        self._channels_last = self.data_format == "channels_last"
        self._to_first = (0, rank + 1) + tuple(range(1, rank + 1))
        self._to_last = (0,) + tuple(range(2, rank + 2)) + (1,)
        # torch's 1D convolutions have no channels-last path (they copy a
        # permuted input); channels-last 1D runs as 2D on an (N, C, 1, L)
        # channels_last view instead, measured as fast as contiguous NCL.
        self._lifted = rank == 1 and self._channels_last
        self._torch_rank = 2 if self._lifted else rank
        self._torch_strides = self._torch_tuple(self.strides, 1)
        self._torch_dilation = self._torch_tuple(self.dilation_rate, 1)
        # "same" with strides > 1 depends on the input length: planned per
        # spatial shape, once.
        self._plans: dict = {}
        self._static_plan = (
            None
            if (self.padding == "same" and max(self.strides) > 1)
            else self._padding_plan(None)
        )

    # -- build helpers ------------------------------------------------------

    def _input_channels(self, input_shape) -> int:
        """The channel count, fixed in `input_spec` from now on."""
        axis = -1 if self._channels_last else 1
        channels = input_shape[axis]
        if channels is None:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) needs a known "
                f"channel dimension (data_format='{self.data_format}'). "
                f"Received: input_shape={format_shape(input_shape)}"
            )
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={axis: channels})
        return int(channels)

    def _spatial(self, shape) -> tuple:
        return tuple(shape[1:-1] if self._channels_last else shape[2:])

    def _check_input_size(self, input_shape, spatial=None) -> None:
        """With `"valid"` padding, a kernel wider than the input leaves no
        output at all."""
        if self.padding != "valid":
            return
        spatial = self._spatial(input_shape) if spatial is None else spatial
        for size, k, d in zip(spatial, self.kernel_size, self.dilation_rate):
            if size is not None and size < effective_size(k, d):
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}): the "
                    "input is smaller than the (dilated) kernel along a "
                    "spatial axis, so padding='valid' gives a zero or "
                    "negative output size. Received: input_shape="
                    f"{format_shape(input_shape)}, kernel_size="
                    f"{self.kernel_size}, dilation_rate={self.dilation_rate}"
                )

    def _add_kernel(
        self,
        name: str,
        keras_shape: tuple,
        initializer: Any,
        regularizer: Any,
        constraint: Any,
        grouped_shape: tuple | None = None,
    ) -> torch.Tensor:
        """A kernel of Keras's shape, and how torch's kernel views it."""
        kernel = self.add_weight(
            name=name,
            shape=keras_shape,
            initializer=initializer or initializers.get("glorot_uniform"),
            regularizer=regularizer,
            constraint=constraint,
        )
        layout = KernelLayout(keras_shape, grouped_shape)
        self._layouts[attr_of(self, kernel)] = layout
        if type(kernel.data) is torch.Tensor:  # not a sharded DTensor
            kernel.data = layout.torch_memory(kernel.data, self._channels_last)
        return kernel

    def _add_bias(self, size: int) -> None:
        self.bias = (
            self.add_weight(
                name="bias",
                shape=(size,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
            if self.use_bias
            else None
        )

    # -- call helpers -------------------------------------------------------

    def _padding_plan(self, spatial: tuple | None):
        """(padding for torch's conv, explicit `F.pad` list or None)."""
        if self.padding == "valid":
            pairs = ((0, 0),) * self.rank
        elif self.padding == "causal":
            pairs = (
                (
                    effective_size(self.kernel_size[0], self.dilation_rate[0])
                    - 1,
                    0,
                ),
            )
        else:
            lengths = spatial or (1,) * self.rank
            pairs = tuple(
                same_padding(n, k, s, d)
                for n, k, s, d in zip(
                    lengths, self.kernel_size, self.strides, self.dilation_rate
                )
            )
        symmetric, extra = split_padding(pairs)
        symmetric = self._torch_tuple(symmetric, 0)
        if not any(b or a for b, a in extra):
            return symmetric, None
        flat = [0, 0] if self._channels_last else []
        for before, after in reversed(extra):
            flat += [before, after]
        return symmetric, flat

    def _pad(self, inputs: torch.Tensor):
        """Inputs padded where Keras pads unevenly (in their own layout,
        so channels-last stays channels-last), and the even part left to
        the convolution."""
        plan = self._static_plan
        if plan is None:
            key = self._spatial(inputs.shape)
            plan = self._plans.get(key)
            if plan is None:
                plan = self._plans[key] = self._padding_plan(key)
        padding, explicit = plan
        if explicit is not None:
            inputs = F.pad(inputs, explicit)
        return inputs, padding

    def _torch_tuple(self, values: Sequence[int], fill: int) -> tuple:
        """Per-axis arguments for torch's kernel (one more axis when
        lifted to 2D)."""
        return (fill,) + tuple(values) if self._lifted else tuple(values)

    def _torch_kernel(self, attr: str) -> torch.Tensor:
        """Kernel `attr` as torch's convolution takes it: a view of the
        Keras-layout weight (one more axis when lifted to 2D)."""
        kernel = self._layouts[attr].to_torch(getattr(self, attr))
        return kernel.unsqueeze(2) if self._lifted else kernel

    def _channels_first(self, x: torch.Tensor) -> torch.Tensor:
        """Native-layout inputs as torch's channels-first view (no copy)."""
        if self._lifted:
            return x.unsqueeze(1).permute(0, 3, 1, 2)
        return x.permute(self._to_first) if self._channels_last else x

    def _finish(self, y: torch.Tensor) -> torch.Tensor:
        """torch's output back in the native layout, then the activation."""
        if self._lifted:
            y = y.permute(0, 2, 3, 1).squeeze(1)
        elif self._channels_last:
            y = y.permute(self._to_last)
        return y if self._linear else self.activation(y)

    def _convolve(self, inputs: torch.Tensor, fn, *args) -> torch.Tensor:
        """`fn(*args)`; an `inputs` too small for the kernel is reported
        as a ValueError naming the layer, not as torch's RuntimeError."""
        try:
            return fn(*args)
        except RuntimeError:
            self._check_input_size(tuple(inputs.shape))
            raise

    # -- config -------------------------------------------------------------

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(
                self.activity_regularizer
            ),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, strides={self.strides}, "
            f"padding={self.padding}, data_format={self.data_format}"
        )
