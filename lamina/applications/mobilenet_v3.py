"""MobileNetV3 (Keras 3's `keras.applications.mobilenet_v3`): the Small and
Large networks, with Keras's arguments, layer names and ImageNet files.

Reference: [Searching for MobileNetV3](https://arxiv.org/abs/1905.02244)
(ICCV 2019).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lamina.applications import imagenet_utils
from lamina.applications.mobilenet_v3_model import (
    LARGE_STACK,
    SMALL_STACK,
    MobileNetV3,
)
from lamina.typing import ActivationLike

if TYPE_CHECKING:
    from lamina.models import Functional

BASE_DOCSTRING = """Instantiates the {name} architecture.

Reference: [Searching for MobileNetV3](https://arxiv.org/abs/1905.02244)
(ICCV 2019).

The preprocessing is part of the model (a `Rescaling` layer), so the model
takes float pixels in `[0, 255]` and `preprocess_input` is a pass-through;
with `include_preprocessing=False` it takes pixels in `[-1, 1]`.

Args:
    input_shape: optional shape tuple with 3 channels, e.g.
        `(160, 160, 3)`; inferred from `input_tensor` if omitted (they must
        then agree). Each side must be at least 32.
    alpha: width multiplier: `< 1.0` narrows, `> 1.0` widens every layer.
        ImageNet weights exist for `0.75` and `1.0` (`1.0` only when
        minimalistic).
    minimalistic: use neither squeeze-and-excite, hard-swish nor 5x5
        convolutions (faster on GPUs and DSPs).
    include_top: whether to include the classifier. Defaults to `True`.
    weights: `None` (random initialization), `"imagenet"` (Keras's
        ImageNet weights) or the path to a weights file.
    input_tensor: optional tensor (e.g. the output of `lamina.Input()`) to
        use as the image input.
    classes: number of classes, with `include_top=True` and no
        `weights`. Defaults to 1000.
    pooling: with `include_top=False`: `None` (the 4D feature map),
        `"avg"` or `"max"` (global pooling to a 2D tensor).
    dropout_rate: dropout before the classifier.
    classifier_activation: activation of the classifier (`None` for
        logits); only `None` or `"softmax"` with pretrained weights.
    include_preprocessing: whether the model starts with its `Rescaling`
        layer. Defaults to `True`.
    name: the model's name.

Returns:
    A `lamina.Model`.

Example:

>>> import numpy as np, lamina
>>> model = lamina.applications.{name}(
...     weights=None, input_shape=(32, 32, 3), include_top=False, pooling="avg")
>>> model(np.zeros((1, 32, 32, 3), "float32")).shape[0]
1
"""


def MobileNetV3Small(
    input_shape: tuple | None = None,
    alpha: float = 1.0,
    minimalistic: bool = False,
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    classes: int = 1000,
    pooling: str | None = None,
    dropout_rate: float = 0.2,
    classifier_activation: ActivationLike = "softmax",
    include_preprocessing: bool = True,
    name: str = "MobileNetV3Small",
) -> Functional:
    return MobileNetV3(SMALL_STACK, 1024, "small", locals())


def MobileNetV3Large(
    input_shape: tuple | None = None,
    alpha: float = 1.0,
    minimalistic: bool = False,
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    classes: int = 1000,
    pooling: str | None = None,
    dropout_rate: float = 0.2,
    classifier_activation: ActivationLike = "softmax",
    include_preprocessing: bool = True,
    name: str = "MobileNetV3Large",
) -> Functional:
    return MobileNetV3(LARGE_STACK, 1280, "large", locals())


MobileNetV3Small.__doc__ = BASE_DOCSTRING.format(name="MobileNetV3Small")
MobileNetV3Large.__doc__ = BASE_DOCSTRING.format(name="MobileNetV3Large")


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """A pass-through, kept for Keras's API: MobileNetV3 rescales its input
    itself.

    Args:
        x: a float NumPy array or tensor.
        data_format: unused (Keras's signature).

    Returns:
        `x`, unchanged.

    Example:

    >>> import numpy as np, lamina
    >>> x = np.array([0.0, 255.0])
    >>> lamina.applications.mobilenet_v3.preprocess_input(x) is x
    True
    """
    return x


def decode_predictions(preds: Any, top: int = 5) -> list:
    return imagenet_utils.decode_predictions(preds, top=top)


decode_predictions.__doc__ = imagenet_utils.decode_predictions.__doc__
