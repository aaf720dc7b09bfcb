"""The body of MobileNetV3 shared by `MobileNetV3Small` and
`MobileNetV3Large`: Keras's argument checks, the stem, the block tables,
the top, and the names of Keras's ImageNet files."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from lamina import config, layers
from lamina.applications import imagenet_utils
from lamina.applications import weights as weights_lib
from lamina.applications.base_application import (
    build_model,
    channel_axis,
    image_input,
)
from lamina.applications.family_utils import pool_features
from lamina.applications.mobilenet_v3_blocks import (
    batch_norm,
    hard_swish,
    inverted_res_block,
    make_divisible,
    relu,
)

if TYPE_CHECKING:
    from lamina.models import Functional

BASE_WEIGHT_PATH = weights_lib.KERAS_WEIGHTS_ROOT + "mobilenet_v3/"
# (with top, without top) md5 of Keras's files, by model name.
WEIGHTS_HASHES = {
    "large_224_0.75_float": (
        "765b44a33ad4005b3ac83185abf1d0eb",
        "40af19a13ebea4e2ee0c676887f69a2e",
    ),
    "large_224_1.0_float": (
        "59e551e166be033d707958cf9e29a6a7",
        "07fb09a5933dd0c8eaafa16978110389",
    ),
    "large_minimalistic_224_1.0_float": (
        "675e7b876c45c57e9e63e6d90a36599c",
        "ec5221f64a2f6d1ef965a614bdae7973",
    ),
    "small_224_0.75_float": (
        "cb65d4e5be93758266aa0a7f2c6708b7",
        "ebdb5cc8e0b497cd13a7c275d475c819",
    ),
    "small_224_1.0_float": (
        "8768d4c2e7dee89b9d02b2d03d65d862",
        "d3e8ec802a04aa4fc771ee12a9a9b836",
    ),
    "small_minimalistic_224_1.0_float": (
        "99cd97fb2fcdad2bf028eb838de69e37",
        "cde8136e733e811080d9fcd8a252f7e4",
    ),
}

# Rows of (expansion, filters, kernel, stride, squeeze-excite, activation):
# "k" is the kernel of the variant (5, or 3 if minimalistic), "se" its
# squeeze-excite ratio and "act" its activation (hard-swish or ReLU).
SMALL_STACK = (
    (1, 16, 3, 2, "se", "relu"),
    (72.0 / 16, 24, 3, 2, None, "relu"),
    (88.0 / 24, 24, 3, 1, None, "relu"),
    (4, 40, "k", 2, "se", "act"),
    (6, 40, "k", 1, "se", "act"),
    (6, 40, "k", 1, "se", "act"),
    (3, 48, "k", 1, "se", "act"),
    (3, 48, "k", 1, "se", "act"),
    (6, 96, "k", 2, "se", "act"),
    (6, 96, "k", 1, "se", "act"),
    (6, 96, "k", 1, "se", "act"),
)
LARGE_STACK = (
    (1, 16, 3, 1, None, "relu"),
    (4, 24, 3, 2, None, "relu"),
    (3, 24, 3, 1, None, "relu"),
    (3, 40, "k", 2, "se", "relu"),
    (3, 40, "k", 1, "se", "relu"),
    (3, 40, "k", 1, "se", "relu"),
    (6, 80, 3, 2, None, "act"),
    (2.5, 80, 3, 1, None, "act"),
    (2.3, 80, 3, 1, None, "act"),
    (2.3, 80, 3, 1, None, "act"),
    (6, 112, 3, 1, "se", "act"),
    (6, 112, 3, 1, "se", "act"),
    (6, 160, "k", 2, "se", "act"),
    (6, 160, "k", 1, "se", "act"),
    (6, 160, "k", 1, "se", "act"),
)


def _check_arguments(args: dict) -> tuple:
    """Keras's checks, and the input shape they settle on."""
    input_shape, input_tensor = args["input_shape"], args["input_tensor"]
    weights, alpha = args["weights"], args["alpha"]
    weights_lib.check_weights(
        weights, args["include_top"], args["classes"], "MobileNetV3"
    )
    channels_last = config.image_data_format() == "channels_last"
    if input_shape is not None and input_tensor is not None:
        side = input_tensor.shape[2 if channels_last else 1]
        if side != input_shape[1]:
            raise ValueError(
                "MobileNetV3: `input_shape[1]` must equal the matching side "
                f"of `input_tensor`. Received: input_shape={input_shape}, "
                f"input_tensor.shape={tuple(input_tensor.shape)}"
            )
    if input_shape is None and input_tensor is not None:
        first = 1 if channels_last else 2
        rows, cols = input_tensor.shape[first : first + 2]
        input_shape = (rows, cols, 3) if channels_last else (3, rows, cols)
    if input_shape is None:
        input_shape = (None, None, 3) if channels_last else (3, None, None)
    rows, cols = input_shape[0:2] if channels_last else input_shape[1:3]
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError(
            "Input size must be at least 32x32; Received "
            f"`input_shape={input_shape}`"
        )
    if weights == "imagenet":
        if alpha not in ((1.0,) if args["minimalistic"] else (0.75, 1.0)):
            raise ValueError(
                "If imagenet weights are being loaded, alpha can be one of "
                "`0.75`, `1.0` for non minimalistic or `1.0` for "
                f"minimalistic only. Received: alpha={alpha}, "
                f"minimalistic={args['minimalistic']}"
            )
        if rows != cols or rows != 224:
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not "
                "224. Weights for input shape (224, 224) will be loaded as "
                "the default.",
                stacklevel=4,
            )
    return input_shape


def _features(x, rows, args: dict, activation):
    """Rescaling, stem, the inverted residual blocks, the last 1x1."""
    alpha = args["alpha"]
    kernel, se_ratio = (3, None) if args["minimalistic"] else (5, 0.25)
    if args["include_preprocessing"]:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(
        16,
        kernel_size=3,
        strides=(2, 2),
        padding="same",
        use_bias=False,
        name="conv",
    )(x)
    x = activation(batch_norm(x, "conv_bn"))
    for block_id, (expansion, filters, k, stride, se, act) in enumerate(rows):
        x = inverted_res_block(
            x,
            expansion,
            make_divisible(filters * alpha),
            kernel if k == "k" else k,
            stride,
            se_ratio if se else None,
            activation if act == "act" else relu,
            block_id,
        )
    x = layers.Conv2D(
        make_divisible(x.shape[channel_axis()] * 6),
        kernel_size=1,
        padding="same",
        use_bias=False,
        name="conv_1",
    )(x)
    return activation(batch_norm(x, "conv_1_bn"))


def _top(x, last_point_ch: int, args: dict, activation):
    if not args["include_top"]:
        return pool_features(x, args["pooling"], "avg_pool", "max_pool")
    if args["alpha"] > 1.0:
        # A width multiplier above 1 widens the last point-wise layer too.
        last_point_ch = make_divisible(last_point_ch * args["alpha"])
    x = layers.GlobalAveragePooling2D(keepdims=True)(x)
    x = layers.Conv2D(
        last_point_ch,
        kernel_size=1,
        padding="same",
        use_bias=True,
        name="conv_2",
    )(x)
    x = activation(x)
    if args["dropout_rate"] > 0:
        x = layers.Dropout(args["dropout_rate"])(x)
    x = layers.Conv2D(
        args["classes"], kernel_size=1, padding="same", name="logits"
    )(x)
    x = layers.Flatten()(x)
    activation = args["classifier_activation"]
    imagenet_utils.validate_activation(activation, args["weights"])
    return layers.Activation(activation=activation, name="predictions")(x)


def weights_file(model_type: str, args: dict) -> tuple:
    """`(file name, URL, md5)` of Keras's ImageNet file for `args`."""
    model_name = "{}{}_224_{}_float".format(
        model_type,
        "_minimalistic" if args["minimalistic"] else "",
        str(args["alpha"]),
    )
    top = args["include_top"]
    suffix = ".h5" if top else "_no_top_v2.h5"
    file_name = f"weights_mobilenet_v3_{model_name}{suffix}"
    digest = WEIGHTS_HASHES[model_name][0 if top else 1]
    return (file_name, BASE_WEIGHT_PATH + file_name, digest)


def MobileNetV3(
    rows: int, last_point_ch: int, model_type: str, args: dict
) -> Functional:
    """The MobileNetV3 of the block table `rows` from a builder's
    arguments `args` (the Small and Large builders' shared body)."""
    input_shape = _check_arguments(args)
    img_input = image_input(args["input_tensor"], input_shape)
    activation = relu if args["minimalistic"] else hard_swish
    x = _features(img_input, rows, args, activation)
    x = _top(x, last_point_ch, args, activation)
    weights = args["weights"]
    files = weights_file(model_type, args) if weights == "imagenet" else None
    return build_model(
        args["input_tensor"], img_input, x, args["name"], weights, files
    )
