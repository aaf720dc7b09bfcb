"""The blocks of EfficientNet (and the squeeze-and-excite EfficientNetV2
shares with it), named as Keras names them (`block2a_expand_conv`,
`block2a_se_reduce`, ...) so Keras's weight files load into them."""

from __future__ import annotations

from typing import Any

from lamina import layers
from lamina.applications import imagenet_utils
from lamina.applications.base_application import channel_axis

# Keras's initializers (fan-out variance scaling, as in the paper's code).
CONV_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {
        "scale": 2.0,
        "mode": "fan_out",
        "distribution": "truncated_normal",
    },
}
DENSE_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {
        "scale": 1.0 / 3.0,
        "mode": "fan_out",
        "distribution": "uniform",
    },
}


def conv_bn(
    x: Any, filters: int, name: str, activation: Any = None, **conv: Any
) -> Any:
    """A bias-free convolution (`{name}_conv`), its batch normalization
    (`{name}_bn`, with `conv.pop("momentum")` if given) and optionally its
    activation (`{name}_activation`)."""
    momentum = conv.pop("momentum", 0.99)
    conv.setdefault("kernel_size", 1)
    conv.setdefault("padding", "same")
    x = layers.Conv2D(
        filters,
        use_bias=False,
        kernel_initializer=CONV_KERNEL_INITIALIZER,
        name=f"{name}_conv",
        **conv,
    )(x)
    x = layers.BatchNormalization(
        axis=channel_axis(), momentum=momentum, name=f"{name}_bn"
    )(x)
    if activation is None:
        return x
    return layers.Activation(activation, name=f"{name}_activation")(x)


def squeeze_excite(
    x: Any, filters: int, filters_se: int, activation: Any, name: str
) -> Any:
    """Rescale each of the `filters` channels by a sigmoid gate computed
    from the channel means through `filters_se` units."""
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se_shape = (1, 1, filters) if channel_axis() == 3 else (filters, 1, 1)
    se = layers.Reshape(se_shape, name=f"{name}se_reshape")(se)
    se = layers.Conv2D(
        filters_se,
        1,
        padding="same",
        activation=activation,
        kernel_initializer=CONV_KERNEL_INITIALIZER,
        name=f"{name}se_reduce",
    )(se)
    se = layers.Conv2D(
        filters,
        1,
        padding="same",
        activation="sigmoid",
        kernel_initializer=CONV_KERNEL_INITIALIZER,
        name=f"{name}se_expand",
    )(se)
    return layers.multiply([x, se], name=f"{name}se_excite")


def residual(x: Any, inputs: Any, drop_rate: float, name: str) -> Any:
    """Add the block's input back, after dropping whole samples of the
    residual branch at rate `drop_rate` while training."""
    if drop_rate > 0:
        x = layers.Dropout(
            drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop"
        )(x)
    return layers.add([x, inputs], name=f"{name}add")


def mb_block(
    inputs: Any,
    activation: Any = "swish",
    drop_rate: float = 0.0,
    name: str = "",
    filters_in: int = 32,
    filters_out: int = 16,
    kernel_size: int = 3,
    strides: int = 1,
    expand_ratio: int = 1,
    se_ratio: float = 0.0,
    id_skip: bool = True,
) -> Any:
    """EfficientNet's inverted residual block: expand (1x1), depthwise
    filter, squeeze-and-excite, project (1x1), residual."""
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = conv_bn(x, filters, f"{name}expand", activation)
    conv_pad = "same"
    if strides == 2:
        x = layers.ZeroPadding2D(
            padding=imagenet_utils.correct_pad(x, kernel_size),
            name=f"{name}dwconv_pad",
        )(x)
        conv_pad = "valid"
    x = layers.DepthwiseConv2D(
        kernel_size,
        strides=strides,
        padding=conv_pad,
        use_bias=False,
        depthwise_initializer=CONV_KERNEL_INITIALIZER,
        name=f"{name}dwconv",
    )(x)
    x = layers.BatchNormalization(axis=channel_axis(), name=f"{name}bn")(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        filters_se = max(1, int(filters_in * se_ratio))
        x = squeeze_excite(x, filters, filters_se, activation, name)
    x = conv_bn(x, filters_out, f"{name}project")
    if id_skip and strides == 1 and filters_in == filters_out:
        x = residual(x, inputs, drop_rate, name)
    return x
