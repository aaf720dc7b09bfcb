"""Image augmentation layers (Keras's `image_preprocessing` family): one
file per layer on `BaseImagePreprocessingLayer`."""

from lamina.layers.preprocessing.image_preprocessing.random_brightness import (
    RandomBrightness as RandomBrightness,
)
from lamina.layers.preprocessing.image_preprocessing.random_contrast import (
    RandomContrast as RandomContrast,
)
from lamina.layers.preprocessing.image_preprocessing.random_crop import (
    RandomCrop as RandomCrop,
)
from lamina.layers.preprocessing.image_preprocessing.random_flip import (
    RandomFlip as RandomFlip,
)
from lamina.layers.preprocessing.image_preprocessing.random_rotation import (
    RandomRotation as RandomRotation,
)
from lamina.layers.preprocessing.image_preprocessing.random_translation import (  # noqa: E501
    RandomTranslation as RandomTranslation,
)
from lamina.layers.preprocessing.image_preprocessing.random_zoom import (
    RandomZoom as RandomZoom,
)

__all__: list = [
    "RandomBrightness",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
]
