"""The `model_weights` group of legacy Keras `.h5` files.

Layout (written by tf.keras 2.x and by Keras 3's `legacy_h5_format`): the
group's attribute `layer_names` lists the model's layers; each layer's
subgroup lists its weights in the attribute `weight_names`, in the legacy
order (every trainable weight, then every non-trainable one, sublayers
included), each name the path of a dataset below the subgroup. Attributes
too large for an HDF5 header are split into `name0`, `name1`, ...

Layers are matched to the file by order (Keras's default for
`load_weights`), by name (`by_name=True`), or strictly by name (when the
model was rebuilt from the file's own config). Every count and shape is
checked before anything is assigned, and all problems are reported in
one error.
"""

from __future__ import annotations

import warnings
from typing import Any

import h5py

from lamina.saving import h5_reading
from lamina.saving import keras_archive

TOP_LEVEL = "top_level_model_weights"


def read_attribute(obj: Any, name: str, where: str) -> Any:
    """The string attribute `name` of `obj` (a list for a list of
    strings), or None; checked before it is read (`h5_reading`)."""
    return h5_reading.read_strings(obj, name, where)


def read_names(obj: Any, name: str, where: str) -> list:
    """A list of strings stored as attribute `name` (or its chunks)."""
    present = h5_reading.attribute_names(obj, where)
    if name in present:
        chunks = [read_attribute(obj, name, where)]
    else:
        chunks, i = [], 0
        while f"{name}{i}" in present:
            chunks.append(read_attribute(obj, f"{name}{i}", where))
            i += 1
    out = []
    for chunk in chunks:
        out.extend(chunk if isinstance(chunk, list) else [chunk])
    return out


def legacy_entries(layer: Any) -> list:
    """`(owner, attribute, tensor)` for every weight of `layer` in the
    legacy order: trainable weights, then non-trainable ones."""
    from lamina.engine import weight_slots

    entries = weight_slots.all_slots(layer)
    trainable = {id(t) for t in weight_slots.trainable_tensors(layer)}
    return [e for e in entries if id(e[2]) in trainable] + [
        e for e in entries if id(e[2]) not in trainable
    ]


def _assign(entries: list, datasets: list, where: str) -> None:
    # Read only now: every declared shape was checked against the model
    # (weights have Keras's shapes, so the file's must be the tensor's).
    values = [
        h5_reading.read_array(ds, tuple(tensor.shape), where)
        for (_, _, tensor), ds in zip(entries, datasets)
    ]
    keras_archive.assign_arrays([t for _, _, t in entries], values)


# -- reading ------------------------------------------------------------------


def _child(group: Any, name: str) -> Any:
    """The object at the relative path `name` below `group`, or None (an
    absolute path would reach outside the group)."""
    if not name or name.startswith("/") or name not in group:
        return None
    return group.get(name)


def _read_group(group: Any, name: str, where: str) -> tuple[list, list]:
    """(weight names, datasets) stored in the subgroup `name`; their
    values are not read here."""
    sub = _child(group, name)
    if not isinstance(sub, h5py.Group):
        raise ValueError(
            f"Cannot load {where}: `layer_names` lists '{name}' but the file"
            " has no group of weights for it."
        )
    names = read_names(sub, "weight_names", where)
    values = []
    for weight_name in names:
        item = _child(sub, weight_name)
        if not isinstance(item, h5py.Dataset):
            raise ValueError(
                f"Cannot load {where}: layer '{name}' lists the weight "
                f"'{weight_name}', which is not a dataset of its group."
            )
        values.append(item)
    return names, values


def _stored_layers(group: Any, where: str) -> dict:
    """{layer name: (weight names, datasets)} for the layers that have
    weights, in the file's order."""
    out = {}
    for name in read_names(group, "layer_names", where):
        names, values = _read_group(group, name, where)
        if values:
            out[name] = (names, values)
    return out


def _describe(layer: Any) -> str:
    return f"layer '{getattr(layer, 'name', '?')}' ({type(layer).__name__})"


def _check(entries: list, stored: tuple, label: str, file_name: str) -> list:
    """Problems fitting the stored weights to `entries` (empty if none)."""
    names, values = stored
    shapes = [tuple(t.shape) for o, a, t in entries]
    if len(values) != len(entries):
        stored_shapes = [tuple(v.shape) for v in values]
        return [
            (
                f"{label} expects {len(entries)} weight(s) {shapes}; the "
                f"file has {len(values)} for '{file_name}' {stored_shapes}"
            )
        ]
    return [
        f"size mismatch for {label} weight '{n}': checkpoint has "
        f"{tuple(v.shape)}, layer expects {s}"
        for n, v, s in zip(names, values, shapes)
        if tuple(v.shape) != s
    ]


def _weighted_layers(model: Any) -> list:
    return [layer for layer in model.layers if legacy_entries(layer)]


def _pair(model: Any, stored: dict, mode: str, where: str) -> tuple[list, list]:
    """(model layer, file layer name) pairs, and problems."""
    if mode == "order":
        layers = _weighted_layers(model)
        if len(layers) != len(stored):
            hint = (
                ""
                if getattr(model, "built", True)
                else (
                    " The model is not built: call it on data (or `build`) "
                    "before loading weights."
                )
            )
            raise ValueError(
                f"Cannot load {where} into model '{model.name}': layer count"
                f" mismatch. The model has {len(layers)} layer(s) with "
                f"weights {[layer.name for layer in layers]}; the file has "
                f"{len(stored)} {list(stored)}.{hint}"
            )
        return list(zip(layers, stored)), []
    index: dict = {}
    for layer in model.layers:
        index.setdefault(layer.name, []).append(layer)
    pairs = [(layer, name) for name in stored for layer in index.get(name, [])]
    problems = []
    if mode == "strict":
        problems += [
            f"missing weights for {_describe(layer)}: the file has none"
            for layer in _weighted_layers(model)
            if layer.name not in stored
        ]
        problems += [
            f"unexpected weights for '{name}': the model has no such layer"
            for name in stored
            if name not in index
        ]
    return pairs, problems


def _top_level(model: Any, group: Any, where: str) -> tuple[list, list]:
    """The plan and problems for the model's own (not its layers')
    weights, which Keras stores under `top_level_model_weights`."""
    if TOP_LEVEL not in group:
        return [], []
    stored = _read_group(group, TOP_LEVEL, where)
    own = [e for e in legacy_entries(model) if e[0] is model]
    if not own and not stored[1]:
        return [], []
    problems = _check(own, stored, f"model '{model.name}'", TOP_LEVEL)
    return ([] if problems else [(own, stored[1])]), problems


def load_weights_group(
    model: Any,
    group: Any,
    where: str,
    mode: str = "order",
    skip_mismatch: bool = False,
) -> None:
    """Assign the weights stored in the legacy `group` to `model`.

    Args:
        model: a built model.
        group: the h5 group holding `layer_names` (already checked).
        where: the file, for messages.
        mode: "order" (layers with weights, in order), "name" (layers of
            the same name; others are skipped) or "strict" (by name, and
            every layer with weights must be in the file and the other way
            round).
        skip_mismatch: skip layers whose weights do not fit, with a
            warning, instead of raising.

    Raises:
        ValueError: listing every count or shape mismatch (and, in
            "strict" mode, every missing or unexpected layer).
    """
    stored = _stored_layers(group, where)
    pairs, problems = _pair(model, stored, mode, where)
    plan = []
    for layer, file_name in pairs:
        entries = legacy_entries(layer)
        found = _check(entries, stored[file_name], _describe(layer), file_name)
        problems += found
        if not found:
            plan.append((entries, stored[file_name][1]))
    top_plan, top_problems = _top_level(model, group, where)
    plan += top_plan
    problems += top_problems
    if problems:
        message = (
            f"Error(s) in loading the weights of {where} into model "
            f"'{model.name}':\n  " + "\n  ".join(problems)
        )
        if not skip_mismatch or mode == "strict":
            raise ValueError(message)
        warnings.warn(message + "\nThese layers were skipped.", stacklevel=3)
    for entries, values in plan:
        _assign(entries, values, where)
