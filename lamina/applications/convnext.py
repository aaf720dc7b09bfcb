"""ConvNeXt Tiny, Small, Base, Large and XLarge (Keras 3's
`keras.applications.convnext`), with Keras's arguments, layer names and
ImageNet files.

Reference: [A ConvNet for the 2020s](https://arxiv.org/abs/2201.03545)
(CVPR 2022).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lamina.applications import imagenet_utils
from lamina.applications.convnext_model import ConvNeXt
from lamina.applications.layer_scale import LayerScale as LayerScale
from lamina.applications.stochastic_depth import (
    StochasticDepth as StochasticDepth,
)
from lamina.typing import ActivationLike

if TYPE_CHECKING:
    from lamina.models import Functional

BASE_DOCSTRING = """Instantiates the {name} architecture.

Reference: [A ConvNet for the 2020s](https://arxiv.org/abs/2201.03545)
(CVPR 2022). The `base`, `large` and `xlarge` ImageNet weights were
pre-trained on ImageNet-21k and fine-tuned on ImageNet-1k.

The preprocessing is part of the model (a `Normalization` layer), so the
model takes float or uint8 pixels in `[0, 255]` and `preprocess_input` is
a pass-through. Only the `channels_last` image format is supported.

Args:
    include_top: whether to include the classifier head. Defaults to
        `True`.
    include_preprocessing: whether the model starts with its
        `Normalization` layer. Defaults to `True`.
    weights: `None` (random initialization), `"imagenet"` (Keras's
        ImageNet-1k weights) or the path to a weights file.
    input_tensor: optional tensor (e.g. the output of `lamina.Input()`) to
        use as the image input.
    input_shape: optional shape tuple with 3 channels, only with
        `include_top=False`; each side at least 32.
    pooling: with `include_top=False`: `None` (the 4D feature map),
        `"avg"` or `"max"` (global pooling to a 2D tensor); a layer
        normalization follows in every case, as in Keras.
    classes: number of classes, with `include_top=True` and no
        `weights`. Defaults to 1000.
    classifier_activation: activation of the classifier (`None` for
        logits); only `None` or `"softmax"` with pretrained weights.
    name: the model's name; it prefixes the layer names and names the
        ImageNet file (with ImageNet weights it must contain the variant,
        e.g. `"convnext_tiny"`).

Returns:
    A `lamina.Model`.

Example:

>>> import numpy as np, lamina
>>> model = lamina.applications.ConvNeXtTiny(
...     weights=None, input_shape=(32, 32, 3), include_top=False, pooling="avg")
>>> model(np.zeros((1, 32, 32, 3), "float32")).shape
torch.Size([1, 768])
"""


def ConvNeXtTiny(
    include_top: bool = True,
    include_preprocessing: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "convnext_tiny",
) -> Functional:
    return ConvNeXt("tiny", locals())


def ConvNeXtSmall(
    include_top: bool = True,
    include_preprocessing: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "convnext_small",
) -> Functional:
    return ConvNeXt("small", locals())


def ConvNeXtBase(
    include_top: bool = True,
    include_preprocessing: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "convnext_base",
) -> Functional:
    return ConvNeXt("base", locals())


def ConvNeXtLarge(
    include_top: bool = True,
    include_preprocessing: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "convnext_large",
) -> Functional:
    return ConvNeXt("large", locals())


def ConvNeXtXLarge(
    include_top: bool = True,
    include_preprocessing: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "convnext_xlarge",
) -> Functional:
    return ConvNeXt("xlarge", locals())


for _builder in (
    ConvNeXtTiny,
    ConvNeXtSmall,
    ConvNeXtBase,
    ConvNeXtLarge,
    ConvNeXtXLarge,
):
    _builder.__doc__ = BASE_DOCSTRING.format(name=_builder.__name__)
del _builder


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """A pass-through, kept for Keras's API: ConvNeXt normalizes its input
    itself.

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
