"""VGG16 (Keras's `keras.applications.vgg16`).

Inputs are preprocessed in Caffe's way (`preprocess_input`: RGB to BGR,
minus the ImageNet mean of each channel).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lamina.applications import base_application, imagenet_utils
from lamina.applications.vgg_base import vgg
from lamina.typing import ActivationLike

if TYPE_CHECKING:
    from lamina.models import Functional

_HASHES = (
    "64373286793e3c8b2b4e3219cbf3544b",
    "6d6bbae143d832006294945121d1f1fc",
)


def VGG16(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "vgg16",
) -> Functional:
    """Instantiate the VGG16 architecture (2, 2, 3, 3, 3 convolutions)."""
    return vgg(locals(), (2, 2, 3, 3, 3), "VGG16", _HASHES)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Caffe-style preprocessing (see `imagenet_utils.preprocess_input`)."""
    return imagenet_utils.preprocess_input(x, data_format, mode="caffe")


def decode_predictions(preds: Any, top: int = 5) -> list:
    """See `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)


base_application.document((VGG16,), 224, 32)
