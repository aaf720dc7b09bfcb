"""What a `FeatureSpace` is made of: `Feature` (an input's dtype, its
preprocessing layer and how it is encoded) and `Cross` (a hashed crossing
of several features), with Keras's configs."""

from __future__ import annotations

from typing import Any

from lamina.layers.core.identity import Identity

# Where Keras's configs say these classes live (kept for file parity).
_MODULE = "keras.src.layers.preprocessing.feature_space"


class TFDIdentity(Identity):
    """The preprocessor of `"float"` features, under the class name
    Keras's configs give it (so configs travel both ways)."""

    _keras_module = _MODULE


def _preprocessor_from_config(config: dict) -> Any:
    if config.get("class_name") == "TFDIdentity":
        return TFDIdentity.from_config(config["config"])
    from lamina.saving.serialization import deserialize_keras_object

    return deserialize_keras_object(config)


def _check_mode(kind: str, output_mode: str, allowed: tuple) -> None:
    if output_mode not in allowed:
        raise ValueError(
            f"Invalid value for argument `output_mode` of {kind}: expected "
            f"one of {allowed}. Received: output_mode={output_mode!r}"
        )


class Cross:
    """A crossing of features, hashed into `crossing_dim` bins."""

    def __init__(
        self,
        feature_names: Any,
        crossing_dim: int,
        output_mode: str = "one_hot",
    ):
        _check_mode("Cross", output_mode, ("int", "one_hot"))
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self) -> str:
        return "_X_".join(self.feature_names)

    def get_config(self) -> dict:
        return {
            "feature_names": self.feature_names,
            "crossing_dim": self.crossing_dim,
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config: dict) -> Cross:
        return cls(**config)


class Feature:
    """One input of a `FeatureSpace`: its dtype, the layer preprocessing
    it, and its encoding (`"int"`, `"one_hot"` or `"float"`)."""

    def __init__(self, dtype: str, preprocessor: Any, output_mode: str):
        _check_mode("Feature", output_mode, ("int", "one_hot", "float"))
        if isinstance(preprocessor, dict):
            preprocessor = _preprocessor_from_config(preprocessor)
        self.dtype = dtype
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self) -> dict:
        from lamina.saving.serialization import serialize_keras_object

        return {
            "dtype": self.dtype,
            "preprocessor": serialize_keras_object(self.preprocessor),
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config: dict) -> Feature:
        return cls(**config)


def serialize_spec(spec: Feature | Cross) -> dict:
    """A `Feature` or `Cross` as Keras writes it into a config."""
    name = type(spec).__name__
    return {
        "module": _MODULE,
        "class_name": name,
        "config": spec.get_config(),
        "registered_name": name,
    }


def deserialize_spec(config: dict) -> Feature | Cross:
    """Rebuild `serialize_spec`'s output (only these two classes)."""
    classes: dict[Any, Any] = {"Feature": Feature, "Cross": Cross}
    cls = classes.get(config.get("class_name"))
    if cls is None:
        raise ValueError(
            "FeatureSpace: expected a serialized Feature or Cross. Received: "
            f"config={config!r}"
        )
    return cls.from_config(config["config"])
