"""The `weights` argument every application takes: `"imagenet"` (Keras's
published file, fetched into Keras's cache), a path to a weights file, or
`None` (random initialization)."""

from __future__ import annotations

import os
from typing import Any

# Where Keras publishes the ImageNet weights of the applications.
KERAS_WEIGHTS_ROOT = (
    "https://storage.googleapis.com/tensorflow/keras-applications/"
)


def check_weights(
    weights: Any, include_top: bool, classes: int, owner: str
) -> None:
    """Refuse a `weights` value the architecture `owner` cannot load,
    before anything is built.

    Raises:
        ValueError: `weights` is neither `None`, `"imagenet"` nor an
            existing file, or `weights="imagenet"` with `include_top=True`
            and `classes != 1000`.
    """
    if not (weights in {"imagenet", None} or _is_file(weights)):
        raise ValueError(
            f"The `weights` argument of {owner} should be either `None` "
            "(random initialization), 'imagenet' (pre-training on ImageNet), "
            "or the path to the weights file to be loaded (no such file "
            f"exists).  Received: weights={weights!r}"
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            f"If using `weights='imagenet'` with `include_top=True`, {owner} "
            "needs `classes=1000` (the ImageNet classes); pass "
            "`include_top=False` to put your own classifier on top, or "
            f"`weights=None`.  Received classes={classes}"
        )


def _is_file(weights: Any) -> bool:
    return isinstance(weights, (str, os.PathLike)) and os.path.isfile(weights)


def load_weights(
    model: Any,
    weights: Any,
    file_name: str | None = None,
    origin: str | None = None,
    file_hash: str | None = None,
) -> None:
    """Fill `model` from `weights`.

    With `"imagenet"`, Keras's file `file_name` is taken from Keras's
    cache (`~/.keras/models`, or `$KERAS_HOME/models`) or downloaded from
    `origin` and checked against `file_hash` there, exactly as Keras does,
    so either library's cache serves the other. A path is loaded as given
    (a legacy `.h5` file by layer order, as Keras loads its published
    files). Every mismatch is reported in one error before any weight is
    assigned, so a file of another architecture leaves the model as built.
    """
    if weights is None:
        return
    path = weights
    if weights == "imagenet":
        if file_name is None:
            raise ValueError(
                f"No ImageNet weights are published for model "
                f"'{model.name}'; pass `weights=None` or the path to a "
                "weights file."
            )
        from lamina.utils.file_utils import get_file

        path = get_file(
            file_name, origin, cache_subdir="models", file_hash=file_hash
        )
    try:
        model.load_weights(path)
    except ValueError as e:
        raise ValueError(
            f"The weights file {os.fspath(path)!r} does not fit model "
            f"'{model.name}' as built (check the architecture and its "
            "`include_top`, `input_shape`, `classes` and model-specific "
            f"arguments against the file's):\n{e}"
        ) from e
