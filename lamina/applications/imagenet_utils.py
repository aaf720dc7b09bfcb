"""ImageNet helpers shared by the applications (Keras 3's
`keras.applications.imagenet_utils`): `preprocess_input` in the three
modes the published weights were trained with, `decode_predictions`, and
the input-shape checks every architecture runs before building."""

from __future__ import annotations

import json
import warnings
from typing import Any

import numpy as np

from lamina import config

# Keras's class-index file: same URL, name and hash, so a cache Keras
# filled serves lamina offline.
CLASS_INDEX_PATH = (
    "https://storage.googleapis.com/download.tensorflow.org/"
    "data/imagenet_class_index.json"
)
CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"
CLASS_INDEX = None

_MODES = {
    # mode: (channel order, mean, std); "tf" scales to [-1, 1] instead.
    "caffe": ((2, 1, 0), (103.939, 116.779, 123.68), None),
    "torch": ((0, 1, 2), (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
}


def preprocess_input(
    x: Any, data_format: str | None = None, mode: str = "caffe"
) -> Any:
    """Preprocess a batch of images (values in [0, 255]) for an ImageNet
    model.

    Args:
        x: a float NumPy array, a torch tensor or a symbolic tensor, 3D or
            4D, with 3 color channels. A float NumPy array is modified in
            place, as in Keras (pass `numpy.copy(x)` to keep it); tensors
            are never modified.
        data_format: `"channels_last"` or `"channels_first"`; `None` uses
            `lamina.config.image_data_format()`.
        mode: `"caffe"` (RGB to BGR, then subtract the ImageNet mean of
            each channel), `"tf"` (scale to [-1, 1]) or `"torch"` (scale
            to [0, 1], then normalize each channel by the ImageNet mean
            and standard deviation).

    Returns:
        The preprocessed images, `float32` for integer NumPy input.

    Example:

    >>> import numpy as np, lamina
    >>> x = np.full((1, 2, 2, 3), 255.0)
    >>> lamina.applications.imagenet_utils.preprocess_input(x, mode="tf")[0, 0, 0]
    array([1., 1., 1.])
    """
    if mode not in {"caffe", "tf", "torch"}:
        raise ValueError(
            "Expected mode to be one of `caffe`, `tf` or `torch`. "
            f"Received: mode={mode}"
        )
    if data_format is None:
        data_format = config.image_data_format()
    elif data_format not in {"channels_first", "channels_last"}:
        raise ValueError(
            "Expected data_format to be one of `channels_first` or "
            f"`channels_last`. Received: data_format={data_format}"
        )
    if isinstance(x, np.ndarray):
        return _preprocess_numpy(x, data_format, mode)
    return _preprocess_tensor(x, data_format, mode)


def _channel_axis(ndim: int, data_format: str) -> int:
    if data_format == "channels_last":
        return ndim - 1
    return 0 if ndim == 3 else 1


def _channel(x: Any, axis: int, index: Any) -> Any:
    return x[(slice(None),) * axis + (index,)]


def _preprocess_numpy(x: np.ndarray, data_format: str, mode: str):
    if not issubclass(x.dtype.type, np.floating):
        x = x.astype(config.floatx(), copy=False)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    axis = _channel_axis(x.ndim, data_format)
    order, mean, std = _MODES[mode]
    if mode == "torch":
        x /= 255.0
    else:  # a reversed view, as Keras: the caller's array is updated too
        x = x[(slice(None),) * axis + (slice(None, None, -1),)]
    for c in range(3):
        _channel(x, axis, c)[...] -= mean[c]
        if std is not None:
            _channel(x, axis, c)[...] /= std[c]
    return x


def _preprocess_tensor(x: Any, data_format: str, mode: str):
    """Per-channel arithmetic with Python scalars, so the same code serves
    torch tensors and symbolic tensors of a functional graph."""
    from lamina import ops

    if mode == "tf":
        return x / 127.5 - 1.0
    axis = _channel_axis(len(x.shape), data_format)
    order, mean, std = _MODES[mode]
    if mode == "torch":
        x = x / 255.0
    channels = []
    for c, source in enumerate(order):
        channel = _channel(x, axis, source) - mean[c]
        channels.append(channel if std is None else channel / std[c])
    return ops.stack(channels, axis=axis)


def decode_predictions(preds: Any, top: int = 5) -> list:
    """Decode a batch of ImageNet predictions into
    `(class_name, class_description, score)` tuples, best first.

    The class index is Keras's `imagenet_class_index.json`, fetched once
    into Keras's cache (`~/.keras/models`) with `lamina.utils.get_file`.

    Args:
        preds: a `(samples, 1000)` array or tensor of scores.
        top: how many classes to return per sample.

    Returns:
        One list of `top` tuples per sample.
    """
    global CLASS_INDEX
    if len(preds.shape) != 2 or preds.shape[1] != 1000:
        raise ValueError(
            "`decode_predictions` expects a batch of predictions (i.e. a 2D "
            f"array of shape (samples, 1000)). Received array with shape: "
            f"{tuple(preds.shape)}"
        )
    if CLASS_INDEX is None:
        from lamina.utils.file_utils import get_file

        path = get_file(
            "imagenet_class_index.json",
            CLASS_INDEX_PATH,
            cache_subdir="models",
            file_hash=CLASS_INDEX_HASH,
        )
        with open(path) as f:
            CLASS_INDEX = json.load(f)
    if hasattr(preds, "detach"):
        preds = preds.detach().cpu().numpy()
    results = []
    for pred in np.asarray(preds):
        best = pred.argsort()[-top:][::-1]
        result = [tuple(CLASS_INDEX[str(i)]) + (pred[i],) for i in best]
        result.sort(key=lambda item: item[2], reverse=True)
        results.append(result)
    return results


def obtain_input_shape(
    input_shape: Any,
    default_size: int,
    min_size: int,
    data_format: str,
    require_flatten: bool,
    weights: Any = None,
) -> tuple:
    """The input shape (without batch axis) an architecture builds with,
    after Keras's checks: 3 channels for ImageNet weights, at least
    `min_size` pixels per side, a static shape when the classifier top is
    included (and the default shape with ImageNet weights)."""
    channels_last = data_format == "channels_last"
    default_shape = _default_shape(
        input_shape, default_size, channels_last, weights
    )
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError(
                "When setting `include_top=True` and loading `imagenet` "
                f"weights, `input_shape` should be {default_shape}.  "
                f"Received: input_shape={input_shape}"
            )
        return default_shape
    if input_shape:
        _check_input_shape(tuple(input_shape), min_size, channels_last, weights)
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (None, None, 3) if channels_last else (3, None, None)
    if require_flatten and None in input_shape:
        raise ValueError(
            "If `include_top` is True, you should specify a static "
            f"`input_shape`. Received: input_shape={input_shape}"
        )
    return tuple(input_shape)


def _default_shape(input_shape, default_size, channels_last, weights):
    if weights == "imagenet" or not input_shape or len(input_shape) != 3:
        if channels_last:
            return (default_size, default_size, 3)
        return (3, default_size, default_size)
    channels = input_shape[-1] if channels_last else input_shape[0]
    if channels not in {1, 3}:
        warnings.warn(
            "This model usually expects 1 or 3 input channels. However, it "
            f"was passed an input_shape with {channels} input channels.",
            stacklevel=3,
        )
    if channels_last:
        return (default_size, default_size, channels)
    return (channels, default_size, default_size)


def _check_input_shape(input_shape, min_size, channels_last, weights):
    if len(input_shape) != 3:
        raise ValueError(
            "`input_shape` must be a tuple of three integers. Received: "
            f"input_shape={input_shape}"
        )
    channels = input_shape[-1] if channels_last else input_shape[0]
    if channels != 3 and weights == "imagenet":
        raise ValueError(
            "The input must have 3 channels; Received "
            f"`input_shape={input_shape}`"
        )
    sides = input_shape[:2] if channels_last else input_shape[1:]
    if any(side is not None and side < min_size for side in sides):
        raise ValueError(
            f"Input size must be at least {min_size}x{min_size}; Received: "
            f"input_shape={input_shape}"
        )


def correct_pad(inputs: Any, kernel_size: Any) -> tuple:
    """The zero padding Keras puts before a strided 'valid' convolution so
    that its output matches TensorFlow's 'same' padding."""
    first = 2 if config.image_data_format() == "channels_first" else 1
    size = inputs.shape[first : first + 2]
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    adjust = (1, 1) if size[0] is None else (1 - size[0] % 2, 1 - size[1] % 2)
    correct = (kernel_size[0] // 2, kernel_size[1] // 2)
    return (
        (correct[0] - adjust[0], correct[0]),
        (correct[1] - adjust[1], correct[1]),
    )


def validate_activation(classifier_activation: Any, weights: Any) -> None:
    """Pretrained weights allow only a softmax or linear classifier."""
    if weights is None:
        return
    from lamina import activations

    activation = activations.get(classifier_activation)
    if activation not in {activations.get("softmax"), activations.get(None)}:
        raise ValueError(
            "Only `None` and `softmax` activations are allowed for the "
            "`classifier_activation` argument when using pretrained weights, "
            "with `include_top=True`; Received: "
            f"classifier_activation={classifier_activation}"
        )
