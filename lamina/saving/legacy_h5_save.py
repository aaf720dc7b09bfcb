"""Writing legacy Keras `.h5` model files that Keras 3 reads.

`model.save("m.h5")` writes what Keras 3's `legacy_h5_format` writes: the
attributes `keras_version`, `backend`, `model_config` (the model's Keras
3 config as `{"class_name", "config"}`) and, for a compiled model,
`training_config` (`legacy_compile`); and the group `model_weights` with
`layer_names` and, per layer, `weight_names` in the legacy order
(trainable weights, then non-trainable ones). The optimizer state is not
written. The file is built in memory and written atomically.
"""

from __future__ import annotations

import io
import json
import os
import warnings
from typing import Any

import h5py
import numpy as np

from lamina.saving import legacy_compile
from lamina.saving import h5_reading
from lamina.saving.atomic import atomic_write
from lamina.saving.legacy_weights import TOP_LEVEL
from lamina.saving.legacy_weights import legacy_entries
from lamina.utils.dtype_utils import tensor_to_numpy

# Keras splits a name list whose array is larger than this.
HDF5_OBJECT_HEADER_LIMIT = 64512


def save_model(
    model: Any,
    path: str,
    overwrite: bool = True,
    include_optimizer: bool = True,
) -> None:
    """Write `model` to a legacy `.h5` file that Keras 3's `load_model`
    reads: its config, its weights and, when compiled, its
    `training_config` (optimizer state is not written)."""
    from lamina.saving import saving_api

    if os.path.exists(path) and not overwrite:
        raise FileExistsError(
            17,
            f"Cannot save the model to {path}: the file exists and "
            "overwrite=False. Pass overwrite=True to replace it",
            path,
        )
    warnings.warn(
        "You are saving your model as a legacy HDF5 (`.h5`) file. Prefer "
        "the `.keras` format: `model.save('my_model.keras')`.",
        stacklevel=3,
    )
    full = saving_api.model_config(model)
    config = {"class_name": full["class_name"], "config": full["config"]}
    training = (
        legacy_compile.training_config(model) if include_optimizer else None
    )
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        f.attrs["keras_version"] = saving_api.KERAS_FORMAT_VERSION
        f.attrs["backend"] = "torch"
        f.attrs["model_config"] = json.dumps(config).encode("utf-8")
        if training is not None:
            f.attrs["training_config"] = json.dumps(training).encode("utf-8")
        save_weights_group(
            f.create_group("model_weights"),
            model,
            saving_api.KERAS_FORMAT_VERSION,
        )
    data = buffer.getvalue()
    atomic_write(path, lambda out: out.write(data))


def write_names(obj: Any, name: str, names: list) -> None:
    """Store a list of strings as Keras does, in chunks if it is too large
    for one HDF5 header."""
    data = [n.encode("utf-8") for n in names]
    too_long = [n for n in data if len(n) > HDF5_OBJECT_HEADER_LIMIT]
    if too_long:
        raise ValueError(
            f"Cannot save the names {too_long[:3]!r:.200} in an HDF5 header:"
            f" each must be under {HDF5_OBJECT_HEADER_LIMIT} bytes."
        )
    array = np.asarray(data) if data else np.asarray([])
    count, chunks = 1, [array]
    while any(c.nbytes > HDF5_OBJECT_HEADER_LIMIT for c in chunks):
        count += 1
        chunks = np.array_split(array, count)
    if count == 1:
        obj.attrs[name] = array
    else:
        for i, chunk in enumerate(chunks):
            obj.attrs[f"{name}{i}"] = chunk


def _weight_name(layer: Any, owner: Any, attr: str) -> str:
    info = getattr(owner, "_weight_info", {}).get(attr) or {}
    name = info.get("name") or attr
    if owner is layer:
        return name
    owner_name = getattr(owner, "name", None)
    if not isinstance(owner_name, str):
        owner_name = type(owner).__name__.lower()
    return f"{owner_name}/{name}"


def _write_group(group: Any, prefix: str, layer: Any, entries: list) -> None:
    names, used = [], set()
    for owner, attr, _ in entries:
        base = f"{prefix}/{_weight_name(layer, owner, attr)}"
        name, i = base, 0
        while name in used:
            i += 1
            name = f"{base}_{i}"
        used.add(name)
        names.append(name)
    write_names(group, "weight_names", names)
    for name, (_, _, tensor) in zip(names, entries):
        h5_reading.write_array(group, name, np.asarray(tensor_to_numpy(tensor)))


def save_weights_group(group: Any, model: Any, keras_version: str) -> None:
    """Write `model`'s weights in the legacy layout into `group`."""
    layers = list(model.layers)
    names = [layer.name for layer in layers]
    bad = sorted(
        {
            n
            for n in names
            if "/" in n or n in (".", TOP_LEVEL) or names.count(n) > 1
        }
    )
    if bad:
        raise ValueError(
            f"Cannot save model '{model.name}' as legacy `.h5`: its layer "
            f"names must be unique and contain no '/'. Received: {bad}"
        )
    write_names(group, "layer_names", names)
    group.attrs["backend"] = "torch"
    group.attrs["keras_version"] = keras_version
    for layer in sorted(layers, key=lambda item: item.name):
        _write_group(
            group.create_group(layer.name),
            layer.name,
            layer,
            legacy_entries(layer),
        )
    own = [e for e in legacy_entries(model) if e[0] is model]
    _write_group(group.create_group(TOP_LEVEL), model.name, model, own)
