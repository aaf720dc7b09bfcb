"""Legacy Keras `.h5` / `.hdf5` files: whole models and weights.

tf.keras 2.x wrote these with `model.save("m.h5")` and
`model.save_weights("w.h5")`; Keras 3 still writes the same layout with
`model.save("m.h5")`. A model file holds the attributes `keras_version`,
`backend`, `model_config` (JSON) and, when compiled, `training_config`
(JSON), the group `model_weights` (see `legacy_weights`) and optionally
`optimizer_weights`. A weights file holds the `model_weights` layout at
its root.

Loading is a pure data parser, as for `.keras` files: the file's
structure is checked first (`archive_checks.check_h5`: no external or
soft links, no external datasets, bounded sizes), the JSON attributes are
parsed with bounded size and depth, the config is rewritten into Keras
3's form (`legacy_config`) and built from lamina's public classes only,
under the same allocation guard as `.keras` files. Nothing is imported,
unpickled or evaluated; a `Lambda`'s bytecode is refused unless
`safe_mode=False`. Optimizer weights are not restored (a warning says so).
Writing is in `legacy_h5_save`.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from typing import Any

import h5py

from lamina.saving import archive_checks
from lamina.saving import h5_reading
from lamina.saving import legacy_compile
from lamina.saving import legacy_config
from lamina.saving import legacy_weights

LEGACY_SUFFIXES = (".h5", ".hdf5")
_ZIP_SIGNATURE = b"PK\x03\x04"


def is_legacy_path(path: str) -> bool:
    """Whether `path` names a legacy `.h5` file (not a `.weights.h5`)."""
    return path.endswith(LEGACY_SUFFIXES) and not path.endswith(".weights.h5")


@contextlib.contextmanager
def _open(path: str) -> Iterator[tuple[h5py.File, dict]]:
    """The checked, read-only file and `{dataset path: declared bytes}`;
    any damage h5py reports while it is used is a `ValueError`."""
    with archive_checks.open_regular_file(path) as raw:
        archive_checks.check_file_size(os.fstat(raw.fileno()).st_size, path)
        head = raw.read(8)
    if head.startswith(_ZIP_SIGNATURE):
        raise ValueError(
            f"Cannot load {path}: it is a zip archive (a `.keras` file?), not"
            " a legacy HDF5 file. Rename it to end in `.keras`."
        )
    try:
        f = h5py.File(path, "r")
    except Exception as e:  # h5py reports damage with many types
        raise ValueError(
            f"Cannot load {path}: it is not a valid HDF5 file (truncated or "
            f"corrupt: {e})."
        ) from None
    try:
        with h5_reading.damage_is_value_error(path):
            declared = archive_checks.check_h5(f, path)
            yield f, declared
    finally:
        f.close()


def _json_attribute(f: h5py.File, name: str, where: str) -> Any:
    value = legacy_weights.read_attribute(f, name, where)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(
            f"Cannot load {where}: the attribute `{name}` must be a JSON "
            f"string. Received a {type(value).__name__}."
        )
    return archive_checks.parse_json(value, f"{where} ({name})")


def _check_version(f: h5py.File, where: str) -> None:
    version = legacy_weights.read_attribute(f, "keras_version", where)
    if isinstance(version, str) and version.startswith("1."):
        raise ValueError(
            f"Cannot load {where}: it was written by Keras {version}; Keras "
            "1 files are not supported. Load it with Keras 2 and save it "
            "again."
        )


def _not_a_model(f: h5py.File, where: str) -> ValueError:
    weights = any(
        n.startswith("layer_names")
        for n in h5_reading.attribute_names(f, where)
    )
    hint = (
        " It holds weights only: build the model, then call "
        "`model.load_weights(path)`."
        if weights
        else " It is not a file written by Keras's `model.save()`."
    )
    return ValueError(
        f"Cannot load {where}: the HDF5 file has no `model_config` "
        f"attribute, so it does not describe a Keras model.{hint}"
    )


def load_model(
    path: str,
    custom_objects: dict | None = None,
    compile: bool = True,
    safe_mode: bool = True,
) -> Any:
    """Rebuild the model stored in a legacy `.h5` file, with its weights;
    compile it from `training_config` when `compile` (see
    `saving_api.load_model` for the arguments)."""
    from lamina.saving import saving_api

    with _open(path) as (f, declared):
        config = _json_attribute(f, "model_config", path)
        if config is None:
            raise _not_a_model(f, path)
        _check_version(f, path)
        try:
            config = legacy_config.convert_model_config(config)
        except Exception as e:  # a hostile config can fail anywhere
            reason = (
                str(e)
                if isinstance(e, ValueError)
                else f"malformed model_config ({type(e).__name__}: {e})"
            )
            raise ValueError(f"Cannot load {path}: {reason}") from None
        budget = _read_datasets(f, declared, path)
        with archive_checks.AllocationGuard(budget, path):
            model = saving_api.model_from_config(
                config,
                custom_objects,
                compile=False,
                safe_mode=safe_mode,
                where=path,
            )
        group = f.get("model_weights")
        if not isinstance(group, h5py.Group):
            raise ValueError(
                f"Cannot load {path}: it has a `model_config` but no "
                "`model_weights` group."
            )
        _load_group(model, group, path, "strict", False)
        if compile:
            _compile(model, f, custom_objects, path)
    return model


def _read_datasets(f: h5py.File, declared: dict, where: str) -> list:
    """The sizes of the datasets a model built from `f` may read: those
    `model_weights/layer_names` lists with their `weight_names` (the
    optimizer's and any other dataset are never read)."""
    group = f.get("model_weights")
    if not isinstance(group, h5py.Group):
        return []
    found = []
    for layer in legacy_weights.read_names(group, "layer_names", where):
        sub = group.get(layer) if layer and not layer.startswith("/") else None
        if isinstance(sub, h5py.Group):
            found += [
                declared[key]
                for key in (
                    f"model_weights/{layer}/{name}"
                    for name in legacy_weights.read_names(
                        sub, "weight_names", where
                    )
                )
                if key in declared
            ]
    return found


def _load_group(
    model: Any, group: Any, path: str, mode: str, skip_mismatch: bool
) -> None:
    try:
        legacy_weights.load_weights_group(
            model, group, path, mode, skip_mismatch
        )
    except ValueError:
        raise
    except Exception as e:  # damaged data surfaces from h5py as anything
        raise ValueError(
            f"Cannot load the weights of {path}: {type(e).__name__}: {e}"
        ) from e


def _compile(
    model: Any, f: h5py.File, custom_objects: dict | None, path: str
) -> None:
    training_config = _json_attribute(f, "training_config", path)
    if training_config is None:
        return
    compiled = legacy_compile.compile_model(
        model, training_config, custom_objects, path
    )
    if compiled and "optimizer_weights" in f:
        warnings.warn(
            f"The optimizer state stored in {path} is not restored (lamina "
            "does not read legacy `.h5` optimizer weights); the optimizer "
            "starts afresh.",
            stacklevel=4,
        )


def load_weights(
    model: Any, path: str, skip_mismatch: bool = False, by_name: bool = False
) -> None:
    """Load a legacy `.h5` weights file (or the weights of a legacy model
    file) into `model`: layers with weights are matched in order, or by
    name with `by_name=True` (layers missing on either side are then
    skipped), as Keras does."""
    with _open(path) as (f, _):
        group = f
        if (
            "layer_names" not in h5_reading.attribute_names(f, path)
            and "model_weights" in f
        ):
            group = f["model_weights"]
        if not isinstance(group, h5py.Group) or not any(
            n.startswith("layer_names")
            for n in h5_reading.attribute_names(group, path)
        ):
            raise ValueError(
                f"Cannot load weights from {path}: it has no `layer_names` "
                "attribute and no `model_weights` group, so it is not a "
                "Keras weights file."
            )
        _load_group(
            model, group, path, "name" if by_name else "order", skip_mismatch
        )
