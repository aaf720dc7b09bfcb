"""MobileNet (Keras's `keras.applications.mobilenet`): depthwise separable
convolutions, scaled by the width multiplier `alpha` and the depth
multiplier `depth_multiplier`.

Inputs are scaled to [-1, 1] (`preprocess_input`).

Reference: [MobileNets: Efficient Convolutional Neural Networks for
Mobile Vision Applications](https://arxiv.org/abs/1704.04861).
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from lamina import config, layers
from lamina.applications import base_application, imagenet_utils
from lamina.applications import weights as weights_lib
from lamina.typing import ActivationLike

if TYPE_CHECKING:
    from lamina.models import Functional

_SIDES = (128, 160, 192, 224)  # input sides Keras publishes weights for
# (pointwise filters, stride) of the 13 depthwise separable blocks.
_BLOCKS = ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2))
_BLOCKS += ((512, 1),) * 5 + ((1024, 2), (1024, 1))


def MobileNet(
    input_shape: tuple | None = None,
    alpha: float = 1.0,
    depth_multiplier: int = 1,
    dropout: float = 1e-3,
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str | None = None,
) -> Functional:
    """Instantiate the MobileNet architecture.

    Args (besides the shared ones below):
        alpha: the width multiplier: each layer has `alpha` times the
            filters (ImageNet weights: 0.25, 0.5, 0.75 or 1.0).
        depth_multiplier: the depthwise convolutions' multiplier (1 with
            ImageNet weights).
        dropout: the dropout rate before the classifier.
        name: the model's name (default `mobilenet_{alpha:.2f}_{rows}`).
    """
    args = locals()
    weights_lib.check_weights(weights, include_top, classes, "MobileNet")
    input_shape = _input_shape(input_shape, input_shape, args, _SIDES)
    if weights == "imagenet":
        _check_pretrained(alpha, depth_multiplier)
    rows = _rows(input_shape, weights, _SIDES)
    img_input = base_application.image_input(input_tensor, input_shape)
    x = _body(img_input, alpha, depth_multiplier)
    x = (
        _top(x, args)
        if include_top
        else base_application.unnamed_pooled_top(x, args)
    )
    name = name or f"mobilenet_{alpha:0.2f}_{rows}"
    return base_application.build_model(
        input_tensor,
        img_input,
        x,
        name,
        weights,
        _file(alpha, rows, include_top),
    )


def _input_shape(input_shape: Any, given: Any, args: dict, sides: tuple):
    """Keras's checked input shape; its default side is that of `given`
    when square and in `sides`."""
    return imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=_default_size(given, sides),
        min_size=32,
        data_format=config.image_data_format(),
        require_flatten=args["include_top"],
        weights=args["weights"],
    )


def _default_size(input_shape: Any, sides: tuple) -> int:
    """The input's side when it is square and published, else 224."""
    if input_shape is None:
        return 224
    rows, cols = _sides(input_shape)
    return rows if rows == cols and rows in sides else 224


def _sides(input_shape: tuple) -> tuple:
    if config.image_data_format() == "channels_first":
        return input_shape[1], input_shape[2]
    return input_shape[0], input_shape[1]


def _rows(input_shape: tuple, weights: Any, sides: tuple) -> Any:
    """The side the model is named after (and, with ImageNet weights, the
    side of the file loaded: 224 when the input's has none)."""
    rows, cols = _sides(input_shape)
    if weights == "imagenet" and (rows != cols or rows not in sides):
        warnings.warn(
            "`input_shape` is undefined or non-square, or `rows` is not in "
            f"{list(sides)}. Weights for input shape (224, 224) will be "
            "loaded as the default.",
            stacklevel=3,
        )
        return 224
    return rows


def _check_pretrained(alpha: float, depth_multiplier: int) -> None:
    if depth_multiplier != 1:
        raise ValueError(
            "If imagenet weights are being loaded, depth multiplier must be "
            f"1 (or pass `weights=None`).  Received "
            f"depth_multiplier={depth_multiplier}"
        )
    if alpha not in [0.25, 0.5, 0.75, 1.0]:
        raise ValueError(
            "If imagenet weights are being loaded, alpha can be one of "
            "`0.25`, `0.50`, `0.75` or `1.0` only (or pass `weights=None`).  "
            f"Received alpha={alpha}"
        )


def _file(alpha: float, rows: int, include_top: bool) -> tuple:
    # Keras publishes no hashes for these files.
    alpha_text = {1.0: "1_0", 0.75: "7_5", 0.5: "5_0"}.get(alpha, "2_5")
    suffix = "tf" if include_top else "tf_no_top"
    file_name = f"mobilenet_{alpha_text}_{rows}_{suffix}.h5"
    return base_application.weights_file("mobilenet", file_name, None)


def _body(x: Any, alpha: float, depth_multiplier: int) -> Any:
    axis = base_application.channel_axis()
    x = layers.Conv2D(
        int(32 * alpha),
        (3, 3),
        padding="same",
        use_bias=False,
        strides=2,
        name="conv1",
    )(x)
    x = layers.BatchNormalization(axis=axis, name="conv1_bn")(x)
    x = layers.ReLU(6.0, name="conv1_relu")(x)
    for block_id, (filters, stride) in enumerate(_BLOCKS, start=1):
        x = _depthwise_conv_block(
            x, int(filters * alpha), depth_multiplier, stride, block_id
        )
    return x


def _depthwise_conv_block(
    x: Any, filters: int, depth_multiplier: int, stride: int, block_id: int
) -> Any:
    """3x3 depthwise and 1x1 pointwise convolutions, each followed by batch
    norm and ReLU6; strided blocks pad only the bottom and right."""
    axis = base_application.channel_axis()
    if stride != 1:
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(
            x
        )
    x = layers.DepthwiseConv2D(
        (3, 3),
        padding="same" if stride == 1 else "valid",
        depth_multiplier=depth_multiplier,
        strides=stride,
        use_bias=False,
        name=f"conv_dw_{block_id}",
    )(x)
    x = layers.BatchNormalization(axis=axis, name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(
        filters,
        (1, 1),
        padding="same",
        use_bias=False,
        name=f"conv_pw_{block_id}",
    )(x)
    x = layers.BatchNormalization(axis=axis, name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def _top(x: Any, args: dict) -> Any:
    """Keras's convolutional classifier: pooling that keeps the spatial
    axes, dropout, a 1x1 convolution to `classes`, reshape, activation."""
    classes, activation = args["classes"], args["classifier_activation"]
    x = layers.GlobalAveragePooling2D(keepdims=True)(x)
    x = layers.Dropout(args["dropout"], name="dropout")(x)
    x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
    x = layers.Reshape((classes,), name="reshape_2")(x)
    imagenet_utils.validate_activation(activation, args["weights"])
    return layers.Activation(activation=activation, name="predictions")(x)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scale to [-1, 1] (see `imagenet_utils.preprocess_input`)."""
    return imagenet_utils.preprocess_input(x, data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list:
    """See `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)


base_application.document((MobileNet,), 224, 32)
