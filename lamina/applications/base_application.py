"""What every application does around its own layers: check the
arguments, make the image input (new, or the caller's `input_tensor`),
add the classifier or pooling top, and make the model with its weights.

A builder passes its arguments as one dict (`locals()` at its top: the
Keras signature is the single list of them) and a `body` that maps the
image input to the last feature map.
"""

from __future__ import annotations

from typing import Any, Callable

from lamina.applications import imagenet_utils
from lamina.applications import weights as weights_lib


def build(
    args: dict,
    body: Callable,
    *,
    owner: str,
    default_size: int = 224,
    min_size: int = 32,
    files: tuple | None = None,
    top: Callable | None = None,
) -> Any:
    """The application model for `args`.

    Args:
        args: the builder's arguments (`include_top`, `weights`,
            `input_tensor`, `input_shape`, `pooling`, `classes`,
            `classifier_activation`, `name`).
        body: image input → last feature map.
        owner: the builder's name, for messages.
        default_size, min_size: the input side with ImageNet weights and
            the smallest side the architecture accepts.
        files: `(with top, without top)` weights files of `weights_file`,
            or `None` when Keras publishes none.
        top: `(x, args) → outputs`; `pooled_top` by default.
    """
    include_top, weights = args["include_top"], args["weights"]
    weights_lib.check_weights(weights, include_top, args["classes"], owner)
    input_shape = imagenet_utils.obtain_input_shape(
        args["input_shape"],
        default_size=default_size,
        min_size=min_size,
        data_format=_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = image_input(args["input_tensor"], input_shape)
    outputs = (top or pooled_top)(body(img_input), args)
    weights_file = None if files is None else files[0 if include_top else 1]
    return build_model(
        args["input_tensor"],
        img_input,
        outputs,
        args["name"],
        weights,
        weights_file,
    )


def weights_file(folder: str, file_name: str, file_hash: str | None) -> tuple:
    """`(file_name, origin, file_hash)` of a file Keras publishes under
    `folder` of its applications bucket."""
    return (
        file_name,
        f"{weights_lib.KERAS_WEIGHTS_ROOT}{folder}/{file_name}",
        file_hash,
    )


def image_input(input_tensor: Any, input_shape: tuple) -> Any:
    """The symbolic image the layers are applied to: a new `Input`, or
    `input_tensor` (wrapped in an `Input` unless it is already
    symbolic)."""
    from lamina.layers import Input
    from lamina.utils.graph_utils import is_keras_tensor

    if input_tensor is None:
        return Input(shape=input_shape)
    if not is_keras_tensor(input_tensor):
        return Input(tensor=input_tensor, shape=input_shape)
    return input_tensor


def pooled_top(x: Any, args: dict, named_pooling: bool = True) -> Any:
    """Keras's usual top: global average pooling (`avg_pool`) and the
    `predictions` Dense layer; without the top, the `pooling` of the
    arguments (`"avg"`, `"max"` or `None`). Some architectures leave the
    pooling layers of `include_top=False` unnamed (`named_pooling=False`),
    as Keras does."""
    from lamina import layers

    if args["include_top"]:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        return classifier(x, args)
    if args["pooling"] == "avg":
        name = "avg_pool" if named_pooling else None
        return layers.GlobalAveragePooling2D(name=name)(x)
    if args["pooling"] == "max":
        name = "max_pool" if named_pooling else None
        return layers.GlobalMaxPooling2D(name=name)(x)
    return x


def unnamed_pooled_top(x: Any, args: dict) -> Any:
    """`pooled_top` with Keras's unnamed pooling layers."""
    return pooled_top(x, args, named_pooling=False)


def classifier(x: Any, args: dict) -> Any:
    """The `predictions` Dense layer (`classes` units)."""
    from lamina import layers

    activation = args["classifier_activation"]
    imagenet_utils.validate_activation(activation, args["weights"])
    return layers.Dense(
        args["classes"], activation=activation, name="predictions"
    )(x)


def build_model(
    input_tensor: Any,
    img_input: Any,
    outputs: Any,
    name: str,
    weights: Any,
    weights_file: tuple | None = None,
) -> Any:
    """The functional model from the image input (or the sources of
    `input_tensor`) to `outputs`, with `weights` loaded
    (`weights_file` is the published file for `weights="imagenet"`)."""
    from lamina.models import Functional
    from lamina.utils.graph_utils import get_source_inputs

    inputs = img_input
    if input_tensor is not None:
        inputs = get_source_inputs(input_tensor)
    model = Functional(inputs, outputs, name=name)
    weights_lib.load_weights(model, weights, *(weights_file or ()))
    return model


def _data_format() -> str:
    from lamina import config

    return config.image_data_format()


def channel_axis() -> int:
    """The channel axis of a 4D image batch (3, or 1 for
    `channels_first`)."""
    return 3 if _data_format() == "channels_last" else 1


ARGS_DOC = """
    Args:
        include_top: whether to include the classifier at the top.
        weights: `None` (random initialization), `"imagenet"` (Keras's
            published ImageNet weights, downloaded once into Keras's cache,
            `~/.keras/models`) or the path of a weights file.
        input_tensor: optional symbolic tensor (`lamina.Input()`) to use as
            the image input.
        input_shape: optional `(height, width, channels)` when
            `include_top=False` (with the top and ImageNet weights it must
            be `({size}, {size}, 3)`); each side at least {min_size}.
        pooling: with `include_top=False`, `None` (the 4D feature map),
            `"avg"` or `"max"` (global pooling to a 2D tensor).
        classes: the number of classes with `include_top=True` (1000 with
            ImageNet weights).
        classifier_activation: the activation of the top layer (`None` for
            logits); only `None` or `"softmax"` with pretrained weights.
        name: the model's name.

    Returns:
        A functional `lamina.Model`.
"""


def document(builders: tuple, size: int, min_size: int) -> None:
    """Append the shared argument section to each builder's docstring."""
    for builder in builders:
        builder.__doc__ += ARGS_DOC.format(size=size, min_size=min_size)
