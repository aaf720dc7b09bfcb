"""The `.keras` archive in Keras 3's format: the zip and its weights file.

The zip holds, stored uncompressed and in this order (as Keras 3.15 writes
them): `metadata.json` (`keras_version`, `date_saved`), `config.json` (the
model's serialized config) and `model.weights.h5`.

Inside `model.weights.h5`, every object's own variables live in a group
`<path>/vars` as datasets `0`, `1`, ... (the root model's at `vars`), the
group's `name` attribute holding the object's name. `<path>` is the
attribute path of Keras's saving walk, which this module reproduces:

- a Sequential or functional model first lists its `layers`;
- then every attribute is visited in sorted order, public names before
  private ones: sublayers by the attribute that holds them, the model's
  `optimizer`, and for subclassed models the `layers` list;
- a list or dict of layers names each item by its snake-cased class name,
  made unique within the list (`dense`, `dense_1`), nested lists
  `container`, `container_1`;
- an object reached twice is saved once, at the first path.

Loading walks the same paths, checks every count and shape first and
reports all mismatches in one error before anything is assigned.
"""

from __future__ import annotations

import io
import os
import tempfile
import warnings
import zipfile
from typing import Any, Iterator

import h5py
import numpy as np
from torch import nn

from lamina.engine import naming
from lamina.engine import weight_slots
from lamina.runtime import weight_placement
from lamina.saving import h5_reading
from lamina.utils.dtype_utils import numpy_to_tensor
from lamina.saving.archive_checks import ASSETS_DIR
from lamina.saving.archive_checks import CONFIG_NAME
from lamina.saving.archive_checks import METADATA_NAME
from lamina.saving.archive_checks import WEIGHTS_NAME


def write_archive(
    fileobj: Any,
    config_json: str,
    metadata_json: str,
    weights: bytes,
    assets: dict | None = None,
) -> None:
    """Write the three members, then any `assets/...` files, to the open
    binary file `fileobj`."""
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in (
            (METADATA_NAME, metadata_json.encode("utf-8")),
            (CONFIG_NAME, config_json.encode("utf-8")),
            (WEIGHTS_NAME, weights),
            *sorted((assets or {}).items()),
        ):
            write_member(zf, name, data)


def write_member(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    """Write one member (a seam for tests that fail a write halfway)."""
    zf.writestr(name, data)


def weights_bytes(model: Any) -> bytes:
    """`model.weights.h5`'s bytes for `model` (and its optimizer)."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        save_state(model, f)
    return buffer.getvalue()


# -- the walk -----------------------------------------------------------------


def _name_key(name: str) -> str:
    # Keras visits private attributes last.
    return f"~{name}" if name.startswith("_") else name


def _is_graph_model(obj: Any) -> bool:
    from lamina.models.model import Model
    from lamina.models.sequential import Sequential

    return isinstance(obj, Sequential) or (
        isinstance(obj, Model) and obj.is_graph_network
    )


def _saveable_optimizer(obj: Any) -> Any:
    optimizer = getattr(obj, "optimizer", None)
    saveable = hasattr(optimizer, "save_own_variables")
    return optimizer if saveable and hasattr(optimizer, "variables") else None


def _attributes(obj: Any) -> Iterator[tuple[str, Any]]:
    """(attribute, child) pairs in Keras's visiting order."""
    from lamina.models.model import Model

    if _is_graph_model(obj):
        yield "layers", list(obj.layers)
    children: dict = dict(obj._modules) if isinstance(obj, nn.Module) else {}
    if isinstance(obj, Model):
        if not _is_graph_model(obj):
            children["layers"] = list(obj.layers)
        optimizer = _saveable_optimizer(obj)
        if optimizer is not None:
            children["optimizer"] = optimizer
    if isinstance(getattr(obj, "optimizers", None), list):
        children["optimizers"] = obj.optimizers  # MultiOptimizer's, as Keras
    for name in sorted(children, key=_name_key):
        if children[name] is not None:
            yield name, children[name]


def _class_key(obj: Any) -> str:
    from lamina.models.model import Model

    if type(obj) is Model and _is_graph_model(obj):
        return "functional"  # Keras's class for `Model(inputs, outputs)`
    return naming.class_key(type(obj).__name__)


def _container_items(container: Any) -> Iterator[tuple[str, Any]]:
    """Keras's names for the items of a list/dict of saveables."""
    if isinstance(container, (dict, nn.ModuleDict)):
        items = list(container.values())
    else:
        items = list(container)
    used: dict[str, int] = {}
    for item in items:
        if _is_container(item):
            base = "container"
        elif _is_saveable(item):
            base = _class_key(item)
        else:
            continue
        count = used.get(base)
        used[base] = 0 if count is None else count + 1
        yield (base if count is None else f"{base}_{count + 1}"), item


def _is_container(obj: Any) -> bool:
    return isinstance(obj, (list, tuple, dict, nn.ModuleList, nn.ModuleDict))


def _is_saveable(obj: Any) -> bool:
    return (isinstance(obj, nn.Module) and not _is_container(obj)) or hasattr(
        obj, "save_own_variables"
    )


def walk(model: Any) -> list[tuple[str, Any]]:
    """Every saveable object under `model` with its path, in Keras's
    order; each object once."""
    out: list[tuple[str, Any]] = []
    visited: set[int] = set()

    def visit(obj: Any, path: str) -> None:
        if id(obj) in visited:
            return
        visited.add(id(obj))
        out.append((path, obj))
        for attr, child in _attributes(obj):
            child_path = f"{path}/{attr}" if path else attr
            if _is_container(child):
                visit_container(child, child_path, set())
            elif _is_saveable(child):
                visit(child, child_path)

    def visit_container(container: Any, path: str, seen: set) -> None:
        if id(container) in seen:
            return
        seen.add(id(container))
        for key, item in _container_items(container):
            if _is_container(item):
                visit_container(item, f"{path}/{key}", seen)
            else:
                visit(item, f"{path}/{key}")

    visit(model, "")
    return out


# -- saving -------------------------------------------------------------------


def own_arrays(layer: Any) -> list:
    """`layer`'s own weights (not its sublayers'), as Keras-layout
    numpy arrays in Keras order."""
    return [slot.to_array() for slot in weight_slots.own_slots(layer)]


def assign_own(layer: Any, values: list) -> None:
    """Copy Keras-layout `values` (shapes already checked) into `layer`'s
    own weights."""
    for slot, value in zip(weight_slots.own_slots(layer), values):
        slot.assign(value)


def assign_arrays(tensors: list, values: list) -> None:
    """Copy NumPy `values` (shapes already checked) into `tensors`, in
    place, each in its own dtype and on its own device."""
    for tensor, value in zip(tensors, values):
        weight_placement.assign(tensor, numpy_to_tensor(value, tensor.dtype))


def _own_values(obj: Any) -> list:
    """(key, array) pairs: `0`, `1`, ... for weights; a layer's own
    `save_own_variables` may name its entries (`idf_weights`)."""
    if hasattr(obj, "save_own_variables"):
        store: dict = {}
        obj.save_own_variables(store)
        return [(str(k), np.asarray(v)) for k, v in store.items()]
    return [(str(i), v) for i, v in enumerate(own_arrays(obj))]


def _own_store(obj: Any) -> bool:
    """A layer that reads its own entries back (`load_own_variables`), as
    Keras's lookup layers do: loading hands it the group as a dict."""
    from lamina.engine.layer import Layer

    return isinstance(obj, Layer) and hasattr(obj, "load_own_variables")


def _own_entries(group: Any, where: str) -> dict:
    """The numeric datasets of a layer that reads its own entries, each
    checked (type, and no more than `MAX_JSON_BYTES` in all: these are
    small per-layer tables such as idf weights) before it is read."""
    from lamina.saving import archive_checks

    if group is None:
        return {}
    entries, total = {}, 0
    with h5_reading.damage_is_value_error(where):
        for key in group:
            ds = group[key]
            if not isinstance(ds, h5py.Dataset):
                raise ValueError(
                    f"Cannot load {where}: {group.name}/{key} is not a dataset."
                )
            total += (
                int(np.prod(ds.shape or (), dtype=np.float64))
                * ds.id.get_type().get_size()
            )
            if total > archive_checks.MAX_JSON_BYTES:
                raise ValueError(
                    f"Refusing to load {where}: the variables of "
                    f"{group.name} declare more than "
                    f"{archive_checks.MAX_JSON_BYTES} bytes."
                )
            entries[key] = h5_reading.read_array(ds, ds.shape or (), where)
    return entries


def save_state(model: Any, f: h5py.File) -> None:
    """Write the own variables of every object under `model` to `f`."""
    for path, obj in walk(model):
        values = _own_values(obj)
        name = getattr(obj, "name", None)
        if not values and not isinstance(name, str):
            continue  # Keras makes no group for an unnamed empty object
        group = f.create_group(f"{path}/vars" if path else "vars")
        if isinstance(name, str):
            group.attrs["name"] = name
        for key, value in values:
            dataset = h5_reading.write_array(group, key, value)
            if value.dtype.name == "bfloat16":  # stored as 2 opaque bytes
                dataset.attrs["dtype"] = "bfloat16"


# -- loading ------------------------------------------------------------------


def read_datasets(config: dict, sizes: dict, with_optimizer: bool) -> list:
    """The sizes of the datasets that a model built from `config` may
    read, from `sizes` (`{dataset path: DatasetSize}`).

    For a Sequential or functional model the paths follow from the
    config: the model's own `vars`, `layers/<key>/...` for each listed
    layer and `optimizer/...` when compiled; other datasets are never
    read. A subclassed model's attribute paths are known only once it is
    built, so every dataset counts."""
    inner = config.get("config")
    layers = inner.get("layers") if isinstance(inner, dict) else None
    if config.get("class_name") not in (
        "Sequential",
        "Functional",
        "Model",
    ) or not isinstance(layers, list):
        return list(sizes.values())
    prefixes, used = ["vars/"], dict[str, int]()
    if with_optimizer:
        prefixes.append("optimizer/")
    for layer in layers:
        name = layer.get("class_name") if isinstance(layer, dict) else None
        if not isinstance(name, str):
            continue
        base = "functional" if name == "Model" else naming.class_key(name)
        count = used.get(base)
        used[base] = 0 if count is None else count + 1
        key = base if count is None else f"{base}_{count + 1}"
        prefixes.append(f"layers/{key}/")
    starts = tuple(prefixes)
    return [size for path, size in sizes.items() if path.startswith(starts)]


def _expected_shapes(obj: Any) -> list:
    if hasattr(obj, "save_own_variables"):
        return [tuple(v.shape) for v in obj.variables]
    return [slot.shape for slot in weight_slots.own_slots(obj)]


def _stored(f: h5py.File, path: str) -> tuple[Any, str | None]:
    """The `vars` group at `path` (or None), and a problem, if any."""
    key = f"{path}/vars" if path else "vars"
    if key not in f:
        return None, None
    group = f[key]
    if not isinstance(group, h5py.Group):
        return None, f"{key}: expected a group of weights, found a dataset"
    return group, None


def _datasets(group: Any, count: int, where: str) -> tuple[list, str | None]:
    """The datasets `0..count-1` of `group` (their values unread), or a
    problem; [] when the group holds another number of weights."""
    names = set(group.keys()) if group is not None else set()
    if names != {str(i) for i in range(len(names))}:
        return (
            [],
            f"{where}: weights must be named 0..n-1, found "
            f"{sorted(names)[:10]}",
        )
    if len(names) != count:
        return [], None
    datasets = [group[str(i)] for i in range(count)]
    for i, item in enumerate(datasets):
        if not isinstance(item, h5py.Dataset):
            return [], f"{where}/{i}: expected a dataset, found a group"
    return datasets, None


def _plan(model: Any, f: h5py.File, with_optimizer: bool) -> tuple:
    """(assignments, problems): every check made before any value is
    read, and every value read before any is assigned."""
    plan, problems = list[tuple[Any, Any]](), list[str]()
    optimizer = _saveable_optimizer(model)
    for path, obj in walk(model):
        skip = obj is optimizer and not with_optimizer
        if skip or path.startswith("optimizer/"):  # sub-optimizers: in its vars
            continue
        group, problem = _stored(f, path)
        where = f"{path}/vars" if path else "vars"
        if _own_store(obj) and not problem:
            plan.append((obj, _own_entries(group, where)))
            continue
        count = len(group) if group is not None else 0
        if (
            obj is optimizer
            and not getattr(obj, "built", True)
            and not hasattr(obj, "materialize_state")
        ):
            # An unbuilt optimizer has no slots: a never-stepped state is
            # nothing to restore, another is skipped with a warning (Keras).
            if not problem and not _untrained(group, where):
                plan.append((obj, None))
            continue
        shapes = (
            _optimizer_shapes(obj, count)
            if obj is optimizer
            else _expected_shapes(obj)
        )
        datasets, problem = (
            ([], problem) if problem else _datasets(group, len(shapes), where)
        )
        if problem:
            problems.append(problem)
        elif count != len(shapes):
            if obj is optimizer:
                if not _untrained(group, where):
                    plan.append((obj, None))  # skipped with a warning
                continue
            problems.append(
                f"{where}: the file has {count} weights, "
                f"{_describe(obj)} expects {len(shapes)}"
            )
        else:
            bad = [
                f"size mismatch for {where}/{i}: checkpoint has "
                f"{d.shape}, {_describe(obj)} expects {s}"
                for i, (d, s) in enumerate(zip(datasets, shapes))
                if tuple(d.shape or ()) != tuple(s)
            ]
            problems.extend(bad)
            if not bad:
                plan.append((obj, list(zip(datasets, shapes))))
    return plan, problems


def _read_plan(plan: list, where: str) -> list:
    # Each dataset is read only once its declared shape matched the
    # model's, so reading allocates what the model holds and no more
    # (a layer that reads its own entries got them checked, as a dict).
    return [
        (
            obj,
            items
            if items is None or isinstance(items, dict)
            else [h5_reading.read_array(d, s, where) for d, s in items],
        )
        for obj, items in plan
    ]


def _optimizer_shapes(optimizer: Any, stored: int) -> list:
    """The optimizer's variable shapes; a torch optimizer that has not
    stepped has no state yet: it is made when the file holds some."""
    shapes = _expected_shapes(optimizer)
    if stored > len(shapes) and hasattr(optimizer, "materialize_state"):
        optimizer.materialize_state()
        shapes = _expected_shapes(optimizer)
        if len(shapes) != stored:  # not this optimizer's state after all
            optimizer.discard_state()
            shapes = _expected_shapes(optimizer)
    return shapes


def _describe(obj: Any) -> str:
    name = getattr(obj, "name", None)
    kind = type(obj).__name__
    return f"{kind} '{name}'" if isinstance(name, str) else kind


def load_state(
    model: Any,
    f: h5py.File,
    where: str,
    skip_mismatch: bool = False,
    with_optimizer: bool = True,
) -> None:
    """Assign the variables stored in `f` to every object under `model`.

    Raises:
        ValueError: listing every missing weight, count or shape mismatch
            (unless `skip_mismatch`, which skips those objects with a
            warning).
    """
    plan, problems = _plan(model, f, with_optimizer)
    if problems:
        message = (
            f"Error(s) in loading the weights of {where} into model "
            f"'{getattr(model, 'name', '?')}':\n  " + "\n  ".join(problems)
        )
        if not skip_mismatch:
            raise ValueError(message)
        warnings.warn(message + "\nThese objects were skipped.", stacklevel=3)
    for obj, values in _read_plan(plan, where):
        if values is None:
            _warn_optimizer_skipped(obj)
        elif isinstance(values, dict):
            obj.load_own_variables(values)
        elif hasattr(obj, "load_own_variables"):
            obj.load_own_variables({str(i): v for i, v in enumerate(values)})
        else:
            assign_own(obj, values)


def _untrained(group: Any, where: str) -> bool:
    """Whether a stored optimizer state is empty or never stepped: its
    only content is then a zero step count and the learning rate, which
    the config already holds."""
    if group is None or len(group) == 0:
        return True
    if len(group) > 2 or "0" not in group:
        return False
    step = group["0"]
    return (
        isinstance(step, h5py.Dataset)
        and step.shape == ()
        and h5_reading.read_array(step, (), where).item() == 0
    )


def _warn_optimizer_skipped(optimizer: Any) -> None:
    # Keras warns the same way, and loads nothing into the optimizer.
    warnings.warn(
        f"Skipping variable loading for optimizer '{optimizer.name}': the "
        "file holds a different number of optimizer variables (saved "
        "before the optimizer was built, or with another optimizer).",
        stacklevel=4,
    )


# -- assets -------------------------------------------------------------------


def save_assets(model: Any) -> dict:
    """`{member name: bytes}` of the files that objects under `model` write
    with `save_assets(dir_path)` (a lookup layer's `vocabulary.txt`), named
    `assets/<path>/<file>` as Keras names them."""
    members: dict = {}
    with tempfile.TemporaryDirectory() as root:
        for path, obj in walk(model):
            if not hasattr(obj, "save_assets"):
                continue
            folder = os.path.join(root, path)
            os.makedirs(folder, exist_ok=True)
            obj.save_assets(folder)
            for name in sorted(os.listdir(folder)):
                file = os.path.join(folder, name)
                if os.path.isfile(file):
                    with open(file, "rb") as fh:
                        key = f"{path}/{name}" if path else name
                        members[f"{ASSETS_DIR}/{key}"] = fh.read()
    return members


def load_assets(model: Any, assets: dict) -> None:
    """Hand every object with `load_assets(dir_path)` its folder of the
    archive's `assets/` members (names already checked as safe)."""
    if not assets:
        return
    with tempfile.TemporaryDirectory() as root:
        for name, data in assets.items():
            file = os.path.join(root, *name.split("/"))
            os.makedirs(os.path.dirname(file), exist_ok=True)
            with open(file, "wb") as fh:
                fh.write(data)
        for path, obj in walk(model):
            if hasattr(obj, "load_assets"):
                obj.load_assets(os.path.join(root, ASSETS_DIR, path))
