"""The nested-dict view of a weights file that `KerasFileEditor` edits.

A file's objects become nested dicts keyed by their path parts
(`{"layers": {"dense": {"0": kernel, "1": bias}}}`): an object's own
variables (its `vars` group) are arrays in its dict, its sub-objects
dicts. The root model's own variables stay under `"vars"`, as Keras's
editor shows them. Reading goes through lamina's file checks (no links,
external or virtual datasets; numbers only; bounded sizes).
"""

from __future__ import annotations

import collections
from typing import Any

import h5py
import numpy as np

from lamina.saving import h5_reading, keras_archive


def read_tree(
    group: h5py.Group,
    where: str,
    path: str = "",
    tree: dict | None = None,
    metadata: dict | None = None,
    skip: str | None = None,
) -> tuple:
    """`(tree, metadata)` of a checked, open HDF5 group (its member
    `skip` left out): metadata maps `/path/of/object` to the attributes of
    its `vars` group (its `name`). Empty objects are left out, as Keras's
    editor does; an object with no variables of its own keeps its
    sub-objects (Keras's editor drops them)."""
    tree = collections.OrderedDict() if tree is None else tree
    metadata = {} if metadata is None else metadata
    for key in group:
        if key == skip:
            continue
        item, inner = group[key], f"{path}/{key}"
        if isinstance(item, h5py.Dataset):
            tree[key] = h5_reading.read_array(item, item.shape or (), where)
            continue
        sub: dict = collections.OrderedDict()
        own = item.get("vars")
        if isinstance(own, h5py.Group):
            if len(own.attrs):
                metadata[inner] = {k: own.attrs[k] for k in own.attrs}
            read_tree(own, where, inner, sub, metadata)
            read_tree(item, where, inner, sub, metadata, skip="vars")
        else:
            read_tree(item, where, inner, sub, metadata)
        if sub:
            tree[key] = sub
    return tree, metadata


def write_tree(tree: dict, f: h5py.File, path: str = "") -> None:
    """Write `tree` (as `read_tree` gives it) in Keras's layout."""
    arrays = {k: v for k, v in tree.items() if not isinstance(v, dict)}
    if arrays:
        group = f.create_group(f"{path}/vars" if path else "vars")
        for key, value in arrays.items():
            h5_reading.write_array(group, key, np.asarray(value))
    for key, value in tree.items():
        if not isinstance(value, dict) or not value:
            continue
        if not path and key == "vars":  # the root model's own variables
            write_tree(value, f, "")
        else:
            write_tree(value, f, f"{path}/{key}" if path else key)


def model_tree(model: Any) -> dict:
    """The tree a file saved from `model` would hold, with each weight as
    its shape (a tuple): what `compare` checks a file against."""
    tree: dict = {}
    for path, obj in keras_archive.walk(model):
        own = _own_shapes(obj)
        if not own:
            continue
        node = tree
        for part in path.split("/") if path else ["vars"]:
            node = node.setdefault(part, {})
        node.update(own)
    return tree


def _own_shapes(obj) -> dict:
    if hasattr(obj, "save_own_variables"):
        store: dict = {}
        obj.save_own_variables(store)
        return {k: tuple(np.shape(store[k])) for k in sorted(store)}
    arrays = keras_archive.own_arrays(obj)
    return {str(i): tuple(a.shape) for i, a in enumerate(arrays)}
