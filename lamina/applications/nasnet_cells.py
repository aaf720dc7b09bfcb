"""The cells of NASNet-A: the normal and reduction cells, the separable
convolution block they are made of, and the block that fits the previous
cell's output to the current one. Layers are named (or left unnamed) as
in Keras, so Keras's weight files load into them."""

from __future__ import annotations

from typing import Any

from lamina import layers
from lamina.applications import imagenet_utils


def _bn(x: Any, name: str) -> Any:
    return layers.BatchNormalization(
        axis=-1, momentum=0.9997, epsilon=1e-3, name=name
    )(x)


def _conv1x1(x: Any, filters: int, name: str, **kwargs) -> Any:
    return layers.Conv2D(
        filters,
        (1, 1),
        padding="same",
        use_bias=False,
        kernel_initializer="he_normal",
        name=name,
        **kwargs,
    )(x)


def separable_conv_block(
    ip: Any,
    filters: int,
    kernel_size: int | tuple = (3, 3),
    strides: int | tuple = (1, 1),
    block_id: str = "",
) -> Any:
    """Two ReLU → separable convolution → batch norm stages; the first
    may stride (after Keras's TF-style corrective padding)."""
    x = layers.Activation("relu")(ip)
    conv_pad = "same"
    if strides == (2, 2):
        x = layers.ZeroPadding2D(
            padding=imagenet_utils.correct_pad(x, kernel_size),
            name=f"separable_conv_1_pad_{block_id}",
        )(x)
        conv_pad = "valid"
    for stage in (1, 2):
        if stage == 2:
            x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(
            filters,
            kernel_size,
            strides=strides if stage == 1 else (1, 1),
            name=f"separable_conv_{stage}_{block_id}",
            padding=conv_pad if stage == 1 else "same",
            use_bias=False,
        )(x)
        x = _bn(x, f"separable_conv_{stage}_bn_{block_id}")
    return x


def _halve(p: Any, filters: int, block_id: str) -> Any:
    """Halve the previous output's sides: two 1x1 convolutions on the
    even and the odd pixel grids, concatenated."""
    p = layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(p)
    p1 = layers.AveragePooling2D(
        (1, 1),
        strides=(2, 2),
        padding="valid",
        name=f"adjust_avg_pool_1_{block_id}",
    )(p)
    p1 = _conv1x1(p1, filters // 2, f"adjust_conv_1_{block_id}")
    p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
    p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
    p2 = layers.AveragePooling2D(
        (1, 1),
        strides=(2, 2),
        padding="valid",
        name=f"adjust_avg_pool_2_{block_id}",
    )(p2)
    p2 = _conv1x1(p2, filters // 2, f"adjust_conv_2_{block_id}")
    p = layers.concatenate([p1, p2], axis=-1)
    return _bn(p, f"adjust_bn_{block_id}")


def adjust_block(p: Any, ip: Any, filters: int, block_id: str) -> Any:
    """The previous cell's output `p`, fitted to the sides and `filters`
    of the current input `ip`."""
    if p is None:
        return ip
    if p.shape[-2] != ip.shape[-2]:
        return _halve(p, filters, block_id)
    if p.shape[-1] != filters:
        p = layers.Activation("relu")(p)
        p = _conv1x1(
            p, filters, f"adjust_conv_projection_{block_id}", strides=(1, 1)
        )
        return _bn(p, f"adjust_bn_{block_id}")
    return p


def _squeeze(ip: Any, filters: int, kind: str, block_id: str) -> Any:
    h = layers.Activation("relu")(ip)
    h = _conv1x1(h, filters, f"{kind}_conv_1_{block_id}", strides=(1, 1))
    return _bn(h, f"{kind}_bn_1_{block_id}")


def _pool(x: Any, kind: str, strides, padding: str, name: str) -> Any:
    pool = layers.AveragePooling2D if kind == "avg" else layers.MaxPooling2D
    return pool((3, 3), strides=strides, padding=padding, name=name)(x)


def normal_a_cell(ip: Any, p: Any, filters: int, block_id: str) -> tuple:
    """NASNet-A's normal cell; returns `(output, ip)`."""
    p = adjust_block(p, ip, filters, block_id)
    h = _squeeze(ip, filters, "normal", block_id)
    sep = separable_conv_block
    x1 = layers.add(
        [
            sep(h, filters, (5, 5), block_id=f"normal_left1_{block_id}"),
            sep(p, filters, block_id=f"normal_right1_{block_id}"),
        ],
        name=f"normal_add_1_{block_id}",
    )
    x2 = layers.add(
        [
            sep(p, filters, (5, 5), block_id=f"normal_left2_{block_id}"),
            sep(p, filters, (3, 3), block_id=f"normal_right2_{block_id}"),
        ],
        name=f"normal_add_2_{block_id}",
    )
    x3 = _pool(h, "avg", (1, 1), "same", f"normal_left3_{block_id}")
    x3 = layers.add([x3, p], name=f"normal_add_3_{block_id}")
    x4_1 = _pool(p, "avg", (1, 1), "same", f"normal_left4_{block_id}")
    x4_2 = _pool(p, "avg", (1, 1), "same", f"normal_right4_{block_id}")
    x4 = layers.add([x4_1, x4_2], name=f"normal_add_4_{block_id}")
    x5 = sep(h, filters, block_id=f"normal_left5_{block_id}")
    x5 = layers.add([x5, h], name=f"normal_add_5_{block_id}")
    x = layers.concatenate(
        [p, x1, x2, x3, x4, x5], axis=-1, name=f"normal_concat_{block_id}"
    )
    return x, ip


def reduction_a_cell(ip: Any, p: Any, filters: int, block_id: str) -> tuple:
    """NASNet-A's reduction cell (halves the sides); returns `(output, ip)`."""
    p = adjust_block(p, ip, filters, block_id)
    h = _squeeze(ip, filters, "reduction", block_id)
    h3 = layers.ZeroPadding2D(
        padding=imagenet_utils.correct_pad(h, 3),
        name=f"reduction_pad_1_{block_id}",
    )(h)
    sep, s2 = separable_conv_block, (2, 2)
    x1_1 = sep(h, filters, (5, 5), s2, block_id=f"reduction_left1_{block_id}")
    x1_2 = sep(p, filters, (7, 7), s2, block_id=f"reduction_right1_{block_id}")
    x1 = layers.add([x1_1, x1_2], name=f"reduction_add_1_{block_id}")
    x2_1 = _pool(h3, "max", s2, "valid", f"reduction_left2_{block_id}")
    x2_2 = sep(p, filters, (7, 7), s2, block_id=f"reduction_right2_{block_id}")
    x2 = layers.add([x2_1, x2_2], name=f"reduction_add_2_{block_id}")
    x3_1 = _pool(h3, "avg", s2, "valid", f"reduction_left3_{block_id}")
    x3_2 = sep(p, filters, (5, 5), s2, block_id=f"reduction_right3_{block_id}")
    x3 = layers.add([x3_1, x3_2], name=f"reduction_add3_{block_id}")
    x4 = _pool(x1, "avg", (1, 1), "same", f"reduction_left4_{block_id}")
    x4 = layers.add([x2, x4])
    x5_1 = sep(x1, filters, (3, 3), block_id=f"reduction_left4_{block_id}")
    x5_2 = _pool(h3, "max", s2, "valid", f"reduction_right5_{block_id}")
    x5 = layers.add([x5_1, x5_2], name=f"reduction_add4_{block_id}")
    x = layers.concatenate(
        [x2, x3, x4, x5], axis=-1, name=f"reduction_concat_{block_id}"
    )
    return x, ip
