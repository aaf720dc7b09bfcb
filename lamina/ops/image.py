"""`lamina.ops.image`: the names of `keras.ops.image`, nothing else
(re-exported from the `image_*` family modules)."""

from lamina.ops.image_color import hsv_to_rgb as hsv_to_rgb
from lamina.ops.image_color import rgb_to_grayscale as rgb_to_grayscale
from lamina.ops.image_color import rgb_to_hsv as rgb_to_hsv
from lamina.ops.image_crop_pad import crop_images as crop_images
from lamina.ops.image_crop_pad import pad_images as pad_images
from lamina.ops.image_filters import gaussian_blur as gaussian_blur
from lamina.ops.image_filters import sobel_edges as sobel_edges
from lamina.ops.image_filters import ssim as ssim
from lamina.ops.image_patches import extract_patches as extract_patches
from lamina.ops.image_patches import (
    extract_patches_3d as extract_patches_3d,
)
from lamina.ops.image_resize import resize as resize
from lamina.ops.image_sample import affine_transform as affine_transform
from lamina.ops.image_sample import elastic_transform as elastic_transform
from lamina.ops.image_sample import map_coordinates as map_coordinates
from lamina.ops.image_sample import (
    perspective_transform as perspective_transform,
)
from lamina.ops.image_scale import (
    scale_and_translate as scale_and_translate,
)

__all__ = [
    "affine_transform",
    "crop_images",
    "elastic_transform",
    "extract_patches",
    "extract_patches_3d",
    "gaussian_blur",
    "hsv_to_rgb",
    "map_coordinates",
    "pad_images",
    "perspective_transform",
    "resize",
    "rgb_to_grayscale",
    "rgb_to_hsv",
    "scale_and_translate",
    "sobel_edges",
    "ssim",
]
