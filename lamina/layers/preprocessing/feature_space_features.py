"""The `Feature` constructors of `FeatureSpace` (its class methods), the
symbolic inputs, one-hot sizes and input batching it uses."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from lamina.engine.naming import auto_name
from lamina.layers.preprocessing.category_encoding import CategoryEncoding
from lamina.layers.preprocessing.discretization import Discretization
from lamina.layers.preprocessing.feature_space_specs import (
    Cross,
    Feature,
    TFDIdentity,
)
from lamina.layers.preprocessing.hashed_crossing import HashedCrossing
from lamina.layers.preprocessing.hashing import Hashing
from lamina.layers.preprocessing.integer_lookup import IntegerLookup
from lamina.layers.preprocessing.normalization import Normalization
from lamina.layers.preprocessing.rescaling import Rescaling
from lamina.layers.preprocessing.string_lookup import StringLookup


def cross(
    cls: Any,
    feature_names: Any,
    crossing_dim: Any,
    output_mode: str = "one_hot",
) -> Cross:
    return Cross(feature_names, crossing_dim, output_mode=output_mode)


def feature(
    cls: Any, dtype: str, preprocessor: Any, output_mode: str
) -> Feature:
    return Feature(dtype, preprocessor, output_mode)


def _named(prefix: str, name: str | None) -> str:
    return f"{name or auto_name(prefix)}_preprocessor"


def float_(cls: Any, name: str | None = None) -> Feature:
    layer = TFDIdentity(dtype="float32", name=_named("float", name))
    return Feature("float32", layer, "float")


def float_rescaled(
    cls: Any, scale: Any = 1.0, offset: float = 0.0, name: str | None = None
) -> Feature:
    layer = Rescaling(scale, offset, name=_named("float_rescaled", name))
    return Feature("float32", layer, "float")


def float_normalized(cls: Any, name: str | None = None) -> Feature:
    layer = Normalization(axis=-1, name=_named("float_normalized", name))
    return Feature("float32", layer, "float")


def float_discretized(
    cls: Any,
    num_bins: Any,
    bin_boundaries: Any = None,
    output_mode: str = "one_hot",
    name: str | None = None,
) -> Feature:
    layer = Discretization(
        bin_boundaries=bin_boundaries,
        num_bins=num_bins,
        name=_named("float_discretized", name),
    )
    return Feature("float32", layer, output_mode)


def integer_categorical(
    cls: Any,
    max_tokens: Any = None,
    num_oov_indices: int = 1,
    output_mode: str = "one_hot",
    name: str | None = None,
) -> Feature:
    layer = IntegerLookup(
        max_tokens=max_tokens,
        num_oov_indices=num_oov_indices,
        name=_named("integer_categorical", name),
    )
    return Feature("int32", layer, output_mode)


def string_categorical(
    cls: Any,
    max_tokens: Any = None,
    num_oov_indices: int = 1,
    output_mode: str = "one_hot",
    name: str | None = None,
) -> Feature:
    layer = StringLookup(
        max_tokens=max_tokens,
        num_oov_indices=num_oov_indices,
        name=_named("string_categorical", name),
    )
    return Feature("string", layer, output_mode)


def string_hashed(
    cls: Any,
    num_bins: Any,
    output_mode: str = "one_hot",
    name: str | None = None,
) -> Feature:
    layer = Hashing(num_bins, name=_named("string_hashed", name))
    return Feature("string", layer, output_mode)


def integer_hashed(
    cls: Any,
    num_bins: Any,
    output_mode: str = "one_hot",
    name: str | None = None,
) -> Feature:
    layer = Hashing(num_bins, name=_named("integer_hashed", name))
    return Feature("int32", layer, output_mode)


def from_type_name(space: Any, key: str, type_name: Any) -> Feature:
    """The `Feature` a type name (`"float_normalized"`, ...) stands for."""
    simple: dict[str, Any] = {
        "float": float_,
        "float_normalized": float_normalized,
        "float_rescaled": float_rescaled,
        "integer_categorical": integer_categorical,
        "string_categorical": string_categorical,
    }
    if type_name in simple:
        return simple[type_name](type(space), name=key)
    if type_name == "float_discretized":
        bins = space.num_discretization_bins
        return float_discretized(type(space), bins, name=key)
    if type_name in ("integer_hashed", "string_hashed"):
        maker = integer_hashed if type_name == "integer_hashed" else (
            string_hashed
        )  # fmt: skip
        return maker(type(space), space.hashing_dim, name=key)
    raise ValueError(
        f"FeatureSpace: invalid feature type for feature '{key}': expected a "
        "Feature or one of ('float', 'float_normalized', 'float_rescaled', "
        "'float_discretized', 'integer_categorical', 'string_categorical', "
        f"'integer_hashed', 'string_hashed'). Received: {type_name!r}"
    )


def make_inputs(feature_specs: dict) -> dict:
    """One symbolic `Input` of shape `(1,)` per feature, named for it."""
    from lamina.layers.core.input_layer import Input

    return {
        key: Input(shape=(1,), dtype=spec.dtype, name=key)
        for key, spec in feature_specs.items()
    }


def cardinality(key: str, layer: Any, dtype: str) -> int:
    """The one-hot size of a feature's (integer) preprocessed values."""
    if not dtype.startswith("int"):
        raise ValueError(
            f"Feature '{key}' has `output_mode='one_hot'`. Thus its "
            "preprocessor should return an integer dtype. Instead it returns "
            f"a {dtype} dtype."
        )
    if isinstance(layer, (IntegerLookup, StringLookup)):
        return layer.vocabulary_size()
    if isinstance(layer, CategoryEncoding):
        return layer.num_tokens
    if isinstance(layer, (Discretization, Hashing, HashedCrossing)):
        return layer.num_bins
    raise ValueError(
        f"Feature '{key}' has `output_mode='one_hot'`. However it isn't a "
        "standard feature and the dimensionality of its output space is not "
        "known, thus it cannot be one-hot encoded. Try using "
        "`output_mode='int'`."
    )


def _column(value: Any, dtype: str) -> Any:
    if dtype == "string":
        return np.asarray(value, dtype=object)
    if isinstance(value, torch.Tensor):
        return value
    return torch.as_tensor(np.asarray(value))


def standardize_batch(data: dict, feature_specs: dict) -> tuple:
    """Each feature as a `(batch, 1)` column; a dict of scalars becomes a
    batch of one (`rebatched` says so, to squeeze it off again)."""
    batch, rebatched = {}, False
    for key, spec in feature_specs.items():
        if key not in data:
            raise ValueError(
                f"FeatureSpace: the input dict has no feature '{key}'. "
                f"Expected keys: {sorted(feature_specs)}. Received keys: "
                f"{sorted(data)}"
            )
        value = _column(data[key], spec.dtype)
        if value.ndim == 0:
            value, rebatched = value.reshape(1, 1), True
        elif value.ndim == 1:
            value = value[:, None]
        batch[key] = value
    return batch, rebatched
