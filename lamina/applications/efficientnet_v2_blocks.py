"""The blocks of EfficientNetV2: MBConv (expand, depthwise filter,
squeeze-excite, project) and Fused-MBConv (one full convolution in place
of expand and depthwise), named as Keras names them."""

from __future__ import annotations

from typing import Any

from lamina import layers
from lamina.applications.base_application import channel_axis
from lamina.applications.efficientnet_blocks import CONV_KERNEL_INITIALIZER
from lamina.applications.efficientnet_blocks import conv_bn
from lamina.applications.efficientnet_blocks import residual
from lamina.applications.efficientnet_blocks import squeeze_excite


def _excite_and_project(x, inputs, spec: dict, kernel_size, strides):
    """The common tail: squeeze-excite, project, residual."""
    name, activation = spec["name"], spec["activation"]
    filters = spec["input_filters"] * spec["expand_ratio"]
    if 0 < spec["se_ratio"] <= 1:
        filters_se = max(1, int(spec["input_filters"] * spec["se_ratio"]))
        x = squeeze_excite(x, filters, filters_se, activation, name)
    x = conv_bn(
        x,
        spec["output_filters"],
        f"{name}project",
        kernel_size=kernel_size,
        strides=strides,
        momentum=spec["bn_momentum"],
    )
    if spec["fused"] and spec["expand_ratio"] == 1:
        x = layers.Activation(activation, name=f"{name}project_activation")(x)
    if spec["strides"] == 1 and spec["input_filters"] == spec["output_filters"]:
        # Keras passes the survival probability as the drop rate (kept
        # so the model computes what Keras's does while training).
        x = residual(x, inputs, spec["survival_probability"], name)
    return x


def mbconv_block(inputs: Any, spec: dict) -> Any:
    """Mobile inverted residual bottleneck."""
    name, momentum = spec["name"], spec["bn_momentum"]
    x = inputs
    if spec["expand_ratio"] != 1:
        filters = spec["input_filters"] * spec["expand_ratio"]
        x = conv_bn(
            x, filters, f"{name}expand", spec["activation"], momentum=momentum
        )
    x = layers.DepthwiseConv2D(
        kernel_size=spec["kernel_size"],
        strides=spec["strides"],
        depthwise_initializer=CONV_KERNEL_INITIALIZER,
        padding="same",
        use_bias=False,
        name=f"{name}dwconv2",
    )(x)
    x = layers.BatchNormalization(
        axis=channel_axis(), momentum=momentum, name=f"{name}bn"
    )(x)
    x = layers.Activation(spec["activation"], name=f"{name}activation")(x)
    return _excite_and_project(x, inputs, spec, 1, 1)


def fused_mbconv_block(inputs: Any, spec: dict) -> Any:
    """Fused-MBConv: the expansion is a full `kernel_size` convolution
    (or, without expansion, the projection is)."""
    name, kernel, strides = spec["name"], spec["kernel_size"], spec["strides"]
    x = inputs
    if spec["expand_ratio"] == 1:
        return _excite_and_project(x, inputs, spec, kernel, strides)
    x = conv_bn(
        x,
        spec["input_filters"] * spec["expand_ratio"],
        f"{name}expand",
        spec["activation"],
        kernel_size=kernel,
        strides=strides,
        momentum=spec["bn_momentum"],
    )
    return _excite_and_project(x, inputs, spec, 1, 1)
