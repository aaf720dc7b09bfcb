"""VGG19 (Keras's `keras.applications.vgg19`).

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
    "cbe5617147190e668d6c5d5026f83318",
    "253f8cb515780f3b799900260a226db6",
)


def VGG19(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "vgg19",
) -> Functional:
    """Instantiate the VGG19 architecture (2, 2, 4, 4, 4 convolutions)."""
    return vgg(locals(), (2, 2, 4, 4, 4), "VGG19", _HASHES)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Caffe-style preprocessing (see `imagenet_utils.preprocess_input`)."""
    return imagenet_utils.preprocess_input(x, data_format, mode="caffe")


def decode_predictions(preds: Any, top: int = 5) -> list:
    """See `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)


base_application.document((VGG19,), 224, 32)
