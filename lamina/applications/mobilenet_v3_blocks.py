"""The blocks of MobileNetV3: the inverted residual block with its
optional squeeze-and-excite, named as Keras names them
(`expanded_conv_{i}_expand`, `..._depthwise`, `..._squeeze_excite_conv`)
so Keras's weight files load into them."""

from __future__ import annotations

from typing import Any

from lamina import layers
from lamina.applications import imagenet_utils
from lamina.applications.base_application import channel_axis


def make_divisible(v: float, divisor: int = 8) -> int:
    """`v` rounded to a multiple of `divisor`, never below `divisor` nor
    more than 10% below `v` (TensorFlow's slim MobileNet rule)."""
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def relu(x: Any) -> Any:
    return layers.ReLU()(x)


def hard_swish(x: Any) -> Any:
    return layers.Activation("hard_swish")(x)


def hard_sigmoid(x: Any) -> Any:
    # Written as ReLU6(x + 3) / 6 with graph operations, as Keras does, so
    # the model has the same layers (one unnamed ReLU) as Keras's.
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def batch_norm(x: Any, name: str) -> Any:
    return layers.BatchNormalization(
        axis=-1 if channel_axis() == 3 else 1,
        epsilon=1e-3,
        momentum=0.999,
        name=name,
    )(x)


def se_block(inputs: Any, filters: int, se_ratio: float, prefix: str) -> Any:
    """Squeeze-and-excite: rescale each channel by a gate computed from
    the channel means."""
    x = layers.GlobalAveragePooling2D(
        keepdims=True, name=f"{prefix}squeeze_excite_avg_pool"
    )(inputs)
    x = layers.Conv2D(
        make_divisible(filters * se_ratio),
        kernel_size=1,
        padding="same",
        name=f"{prefix}squeeze_excite_conv",
    )(x)
    x = layers.ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = layers.Conv2D(
        filters,
        kernel_size=1,
        padding="same",
        name=f"{prefix}squeeze_excite_conv_1",
    )(x)
    x = hard_sigmoid(x)
    return layers.Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, x])


def _pointwise(x: Any, filters: int, name: str) -> Any:
    """A bias-free 1x1 convolution `name` and its batch norm `{name}_bn`."""
    x = layers.Conv2D(
        filters, kernel_size=1, padding="same", use_bias=False, name=name
    )(x)
    return batch_norm(x, f"{name}_bn")


def inverted_res_block(
    x: Any,
    expansion: float,
    filters: int,
    kernel_size: int,
    stride: int,
    se_ratio: float | None,
    activation: Any,
    block_id: int,
) -> Any:
    """Expand (1x1), filter (depthwise), optionally squeeze-and-excite,
    project (1x1); add the input back when the shapes allow. Block 0 has
    no expansion and the prefix `expanded_conv_`."""
    shortcut = x
    infilters = x.shape[channel_axis()]
    prefix = f"expanded_conv_{block_id}_" if block_id else "expanded_conv_"
    if block_id:
        expanded = make_divisible(infilters * expansion)
        x = activation(_pointwise(x, expanded, f"{prefix}expand"))
    if stride == 2:
        x = layers.ZeroPadding2D(
            padding=imagenet_utils.correct_pad(x, kernel_size),
            name=f"{prefix}depthwise_pad",
        )(x)
    x = layers.DepthwiseConv2D(
        kernel_size,
        strides=stride,
        padding="same" if stride == 1 else "valid",
        use_bias=False,
        name=f"{prefix}depthwise",
    )(x)
    x = activation(batch_norm(x, f"{prefix}depthwise_bn"))
    if se_ratio:
        x = se_block(x, make_divisible(infilters * expansion), se_ratio, prefix)
    x = _pointwise(x, filters, f"{prefix}project")
    if stride == 1 and infilters == filters:
        x = layers.Add(name=f"{prefix}add")([shortcut, x])
    return x
