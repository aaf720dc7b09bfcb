"""NASNet-A Mobile and Large (Keras 3's `keras.applications.nasnet`), with
Keras's arguments, layer names and ImageNet files.

Reference: [Learning Transferable Architectures for Scalable Image
Recognition](https://arxiv.org/abs/1707.07012) (CVPR 2018).

Keras refuses `NASNetMobile` on its torch backend ("an outstanding bug");
lamina builds it, and it computes what Keras's own `nasnet.NASNet` with
the mobile settings computes on torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lamina import config, layers
from lamina.applications import imagenet_utils
from lamina.applications import weights as weights_lib
from lamina.applications.base_application import build, classifier
from lamina.applications.family_utils import pool_features
from lamina.applications.nasnet_cells import normal_a_cell, reduction_a_cell
from lamina.typing import ActivationLike

if TYPE_CHECKING:
    from lamina.models import Functional

BASE_WEIGHTS_PATH = weights_lib.KERAS_WEIGHTS_ROOT + "nasnet/"
# (file name, URL basename, md5) with and without the top, by default size.
WEIGHTS_FILES = {
    224: (
        (
            "nasnet_mobile.h5",
            "NASNet-mobile.h5",
            "020fb642bf7360b370c678b08e0adf61",
        ),
        (
            "nasnet_mobile_no_top.h5",
            "NASNet-mobile-no-top.h5",
            "1ed92395b5b598bdda52abe5c0dbfd63",
        ),
    ),
    331: (
        (
            "nasnet_large.h5",
            "NASNet-large.h5",
            "11577c9a518f0070763c2b964a382f17",
        ),
        (
            "nasnet_large_no_top.h5",
            "NASNet-large-no-top.h5",
            "d81d89dc07e6e56530c4e77faddd61b5",
        ),
    ),
}


def _check(
    args: dict, penultimate_filters: int, filter_multiplier: int
) -> None:
    if config.image_data_format() == "channels_first":
        raise ValueError(
            "NASNet does not support the `channels_first` image data format. "
            "Switch to `channels_last` with "
            "`lamina.config.set_image_data_format('channels_last')`."
        )
    shape = args["input_shape"]
    if (
        isinstance(shape, tuple)
        and None in shape
        and args["weights"] == "imagenet"
    ):
        raise ValueError(
            "When specifying the input shape of a NASNet and loading "
            "`ImageNet` weights, the input_shape argument must be static"
            f" (no None entries). Got: `input_shape={shape}`."
        )
    if penultimate_filters % (24 * (filter_multiplier**2)) != 0:
        raise ValueError(
            "For NASNet-A models, the `penultimate_filters` must be a multiple "
            "of 24 * (`filter_multiplier` ** 2). "
            f"Current value: {penultimate_filters}"
        )


def _cells(
    x: Any, filters: int, num_blocks: int, skip_reduction: bool, mult: int
) -> Any:
    """Two stem reductions, then three stacks of `num_blocks` normal cells
    with a reduction cell between stacks."""
    x, p = reduction_a_cell(x, None, filters // (mult**2), block_id="stem_1")
    x, p = reduction_a_cell(x, p, filters // mult, block_id="stem_2")
    for stack in range(3):
        width = filters * mult**stack
        if stack:
            x, p0 = reduction_a_cell(
                x, p, width, block_id=f"reduce_{stack * num_blocks}"
            )
            p = p if skip_reduction else p0
        for i in range(num_blocks):
            block_id = f"{stack * num_blocks + i + bool(stack)}"
            x, p = normal_a_cell(x, p, width, block_id=block_id)
    return x


def _top(x: Any, args: dict) -> Any:
    if args["include_top"]:
        return classifier(layers.GlobalAveragePooling2D()(x), args)
    return pool_features(x, args["pooling"])


def NASNet(
    args: dict,
    penultimate_filters: int = 4032,
    num_blocks: int = 6,
    stem_block_filters: int = 96,
    skip_reduction: bool = True,
    filter_multiplier: int = 2,
    default_size: int = 331,
) -> Functional:
    """The NASNet-A (`num_blocks` @ `penultimate_filters`) from a
    builder's arguments `args`."""
    _check(args, penultimate_filters, filter_multiplier)

    def body(img_input):
        x = layers.Conv2D(
            stem_block_filters,
            (3, 3),
            strides=(2, 2),
            padding="valid",
            use_bias=False,
            name="stem_conv1",
            kernel_initializer="he_normal",
        )(img_input)
        x = layers.BatchNormalization(
            axis=-1, momentum=0.9997, epsilon=1e-3, name="stem_bn1"
        )(x)
        x = _cells(
            x,
            penultimate_filters // 24,
            num_blocks,
            skip_reduction,
            filter_multiplier,
        )
        return layers.Activation("relu")(x)

    files = (
        tuple(
            (name, BASE_WEIGHTS_PATH + basename, digest)
            for name, basename, digest in WEIGHTS_FILES.get(default_size, ())
        )
        or None
    )
    return build(
        args,
        body,
        owner=args["name"],
        default_size=default_size,
        files=files,
        top=_top,
    )


BASE_DOCSTRING = """Instantiates the {name} architecture.

Reference: [Learning Transferable Architectures for Scalable Image
Recognition](https://arxiv.org/abs/1707.07012) (CVPR 2018).

Inputs go through `lamina.applications.nasnet.preprocess_input` (pixels
scaled to `[-1, 1]`) first. Only the `channels_last` image format is
supported.

Args:
    input_shape: optional shape tuple with 3 channels (each side at least
        32); by default `({size}, {size}, 3)`, the only shape with the top
        and ImageNet weights.
    include_top: whether to include the classifier. Defaults to `True`.
    weights: `None` (random initialization), `"imagenet"` (Keras's
        ImageNet weights) or the path to a weights file.
    input_tensor: optional tensor (e.g. the output of `lamina.Input()`) to
        use as the image input.
    pooling: with `include_top=False`: `None` (the 4D feature map),
        `"avg"` or `"max"` (global pooling to a 2D tensor).
    classes: number of classes, with `include_top=True` and no
        `weights`. Defaults to 1000.
    classifier_activation: activation of the classifier (`None` for
        logits); only `None` or `"softmax"` with pretrained weights.
    name: the model's name.

Returns:
    A `lamina.Model`.

Example:

>>> import numpy as np, lamina
>>> model = lamina.applications.NASNetMobile(
...     weights=None, input_shape=(32, 32, 3), include_top=False, pooling="avg")
>>> model(np.zeros((1, 32, 32, 3), "float32")).shape
torch.Size([1, 1056])
"""


def NASNetMobile(
    input_shape: tuple | None = None,
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "nasnet_mobile",
) -> Functional:
    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return NASNet(
        locals(),
        penultimate_filters=1056,
        num_blocks=4,
        stem_block_filters=32,
        skip_reduction=False,
        default_size=224,
    )


def NASNetLarge(
    input_shape: tuple | None = None,
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: ActivationLike = "softmax",
    name: str = "nasnet_large",
) -> Functional:
    return NASNet(locals(), default_size=331)


NASNetMobile.__doc__ = BASE_DOCSTRING.format(name="NASNetMobile", size=224)
NASNetLarge.__doc__ = BASE_DOCSTRING.format(name="NASNetLarge", size=331)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scales pixels from `[0, 255]` to `[-1, 1]` (ImageNet `"tf"` mode),
    as NASNet's weights expect.

    Args:
        x: a float NumPy array (modified in place, as in Keras), a tensor
            or a symbolic tensor, 3D or 4D with 3 channels.
        data_format: `"channels_last"`, `"channels_first"` or `None` (the
            global setting).

    Returns:
        The scaled images.

    Example:

    >>> import numpy as np, lamina
    >>> lamina.applications.nasnet.preprocess_input(np.array([0.0, 255.0]))
    array([-1.,  1.])
    """
    return imagenet_utils.preprocess_input(
        x, data_format=data_format, mode="tf"
    )


def decode_predictions(preds: Any, top: int = 5) -> list:
    return imagenet_utils.decode_predictions(preds, top=top)


decode_predictions.__doc__ = imagenet_utils.decode_predictions.__doc__
