"""`.weights.h5` files in Keras 3's layout, written atomically.

Layout (as Keras writes it): every layer has a group `<path>/vars` holding
its own weights as datasets `0`, `1`, ... in Keras order; a model's layers
live under `<path>/layers/<key>`, where `key` is the snake-cased class name
made unique among siblings (`dense`, `dense_1`); the optimizer's variables
live under `optimizer/vars`. Shapes are checked before anything is
assigned, and every mismatch is reported at once.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import h5py
import numpy as np
import torch

from lamina.engine import naming


def _own_arrays(layer) -> list:
    from lamina.engine.weights import WeightsMixin

    if not isinstance(layer, WeightsMixin):
        return [t.detach().cpu().numpy() for t in
                list(layer.parameters(recurse=False))
                + list(layer.buffers(recurse=False))]
    entries = [(o, a, t) for o, a, t in layer._keras_entries() if o is layer]
    return [layer._weight_to_keras(a, t) for _, a, t in entries]


def _children(layer) -> list:
    """(key, sublayer) pairs in Keras's walk order."""
    from lamina.models.model import Model

    if isinstance(layer, Model):
        subs = list(layer.layers)
        if getattr(layer, "_graph", None) is None and not subs:
            subs = []
    else:
        subs = [m for _, m in sorted(layer.named_children())]
    keys, out = {}, []
    for sub in subs:
        base = naming.to_snake_case(type(sub).__name__)
        if base == "sequential" or base == "model":
            base = base if base == "sequential" else "functional"
        if type(sub).__name__ in ("Functional",) or (
            isinstance(sub, Model) and getattr(sub, "_graph", None)
            is not None and type(sub).__name__ == "Model"
        ):
            base = "functional"
        count = keys.get(base, 0)
        keys[base] = count + 1
        out.append((base if count == 0 else f"{base}_{count}", sub))
    return out


def _write_layer(layer, group) -> None:
    vars_group = group.create_group("vars")
    vars_group.attrs["name"] = getattr(layer, "name", type(layer).__name__)
    for i, arr in enumerate(_own_arrays(layer)):
        vars_group.create_dataset(str(i), data=arr)
    children = _children(layer)
    if children:
        layers_group = group.create_group("layers")
        for key, sub in children:
            _write_layer(sub, layers_group.create_group(key))


def save_weights(model, filepath: str, overwrite: bool = True) -> None:
    """Write `model`'s weights (and optimizer state) to `filepath`."""
    filepath = os.fspath(filepath)
    if not filepath.endswith(".weights.h5"):
        raise ValueError(
            "The filename must end in `.weights.h5`. "
            f"Received: filepath={filepath}"
        )
    if os.path.exists(filepath) and not overwrite:
        raise FileExistsError(
            f"{filepath} exists and overwrite=False; pass overwrite=True."
        )
    folder = os.path.dirname(os.path.abspath(filepath))
    fd, tmp = tempfile.mkstemp(suffix=".weights.h5.tmp", dir=folder)
    os.close(fd)
    try:
        with h5py.File(tmp, "w") as f:
            _write_model(model, f)
        os.replace(tmp, filepath)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _write_model(model, f) -> None:
    f.create_group("layers")
    vars_group = f.create_group("vars")
    vars_group.attrs["name"] = model.name
    for i, arr in enumerate(_own_arrays(model)):
        vars_group.create_dataset(str(i), data=arr)
    for key, sub in _children(model):
        _write_layer(sub, f["layers"].create_group(key))
    optimizer = getattr(model, "optimizer", None)
    variables = getattr(optimizer, "variables", None) if optimizer else None
    if variables:
        group = f.create_group("optimizer").create_group("vars")
        group.attrs["name"] = getattr(optimizer, "name", "optimizer")
        for i, v in enumerate(variables):
            group.create_dataset(str(i), data=_to_numpy(v))


def _to_numpy(v: Any) -> np.ndarray:
    if isinstance(v, torch.Tensor):
        return v.detach().cpu().numpy()
    return np.asarray(v)


def _collect_assignments(layer, group, path, plan, problems) -> None:
    arrays = _own_arrays(layer)
    stored = group.get("vars")
    count = len(stored) if stored is not None else 0
    if count != len(arrays):
        problems.append(
            f"{path}: the file has {count} weights, the layer "
            f"'{getattr(layer, 'name', '?')}' expects {len(arrays)}")
    else:
        values = [np.asarray(stored[str(i)]) for i in range(count)]
        for i, (have, new) in enumerate(zip(arrays, values)):
            if have.shape != new.shape:
                problems.append(
                    f"size mismatch for {path}/vars/{i}: checkpoint has "
                    f"{new.shape}, layer expects {have.shape}")
        plan.append((layer, values))
    sub_group = group.get("layers")
    for key, sub in _children(layer):
        if sub_group is None or key not in sub_group:
            if _own_arrays(sub) or _children(sub):
                problems.append(f"{path}/layers/{key}: missing in the file")
            continue
        _collect_assignments(sub, sub_group[key], f"{path}/layers/{key}",
                             plan, problems)


def load_weights(model, filepath: str, skip_mismatch: bool = False) -> None:
    """Load weights written by `save_weights` (lamina's or Keras's)."""
    filepath = os.fspath(filepath)
    try:
        f = h5py.File(filepath, "r")
    except OSError as error:
        raise ValueError(
            f"Could not read weights file {filepath}: {error}") from error
    with f:
        plan, problems = [], []
        _collect_assignments(model, f, "", plan, problems)
        if problems and not skip_mismatch:
            raise ValueError(
                f"Error(s) in loading weights from {filepath} into model "
                f"'{model.name}':\n  " + "\n  ".join(problems))
        for layer, values in plan:
            _assign_own(layer, values, skip_mismatch)


def _assign_own(layer, values: list, skip_mismatch: bool) -> None:
    from lamina.engine.weights import WeightsMixin

    if not isinstance(layer, WeightsMixin):
        tensors = list(layer.parameters(recurse=False)) + list(
            layer.buffers(recurse=False))
        with torch.no_grad():
            for t, v in zip(tensors, values):
                if tuple(t.shape) == v.shape:
                    t.copy_(torch.as_tensor(v, dtype=t.dtype))
        return
    entries = [(o, a, t) for o, a, t in layer._keras_entries() if o is layer]
    with torch.no_grad():
        for (owner, attr, tensor), value in zip(entries, values):
            if owner._keras_shape(attr, tensor) != value.shape:
                if skip_mismatch:
                    continue
            tensor.copy_(owner._weight_from_keras(attr, value, tensor).to(
                tensor.device))
