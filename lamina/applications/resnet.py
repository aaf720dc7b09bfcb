"""ResNet50, ResNet101 and ResNet152 (Keras's `keras.applications.resnet`).

Inputs are preprocessed in Caffe's way (`preprocess_input`: RGB to BGR,
minus the ImageNet mean of each channel).

Example:

>>> import numpy as np, lamina
>>> model = lamina.applications.ResNet50(
...     weights=None, include_top=False, input_shape=(32, 32, 3),
...     pooling="avg")
>>> x = lamina.applications.resnet.preprocess_input(
...     np.random.uniform(0, 255, (2, 32, 32, 3)))
>>> tuple(model.predict(x, verbose=0).shape)
(2, 2048)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lamina.applications import base_application, imagenet_utils
from lamina.applications.resnet_base import resnet
from lamina.typing import ActivationLike

if TYPE_CHECKING:
    from lamina.models import Functional


def ResNet50(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "resnet50",
) -> Functional:
    """Instantiate the ResNet50 architecture (blocks 3, 4, 6, 3)."""
    return resnet(locals(), (3, 4, 6, 3), False, "resnet50", "ResNet50")


def ResNet101(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "resnet101",
) -> Functional:
    """Instantiate the ResNet101 architecture (blocks 3, 4, 23, 3)."""
    return resnet(locals(), (3, 4, 23, 3), False, "resnet101", "ResNet101")


def ResNet152(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "resnet152",
) -> Functional:
    """Instantiate the ResNet152 architecture (blocks 3, 8, 36, 3)."""
    return resnet(locals(), (3, 8, 36, 3), False, "resnet152", "ResNet152")


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Caffe-style preprocessing (see `imagenet_utils.preprocess_input`)."""
    return imagenet_utils.preprocess_input(x, data_format, mode="caffe")


def decode_predictions(preds: Any, top: int = 5) -> list:
    """See `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)


base_application.document((ResNet50, ResNet101, ResNet152), 224, 32)
