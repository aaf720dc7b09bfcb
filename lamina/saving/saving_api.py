"""`save_model`, `load_model`, `save_weights`, `load_weights`, and the JSON
forms of a model's config.

Loading is a pure data parser. The archive is checked whole before use
(`archive_checks`); the config chooses only among lamina's public classes
and the user's registered or passed `custom_objects` (`builtin_lookup`);
nothing is imported, unpickled or evaluated, and code a file carries (a
`Lambda`'s bytecode) is refused unless the caller passes `safe_mode=False`
or called `lamina.config.enable_unsafe_deserialization()`. Every failure
to load is a `ValueError` naming the file and the problem, or an
`OSError` for a file that cannot be read. Saving is atomic: the archive
is written to a temporary file beside the target, then renamed over it.
"""

from __future__ import annotations

import datetime
import errno
import json
import os
import warnings
from typing import Any

from lamina.saving import archive_checks
from lamina.saving.atomic import atomic_write
from lamina.saving import keras_archive
from lamina.saving import legacy_h5
from lamina.saving import legacy_h5_save
from lamina.saving import registration
from lamina.saving import serialization
from lamina.saving import weights_io
from lamina.version import __version__ as lamina_version

# The Keras release whose `.keras` format lamina writes (`metadata.json`).
KERAS_FORMAT_VERSION = "3.15.1"
_FUNCTIONAL = {
    "module": "keras.src.models.functional",
    "class_name": "Functional",
    "registered_name": "Functional",
}


def _path(filepath: Any, caller: str) -> str:
    try:
        return os.fspath(filepath)
    except TypeError:
        raise ValueError(
            f"Invalid `filepath` argument of {caller}: expected a path "
            f"(str or os.PathLike). Received: filepath={filepath!r}"
        ) from None


def save_model(
    model: Any,
    filepath: Any,
    overwrite: bool = True,
    zipped: bool | None = None,
    **kwargs: Any,
) -> None:
    """Save `model` (config, weights, optimizer state) as a `.keras` file.

    The file is Keras 3's archive: `keras.saving.load_model` reads it. It
    is written atomically: a failure part-way leaves any previous file
    untouched.

    Args:
        model: the model to save.
        filepath: a path ending in `.keras`; or, for the legacy Keras 2
            HDF5 format (which Keras 3 still reads), in `.h5` / `.hdf5`
            (`include_optimizer=False` then leaves out the compile
            config; the optimizer state is never written to `.h5`).
        overwrite: replace an existing file (else `FileExistsError`).
        zipped: must be True or None; lamina writes only the zip form.

    Raises:
        ValueError: the path does not end in `.keras`, or an argument is
            not supported.
        OSError: the folder is missing or not writable.

    Example:

    >>> import os, tempfile, lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> lamina.saving.save_model(model, path)
    >>> lamina.saving.load_model(path).output_shape
    (None, 2)
    """
    path = _path(filepath, "save_model")
    if legacy_h5.is_legacy_path(path):
        include_optimizer = kwargs.pop("include_optimizer", True)
        _check_save_kwargs(kwargs, zipped, path)
        legacy_h5_save.save_model(model, path, overwrite, include_optimizer)
        return
    _check_save_kwargs(kwargs, zipped, path)
    if not path.endswith(".keras"):
        raise ValueError(
            "Invalid filepath extension for saving: expected a `.keras` "
            "extension for the whole model (`model.save('model.keras')`, or "
            "`.h5` for the legacy format), or"
            " use `model.save_weights()` with a `.weights.h5` extension for "
            f"the weights only. Received: filepath={path}"
        )
    if os.path.exists(path) and not overwrite:
        raise FileExistsError(
            errno.EEXIST,
            f"Cannot save the model to {path}: the file "
            "exists and overwrite=False. Pass overwrite=True to replace it",
            path,
        )
    if not getattr(model, "built", True):
        warnings.warn(
            f"Model '{model.name}' has not been built yet, so it holds no "
            "weights. Build it by calling it on data first.",
            stacklevel=2,
        )
    config_json = json.dumps(model_config(model))
    metadata_json = json.dumps(
        {
            "keras_version": KERAS_FORMAT_VERSION,
            "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
            "lamina_version": lamina_version,
        }
    )
    weights = keras_archive.weights_bytes(model)
    assets = keras_archive.save_assets(model)
    atomic_write(
        path,
        lambda f: keras_archive.write_archive(
            f, config_json, metadata_json, weights, assets
        ),
    )


def _check_save_kwargs(kwargs: dict, zipped: bool | None, path: str) -> None:
    kwargs = dict(kwargs)
    kwargs.pop("include_optimizer", None)  # Keras 3 ignores it too
    save_format = kwargs.pop("save_format", None)
    if save_format not in (None, "keras"):
        raise ValueError(
            "The `save_format` argument is not supported: the format follows"
            f" from the extension (`.keras`). Received: save_format="
            f"{save_format!r}"
        )
    if kwargs:
        raise ValueError(
            "The following argument(s) of save_model are not supported: "
            f"{sorted(kwargs)}"
        )
    if zipped is False:
        raise ValueError(
            "lamina saves models only as a `.keras` zip archive; "
            f"`zipped=False` (a folder) is not supported. Received: "
            f"filepath={path}, zipped=False"
        )


def load_model(
    filepath: Any,
    custom_objects: dict | None = None,
    compile: bool = True,
    safe_mode: bool = True,
) -> Any:
    """Load a model saved with `model.save()` (by lamina or Keras 3).

    Args:
        filepath: a `.keras` file, or a legacy `.h5` / `.hdf5` file
            written by tf.keras 2.x or Keras 3 (`legacy_h5`; its optimizer
            state is not restored), or a binary file object holding a
            `.keras` archive. Anything but a regular file (a FIFO, a
            device) is refused before it is opened.
        custom_objects: `{name: class or function}` for the user's own
            objects that are not registered.
        compile: compile the model as it was saved (optimizer state
            included); `False` gives an uncompiled model.
        safe_mode: refuse code stored in the file (a `Lambda`'s Python
            lambda). Pass `False` only for files you trust.

    Returns:
        The model, with its weights.

    Raises:
        ValueError: the file is not a valid `.keras` archive, names an
            unknown class, holds code refused by safe mode, or holds
            weights that do not fit the model.
        OSError: the file cannot be read.
    """
    if _is_file_object(filepath):
        path = str(getattr(filepath, "name", "the file object"))
        data = archive_checks.read_bounded(filepath, path)
        return _load_archive(
            archive_checks.read_archive(path, data),
            custom_objects,
            compile,
            safe_mode,
        )
    path = _path(filepath, "load_model")
    if legacy_h5.is_legacy_path(path):
        return legacy_h5.load_model(path, custom_objects, compile, safe_mode)
    if not path.endswith(".keras"):
        raise ValueError(
            "Invalid filename: expected a `.keras` extension (a file written"
            " by `model.save()`) or a legacy `.h5` / `.hdf5` model file. A "
            "`.weights.h5` file holds weights only: "
            "build the model, then call `model.load_weights(path)`. Received:"
            f" filepath={path}"
        )
    return _load_archive(
        archive_checks.read_archive(path), custom_objects, compile, safe_mode
    )


def _is_file_object(obj: Any) -> bool:
    return hasattr(obj, "read") and not isinstance(
        obj, (str, bytes, os.PathLike)
    )


def _load_archive(
    archive: archive_checks.Archive,
    custom_objects: dict | None,
    compile: bool,
    safe_mode: bool,
) -> Any:
    path = archive.path
    # Every part of the file is checked before a model is built from it.
    f, declared = archive_checks.open_weights(archive.weights, path)
    # Only the datasets this config's model reads set its budget.
    budget = keras_archive.read_datasets(archive.config, declared, compile)
    try:
        with archive_checks.AllocationGuard(budget, path):
            model = model_from_config(
                archive.config, custom_objects, compile, safe_mode, where=path
            )
        weights_io.load_from(
            model, f, path, skip_mismatch=False, with_optimizer=compile
        )
        keras_archive.load_assets(model, archive.assets)
    finally:
        f.close()
    return model


def save_weights(
    model: Any,
    filepath: Any,
    overwrite: bool = True,
    max_shard_size: float | None = None,
    **kwargs: Any,
) -> None:
    """Save `model`'s weights to a `.weights.h5` file (Keras 3 layout).

    Sharded files (`max_shard_size`) are not supported."""
    path = _path(filepath, "save_weights")
    if max_shard_size is not None:
        kwargs["max_shard_size"] = max_shard_size
    if kwargs:
        raise ValueError(
            "The following argument(s) of save_weights are not supported: "
            f"{sorted(kwargs)}"
        )
    weights_io.save_weights(model, path, overwrite=overwrite)


def load_weights(
    model: Any, filepath: Any, skip_mismatch: bool = False, **kwargs: Any
) -> None:
    """Load weights into `model` from a `.weights.h5` file, from the
    weights of a `.keras` archive, or from a legacy `.h5` / `.hdf5` file
    (matched by layer order, or by name with `by_name=True`)."""
    path = _path(filepath, "load_weights")
    if legacy_h5.is_legacy_path(path):
        by_name = kwargs.pop("by_name", False)
        if kwargs:
            raise ValueError(
                "The following argument(s) of load_weights are not "
                f"supported: {sorted(kwargs)}"
            )
        legacy_h5.load_weights(model, path, skip_mismatch, by_name=by_name)
        return
    if kwargs:
        raise ValueError(
            "The following argument(s) of load_weights are not supported: "
            f"{sorted(kwargs)}"
        )
    if path.endswith(".keras"):
        archive = archive_checks.read_archive(path)
        f, _ = archive_checks.open_weights(archive.weights, path)
        with f:
            weights_io.load_from(
                model, f, path, skip_mismatch, with_optimizer=True
            )
    elif path.endswith(".weights.h5"):
        weights_io.load_weights(model, path, skip_mismatch=skip_mismatch)
    else:
        raise ValueError(
            f"File format not supported: filepath={path}. lamina supports "
            "`.keras` archives, `.weights.h5` files and legacy `.h5` / "
            "`.hdf5` files."
        )


# -- configs ------------------------------------------------------------------


def model_config(model: Any) -> dict:
    """`model`'s serialized config, as Keras writes it in `config.json`."""
    config = serialization.serialize_keras_object(model)
    _name_functional(config)
    return config


def _name_functional(config: Any) -> None:
    """Keras names `Model(inputs, outputs)` by its class, `Functional`,
    which it finds under `keras.src.models.functional`."""
    if isinstance(config, list):
        for item in config:
            _name_functional(item)
        return
    if not isinstance(config, dict):
        return
    inner = config.get("config")
    if (
        config.get("class_name") in ("Model", "Functional")
        and config.get("module") == "keras"
        and isinstance(inner, dict)
        and "input_layers" in inner
    ):
        config.update(_FUNCTIONAL)
    if isinstance(inner, dict):
        _name_functional(inner.get("layers"))


def model_from_config(
    config: dict,
    custom_objects: dict | None = None,
    compile: bool = True,
    safe_mode: bool = True,
    where: str = "the model config",
) -> Any:
    """Rebuild (and optionally compile) a model from its serialized
    config; every failure is a ValueError naming `where`."""
    from lamina.models.model import Model

    archive_checks.check_config(config, where)
    config = dict(config)
    compile_config = config.pop("compile_config", None)
    try:
        model = serialization.deserialize_keras_object(
            config, custom_objects=custom_objects, safe_mode=safe_mode
        )
    except Exception as e:  # a hostile config can fail anywhere
        raise _load_error(e, f"Cannot load {where}", where) from e
    kind = type(model).__name__  # Keras also loads a FeatureSpace
    if not isinstance(model, Model) and kind != "FeatureSpace":
        raise ValueError(
            f"Cannot load {where}: the config describes a {kind}, not a model."
        )
    if compile and compile_config:
        try:
            compile_from_config(
                model, compile_config, custom_objects, safe_mode
            )
        except Exception as e:
            raise _load_error(
                e,
                f"Cannot compile the model of {where} from its saved "
                "compile_config (pass compile=False to load it uncompiled)",
                where,
            ) from e
    return model


def _load_error(error: BaseException, context: str, where: str) -> ValueError:
    reason = _reason(error)
    if where in reason:  # already says which file
        return ValueError(reason)
    return ValueError(f"{context}: {reason}")


def _reason(error: BaseException) -> str:
    # Nested `from_config` calls wrap the real problem (an unknown class,
    # a refused lambda) in layers of context: report the innermost one.
    seen = set()
    while error.__cause__ is not None and id(error) not in seen:
        seen.add(id(error))
        error = error.__cause__
    if isinstance(error, (ValueError, TypeError)):
        return str(error)
    return f"{type(error).__name__}: {error}"


def compile_from_config(
    model: Any,
    compile_config: dict,
    custom_objects: dict | None = None,
    safe_mode: bool = True,
) -> None:
    """Compile `model` from a saved `compile_config` (through the model's
    own `compile_from_config`, which a user may override) with the given
    custom objects and safe mode."""
    with (
        registration.CustomObjectScope(custom_objects or {}),
        serialization.SafeModeScope(safe_mode),
    ):
        model.compile_from_config(compile_config)


def model_to_json(model: Any, **kwargs: Any) -> str:
    """The model's config as a JSON string (`json.dumps` `kwargs`)."""
    return json.dumps(model_config(model), **kwargs)


def model_from_json(
    json_string: str, custom_objects: dict | None = None
) -> Any:
    """Rebuild a model (new weights) from `model.to_json()`'s string.

    Example:

    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> clone = lamina.models.model_from_json(model.to_json())
    >>> clone.output_shape
    (None, 2)
    """
    if not isinstance(json_string, (str, bytes)):
        raise ValueError(
            "Invalid `json_string` argument of model_from_json: expected a "
            f"JSON string. Received: json_string={json_string!r:.200}"
        )
    config = archive_checks.parse_json(json_string, "the model JSON")
    return model_from_config(
        config,
        custom_objects,
        compile=True,
        safe_mode=True,
        where="the model JSON",
    )
