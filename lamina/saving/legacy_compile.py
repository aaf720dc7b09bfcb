"""The `training_config` of legacy `.h5` files: compiling a loaded model,
and writing the config back.

tf.keras 2.x and Keras 3 write `{"optimizer_config", "loss", "metrics",
"weighted_metrics", "loss_weights", ...}`. The optimizer comes from
lamina's optimizers only (a `Custom>` prefix, which tf.keras 2.11+ wrote
for its new optimizers, is dropped; Keras 2 arguments with no Keras 3
meaning are dropped); losses and metrics from lamina's tables or the
user's `custom_objects`. A config that cannot be understood gives a
warning and an uncompiled model, never an error.
"""

from __future__ import annotations

import warnings
from typing import Any

from lamina.saving import registration
from lamina.saving import serialization

# Keras 2 optimizer arguments that Keras 3 dropped without a replacement.
_DROPPED_OPTIMIZER_KEYS = ("is_legacy_optimizer", "jit_compile")
# Metric names Keras resolves by the loss (`"accuracy"` → categorical...).
_LOSS_DEPENDENT_METRICS = ("accuracy", "acc", "crossentropy", "ce")


def _optimizer(config: Any) -> Any:
    from lamina import optimizers

    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"no readable `optimizer_config` ({config!r:.200})")
    class_name = str(config["class_name"])
    if (
        class_name.startswith("Custom>")
        and class_name[7:].lower() in optimizers.ALL_OBJECTS_DICT
    ):
        class_name = class_name[7:]
    inner = dict(config.get("config") or {})
    for key in _DROPPED_OPTIMIZER_KEYS:
        inner.pop(key, None)
    if "lr" in inner:  # Keras 2.0-2.2's name
        inner.setdefault("learning_rate", inner.pop("lr"))
    decay = inner.pop("decay", 0.0)
    if decay:
        warnings.warn(
            f"The saved optimizer {class_name} used decay={decay}, which "
            "Keras 3 and lamina no longer support; it is ignored (use a "
            "learning-rate schedule instead).",
            stacklevel=4,
        )
    if isinstance(inner.get("learning_rate"), int):
        inner["learning_rate"] = float(inner["learning_rate"])
    return optimizers.deserialize(
        {**config, "class_name": class_name, "config": inner}
    )


def _loss(config: Any) -> Any:
    from lamina import losses

    if isinstance(config, list):
        return [_loss(c) for c in config]
    if isinstance(config, dict) and "class_name" not in config:
        return {k: _loss(v) for k, v in config.items()}
    if isinstance(config, dict):
        inner = dict(config.get("config") or {})
        if inner.get("reduction") == "auto":  # Keras 2's default
            inner["reduction"] = "sum_over_batch_size"
        return losses.deserialize({**config, "config": inner})
    return config  # a name (or None): `compile` resolves it


def _metric(config: Any) -> Any:
    from lamina import metrics

    if isinstance(config, list):
        return [_metric(c) for c in config]
    if isinstance(config, dict) and "class_name" not in config:
        return {k: _metric(v) for k, v in config.items()}
    if not isinstance(config, dict):
        return config
    inner = config.get("config") or {}
    if config["class_name"] == "MeanMetricWrapper" and isinstance(
        inner.get("fn"), str
    ):
        # tf.keras 2.x: a metric function wrapped, named by the user.
        name, fn = inner.get("name"), inner["fn"]
        found = registration.get_registered_object(
            fn
        ) or metrics.ALL_FUNCTIONS_DICT.get(fn)
        if found is not None:
            return metrics.MeanMetricWrapper(found, name=name)
        if name in _LOSS_DEPENDENT_METRICS:
            return name
        raise ValueError(f"unknown metric function '{fn}'")
    return metrics.deserialize(config)


def _per_output(value: Any, model: Any) -> Any:
    """tf.keras 2.x wrote the metrics of a one-output model as `[[...]]`."""
    outputs = getattr(model, "outputs", None) or []
    if (
        len(outputs) == 1
        and isinstance(value, list)
        and value
        and all(isinstance(v, list) for v in value)
    ):
        return [m for v in value for m in v]
    return value


def compile_arguments(model: Any, training_config: dict) -> dict:
    """`compile()`'s arguments from a legacy `training_config`."""
    if not isinstance(training_config, dict):
        raise ValueError("`training_config` is not a JSON object")
    arguments = {
        "optimizer": _optimizer(training_config.get("optimizer_config")),
        "loss": _loss(training_config.get("loss")),
        "loss_weights": training_config.get("loss_weights"),
    }
    for key in ("metrics", "weighted_metrics"):
        value = training_config.get(key)
        if value is not None:
            arguments[key] = _per_output(_metric(value), model)
    return arguments


def compile_model(
    model: Any, training_config: Any, custom_objects: dict | None, where: str
) -> bool:
    """Compile `model` from `training_config`; warn and leave it
    uncompiled if the config cannot be understood. Returns whether the
    model was compiled."""
    try:
        with registration.CustomObjectScope(custom_objects or {}):
            model.compile(**compile_arguments(model, training_config))
    except Exception as e:  # any part of the config may be foreign
        warnings.warn(
            f"{where} was loaded uncompiled: its `training_config` could not"
            f" be understood ({type(e).__name__}: {e}). Call "
            "`model.compile(...)` before training.",
            stacklevel=3,
        )
        return False
    return True


def training_config(model: Any) -> dict | None:
    """The `training_config` Keras 3 writes for a compiled `model`, or
    None when it is not compiled (or its optimizer has no Keras form)."""
    compile_config = (
        model.get_compile_config()
        if hasattr(model, "get_compile_config")
        else None
    )
    optimizer = getattr(model, "optimizer", None)
    if not compile_config or not hasattr(optimizer, "get_config"):
        return None
    config = {k: v for k, v in compile_config.items() if k != "optimizer"}
    config.setdefault("loss_weights", None)
    serialized = serialization.serialize_keras_object(optimizer)
    config["optimizer_config"] = {
        "class_name": serialized["class_name"],
        "config": serialized["config"],
    }
    return config
