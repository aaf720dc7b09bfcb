"""Pooling layers. Each file holds one layer; this module lists them in
`__all__`, which `lamina.layers` re-exports."""

from lamina.layers.pooling.adaptive_average_pooling1d import (
    AdaptiveAveragePooling1D as AdaptiveAveragePooling1D,
)
from lamina.layers.pooling.adaptive_average_pooling2d import (
    AdaptiveAveragePooling2D as AdaptiveAveragePooling2D,
)
from lamina.layers.pooling.adaptive_average_pooling3d import (
    AdaptiveAveragePooling3D as AdaptiveAveragePooling3D,
)
from lamina.layers.pooling.adaptive_max_pooling1d import (
    AdaptiveMaxPooling1D as AdaptiveMaxPooling1D,
)
from lamina.layers.pooling.adaptive_max_pooling2d import (
    AdaptiveMaxPooling2D as AdaptiveMaxPooling2D,
)
from lamina.layers.pooling.adaptive_max_pooling3d import (
    AdaptiveMaxPooling3D as AdaptiveMaxPooling3D,
)
from lamina.layers.pooling.average_pooling1d import (
    AveragePooling1D as AveragePooling1D,
)
from lamina.layers.pooling.average_pooling1d import AvgPool1D as AvgPool1D
from lamina.layers.pooling.average_pooling2d import (
    AveragePooling2D as AveragePooling2D,
)
from lamina.layers.pooling.average_pooling2d import AvgPool2D as AvgPool2D
from lamina.layers.pooling.average_pooling3d import (
    AveragePooling3D as AveragePooling3D,
)
from lamina.layers.pooling.average_pooling3d import AvgPool3D as AvgPool3D
from lamina.layers.pooling.global_average_pooling1d import (
    GlobalAveragePooling1D as GlobalAveragePooling1D,
)
from lamina.layers.pooling.global_average_pooling1d import (
    GlobalAvgPool1D as GlobalAvgPool1D,
)
from lamina.layers.pooling.global_average_pooling2d import (
    GlobalAveragePooling2D as GlobalAveragePooling2D,
)
from lamina.layers.pooling.global_average_pooling2d import (
    GlobalAvgPool2D as GlobalAvgPool2D,
)
from lamina.layers.pooling.global_average_pooling3d import (
    GlobalAveragePooling3D as GlobalAveragePooling3D,
)
from lamina.layers.pooling.global_average_pooling3d import (
    GlobalAvgPool3D as GlobalAvgPool3D,
)
from lamina.layers.pooling.global_max_pooling1d import (
    GlobalMaxPool1D as GlobalMaxPool1D,
)
from lamina.layers.pooling.global_max_pooling1d import (
    GlobalMaxPooling1D as GlobalMaxPooling1D,
)
from lamina.layers.pooling.global_max_pooling2d import (
    GlobalMaxPool2D as GlobalMaxPool2D,
)
from lamina.layers.pooling.global_max_pooling2d import (
    GlobalMaxPooling2D as GlobalMaxPooling2D,
)
from lamina.layers.pooling.global_max_pooling3d import (
    GlobalMaxPool3D as GlobalMaxPool3D,
)
from lamina.layers.pooling.global_max_pooling3d import (
    GlobalMaxPooling3D as GlobalMaxPooling3D,
)
from lamina.layers.pooling.max_pooling1d import MaxPool1D as MaxPool1D
from lamina.layers.pooling.max_pooling1d import MaxPooling1D as MaxPooling1D
from lamina.layers.pooling.max_pooling2d import MaxPool2D as MaxPool2D
from lamina.layers.pooling.max_pooling2d import MaxPooling2D as MaxPooling2D
from lamina.layers.pooling.max_pooling3d import MaxPool3D as MaxPool3D
from lamina.layers.pooling.max_pooling3d import MaxPooling3D as MaxPooling3D

__all__: list = [
    "AdaptiveAveragePooling1D",
    "AdaptiveAveragePooling2D",
    "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D",
    "AdaptiveMaxPooling3D",
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "AvgPool1D",
    "AvgPool2D",
    "AvgPool3D",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAveragePooling3D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalAvgPool3D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPool3D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "GlobalMaxPooling3D",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPool3D",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
]
