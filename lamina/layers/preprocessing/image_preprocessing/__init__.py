"""Image augmentation layers (Keras's `image_preprocessing` family): one
file per layer on `BaseImagePreprocessingLayer`."""

from lamina.layers.preprocessing.image_preprocessing.aug_mix import (
    AugMix as AugMix,
)
from lamina.layers.preprocessing.image_preprocessing.auto_contrast import (
    AutoContrast as AutoContrast,
)
from lamina.layers.preprocessing.image_preprocessing.clahe import (
    ContrastLimitedAdaptiveHistogramEqualization as ContrastLimitedAdaptiveHistogramEqualization,
)
from lamina.layers.preprocessing.image_preprocessing.cut_mix import (
    CutMix as CutMix,
)
from lamina.layers.preprocessing.image_preprocessing.equalization import (
    Equalization as Equalization,
)
from lamina.layers.preprocessing.image_preprocessing.max_num_bounding_boxes import (
    MaxNumBoundingBoxes as MaxNumBoundingBoxes,
)
from lamina.layers.preprocessing.image_preprocessing.mix_up import (
    MixUp as MixUp,
)
from lamina.layers.preprocessing.image_preprocessing.rand_augment import (
    RandAugment as RandAugment,
)
from lamina.layers.preprocessing.image_preprocessing.random_brightness import (
    RandomBrightness as RandomBrightness,
)
from lamina.layers.preprocessing.image_preprocessing.random_color_degeneration import (
    RandomColorDegeneration as RandomColorDegeneration,
)
from lamina.layers.preprocessing.image_preprocessing.random_color_jitter import (
    RandomColorJitter as RandomColorJitter,
)
from lamina.layers.preprocessing.image_preprocessing.random_contrast import (
    RandomContrast as RandomContrast,
)
from lamina.layers.preprocessing.image_preprocessing.random_crop import (
    RandomCrop as RandomCrop,
)
from lamina.layers.preprocessing.image_preprocessing.random_elastic_transform import (
    RandomElasticTransform as RandomElasticTransform,
)
from lamina.layers.preprocessing.image_preprocessing.random_erasing import (
    RandomErasing as RandomErasing,
)
from lamina.layers.preprocessing.image_preprocessing.random_flip import (
    RandomFlip as RandomFlip,
)
from lamina.layers.preprocessing.image_preprocessing.random_gaussian_blur import (
    RandomGaussianBlur as RandomGaussianBlur,
)
from lamina.layers.preprocessing.image_preprocessing.random_grayscale import (
    RandomGrayscale as RandomGrayscale,
)
from lamina.layers.preprocessing.image_preprocessing.random_hue import (
    RandomHue as RandomHue,
)
from lamina.layers.preprocessing.image_preprocessing.random_invert import (
    RandomInvert as RandomInvert,
)
from lamina.layers.preprocessing.image_preprocessing.random_perspective import (
    RandomPerspective as RandomPerspective,
)
from lamina.layers.preprocessing.image_preprocessing.random_posterization import (
    RandomPosterization as RandomPosterization,
)
from lamina.layers.preprocessing.image_preprocessing.random_rotation import (
    RandomRotation as RandomRotation,
)
from lamina.layers.preprocessing.image_preprocessing.random_saturation import (
    RandomSaturation as RandomSaturation,
)
from lamina.layers.preprocessing.image_preprocessing.random_sharpness import (
    RandomSharpness as RandomSharpness,
)
from lamina.layers.preprocessing.image_preprocessing.random_shear import (
    RandomShear as RandomShear,
)
from lamina.layers.preprocessing.image_preprocessing.random_translation import (
    RandomTranslation as RandomTranslation,
)
from lamina.layers.preprocessing.image_preprocessing.random_zoom import (
    RandomZoom as RandomZoom,
)
from lamina.layers.preprocessing.image_preprocessing.solarization import (
    Solarization as Solarization,
)

# Keras keeps Pipeline beside the other preprocessing layers; it is
# exported with this family.
from lamina.layers.preprocessing.pipeline import Pipeline as Pipeline

__all__: list = [
    "AugMix",
    "AutoContrast",
    "ContrastLimitedAdaptiveHistogramEqualization",
    "CutMix",
    "Equalization",
    "MaxNumBoundingBoxes",
    "MixUp",
    "Pipeline",
    "RandAugment",
    "RandomBrightness",
    "RandomColorDegeneration",
    "RandomColorJitter",
    "RandomContrast",
    "RandomCrop",
    "RandomElasticTransform",
    "RandomErasing",
    "RandomFlip",
    "RandomGaussianBlur",
    "RandomGrayscale",
    "RandomHue",
    "RandomInvert",
    "RandomPerspective",
    "RandomPosterization",
    "RandomRotation",
    "RandomSaturation",
    "RandomSharpness",
    "RandomShear",
    "RandomTranslation",
    "RandomZoom",
    "Solarization",
]
