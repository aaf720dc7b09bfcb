"""MobileNetV2 (Keras's `keras.applications.mobilenet_v2`): inverted
residual blocks with linear bottlenecks, scaled by the width multiplier
`alpha`.

Inputs are scaled to [-1, 1] (`preprocess_input`).

Reference: [MobileNetV2: Inverted Residuals and Linear Bottlenecks](
https://arxiv.org/abs/1801.04381).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lamina import config, layers
from lamina.applications import base_application, imagenet_utils
from lamina.applications import weights as weights_lib
from lamina.applications.mobilenet import _input_shape, _rows
from lamina.typing import ActivationLike

if TYPE_CHECKING:
    from lamina.models import Functional

_SIDES = (96, 128, 160, 192, 224)  # input sides Keras publishes weights for
_ALPHAS = (0.35, 0.5, 0.75, 1.0, 1.3, 1.4)
# (filters, stride, expansion) of the 17 inverted residual blocks.
_BLOCKS = ((16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6))
_BLOCKS += ((32, 1, 6), (64, 2, 6)) + ((64, 1, 6),) * 3 + ((96, 1, 6),) * 3
_BLOCKS += ((160, 2, 6), (160, 1, 6), (160, 1, 6), (320, 1, 6))


def MobileNetV2(
    input_shape: tuple | None = None,
    alpha: float = 1.0,
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str | None = None,
) -> Functional:
    """Instantiate the MobileNetV2 architecture.

    Args (besides the shared ones below):
        alpha: the width multiplier: each layer has `alpha` times the
            filters (ImageNet weights: 0.35, 0.5, 0.75, 1.0, 1.3 or 1.4).
        name: the model's name (default `mobilenetv2_{alpha:.2f}_{rows}`).
    """
    args = locals()
    weights_lib.check_weights(weights, include_top, classes, "MobileNetV2")
    given = _given_shape(input_shape, input_tensor)
    input_shape = _input_shape(input_shape, given, args, _SIDES)
    if weights == "imagenet" and alpha not in _ALPHAS:
        raise ValueError(
            "If imagenet weights are being loaded, alpha must be one of "
            "`0.35`, `0.50`, `0.75`, `1.0`, `1.3` or `1.4` only (or pass "
            f"`weights=None`); Received `alpha={alpha}`"
        )
    rows = _rows(input_shape, weights, _SIDES)
    img_input = base_application.image_input(input_tensor, input_shape)
    x = _body(img_input, alpha)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        x = base_application.classifier(x, args)
    else:
        x = base_application.unnamed_pooled_top(x, args)
    name = name or f"mobilenetv2_{alpha:0.2f}_{rows}"
    return base_application.build_model(
        input_tensor,
        img_input,
        x,
        name,
        weights,
        _file(alpha, rows, include_top),
    )


def _file(alpha: float, rows: int, include_top: bool) -> tuple:
    # Keras publishes no hashes for these files.
    suffix = "" if include_top else "_no_top"
    file_name = (
        "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_"
        f"{float(alpha)}_{rows}{suffix}.h5"
    )
    return base_application.weights_file("mobilenet_v2", file_name, None)


def _given_shape(input_shape: Any, input_tensor: Any) -> Any:
    """The shape that picks the default side: `input_shape`, else that of
    a symbolic `input_tensor` (checked against each other as Keras
    does)."""
    from lamina.utils.graph_utils import is_keras_tensor

    if input_tensor is None:
        return input_shape
    if input_shape is not None:
        if not is_keras_tensor(input_tensor):
            raise ValueError(
                "input_tensor is not a Keras tensor (a `lamina.Input`); "
                f"Received `input_tensor={input_tensor}`"
            )
        first = 1 if config.image_data_format() == "channels_first" else 2
        if input_tensor.shape[first] != input_shape[1]:
            raise ValueError(
                f"input_tensor.shape[{first}] must equal input_shape[1]; "
                f"Received `input_tensor.shape={input_tensor.shape}`, "
                f"`input_shape={input_shape}`"
            )
        return input_shape
    if is_keras_tensor(input_tensor):
        return tuple(input_tensor.shape[1:])
    return None


def _make_divisible(
    v: float, divisor: int, min_value: int | None = None
) -> int:
    """`v` rounded to a multiple of `divisor`, never below 90% of `v`."""
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


def _bn(x: Any, name: str) -> Any:
    axis = base_application.channel_axis()
    return layers.BatchNormalization(
        axis=axis, epsilon=1e-3, momentum=0.999, name=name
    )(x)


def _body(x: Any, alpha: float) -> Any:
    x = layers.Conv2D(
        _make_divisible(32 * alpha, 8),
        kernel_size=3,
        strides=(2, 2),
        padding="same",
        use_bias=False,
        name="Conv1",
    )(x)
    x = layers.ReLU(6.0, name="Conv1_relu")(_bn(x, "bn_Conv1"))
    for block_id, (filters, stride, expansion) in enumerate(_BLOCKS):
        x = _inverted_res_block(x, expansion, stride, alpha, filters, block_id)
    last = _make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last, kernel_size=1, use_bias=False, name="Conv_1")(x)
    return layers.ReLU(6.0, name="out_relu")(_bn(x, "Conv_1_bn"))


def _inverted_res_block(x, expansion, stride, alpha, filters, block_id):
    """1x1 expansion (not in block 0), 3x3 depthwise, linear 1x1
    projection; added to the input when the shapes allow."""
    inputs = x
    in_channels = x.shape[base_application.channel_axis()]
    pointwise_filters = _make_divisible(int(filters * alpha), 8)
    prefix = f"block_{block_id}_" if block_id else "expanded_conv_"
    if block_id:
        x = layers.Conv2D(
            expansion * in_channels,
            kernel_size=1,
            padding="same",
            use_bias=False,
            name=f"{prefix}expand",
        )(x)
        x = layers.ReLU(6.0, name=f"{prefix}expand_relu")(
            _bn(x, f"{prefix}expand_BN")
        )
    if stride == 2:
        padding = imagenet_utils.correct_pad(x, 3)
        x = layers.ZeroPadding2D(padding=padding, name=f"{prefix}pad")(x)
    x = layers.DepthwiseConv2D(
        kernel_size=3,
        strides=stride,
        use_bias=False,
        padding="same" if stride == 1 else "valid",
        name=f"{prefix}depthwise",
    )(x)
    x = layers.ReLU(6.0, name=f"{prefix}depthwise_relu")(
        _bn(x, f"{prefix}depthwise_BN")
    )
    x = layers.Conv2D(
        pointwise_filters,
        kernel_size=1,
        padding="same",
        use_bias=False,
        name=f"{prefix}project",
    )(x)
    x = _bn(x, f"{prefix}project_BN")
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=f"{prefix}add")([inputs, x])
    return x


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scale to [-1, 1] (see `imagenet_utils.preprocess_input`)."""
    return imagenet_utils.preprocess_input(x, data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list:
    """See `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)


base_application.document((MobileNetV2,), 224, 32)
