"""How `FeatureSpace.adapt` feeds its preprocessors: which need adapting,
and each one's column gathered from a dict or from batches of dicts."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch


def needs_adapt(preprocessor: Any) -> bool:
    """Whether `adapt` has something to learn for this preprocessor (a
    Normalization with a given mean, a TextVectorization with a given
    vocabulary, or a layer without `adapt`, has not)."""
    from lamina.layers.preprocessing.normalization import Normalization
    from lamina.layers.preprocessing.text_vectorization import (
        TextVectorization,
    )

    if isinstance(preprocessor, Normalization):
        return preprocessor.input_mean is None
    if isinstance(preprocessor, TextVectorization):
        return not preprocessor._lookup_layer._has_input_vocabulary
    return hasattr(preprocessor, "adapt")


def _as_array(value: Any) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    array = np.asarray(value)
    return array.astype(object) if array.dtype.kind == "U" else array


def _as_column(array: np.ndarray) -> np.ndarray:
    # Each preprocessor learns from `(samples, 1)`, as it will be called.
    return array.reshape(-1, 1) if array.ndim <= 1 else array


def collect_columns(dataset: Any, keys: list) -> dict:
    """`{key: (samples, 1) array}` for `keys`, from a dict of arrays or
    lists, or an iterable of such dicts (a lamina `Dataset`, a
    `DataLoader`, a generator); `(x, y)` batches contribute `x`."""
    if isinstance(dataset, dict):
        return {key: _as_column(_as_array(dataset[key])) for key in keys}
    if isinstance(dataset, (str, bytes)) or not hasattr(dataset, "__iter__"):
        raise ValueError(
            "`adapt()` can only be called on a dict of arrays/lists or an "
            "iterable of such dicts (e.g. a lamina Dataset). Received "
            f"instead: {dataset!r} (of type {type(dataset)})"
        )
    parts: dict = {key: [] for key in keys}
    for batch in dataset:
        batch = batch[0] if isinstance(batch, (tuple, list)) else batch
        if not isinstance(batch, dict):
            raise ValueError(
                "`adapt()` expects each element of the dataset to be a dict "
                f"of features. Received: {type(batch)}"
            )
        for key in keys:
            parts[key].append(_as_column(_as_array(batch[key])))
    return {key: np.concatenate(parts[key]) for key in keys}
