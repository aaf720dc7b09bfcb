"""EfficientNetV2 B0–B3, S, M and L (Keras 3's
`keras.applications.efficientnet_v2`), with Keras's arguments, layer names
and ImageNet files.

Reference: [EfficientNetV2: Smaller Models and Faster Training](
https://arxiv.org/abs/2104.00298) (ICML 2021).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lamina.applications import imagenet_utils
from lamina.applications.efficientnet_v2_model import EfficientNetV2
from lamina.typing import ActivationLike

if TYPE_CHECKING:
    from lamina.models import Functional

BASE_DOCSTRING = """Instantiates the {name} architecture.

Reference: [EfficientNetV2: Smaller Models and Faster Training](
https://arxiv.org/abs/2104.00298) (ICML 2021).

The preprocessing is part of the model (a `Rescaling` layer, and for the
B variants a `Normalization` layer), so the model takes float pixels in
`[0, 255]` and `preprocess_input` is a pass-through.

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
    include_preprocessing: whether the model starts with its
        preprocessing layers. Defaults to `True`.
    name: the model's name (it also names the ImageNet file).

Returns:
    A `lamina.Model`.

Example:

>>> import numpy as np, lamina
>>> model = lamina.applications.EfficientNetV2B0(
...     weights=None, input_shape=(32, 32, 3), include_top=False, pooling="avg")
>>> model(np.zeros((1, 32, 32, 3), "float32")).shape
torch.Size([1, 1280])
"""


def EfficientNetV2B0(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    include_preprocessing: bool = True,
    name: str = "efficientnetv2-b0",
) -> Functional:
    return EfficientNetV2(1.0, 1.0, 224, "b0", locals())


def EfficientNetV2B1(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    include_preprocessing: bool = True,
    name: str = "efficientnetv2-b1",
) -> Functional:
    return EfficientNetV2(1.0, 1.1, 240, "b1", locals())


def EfficientNetV2B2(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    include_preprocessing: bool = True,
    name: str = "efficientnetv2-b2",
) -> Functional:
    return EfficientNetV2(1.1, 1.2, 260, "b2", locals())


def EfficientNetV2B3(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    include_preprocessing: bool = True,
    name: str = "efficientnetv2-b3",
) -> Functional:
    return EfficientNetV2(1.2, 1.4, 300, "b3", locals())


def EfficientNetV2S(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    include_preprocessing: bool = True,
    name: str = "efficientnetv2-s",
) -> Functional:
    return EfficientNetV2(1.0, 1.0, 384, "s", locals())


def EfficientNetV2M(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    include_preprocessing: bool = True,
    name: str = "efficientnetv2-m",
) -> Functional:
    return EfficientNetV2(1.0, 1.0, 480, "m", locals())


def EfficientNetV2L(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    include_preprocessing: bool = True,
    name: str = "efficientnetv2-l",
) -> Functional:
    return EfficientNetV2(1.0, 1.0, 480, "l", locals())


for _builder in (
    EfficientNetV2B0,
    EfficientNetV2B1,
    EfficientNetV2B2,
    EfficientNetV2B3,
    EfficientNetV2S,
    EfficientNetV2M,
    EfficientNetV2L,
):
    _builder.__doc__ = BASE_DOCSTRING.format(name=_builder.__name__)
del _builder


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """A pass-through, kept for Keras's API: EfficientNetV2 preprocesses
    its input itself.

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
