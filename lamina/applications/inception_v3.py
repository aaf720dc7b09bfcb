"""InceptionV3 (Keras's `keras.applications.inception_v3`).

Inputs are scaled to [-1, 1] (`preprocess_input`). Keras leaves the
convolutions and batch norms of this network unnamed, so its published
`.h5` files are loaded by layer order: the blocks below create their
layers in Keras's order.

Reference: [Rethinking the Inception Architecture for Computer Vision](
https://arxiv.org/abs/1512.00567).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lamina import layers
from lamina.applications import base_application, imagenet_utils
from lamina.typing import ActivationLike

if TYPE_CHECKING:
    from lamina.models import Functional

_STEM = "inception_v3_weights_tf_dim_ordering_tf_kernels"
_FILES = (
    base_application.weights_file(
        "inception_v3", f"{_STEM}.h5", "9a0d58056eeedaa3f26cb7ebd46da564"
    ),
    base_application.weights_file(
        "inception_v3", f"{_STEM}_notop.h5", "bcbd6486424b2319ff4ef7d526e38f63"
    ),
)


def InceptionV3(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "inception_v3",
) -> Functional:
    """Instantiate the Inception v3 architecture."""
    return base_application.build(
        locals(),
        _body,
        owner="InceptionV3",
        default_size=299,
        min_size=75,
        files=_FILES,
        top=base_application.unnamed_pooled_top,
    )


def conv2d_bn(
    x: Any,
    filters: int,
    rows: int,
    cols: int,
    padding: str = "same",
    strides: int | tuple = 1,
) -> Any:
    """Convolution without bias, batch norm without scale, ReLU."""
    x = layers.Conv2D(
        filters, (rows, cols), strides=strides, padding=padding, use_bias=False
    )(x)
    axis = base_application.channel_axis()
    x = layers.BatchNormalization(axis=axis, scale=False)(x)
    return layers.Activation("relu")(x)


def _concat(branches: list, name: str | None = None) -> Any:
    axis = base_application.channel_axis()
    return layers.Concatenate(axis=axis, name=name)(branches)


def _avg_pool(x: Any) -> Any:
    return layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)


def _body(x: Any) -> Any:
    x = conv2d_bn(x, 32, 3, 3, strides=2, padding="valid")
    x = conv2d_bn(x, 32, 3, 3, padding="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv2d_bn(x, 80, 1, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    for i, pool_filters in enumerate((32, 64, 64)):
        x = _block_a(x, pool_filters, f"mixed{i}")
    x = _reduction_a(x)
    for i, c7 in enumerate((128, 160, 160, 192)):
        x = _block_c(x, c7, f"mixed{4 + i}")
    x = _reduction_b(x)
    for i in range(2):
        x = _block_e(x, i)
    return x


def _block_a(x: Any, pool_filters: int, name: str) -> Any:
    branch1x1 = conv2d_bn(x, 64, 1, 1)
    branch5x5 = conv2d_bn(x, 48, 1, 1)
    branch5x5 = conv2d_bn(branch5x5, 64, 5, 5)
    branch3x3dbl = conv2d_bn(x, 64, 1, 1)
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3)
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3)
    branch_pool = conv2d_bn(_avg_pool(x), pool_filters, 1, 1)
    return _concat([branch1x1, branch5x5, branch3x3dbl, branch_pool], name)


def _reduction_a(x: Any) -> Any:
    branch3x3 = conv2d_bn(x, 384, 3, 3, strides=2, padding="valid")
    branch3x3dbl = conv2d_bn(x, 64, 1, 1)
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3)
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    return _concat([branch3x3, branch3x3dbl, branch_pool], "mixed3")


def _block_c(x: Any, c7: int, name: str) -> Any:
    """Factorized 7x7 convolutions with `c7` inner filters."""
    branch1x1 = conv2d_bn(x, 192, 1, 1)
    branch7x7 = conv2d_bn(x, c7, 1, 1)
    branch7x7 = conv2d_bn(branch7x7, c7, 1, 7)
    branch7x7 = conv2d_bn(branch7x7, 192, 7, 1)
    branch7x7dbl = conv2d_bn(x, c7, 1, 1)
    for filters, rows, cols in (
        (c7, 7, 1),
        (c7, 1, 7),
        (c7, 7, 1),
        (192, 1, 7),
    ):
        branch7x7dbl = conv2d_bn(branch7x7dbl, filters, rows, cols)
    branch_pool = conv2d_bn(_avg_pool(x), 192, 1, 1)
    return _concat([branch1x1, branch7x7, branch7x7dbl, branch_pool], name)


def _reduction_b(x: Any) -> Any:
    branch3x3 = conv2d_bn(x, 192, 1, 1)
    branch3x3 = conv2d_bn(branch3x3, 320, 3, 3, strides=2, padding="valid")
    branch7x7x3 = conv2d_bn(x, 192, 1, 1)
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 1, 7)
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 7, 1)
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 3, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    return _concat([branch3x3, branch7x7x3, branch_pool], "mixed8")


def _block_e(x: Any, i: int) -> Any:
    """Expanded filter bank: 1x3 and 3x1 convolutions side by side."""
    branch1x1 = conv2d_bn(x, 320, 1, 1)
    branch3x3 = conv2d_bn(x, 384, 1, 1)
    branch3x3 = _concat(
        [conv2d_bn(branch3x3, 384, 1, 3), conv2d_bn(branch3x3, 384, 3, 1)],
        f"mixed9_{i}",
    )
    branch3x3dbl = conv2d_bn(x, 448, 1, 1)
    branch3x3dbl = conv2d_bn(branch3x3dbl, 384, 3, 3)
    branch3x3dbl = _concat(
        [conv2d_bn(branch3x3dbl, 384, 1, 3), conv2d_bn(branch3x3dbl, 384, 3, 1)]
    )
    branch_pool = conv2d_bn(_avg_pool(x), 192, 1, 1)
    return _concat(
        [branch1x1, branch3x3, branch3x3dbl, branch_pool], f"mixed{9 + i}"
    )


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scale to [-1, 1] (see `imagenet_utils.preprocess_input`)."""
    return imagenet_utils.preprocess_input(x, data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list:
    """See `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)


base_application.document((InceptionV3,), 299, 75)
