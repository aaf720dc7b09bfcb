"""The body of EfficientNet B0–B7: the block table, the width and depth
scaling, the stem (with its in-model preprocessing), the top, and the
names of Keras's ImageNet files."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from lamina import layers
from lamina.applications import imagenet_utils
from lamina.applications.base_application import build, channel_axis
from lamina.applications.efficientnet_blocks import (
    DENSE_KERNEL_INITIALIZER,
    conv_bn,
    mb_block,
)
from lamina.applications.family_utils import named_files, pool_features

if TYPE_CHECKING:
    from lamina.models import Functional

# EfficientNet's files live in another bucket than the other applications.
BASE_WEIGHTS_PATH = "https://storage.googleapis.com/keras-applications/"
# (with top, without top) md5 of Keras's files, by variant.
WEIGHTS_HASHES = {
    "b0": (
        "902e53a9f72be733fc0bcb005b3ebbac",
        "50bc09e76180e00e4465e1a485ddc09d",
    ),
    "b1": (
        "1d254153d4ab51201f1646940f018540",
        "74c4e6b3e1f6a1eea24c589628592432",
    ),
    "b2": (
        "b15cce36ff4dcbd00b6dd88e7857a6ad",
        "111f8e2ac8aa800a7a99e3239f7bfb39",
    ),
    "b3": (
        "ffd1fdc53d0ce67064dc6a9c7960ede0",
        "af6d107764bb5b1abb91932881670226",
    ),
    "b4": (
        "18c95ad55216b8f92d7e70b3a046e2fc",
        "ebc24e6d6c33eaebbd558eafbeedf1ba",
    ),
    "b5": (
        "ace28f2a6363774853a83a0b21b9421a",
        "38879255a25d3c92d5e44e04ae6cec6f",
    ),
    "b6": (
        "165f6e37dce68623721b423839de8be5",
        "9ecce42647a20130c1f39a5d4cb75743",
    ),
    "b7": (
        "8c03f828fec3ef71311cd463b6759d99",
        "cbcfe4450ddf6f3ad90b1b398090fe4a",
    ),
}

# One row per stage of B0: kernel, repeats, filters in, filters out,
# expansion, stride (every block has squeeze-excite 0.25 and an id skip).
STAGES = (
    (3, 1, 32, 16, 1, 1),
    (3, 2, 16, 24, 6, 2),
    (5, 2, 24, 40, 6, 2),
    (3, 3, 40, 80, 6, 2),
    (5, 3, 80, 112, 6, 1),
    (5, 4, 112, 192, 6, 2),
    (3, 1, 192, 320, 6, 1),
)
IMAGENET_STDDEV_RGB = (0.229, 0.224, 0.225)


def round_filters(filters: float, width: float, divisor: int = 8) -> int:
    """`filters * width` rounded to a multiple of `divisor`, never more
    than 10% below."""
    filters *= width
    new_filters = max(divisor, int(filters + divisor / 2) // divisor * divisor)
    if new_filters < 0.9 * filters:
        new_filters += divisor
    return int(new_filters)


def _stem(x: Any, width: float, activation: Any, weights: Any) -> Any:
    x = layers.Rescaling(1.0 / 255.0)(x)
    x = layers.Normalization(axis=channel_axis())(x)
    if weights == "imagenet":
        # The ImageNet files hold the squared standard deviation as the
        # normalization's variance (the original divided by the variance,
        # tensorflow/tensorflow#49930): divide by its root once more.
        x = layers.Rescaling([1.0 / math.sqrt(s) for s in IMAGENET_STDDEV_RGB])(
            x
        )
    x = layers.ZeroPadding2D(
        padding=imagenet_utils.correct_pad(x, 3), name="stem_conv_pad"
    )(x)
    return conv_bn(
        x,
        round_filters(32, width),
        "stem",
        activation,
        kernel_size=3,
        strides=2,
        padding="valid",
    )


def _blocks(
    x: Any,
    width: float,
    depth: float,
    activation: Any,
    drop_connect_rate: float,
) -> Any:
    repeats = [int(math.ceil(depth * stage[1])) for stage in STAGES]
    total, b = float(sum(repeats)), 0
    for i, (kernel, _, f_in, f_out, expand, strides) in enumerate(STAGES):
        f_in, f_out = round_filters(f_in, width), round_filters(f_out, width)
        for j in range(repeats[i]):
            x = mb_block(
                x,
                activation,
                drop_connect_rate * b / total,
                name=f"block{i + 1}{chr(j + 97)}_",
                filters_in=f_in if j == 0 else f_out,
                filters_out=f_out,
                kernel_size=kernel,
                strides=strides if j == 0 else 1,
                expand_ratio=expand,
                se_ratio=0.25,
                id_skip=True,
            )
            b += 1
    return x


def _top(x: Any, args: dict, dropout_rate: float) -> Any:
    if not args["include_top"]:
        return pool_features(x, args["pooling"], "avg_pool", "max_pool")
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    if dropout_rate > 0:
        x = layers.Dropout(dropout_rate, name="top_dropout")(x)
    imagenet_utils.validate_activation(
        args["classifier_activation"], args["weights"]
    )
    return layers.Dense(
        args["classes"],
        activation=args["classifier_activation"],
        kernel_initializer=DENSE_KERNEL_INITIALIZER,
        name="predictions",
    )(x)


def EfficientNet(
    width_coefficient: float,
    depth_coefficient: float,
    default_size: int,
    dropout_rate: float,
    weights_name: str,
    args: dict,
    drop_connect_rate: float = 0.2,
    activation: Any = "swish",
) -> Functional:
    """The EfficientNet scaled by `width_coefficient` and
    `depth_coefficient`, from a builder's arguments `args`."""

    def body(img_input):
        x = _stem(img_input, width_coefficient, activation, args["weights"])
        x = _blocks(
            x,
            width_coefficient,
            depth_coefficient,
            activation,
            drop_connect_rate,
        )
        return conv_bn(
            x, round_filters(1280, width_coefficient), "top", activation
        )

    hashes = WEIGHTS_HASHES[weights_name]
    files = named_files(args["name"], BASE_WEIGHTS_PATH, hashes)
    return build(
        args,
        body,
        owner=f"EfficientNet{weights_name.upper()}",
        default_size=default_size,
        files=files,
        top=lambda x, a: _top(x, a, dropout_rate),
    )
