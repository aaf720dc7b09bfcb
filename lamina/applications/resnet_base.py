"""The ResNet and ResNetV2 networks (Keras's `resnet.ResNet`): the stem,
the stacks of residual blocks and the top, with Keras's layer names.

Reference: [Deep Residual Learning for Image Recognition](
https://arxiv.org/abs/1512.03385) and [Identity Mappings in Deep Residual
Networks](https://arxiv.org/abs/1603.05027).
"""

from __future__ import annotations

from typing import Any

from lamina import layers
from lamina.applications import base_application

_EPSILON = 1.001e-5

# Keras's published files: (with top, without top) hashes by weights name.
WEIGHTS_HASHES = {
    "resnet50": (
        "2cb95161c43110f7111970584f804107",
        "4d473c1dd8becc155b73f8504c6f6626",
    ),
    "resnet101": (
        "f1aeb4b969a6efcfb50fad2f0c20cfc5",
        "88cf7a10940856eca736dc7b7e228a21",
    ),
    "resnet152": (
        "100835be76be38e30d865e96f2aaae62",
        "ee4c566cf9a93f14d82f913c2dc6dd0c",
    ),
    "resnet50v2": (
        "3ef43a0b657b3be2300d5770ece849e0",
        "fac2f116257151a9d068a22e544a4917",
    ),
    "resnet101v2": (
        "6343647c601c52e1368623803854d971",
        "c0ed64b8031c3730f411d2eb4eea35b5",
    ),
    "resnet152v2": (
        "a49b44d1979771252814e80f8ec446f9",
        "ed17cf2e0169df9d443503ef94b23b33",
    ),
}


def resnet(
    args: dict, blocks: tuple, preact: bool, weights_name: str, owner: str
) -> Any:
    """A ResNet (`preact=False`) or ResNetV2 (`preact=True`) with
    `blocks` residual blocks in each of its four stages."""

    def body(x):
        x = _stem(x, preact)
        stack = stack_v2 if preact else stack_v1
        for stage, (filters, count) in enumerate(
            zip((64, 128, 256, 512), blocks)
        ):
            x = stack(
                x, filters, count, _stride(stage, preact), f"conv{stage + 2}"
            )
        if preact:
            x = _bn(x, "post_bn")
            x = layers.Activation("relu", name="post_relu")(x)
        return x

    top_hash, notop_hash = WEIGHTS_HASHES[weights_name]
    stem = f"{weights_name}_weights_tf_dim_ordering_tf_kernels"
    files = (
        base_application.weights_file("resnet", f"{stem}.h5", top_hash),
        base_application.weights_file("resnet", f"{stem}_notop.h5", notop_hash),
    )
    return base_application.build(args, body, owner=owner, files=files)


def _stride(stage: int, preact: bool) -> int:
    # V1 strides in the first block of stages 3-5; V2 in the last block
    # of stages 2-4.
    if preact:
        return 1 if stage == 3 else 2
    return 1 if stage == 0 else 2


def _bn(x: Any, name: str) -> Any:
    axis = base_application.channel_axis()
    return layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name=name)(x)


def _stem(x: Any, preact: bool) -> Any:
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(x)
    x = layers.Conv2D(64, 7, strides=2, use_bias=True, name="conv1_conv")(x)
    if not preact:
        x = _bn(x, "conv1_bn")
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    return layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)


def block_v1(
    x: Any,
    filters: int,
    stride: int = 1,
    conv_shortcut: bool = True,
    name: str = "",
) -> Any:
    """A bottleneck block: 1x1, 3x3 and 1x1 (4 * `filters`) convolutions
    added to the input (or to its 1x1 projection), then ReLU."""
    shortcut = x
    if conv_shortcut:
        shortcut = layers.Conv2D(
            4 * filters, 1, strides=stride, name=f"{name}_0_conv"
        )(x)
        shortcut = _bn(shortcut, f"{name}_0_bn")
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = _bn(x, f"{name}_1_bn")
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.Conv2D(filters, 3, padding="same", name=f"{name}_2_conv")(x)
    x = _bn(x, f"{name}_2_bn")
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    x = _bn(x, f"{name}_3_bn")
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def stack_v1(x: Any, filters: int, blocks: int, stride1: int, name: str) -> Any:
    """`blocks` V1 blocks; the first projects and strides by `stride1`."""
    x = block_v1(x, filters, stride=stride1, name=f"{name}_block1")
    for i in range(2, blocks + 1):
        x = block_v1(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def block_v2(
    x: Any,
    filters: int,
    stride: int = 1,
    conv_shortcut: bool = False,
    name: str = "",
) -> Any:
    """A pre-activation bottleneck block: BN and ReLU first, then 1x1, 3x3
    (strided) and 1x1 convolutions added to the shortcut."""
    preact = _bn(x, f"{name}_preact_bn")
    preact = layers.Activation("relu", name=f"{name}_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(
            4 * filters, 1, strides=stride, name=f"{name}_0_conv"
        )(preact)
    else:
        # Keras leaves this subsampling layer unnamed.
        shortcut = (
            layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
        )
    x = layers.Conv2D(filters, 1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = _bn(x, f"{name}_1_bn")
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = layers.Conv2D(
        filters, 3, strides=stride, use_bias=False, name=f"{name}_2_conv"
    )(x)
    x = _bn(x, f"{name}_2_bn")
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return layers.Add(name=f"{name}_out")([shortcut, x])


def stack_v2(x: Any, filters: int, blocks: int, stride1: int, name: str) -> Any:
    """`blocks` V2 blocks; the first projects, the last strides by
    `stride1`."""
    x = block_v2(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for i in range(2, blocks):
        x = block_v2(x, filters, name=f"{name}_block{i}")
    return block_v2(x, filters, stride=stride1, name=f"{name}_block{blocks}")
