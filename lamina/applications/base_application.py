"""The pieces every application shares around its own layers: the image
input (new, or the caller's `input_tensor`), the classifier or pooling
top, and the model with its weights."""

from __future__ import annotations

from typing import Any

from lamina.applications import imagenet_utils
from lamina.applications import weights as weights_lib


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


def pooled_top(
    x: Any,
    include_top: bool,
    pooling: str | None,
    classes: int,
    classifier_activation: Any,
    weights: Any,
) -> Any:
    """Keras's usual top: global average pooling and a `predictions`
    Dense layer, or the `pooling` of `include_top=False` (`"avg"`,
    `"max"` or `None`)."""
    from lamina import layers

    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        return layers.Dense(
            classes, activation=classifier_activation, name="predictions"
        )(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name="avg_pool")(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name="max_pool")(x)
    return x


def build_model(
    input_tensor: Any,
    img_input: Any,
    outputs: Any,
    name: str,
    weights: Any,
    weights_file: tuple | None = None,
) -> Any:
    """The functional model from the image input (or the sources of
    `input_tensor`) to `outputs`, with `weights` loaded.

    Args:
        weights_file: `(file_name, origin, file_hash)` of Keras's
            published ImageNet file for this configuration, or `None`
            when Keras publishes none.
    """
    from lamina.models import Functional
    from lamina.utils.graph_utils import get_source_inputs

    inputs = img_input
    if input_tensor is not None:
        inputs = get_source_inputs(input_tensor)
    model = Functional(inputs, outputs, name=name)
    weights_lib.load_weights(model, weights, *(weights_file or ()))
    return model


def data_format_axis() -> int:
    """The channel axis of a 4D image batch (BatchNormalization's axis)."""
    from lamina import config

    return 3 if config.image_data_format() == "channels_last" else 1
