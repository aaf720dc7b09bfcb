"""Xception (Keras's `keras.applications.xception`): depthwise separable
convolutions with residual connections.

Inputs are scaled to [-1, 1] (`preprocess_input`).

Reference: [Xception: Deep Learning with Depthwise Separable Convolutions](
https://arxiv.org/abs/1610.02357).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lamina import layers
from lamina.applications import base_application, imagenet_utils
from lamina.typing import ActivationLike

if TYPE_CHECKING:
    from lamina.models import Functional

_STEM = "xception_weights_tf_dim_ordering_tf_kernels"
_FILES = (
    base_application.weights_file(
        "xception", f"{_STEM}.h5", "0a58e3b7378bc2990ea3b43d5981f1f6"
    ),
    base_application.weights_file(
        "xception", f"{_STEM}_notop.h5", "b0042744bf5b25fce3cb969f33bebb97"
    ),
)


def Xception(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "xception",
) -> Functional:
    """Instantiate the Xception architecture."""
    return base_application.build(
        locals(),
        _body,
        owner="Xception",
        default_size=299,
        min_size=71,
        files=_FILES,
        top=base_application.unnamed_pooled_top,
    )


def _bn(x: Any, name: str | None = None) -> Any:
    axis = base_application.channel_axis()
    return layers.BatchNormalization(axis=axis, name=name)(x)


def _relu(x: Any, name: str) -> Any:
    return layers.Activation("relu", name=name)(x)


def _sepconv_bn(x: Any, filters: int, name: str) -> Any:
    x = layers.SeparableConv2D(
        filters, (3, 3), padding="same", use_bias=False, name=name
    )(x)
    return _bn(x, f"{name}_bn")


def _body(x: Any) -> Any:
    x = layers.Conv2D(
        32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1"
    )(x)
    x = _relu(_bn(x, "block1_conv1_bn"), "block1_conv1_act")
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = _relu(_bn(x, "block1_conv2_bn"), "block1_conv2_act")
    x = _entry_block(x, 128, "block2", first=True)
    x = _entry_block(x, 256, "block3")
    x = _entry_block(x, 728, "block4")
    for i in range(5, 13):
        residual = x
        for j in (1, 2, 3):
            x = _relu(x, f"block{i}_sepconv{j}_act")
            x = _sepconv_bn(x, 728, f"block{i}_sepconv{j}")
        x = layers.add([x, residual])
    x = _entry_block(x, (728, 1024), "block13")
    x = _sepconv_bn(x, 1536, "block14_sepconv1")
    x = _relu(x, "block14_sepconv1_act")
    x = _sepconv_bn(x, 2048, "block14_sepconv2")
    return _relu(x, "block14_sepconv2_act")


def _entry_block(x: Any, filters: Any, name: str, first: bool = False) -> Any:
    """Two separable convolutions and a strided max pooling, added to a
    strided 1x1 projection of the input (Keras leaves the projection and
    its batch norm unnamed). `first`: the input is already activated."""
    inner, outer = filters if isinstance(filters, tuple) else (filters,) * 2
    residual = layers.Conv2D(
        outer, (1, 1), strides=(2, 2), padding="same", use_bias=False
    )(x)
    residual = _bn(residual)
    if not first:
        x = _relu(x, f"{name}_sepconv1_act")
    x = _sepconv_bn(x, inner, f"{name}_sepconv1")
    x = _relu(x, f"{name}_sepconv2_act")
    x = _sepconv_bn(x, outer, f"{name}_sepconv2")
    x = layers.MaxPooling2D(
        (3, 3), strides=(2, 2), padding="same", name=f"{name}_pool"
    )(x)
    return layers.add([x, residual])


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scale to [-1, 1] (see `imagenet_utils.preprocess_input`)."""
    return imagenet_utils.preprocess_input(x, data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list:
    """See `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)


base_application.document((Xception,), 299, 71)
