"""EfficientNet B0–B7 (Keras 3's `keras.applications.efficientnet`), with
Keras's arguments, layer names and ImageNet files.

Reference: [EfficientNet: Rethinking Model Scaling for Convolutional
Neural Networks](https://arxiv.org/abs/1905.11946) (ICML 2019).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lamina.applications import imagenet_utils
from lamina.applications.efficientnet_model import EfficientNet
from lamina.typing import ActivationLike

if TYPE_CHECKING:
    from lamina.models import Functional

BASE_DOCSTRING = """Instantiates the {name} architecture.

Reference: [EfficientNet: Rethinking Model Scaling for Convolutional
Neural Networks](https://arxiv.org/abs/1905.11946) (ICML 2019).

The preprocessing is part of the model (`Rescaling` and `Normalization`
layers), so the model takes float pixels in `[0, 255]` and
`preprocess_input` is a pass-through.

Args:
    include_top: whether to include the classifier. Defaults to `True`.
    weights: `None` (random initialization), `"imagenet"` (Keras's
        ImageNet weights) or the path to a weights file.
    input_tensor: optional tensor (e.g. the output of `lamina.Input()`) to
        use as the image input.
    input_shape: optional shape tuple with 3 channels, only with
        `include_top=False`; each side at least 32.
    pooling: with `include_top=False`: `None` (the 4D feature map),
        `"avg"` or `"max"` (global pooling to a 2D tensor).
    classes: number of classes, with `include_top=True` and no
        `weights`. Defaults to 1000.
    classifier_activation: activation of the classifier (`None` for
        logits); only `None` or `"softmax"` with pretrained weights.
    name: the model's name (it also names the ImageNet file).

Returns:
    A `lamina.Model`.

Example:

>>> import numpy as np, lamina
>>> model = lamina.applications.EfficientNetB0(
...     weights=None, input_shape=(32, 32, 3), include_top=False, pooling="avg")
>>> model(np.zeros((1, 32, 32, 3), "float32")).shape
torch.Size([1, 1280])
"""


def EfficientNetB0(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "efficientnetb0",
) -> Functional:
    return EfficientNet(1.0, 1.0, 224, 0.2, "b0", locals())


def EfficientNetB1(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "efficientnetb1",
) -> Functional:
    return EfficientNet(1.0, 1.1, 240, 0.2, "b1", locals())


def EfficientNetB2(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "efficientnetb2",
) -> Functional:
    return EfficientNet(1.1, 1.2, 260, 0.3, "b2", locals())


def EfficientNetB3(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "efficientnetb3",
) -> Functional:
    return EfficientNet(1.2, 1.4, 300, 0.3, "b3", locals())


def EfficientNetB4(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "efficientnetb4",
) -> Functional:
    return EfficientNet(1.4, 1.8, 380, 0.4, "b4", locals())


def EfficientNetB5(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "efficientnetb5",
) -> Functional:
    return EfficientNet(1.6, 2.2, 456, 0.4, "b5", locals())


def EfficientNetB6(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "efficientnetb6",
) -> Functional:
    return EfficientNet(1.8, 2.6, 528, 0.5, "b6", locals())


def EfficientNetB7(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "efficientnetb7",
) -> Functional:
    return EfficientNet(2.0, 3.1, 600, 0.5, "b7", locals())


for _builder in (
    EfficientNetB0,
    EfficientNetB1,
    EfficientNetB2,
    EfficientNetB3,
    EfficientNetB4,
    EfficientNetB5,
    EfficientNetB6,
    EfficientNetB7,
):
    _builder.__doc__ = BASE_DOCSTRING.format(name=_builder.__name__)
del _builder


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """A pass-through, kept for Keras's API: EfficientNet normalizes its
    input itself.

    Args:
        x: a float NumPy array or tensor.
        data_format: unused (Keras's signature).

    Returns:
        `x`, unchanged.
    """
    return x


def decode_predictions(preds: Any, top: int = 5) -> list:
    return imagenet_utils.decode_predictions(preds, top=top)


decode_predictions.__doc__ = imagenet_utils.decode_predictions.__doc__
