"""What MobileNetV3, EfficientNet(V2), ConvNeXt and NASNet share beyond
`base_application`: the pooling that ends a headless model (their layer
names differ from `pooled_top`'s) and the model-named weights files."""

from __future__ import annotations

from typing import Any

from lamina import layers


def pool_features(
    x: Any,
    pooling: str | None,
    avg_name: str | None = None,
    max_name: str | None = None,
) -> Any:
    """Global average (`"avg"`) or max (`"max"`) pooling of a headless
    model's feature map; any other value keeps the map, as in Keras."""
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg_name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=max_name)(x)
    return x


def named_files(name: str, base_url: str, hashes: tuple) -> tuple:
    """`(with top, without top)` `(file name, URL, hash)` of Keras's
    ImageNet files named after the model (`{name}.h5`,
    `{name}_notop.h5`), as EfficientNet(V2) and ConvNeXt publish them."""
    return tuple(
        (name + suffix, base_url + name + suffix, digest)
        for suffix, digest in zip((".h5", "_notop.h5"), hashes)
    )
