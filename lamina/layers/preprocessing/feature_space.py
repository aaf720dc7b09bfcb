"""`keras.utils.FeatureSpace`: one object that preprocesses and encodes a
dict of structured-data features (numbers, categories, strings, crosses)
into one vector or a dict, inside or outside a model."""

from __future__ import annotations

from typing import Any

import torch

from lamina import ops
from lamina.backend import standardize_dtype
from lamina.engine.layer import Layer
from lamina.layers.preprocessing import feature_space_adapt as adapting
from lamina.layers.preprocessing import feature_space_features as features
from lamina.layers.preprocessing.category_encoding import CategoryEncoding
from lamina.layers.preprocessing.feature_space_specs import (
    Cross,
    Feature,
    deserialize_spec,
    serialize_spec,
)
from lamina.layers.preprocessing.hashed_crossing import HashedCrossing


class FeatureSpace(Layer):
    """Preprocess and encode structured data, one feature per dict key.

    Each feature is a `Feature` (built with the class methods `float`,
    `float_rescaled`, `float_normalized`, `float_discretized`,
    `integer_categorical`, `string_categorical`, `integer_hashed`,
    `string_hashed`, or `feature`) or one of those names as a string.
    `adapt` learns vocabularies, statistics and bins; calling the space on
    a dict of arrays returns the encoded features, concatenated
    (`output_mode="concat"`) or as a dict. `get_inputs()` and
    `get_encoded_features()` give the same computation as symbolic
    tensors, to build a model that takes raw features.

    Args:
        features: dict of feature name to `Feature` or type name.
        output_mode: `"concat"` or `"dict"`.
        crosses: feature-name tuples (or `Cross`es) to hash-cross.
        crossing_dim: bins of each cross.
        hashing_dim: bins of `"string_hashed"`/`"integer_hashed"` features.
        num_discretization_bins: bins of `"float_discretized"` features.
        name: the space's name.

    Example:

    >>> import numpy as np, lamina
    >>> space = lamina.utils.FeatureSpace(
    ...     {"age": "float_normalized", "city": "string_categorical"})
    >>> space.adapt({"age": np.array([20.0, 40.0]),
    ...              "city": np.array(["paris", "rome"])})
    >>> space({"age": np.array([30.0]), "city": np.array(["rome"])})
    tensor([[0., 0., 1., 0.]])
    """

    _keras_module = "keras.utils"  # where Keras exports it

    # Keras's constructors of `Feature`s, as class methods.
    cross = classmethod(features.cross)
    feature = classmethod(features.feature)
    # Keras's FeatureSpace.float shadows nn.Module.float on purpose.
    float = classmethod(features.float_)  # type: ignore[assignment]
    float_rescaled = classmethod(features.float_rescaled)
    float_normalized = classmethod(features.float_normalized)
    float_discretized = classmethod(features.float_discretized)
    integer_categorical = classmethod(features.integer_categorical)
    string_categorical = classmethod(features.string_categorical)
    string_hashed = classmethod(features.string_hashed)
    integer_hashed = classmethod(features.integer_hashed)

    def __init__(
        self,
        features: dict,
        output_mode: str = "concat",
        crosses: Any = None,
        crossing_dim: int = 32,
        hashing_dim: int = 32,
        num_discretization_bins: int = 32,
        name: str | None = None,
    ):
        super().__init__(name=name)
        if not features:
            raise ValueError(
                "FeatureSpace: the `features` argument cannot be None or "
                f"empty. Received: features={features!r}"
            )
        if output_mode not in ("dict", "concat"):
            raise ValueError(
                "Invalid value for argument `output_mode` of FeatureSpace: "
                "expected one of ('dict', 'concat'). Received: "
                f"output_mode={output_mode!r}"
            )
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.output_mode = output_mode
        self.features = {
            key: self._standardize_feature(key, value)
            for key, value in features.items()
        }
        self.crosses = self._standardize_crosses(crosses, features)
        self.crosses_by_name = {cross.name: cross for cross in self.crosses}
        self.preprocessors = torch.nn.ModuleDict(
            {k: f.preprocessor for k, f in self.features.items()}
        )
        self.crossers = torch.nn.ModuleDict(
            {c.name: HashedCrossing(c.crossing_dim, name=c.name)
             for c in self.crosses}
        )  # fmt: skip
        self.one_hot_encoders = torch.nn.ModuleDict()
        self.inputs: Any = None
        self.encoded_features: Any = None
        self._is_adapted = False
        self._sublayers_built = False

    def _standardize_feature(self, key: str, feature: Any) -> Any:
        if isinstance(feature, Feature):
            return feature
        if isinstance(feature, dict):
            return deserialize_spec(feature)
        return features.from_type_name(self, key, feature)

    def _standardize_crosses(self, crosses: Any, names: dict) -> list:
        result = []
        for cross in crosses or ():
            if isinstance(cross, dict):
                cross = deserialize_spec(cross)
            if not isinstance(cross, Cross):
                if not self.crossing_dim:
                    raise ValueError(
                        "FeatureSpace: when specifying `crosses`, the "
                        "argument `crossing_dim` (bins of the crossing "
                        "space) should be specified as well. Received: "
                        f"crossing_dim={self.crossing_dim!r}"
                    )
                unknown = [key for key in cross if key not in names]
                if unknown:
                    raise ValueError(
                        "FeatureSpace: all features referenced in the "
                        "`crosses` argument should be present in the "
                        f"`features` dict. Received unknown features: {cross}"
                    )
                cross = Cross(cross, crossing_dim=self.crossing_dim)
            result.append(cross)
        return result

    def adapt(self, dataset: Any) -> None:
        """Learn each adaptable preprocessor's state from `dataset`: a dict
        of arrays or lists, or an iterable of such dicts (batches)."""
        columns = adapting.collect_columns(dataset, self._adaptable())
        for key, column in columns.items():
            preprocessor: Any = self.preprocessors[key]
            preprocessor.adapt(column)
        self._is_adapted = True
        self.get_encoded_features()
        self.built = self._sublayers_built = True

    def _adaptable(self) -> list:
        return [
            key
            for key, preprocessor in self.preprocessors.items()
            if adapting.needs_adapt(preprocessor)
        ]

    def get_inputs(self) -> dict:
        """The symbolic `Input` of each feature."""
        self._check_if_built()
        return self.inputs

    def get_encoded_features(self) -> Any:
        """The encoded features as symbolic tensors of `get_inputs()`."""
        self._check_if_adapted()
        if self.encoded_features is None:
            self.inputs = features.make_inputs(self.features)
            self.encoded_features = self._encode(self.inputs)
        return self.encoded_features

    def _check_if_adapted(self) -> None:
        if not self._is_adapted:
            if self._adaptable():
                raise ValueError(
                    "You need to call `.adapt(dataset)` on the FeatureSpace "
                    "before you can start using it."
                )
            self._is_adapted = True

    def _check_if_built(self) -> None:
        if not self._sublayers_built:
            self._check_if_adapted()
            self.get_encoded_features()
            self._sublayers_built = True
            self.built = True

    def _encode(self, data: dict) -> Any:
        processed = {k: self.preprocessors[k](data[k]) for k in self.features}
        crossed = {
            cross.name: self.crossers[cross.name](
                [processed[k] for k in cross.feature_names]
            )
            for cross in self.crosses
        }
        merged = {**processed, **crossed}
        names = sorted(processed) + sorted(crossed)
        if self.encoded_features is None:  # the first, symbolic encode
            self._make_encoders(merged, names)
        out = {}
        for key in names:
            encoder = self.one_hot_encoders[key] if (
                key in self.one_hot_encoders
            ) else None  # fmt: skip
            out[key] = merged[key] if encoder is None else encoder(merged[key])
        if self.output_mode == "dict":
            return out
        return ops.concatenate([out[key] for key in names], axis=-1)

    def _make_encoders(self, merged: dict, names: list) -> None:
        for key in names:
            spec = self.features.get(key) or self.crosses_by_name[key]
            dtype = standardize_dtype(merged[key].dtype)
            if spec.output_mode == "one_hot":
                layer = self.preprocessors[key] if (
                    key in self.preprocessors
                ) else self.crossers[key]  # fmt: skip
                size = features.cardinality(key, layer, dtype)
                self.one_hot_encoders[key] = CategoryEncoding(
                    num_tokens=size, output_mode="multi_hot"
                )
            elif self.output_mode == "concat" and (
                dtype.startswith("int") or dtype == "string"
            ):
                raise ValueError(
                    "Cannot concatenate features because feature "
                    f"'{key}' has not been encoded (it has dtype {dtype}). "
                    "Consider using `output_mode='dict'`."
                )

    def __call__(self, data: dict) -> Any:
        self._check_if_built()
        if not isinstance(data, dict):
            raise ValueError(
                "A FeatureSpace can only be called with a dict. Received: "
                f"data={data!r} (of type {type(data)})"
            )
        batch, rebatched = features.standardize_batch(data, self.features)
        out = self._encode(batch)
        if not rebatched:
            return out
        if self.output_mode == "concat":
            return out[0]
        return {k: v[0] if v.ndim == 2 and v.shape[0] == 1 else v
                for k, v in out.items()}  # fmt: skip

    def get_config(self) -> dict:
        return {
            "features": {
                k: serialize_spec(f) for k, f in self.features.items()
            },
            "output_mode": self.output_mode,
            "crosses": [serialize_spec(c) for c in self.crosses],
            "crossing_dim": self.crossing_dim,
            "hashing_dim": self.hashing_dim,
            "num_discretization_bins": self.num_discretization_bins,
        }

    def get_build_config(self) -> dict:
        return {
            key: feature.preprocessor.get_build_config()
            for key, feature in self.features.items()
        }

    def build_from_config(self, config: dict) -> None:
        for key, value in config.items():
            preprocessor = self.features[key].preprocessor
            if not preprocessor.built and value:
                preprocessor.build_from_config(value)
        self._is_adapted = True

    def save(self, filepath: str) -> None:
        """Save the space to a `.keras` file (reload with `load_model`)."""
        from lamina.saving.saving_api import save_model

        save_model(self, filepath)
