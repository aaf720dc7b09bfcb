"""The pooling that ends a headless MobileNetV3, EfficientNet(V2),
ConvNeXt or NASNet: their layer names differ from `pooled_top`'s."""

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
