"""DenseNet121, DenseNet169 and DenseNet201 (Keras's
`keras.applications.densenet`). `channels_last` only, as in Keras.

Inputs are preprocessed in torch's way (`preprocess_input`: scale to
[0, 1], then normalize each channel by the ImageNet mean and standard
deviation).

Reference: [Densely Connected Convolutional Networks](
https://arxiv.org/abs/1608.06993).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lamina import config, layers
from lamina.applications import base_application, imagenet_utils
from lamina.typing import ActivationLike

if TYPE_CHECKING:
    from lamina.models import Functional

_EPSILON = 1.001e-5
# Keras's published files: (with top, without top) hashes.
_HASHES = {
    "densenet121": (
        "9d60b8095a5708f2dcce2bca79d332c7",
        "30ee3e1110167f948a6b9946edeeb738",
    ),
    "densenet169": (
        "d699b8f76981ab1b30698df4c175e90b",
        "b8c4d4c20dd625c148057b9ff1c1176b",
    ),
    "densenet201": (
        "1ceb130c1ea1b78c3bf6114dbdfd8807",
        "c13680b51ded0fb44dff2d8f86ac8bb1",
    ),
}


def DenseNet121(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "densenet121",
) -> Functional:
    """Instantiate the DenseNet121 architecture (blocks 6, 12, 24, 16)."""
    return densenet(locals(), (6, 12, 24, 16), "densenet121", "DenseNet121")


def DenseNet169(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "densenet169",
) -> Functional:
    """Instantiate the DenseNet169 architecture (blocks 6, 12, 32, 32)."""
    return densenet(locals(), (6, 12, 32, 32), "densenet169", "DenseNet169")


def DenseNet201(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "densenet201",
) -> Functional:
    """Instantiate the DenseNet201 architecture (blocks 6, 12, 48, 32)."""
    return densenet(locals(), (6, 12, 48, 32), "densenet201", "DenseNet201")


def densenet(args: dict, blocks: tuple, weights_name: str, owner: str) -> Any:
    """A DenseNet with `blocks` convolution blocks in its four dense
    blocks."""
    if config.image_data_format() == "channels_first":
        raise ValueError(
            f"{owner} does not support the `channels_first` image data "
            "format. Switch to `channels_last` with "
            "`lamina.config.set_image_data_format('channels_last')`."
        )

    def body(x):
        x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(x)
        x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(
            x
        )
        x = _bn_relu(x, "conv1")
        x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
        x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
        for i, count in enumerate(blocks):
            x = dense_block(x, count, name=f"conv{i + 2}")
            if i < 3:
                x = transition_block(x, 0.5, name=f"pool{i + 2}")
        return _bn_relu(x, "")

    stem = f"{weights_name}_weights_tf_dim_ordering_tf_kernels"
    top_hash, notop_hash = _HASHES[weights_name]
    files = (
        base_application.weights_file("densenet", f"{stem}.h5", top_hash),
        base_application.weights_file(
            "densenet", f"{stem}_notop.h5", notop_hash
        ),
    )
    return base_application.build(args, body, owner=owner, files=files)


def _bn_relu(x: Any, prefix: str) -> Any:
    """`{prefix}_bn` and `{prefix}_relu` (`bn` and `relu` without one)."""
    sep = "_" if prefix else ""
    axis = base_application.channel_axis()
    x = layers.BatchNormalization(
        axis=axis, epsilon=_EPSILON, name=f"{prefix}{sep}bn"
    )(x)
    return layers.Activation("relu", name=f"{prefix}{sep}relu")(x)


def dense_block(x: Any, blocks: int, name: str) -> Any:
    """`blocks` convolution blocks, each adding 32 channels."""
    for i in range(blocks):
        x = conv_block(x, 32, name=f"{name}_block{i + 1}")
    return x


def transition_block(x: Any, reduction: float, name: str) -> Any:
    """Batch norm, ReLU, a 1x1 convolution to `reduction` of the channels
    and 2x2 average pooling."""
    x = _bn_relu(x, name)
    channels = int(x.shape[base_application.channel_axis()] * reduction)
    x = layers.Conv2D(channels, 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def conv_block(x: Any, growth_rate: int, name: str) -> Any:
    """A bottleneck (1x1, then 3x3 to `growth_rate` channels)
    concatenated to its input."""
    x1 = _bn_relu(x, f"{name}_0")
    x1 = layers.Conv2D(
        4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv"
    )(x1)
    x1 = _bn_relu(x1, f"{name}_1")
    x1 = layers.Conv2D(
        growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv"
    )(x1)
    axis = base_application.channel_axis()
    return layers.Concatenate(axis=axis, name=f"{name}_concat")([x, x1])


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Torch-style preprocessing (see `imagenet_utils.preprocess_input`)."""
    return imagenet_utils.preprocess_input(x, data_format, mode="torch")


def decode_predictions(preds: Any, top: int = 5) -> list:
    """See `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)


base_application.document((DenseNet121, DenseNet169, DenseNet201), 224, 32)
