"""The body of EfficientNetV2 (B0–B3, S, M, L): the block tables, the
scaling, the stem with its in-model preprocessing, the top, and the names
of Keras's ImageNet files."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from lamina import initializers, layers
from lamina.applications import imagenet_utils
from lamina.applications import weights as weights_lib
from lamina.applications.base_application import build, channel_axis
from lamina.applications.efficientnet_blocks import (
    DENSE_KERNEL_INITIALIZER,
    conv_bn,
)
from lamina.applications.efficientnet_v2_blocks import (
    fused_mbconv_block,
    mbconv_block,
)
from lamina.applications.family_utils import named_files, pool_features

if TYPE_CHECKING:
    from lamina.models import Functional

BASE_WEIGHTS_PATH = weights_lib.KERAS_WEIGHTS_ROOT + "efficientnet_v2/"
# (with top, without top) md5 of Keras's files, by variant.
WEIGHTS_HASHES = {
    "b0": (
        "21ecbf6da12460d5c40bb2f29ceb2188",
        "893217f2bb855e2983157299931e43ff",
    ),
    "b1": (
        "069f0534ff22adf035c89e2d9547a9dc",
        "0e80663031ca32d657f9caa404b6ec37",
    ),
    "b2": (
        "424e49f28180edbde1e94797771950a7",
        "1dfe2e7a5d45b6632553a8961ea609eb",
    ),
    "b3": (
        "1f1fc43bd98a6e4fd8fdfd551e02c7a0",
        "f6abf7b5849ac99a89b50dd3fd532856",
    ),
    "-s": (
        "e1d88a8495beba45748fedd0cecbe016",
        "af0682fb74e8c54910f2d4393339c070",
    ),
    "-m": (
        "a3bf6aa3276309f4fc6a34aa114c95cd",
        "1b8dc055df72dde80d614482840fe342",
    ),
    "-l": (
        "27e6d408b53c7ebc868fefa357689935",
        "b0b66b5c863aef5b46e8608fe1711615",
    ),
}

# One row per stage: kernel, repeats, filters in, filters out, expansion,
# squeeze-excite ratio, stride, fused (1) or not (0).
_B_STAGES = (
    (3, 1, 32, 16, 1, 0, 1, 1),
    (3, 2, 16, 32, 4, 0, 2, 1),
    (3, 2, 32, 48, 4, 0, 2, 1),
    (3, 3, 48, 96, 4, 0.25, 2, 0),
    (3, 5, 96, 112, 6, 0.25, 1, 0),
    (3, 8, 112, 192, 6, 0.25, 2, 0),
)
STAGES = {
    "b": _B_STAGES,
    "s": (
        (3, 2, 24, 24, 1, 0, 1, 1),
        (3, 4, 24, 48, 4, 0, 2, 1),
        (3, 4, 48, 64, 4, 0, 2, 1),
        (3, 6, 64, 128, 4, 0.25, 2, 0),
        (3, 9, 128, 160, 6, 0.25, 1, 0),
        (3, 15, 160, 256, 6, 0.25, 2, 0),
    ),
    "m": (
        (3, 3, 24, 24, 1, 0, 1, 1),
        (3, 5, 24, 48, 4, 0, 2, 1),
        (3, 5, 48, 80, 4, 0, 2, 1),
        (3, 7, 80, 160, 4, 0.25, 2, 0),
        (3, 14, 160, 176, 6, 0.25, 1, 0),
        (3, 18, 176, 304, 6, 0.25, 2, 0),
        (3, 5, 304, 512, 6, 0.25, 1, 0),
    ),
    "l": (
        (3, 4, 32, 32, 1, 0, 1, 1),
        (3, 7, 32, 64, 4, 0, 2, 1),
        (3, 7, 64, 96, 4, 0, 2, 1),
        (3, 10, 96, 192, 4, 0.25, 2, 0),
        (3, 19, 192, 224, 6, 0.25, 1, 0),
        (3, 25, 224, 384, 6, 0.25, 2, 0),
        (3, 7, 384, 640, 6, 0.25, 1, 0),
    ),
}


def round_filters(filters: float, width: float, divisor: int = 8) -> int:
    """`filters * width` rounded to a multiple of `divisor` (at least
    `divisor`; V2 has no 10% rule)."""
    filters *= width
    return int(max(divisor, int(filters + divisor / 2) // divisor * divisor))


def _preprocessing(x: Any, v1_style: bool) -> Any:
    # The B variants keep V1's ImageNet mean/std normalization when the
    # input has 3 channels; S, M and L scale to [-1, 1].
    if not (v1_style and x.shape[channel_axis()] == 3):
        return layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)
    x = layers.Rescaling(scale=1.0 / 255)(x)
    return layers.Normalization(
        mean=[0.485, 0.456, 0.406],
        variance=[0.229**2, 0.224**2, 0.225**2],
        axis=channel_axis(),
    )(x)


def _blocks(
    x: Any, stages: tuple, width: float, depth: float, activation: Any
) -> Any:
    total, b = float(sum(stage[1] for stage in stages)), 0
    for i, (
        kernel,
        repeats,
        f_in,
        f_out,
        expand,
        se,
        strides,
        fused,
    ) in enumerate(stages):
        f_in, f_out = round_filters(f_in, width), round_filters(f_out, width)
        block = fused_mbconv_block if fused else mbconv_block
        for j in range(int(math.ceil(depth * repeats))):
            spec = dict(
                input_filters=f_in if j == 0 else f_out,
                output_filters=f_out,
                expand_ratio=expand,
                kernel_size=kernel,
                strides=strides if j == 0 else 1,
                se_ratio=se,
                bn_momentum=0.9,
                activation=activation,
                fused=bool(fused),
                # Keras's schedule: 0.2 * index / number of table blocks.
                survival_probability=0.2 * b / total,
                name=f"block{i + 1}{chr(j + 97)}_",
            )
            x = block(x, spec)
            b += 1
    return x


def _top(x: Any, args: dict) -> Any:
    if not args["include_top"]:
        return pool_features(x, args["pooling"], "avg_pool", "max_pool")
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    x = layers.Dropout(0.2, name="top_dropout")(x)
    imagenet_utils.validate_activation(
        args["classifier_activation"], args["weights"]
    )
    return layers.Dense(
        args["classes"],
        activation=args["classifier_activation"],
        kernel_initializer=DENSE_KERNEL_INITIALIZER,
        bias_initializer=initializers.Constant(0.0),
        name="predictions",
    )(x)


def EfficientNetV2(
    width_coefficient: float,
    depth_coefficient: float,
    default_size: int,
    variant: str,
    args: dict,
    activation: Any = "swish",
) -> Functional:
    """The EfficientNetV2 `variant` (`"b0"`…`"b3"`, `"s"`, `"m"`, `"l"`)
    from a builder's arguments `args`."""
    stages = STAGES[variant[0]]

    def body(img_input):
        x = img_input
        if args["include_preprocessing"]:
            x = _preprocessing(x, variant.startswith("b"))
        x = conv_bn(
            x,
            round_filters(stages[0][2], width_coefficient),
            "stem",
            activation,
            kernel_size=3,
            strides=2,
            momentum=0.9,
        )
        x = _blocks(x, stages, width_coefficient, depth_coefficient, activation)
        return conv_bn(
            x,
            round_filters(1280, width_coefficient),
            "top",
            activation,
            momentum=0.9,
        )

    key = variant if variant.startswith("b") else "-" + variant
    files = named_files(args["name"], BASE_WEIGHTS_PATH, WEIGHTS_HASHES[key])
    return build(
        args,
        body,
        owner=f"EfficientNetV2{variant.upper()}",
        default_size=default_size,
        files=files,
        top=_top,
    )
