"""The body of ConvNeXt: the stem and downsampling blocks (nested
`Sequential` models, as in Keras), the ConvNeXt block, the head, and the
names of Keras's ImageNet files."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from lamina import config, layers
from lamina.applications import imagenet_utils
from lamina.applications import weights as weights_lib
from lamina.applications.base_application import build
from lamina.applications.family_utils import named_files, pool_features
from lamina.applications.layer_scale import LayerScale
from lamina.applications.stochastic_depth import StochasticDepth
from lamina.models import Sequential

if TYPE_CHECKING:
    from lamina.models import Functional

BASE_WEIGHTS_PATH = weights_lib.KERAS_WEIGHTS_ROOT + "convnext/"
# (with top, without top) sha256 of Keras's files, by variant.
WEIGHTS_HASHES = {
    "convnext_tiny": (
        "8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
        "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1",
    ),
    "convnext_small": (
        "ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c",
        "6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab",
    ),
    "convnext_base": (
        "52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6",
        "40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45",
    ),
    "convnext_large": (
        "070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6",
        "96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd",
    ),
    "convnext_xlarge": (
        "c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee",
        "de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05",
    ),
}
# Blocks per stage and channels per stage, by variant.
MODEL_CONFIGS = {
    "tiny": ((3, 3, 9, 3), (96, 192, 384, 768)),
    "small": ((3, 3, 27, 3), (96, 192, 384, 768)),
    "base": ((3, 3, 27, 3), (128, 256, 512, 1024)),
    "large": ((3, 3, 27, 3), (192, 384, 768, 1536)),
    "xlarge": ((3, 3, 27, 3), (256, 512, 1024, 2048)),
}


def convnext_block(
    x: Any, dim: int, drop_path_rate: float, layer_scale: Any, name: str
) -> Any:
    """Depthwise 7x7, layer norm, two point-wise `Dense` layers with GELU
    between (as in the paper's code), layer scale, residual."""
    inputs = x
    x = layers.Conv2D(
        filters=dim,
        kernel_size=7,
        padding="same",
        groups=dim,
        name=f"{name}_depthwise_conv",
    )(x)
    x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_layernorm")(x)
    x = layers.Dense(4 * dim, name=f"{name}_pointwise_conv_1")(x)
    x = layers.Activation("gelu", name=f"{name}_gelu")(x)
    x = layers.Dense(dim, name=f"{name}_pointwise_conv_2")(x)
    if layer_scale is not None:
        x = LayerScale(layer_scale, dim, name=f"{name}_layer_scale")(x)
    if drop_path_rate:
        last = StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")
    else:
        last = layers.Activation("linear", name=f"{name}_identity")
    return inputs + last(x)


def _downsampling(name: str, dims: tuple) -> list:
    """The stem (4x4 patches) and three 2x2 downsampling blocks."""
    stem = Sequential(
        [
            layers.Conv2D(
                dims[0], kernel_size=4, strides=4, name=f"{name}_stem_conv"
            ),
            layers.LayerNormalization(
                epsilon=1e-6, name=f"{name}_stem_layernorm"
            ),
        ],
        name=f"{name}_stem",
    )
    blocks = [stem]
    for i in range(3):
        norm = layers.LayerNormalization(
            epsilon=1e-6, name=f"{name}_downsampling_layernorm_{i}"
        )
        conv = layers.Conv2D(
            dims[i + 1],
            kernel_size=2,
            strides=2,
            name=f"{name}_downsampling_conv_{i}",
        )
        blocks.append(
            Sequential([norm, conv], name=f"{name}_downsampling_block_{i}")
        )
    return blocks


def _features(
    x: Any, args: dict, depths, dims, drop_path_rate, layer_scale
) -> Any:
    name = args["name"]
    if args["include_preprocessing"] and x.shape[-1] == 3:
        x = layers.Normalization(
            mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
            variance=[
                (0.229 * 255) ** 2,
                (0.224 * 255) ** 2,
                (0.225 * 255) ** 2,
            ],
            name=f"{name}_prestem_normalization",
        )(x)
    rates = [float(r) for r in np.linspace(0.0, drop_path_rate, sum(depths))]
    cur = 0
    for i, downsample in enumerate(_downsampling(name, dims)):
        x = downsample(x)
        for j in range(depths[i]):
            x = convnext_block(
                x,
                dims[i],
                rates[cur + j],
                layer_scale,
                f"{name}_stage_{i}_block_{j}",
            )
        cur += depths[i]
    return x


def _top(x: Any, args: dict) -> Any:
    if not args["include_top"]:
        x = pool_features(x, args["pooling"])
        return layers.LayerNormalization(epsilon=1e-6)(x)
    name = args["name"]
    imagenet_utils.validate_activation(
        args["classifier_activation"], args["weights"]
    )
    x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
    x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_head_layernorm")(
        x
    )
    return layers.Dense(
        args["classes"],
        activation=args["classifier_activation"],
        name=f"{name}_head_dense",
    )(x)


def ConvNeXt(
    variant: str,
    args: dict,
    drop_path_rate: float = 0.0,
    layer_scale_init_value: float | None = 1e-6,
    default_size: int = 224,
) -> Functional:
    """The ConvNeXt `variant` (`"tiny"` … `"xlarge"`) from a builder's
    arguments `args`."""
    weights_name = f"convnext_{variant}"
    _check(args, weights_name)
    depths, dims = MODEL_CONFIGS[variant]

    def body(img_input):
        return _features(
            img_input,
            args,
            depths,
            dims,
            drop_path_rate,
            layer_scale_init_value,
        )

    files = named_files(
        args["name"], BASE_WEIGHTS_PATH, WEIGHTS_HASHES[weights_name]
    )
    return build(
        args,
        body,
        owner="ConvNeXt"
        + {"xlarge": "XLarge"}.get(variant, variant.capitalize()),
        default_size=default_size,
        files=files,
        top=_top,
    )


def _check(args: dict, weights_name: str) -> None:
    if config.image_data_format() == "channels_first":
        raise ValueError(
            "ConvNeXt does not support the `channels_first` image data "
            "format. Switch to `channels_last` with "
            "`lamina.config.set_image_data_format('channels_last')`."
        )
    if args["weights"] == "imagenet" and weights_name not in args["name"]:
        raise ValueError(
            f'Model name "{args["name"]}" does not match weights variant '
            f'"{weights_name}". When using imagenet weights, model name '
            f'must contain the weights variant (e.g., "{weights_name}").'
        )
