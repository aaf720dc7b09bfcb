"""ResNet50V2, ResNet101V2 and ResNet152V2 (Keras's
`keras.applications.resnet_v2`): pre-activation residual blocks.

Inputs are scaled to [-1, 1] (`preprocess_input`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lamina.applications import base_application, imagenet_utils
from lamina.applications.resnet_base import resnet
from lamina.typing import ActivationLike

if TYPE_CHECKING:
    from lamina.models import Functional


def ResNet50V2(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "resnet50v2",
) -> Functional:
    """Instantiate the ResNet50V2 architecture (blocks 3, 4, 6, 3)."""
    return resnet(locals(), (3, 4, 6, 3), True, "resnet50v2", "ResNet50V2")


def ResNet101V2(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "resnet101v2",
) -> Functional:
    """Instantiate the ResNet101V2 architecture (blocks 3, 4, 23, 3)."""
    return resnet(locals(), (3, 4, 23, 3), True, "resnet101v2", "ResNet101V2")


def ResNet152V2(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "resnet152v2",
) -> Functional:
    """Instantiate the ResNet152V2 architecture (blocks 3, 8, 36, 3)."""
    return resnet(locals(), (3, 8, 36, 3), True, "resnet152v2", "ResNet152V2")


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scale to [-1, 1] (see `imagenet_utils.preprocess_input`)."""
    return imagenet_utils.preprocess_input(x, data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list:
    """See `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)


base_application.document((ResNet50V2, ResNet101V2, ResNet152V2), 224, 32)
