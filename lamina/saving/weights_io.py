"""`.weights.h5` files in Keras 3's layout, written atomically.

The layout is the one inside a `.keras` archive (`keras_archive`): every
object's own variables under `<attribute path>/vars`, so files move both
ways between lamina and Keras 3. Loading checks the file's structure
(`archive_checks.check_h5`) and every count and shape before anything is
assigned.
"""

from __future__ import annotations

from typing import Any

import os

import h5py

from lamina.saving import archive_checks
from lamina.saving import h5_reading
from lamina.saving import keras_archive
from lamina.saving.atomic import atomic_write

_SUFFIX = ".weights.h5"


def save_weights(model: Any, filepath: str, overwrite: bool = True) -> None:
    """Write `model`'s weights (and optimizer state) to `filepath`."""
    filepath = os.fspath(filepath)
    if not filepath.endswith(_SUFFIX):
        raise ValueError(
            f"The filename must end in `{_SUFFIX}`. Received: "
            f"filepath={filepath}"
        )
    if os.path.exists(filepath) and not overwrite:
        raise FileExistsError(
            f"{filepath} exists and overwrite=False; pass overwrite=True."
        )
    data = keras_archive.weights_bytes(model)
    atomic_write(filepath, lambda f: f.write(data))


def load_weights(
    model: Any, filepath: str, skip_mismatch: bool = False
) -> None:
    """Load weights written by `save_weights` (lamina's or Keras's).

    Raises:
        ValueError: the file is not a weights file, or its weights do not
            fit `model` (every mismatch listed), unless `skip_mismatch`.
        OSError: the file cannot be read.
    """
    filepath = os.fspath(filepath)
    archive_checks.check_regular_file(filepath)
    try:
        f = h5py.File(filepath, "r")
    except Exception as error:  # h5py reports damage with many types
        raise ValueError(
            f"Cannot load {filepath}: not an HDF5 weights file ({error})."
        ) from None
    with f, h5_reading.damage_is_value_error(filepath):
        archive_checks.check_h5(f, filepath)
        load_from(model, f, filepath, skip_mismatch, with_optimizer=True)


def load_from(
    model: Any,
    f: h5py.File,
    where: str,
    skip_mismatch: bool,
    with_optimizer: bool,
) -> None:
    """Assign the weights in the open, checked file `f` to `model`."""
    try:
        keras_archive.load_state(
            model,
            f,
            where,
            skip_mismatch=skip_mismatch,
            with_optimizer=with_optimizer,
        )
    except ValueError:
        raise
    except Exception as e:  # damaged data surfaces from h5py as anything
        raise ValueError(
            f"Cannot load the weights of {where}: {type(e).__name__}: {e}"
        ) from e
