"""InceptionResNetV2 (Keras's `keras.applications.inception_resnet_v2`).

Inputs are scaled to [-1, 1] (`preprocess_input`).

Reference: [Inception-v4, Inception-ResNet and the Impact of Residual
Connections on Learning](https://arxiv.org/abs/1602.07261).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lamina import layers
from lamina.applications import base_application, imagenet_utils
from lamina.engine.layer import Layer
from lamina.typing import ActivationLike

if TYPE_CHECKING:
    from lamina.models import Functional

_STEM = "inception_resnet_v2_weights_tf_dim_ordering_tf_kernels"
_FILES = (
    base_application.weights_file(
        "inception_resnet_v2",
        f"{_STEM}.h5",
        "e693bd0210a403b3192acc6073ad2e96",
    ),
    base_application.weights_file(
        "inception_resnet_v2",
        f"{_STEM}_notop.h5",
        "d19885ff4a710c122648d3b5c3b684e4",
    ),
)


def InceptionResNetV2(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "inception_resnet_v2",
) -> Functional:
    """Instantiate the Inception-ResNet v2 architecture."""
    return base_application.build(
        locals(),
        _body,
        owner="InceptionResNetV2",
        default_size=299,
        min_size=75,
        files=_FILES,
        top=base_application.unnamed_pooled_top,
    )


class CustomScaleLayer(Layer):
    """`inputs[0] + inputs[1] * scale`: a residual branch added with a
    fixed scale (Keras's layer of the same name, so saved configs
    match)."""

    def __init__(self, scale: float, **kwargs: Any):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, inputs: Any) -> Any:
        return inputs[0] + inputs[1] * self.scale

    def get_config(self) -> dict:
        return {**super().get_config(), "scale": self.scale}


def conv2d_bn(
    x: Any,
    filters: int,
    kernel_size: Any,
    strides: int | tuple = 1,
    padding: str = "same",
    activation: ActivationLike = "relu",
    use_bias: bool = False,
    name: str | None = None,
) -> Any:
    """Convolution, then batch norm (without scale, when the convolution
    has no bias) and the activation; named `name`, `name_bn`, `name_ac`."""
    x = layers.Conv2D(
        filters,
        kernel_size,
        strides=strides,
        padding=padding,
        use_bias=use_bias,
        name=name,
    )(x)
    if not use_bias:
        axis = base_application.channel_axis()
        bn_name = None if name is None else f"{name}_bn"
        x = layers.BatchNormalization(axis=axis, scale=False, name=bn_name)(x)
    if activation is not None:
        ac_name = None if name is None else f"{name}_ac"
        x = layers.Activation(activation, name=ac_name)(x)
    return x


def _concat(branches: list, name: str) -> Any:
    axis = base_application.channel_axis()
    return layers.Concatenate(axis=axis, name=name)(branches)


def _body(x: Any) -> Any:
    x = conv2d_bn(x, 32, 3, strides=2, padding="valid")
    x = conv2d_bn(x, 32, 3, padding="valid")
    x = conv2d_bn(x, 64, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = conv2d_bn(x, 80, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, padding="valid")
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = _mixed_5b(x)
    for i in range(1, 11):
        x = inception_resnet_block(x, 0.17, "block35", i)
    x = _mixed_6a(x)
    for i in range(1, 21):
        x = inception_resnet_block(x, 0.1, "block17", i)
    x = _mixed_7a(x)
    for i in range(1, 10):
        x = inception_resnet_block(x, 0.2, "block8", i)
    x = inception_resnet_block(x, 1.0, "block8", 10, activation=None)
    return conv2d_bn(x, 1536, 1, name="conv_7b")


def _mixed_5b(x: Any) -> Any:
    branch_0 = conv2d_bn(x, 96, 1)
    branch_1 = conv2d_bn(conv2d_bn(x, 48, 1), 64, 5)
    branch_2 = conv2d_bn(x, 64, 1)
    branch_2 = conv2d_bn(conv2d_bn(branch_2, 96, 3), 96, 3)
    branch_pool = layers.AveragePooling2D(3, strides=1, padding="same")(x)
    branch_pool = conv2d_bn(branch_pool, 64, 1)
    return _concat([branch_0, branch_1, branch_2, branch_pool], "mixed_5b")


def _mixed_6a(x: Any) -> Any:
    branch_0 = conv2d_bn(x, 384, 3, strides=2, padding="valid")
    branch_1 = conv2d_bn(conv2d_bn(x, 256, 1), 256, 3)
    branch_1 = conv2d_bn(branch_1, 384, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    return _concat([branch_0, branch_1, branch_pool], "mixed_6a")


def _mixed_7a(x: Any) -> Any:
    branch_0 = conv2d_bn(x, 256, 1)
    branch_0 = conv2d_bn(branch_0, 384, 3, strides=2, padding="valid")
    branch_1 = conv2d_bn(x, 256, 1)
    branch_1 = conv2d_bn(branch_1, 288, 3, strides=2, padding="valid")
    branch_2 = conv2d_bn(conv2d_bn(x, 256, 1), 288, 3)
    branch_2 = conv2d_bn(branch_2, 320, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    return _concat([branch_0, branch_1, branch_2, branch_pool], "mixed_7a")


# Each block type's branches: (filters, kernel size) chains from the input.
_BRANCHES = {
    "block35": (((32, 1),), ((32, 1), (32, 3)), ((32, 1), (48, 3), (64, 3))),
    "block17": (((192, 1),), ((128, 1), (160, (1, 7)), (192, (7, 1)))),
    "block8": (((192, 1),), ((192, 1), (224, (1, 3)), (256, (3, 1)))),
}


def inception_resnet_block(
    x: Any,
    scale: float,
    block_type: str,
    block_idx: int,
    activation: ActivationLike = "relu",
) -> Any:
    """An Inception-ResNet block: the branches of `block_type`
    (`"block35"`, `"block17"` or `"block8"`) concatenated, projected back
    to the input's channels and added to it with `scale`."""
    if block_type not in _BRANCHES:
        raise ValueError(
            "Unknown Inception-ResNet block type. Expects 'block35', "
            f"'block17' or 'block8'. Received: block_type={block_type!r}"
        )
    branches = []
    for chain in _BRANCHES[block_type]:
        branch = x
        for filters, kernel_size in chain:
            branch = conv2d_bn(branch, filters, kernel_size)
        branches.append(branch)
    block_name = f"{block_type}_{block_idx}"
    mixed = _concat(branches, f"{block_name}_mixed")
    channels = x.shape[base_application.channel_axis()]
    up = conv2d_bn(
        mixed,
        channels,
        1,
        activation=None,
        use_bias=True,
        name=f"{block_name}_conv",
    )
    x = CustomScaleLayer(scale)([x, up])
    if activation is not None:
        x = layers.Activation(activation, name=f"{block_name}_ac")(x)
    return x


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scale to [-1, 1] (see `imagenet_utils.preprocess_input`)."""
    return imagenet_utils.preprocess_input(x, data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list:
    """See `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)


base_application.document((InceptionResNetV2,), 299, 75)
