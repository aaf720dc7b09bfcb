"""`keras.applications`: image-classification architectures with Keras's
names, arguments and layer names, so Keras's published ImageNet weights
(and a Keras weights cache) load as they are.

Each family is a submodule with its builders, `preprocess_input` and
`decode_predictions` (`lamina.applications.resnet50.preprocess_input`);
the builders are also names of this package (`lamina.applications.ResNet50`).
"""

from lamina.applications import imagenet_utils as imagenet_utils

__all__ = [
    "imagenet_utils",
]

# --- Families added by a second change (mobilenet_v3, efficientnet,
# efficientnet_v2, convnext, nasnet) go below this line. ---
