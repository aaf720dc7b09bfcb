"""Model configs of legacy `.h5` files, rewritten in Keras 3's form.

A legacy `.h5` file stores `model_config` as Keras 2 wrote it. Files
written by Keras 3 (`model.save("x.h5")`) already use Keras 3's layer
configs without the `module` key, which lamina reads as they are. Files
written by tf.keras 2.x differ in details that this module rewrites, and
nothing else:

- `batch_input_shape` in an `InputLayer` becomes `batch_shape`; on the
  first layer of a Sequential with no `InputLayer`, it becomes one;
- a `dtype` policy `{"class_name": "Policy", ...}` becomes its name;
- `axis: [3]` of `BatchNormalization` becomes `3`; `alpha` of `LeakyReLU`
  becomes `negative_slope`; `time_major=False` of recurrent layers and
  `shared_object_id` are dropped;
- a `Lambda`'s `function` as `[code, defaults, closure]` becomes Keras 3's
  `__lambda__` (refused later unless `safe_mode=False`), or a registered
  function's name;
- functional `inbound_nodes` in the nested-list form
  `[[["dense", 0, 0, {}]]]` become Keras 3's `{"args", "kwargs"}` form
  (`legacy_graph`); a single input or output reference is unwrapped, as
  Keras 2 returned a single array for it.

Nothing here resolves a class: the rewritten config is read by
`serialization.deserialize_keras_object`, which only picks among lamina's
public classes and the user's registered ones.
"""

from __future__ import annotations

from typing import Any

from lamina.saving import legacy_graph

_RNN_CLASSES = (
    "LSTM",
    "GRU",
    "SimpleRNN",
    "LSTMCell",
    "GRUCell",
    "SimpleRNNCell",
    "RNN",
    "ConvLSTM1D",
    "ConvLSTM2D",
    "ConvLSTM3D",
)
_TF_OP_LAYERS = ("TFOpLambda", "SlicingOpLambda", "TensorFlowOpLayer")
# Layer configs that hold other layer configs.
_NESTED_KEYS = ("layer", "backward_layer", "cell", "cells")


def convert_model_config(config: Any) -> Any:
    """Rewrite a legacy model config (tf.keras 2.x or Keras 3) into the
    Keras 3 form; configs already in that form come back unchanged.

    Args:
        config: the parsed `model_config` attribute, `{"class_name",
            "config"}`.

    Returns:
        A new config; `config` itself is not modified.

    Raises:
        ValueError: a TensorFlow-only layer (`TFOpLambda`, ...) or a
            malformed functional graph.

    Example:

    >>> from lamina.saving import legacy_config
    >>> config = {"class_name": "InputLayer", "config": {
    ...     "batch_input_shape": [None, 4], "dtype": "float32"}}
    >>> legacy_config.convert_model_config(config)["config"]["batch_shape"]
    [None, 4]
    """
    if not isinstance(config, dict):
        return config
    class_name = config.get("class_name")
    if class_name in _TF_OP_LAYERS:
        name = (config.get("config") or {}).get("name", "?")
        raise ValueError(
            f"Layer '{name}' is a {class_name}: tf.keras recorded a raw "
            "TensorFlow operation applied to a symbolic tensor. lamina "
            "cannot rebuild TensorFlow operations; rewrite that step as a "
            "layer (e.g. a registered Layer subclass) and save again."
        )
    out = dict(config)
    inner = config.get("config")
    if class_name == "Sequential" and isinstance(inner, list):
        inner = {"layers": inner}  # Keras 2.0-2.2 wrote a bare list
    if not isinstance(inner, dict):
        return out
    inner = _convert_layer_config(class_name, dict(inner))
    if class_name == "Sequential":
        inner = _convert_sequential(inner)
    elif class_name in ("Functional", "Model") and "layers" in inner:
        inner = _convert_functional(inner)
    out["config"] = inner
    return out


def _convert_layer_config(class_name: Any, inner: dict) -> dict:
    inner.pop("shared_object_id", None)
    dtype = inner.get("dtype")
    if isinstance(dtype, dict) and dtype.get("class_name") == "Policy":
        inner["dtype"] = (dtype.get("config") or {}).get("name")
    if class_name == "InputLayer" and "batch_input_shape" in inner:
        inner["batch_shape"] = inner.pop("batch_input_shape")
    if class_name == "BatchNormalization":
        axis = inner.get("axis")
        if isinstance(axis, list) and len(axis) == 1:
            inner["axis"] = axis[0]
    if class_name == "LeakyReLU" and "alpha" in inner:
        inner.setdefault("negative_slope", inner.pop("alpha"))
    if class_name in _RNN_CLASSES and inner.pop("time_major", False):
        raise ValueError(
            f"Layer '{inner.get('name')}' ({class_name}) was saved with "
            "time_major=True, which Keras 3 and lamina do not support."
        )
    if class_name == "Lambda":
        _convert_lambda(inner)
    for key in _NESTED_KEYS:
        value = inner.get(key)
        if isinstance(value, list):
            inner[key] = [convert_model_config(v) for v in value]
        elif isinstance(value, dict):
            inner[key] = convert_model_config(value)
    return inner


def _convert_lambda(inner: dict) -> None:
    """Keras 2's `function` / `output_shape` with their `*_type` keys."""
    inner.pop("module", None)
    inner.pop("output_shape_module", None)
    for key, type_key in (
        ("function", "function_type"),
        ("output_shape", "output_shape_type"),
    ):
        kind = inner.pop(type_key, None)
        value = inner.get(key)
        if kind == "lambda" and isinstance(value, list) and len(value) == 3:
            inner[key] = {
                "class_name": "__lambda__",
                "config": {
                    "code": value[0],
                    "defaults": value[1],
                    "closure": value[2],
                },
            }
        elif kind == "function" and isinstance(value, str):
            # Looked up among registered and built-in functions only.
            inner[key] = {"class_name": "function", "config": value}


def _convert_sequential(inner: dict) -> dict:
    layers = [
        convert_model_config(entry) for entry in inner.get("layers") or []
    ]
    first = layers[0] if layers else None
    if isinstance(first, dict) and first.get("class_name") != "InputLayer":
        first_config: Any = first.get("config")
        shape = (
            first_config.get("batch_input_shape")
            if isinstance(first_config, dict)
            else None
        )
        if shape is not None:
            dtype = first_config.get("dtype")
            layers.insert(
                0,
                {
                    "class_name": "InputLayer",
                    "config": {
                        "batch_shape": shape,
                        "dtype": dtype if isinstance(dtype, str) else None,
                        "name": f"{first_config.get('name', 'layer')}_input",
                    },
                },
            )
    for entry in layers:
        if isinstance(entry, dict) and isinstance(entry.get("config"), dict):
            entry["config"] = {
                k: v
                for k, v in entry["config"].items()
                if k != "batch_input_shape"
            }
    return {**inner, "layers": layers}


def _convert_functional(inner: dict) -> dict:
    raw_layers = inner.get("layers")
    if not isinstance(raw_layers, list) or not all(
        isinstance(entry, dict) for entry in raw_layers
    ):
        raise ValueError(
            "A functional model config must hold a list of layer objects "
            f"in `layers`. Received: layers={raw_layers!r:.200}"
        )
    layers = [convert_model_config(entry) for entry in raw_layers]
    return legacy_graph.convert_graph(inner, raw_layers, layers)
