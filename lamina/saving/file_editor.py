"""`KerasFileEditor`: inspect, compare, edit and resave weights files."""

from __future__ import annotations

import os
from typing import Any

import h5py

from lamina.saving import archive_checks, h5_reading, weights_tree
from lamina.saving.atomic import atomic_write
from lamina.saving.file_editor_report import compare_trees, print_structure


class KerasFileEditor:
    """Inspect, edit and resave a `.keras` or `.weights.h5` file (written
    by lamina or Keras), e.g. to adapt old weights to a changed model.

    The file's objects are held as nested dicts (`weights_dict`) keyed by
    their path parts, an object's own variables as arrays under `"0"`,
    `"1"`, ... (`{"layers": {"dense": {"0": kernel, "1": bias}}}`). The
    edits change that dict; `save` writes it as a `.weights.h5` file.
    Objects are named by their path (`"layers/dense_1"`) or, when unique
    in the file, by their last part (`"dense_1"`).

    Unlike Keras's editor, an object with no variables of its own keeps
    its sub-objects (the projections of a `MultiHeadAttention`), and the
    root model's own variables are saved where a model reads them.

    Args:
        filepath: the `.keras` or `.weights.h5` file to open.

    Example:

    >>> import numpy as np, lamina, tempfile, os
    >>> model = lamina.Sequential([lamina.Input((3,)),
    ...                            lamina.layers.Dense(2, name="a")])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.weights.h5")
    >>> model.save_weights(path)
    >>> editor = lamina.saving.KerasFileEditor(path)
    Keras model file '...m.weights.h5'
    >>> editor.summary()
    Weights structure
      > layers
          └─ dense ('a')
              ├─ 0: shape=(3, 2), dtype=float32
              └─ 1: shape=(2,), dtype=float32
    >>> editor.rename_object("dense", "dense_2")
    >>> sorted(editor.weights_dict["layers"])
    ['dense_2']
    """

    def __init__(self, filepath: str | os.PathLike):
        self.filepath = os.fspath(filepath)
        self.metadata = None
        self.config = None
        self.model = None
        if self.filepath.endswith(".keras"):
            archive = archive_checks.read_archive(self.filepath)
            self.config, self.metadata = archive.config, archive.metadata
            f, _ = archive_checks.open_weights(archive.weights, self.filepath)
        elif self.filepath.endswith(".weights.h5"):
            archive_checks.check_regular_file(self.filepath)
            f = _open_h5(self.filepath)
        else:
            raise ValueError(
                "Invalid filename: expected a `.keras` `.weights.h5` "
                f"extension. Received: filepath={self.filepath}"
            )
        with f, h5_reading.damage_is_value_error(self.filepath):
            tree, metadata = weights_tree.read_tree(f, self.filepath)
        self.weights_dict = tree
        self.object_metadata = metadata  # {"/path": {"name": ...}}
        print(f"Keras model file '{self.filepath}'")
        if self.metadata:
            print(
                f"Saved with Keras {self.metadata.get('keras_version')} - "
                f"date: {self.metadata.get('date_saved')}"
            )

    def summary(self) -> None:
        """Print the objects and weights of the file."""
        print("Weights structure")
        print_structure(self.weights_dict, self.object_metadata, "  ")

    def weights_summary(self) -> None:
        """Same as `summary`."""
        self.summary()

    def compare(self, reference_model: Any) -> dict:
        """Print every difference between the file and the weights of
        `reference_model` (objects or weights missing on either side,
        shapes that differ).

        Returns:
            `{"status": "success" or "error", "error_count": ...,
            "match_count": ...}`.
        """
        print("Running comparison")
        reference = weights_tree.model_tree(reference_model)
        return compare_trees(self.weights_dict, reference)

    def rename_object(self, object_name: str, new_name: str) -> None:
        """Rename an object (e.g. `"dense_2"` or `"layers/dense_2"`);
        `new_name` is a leaf name."""

        def rename(parent, key):
            parent[new_name] = parent.pop(key)

        self._edit(object_name, rename, new_name)

    def delete_object(self, object_name: str) -> None:
        """Remove an object (e.g. `"dense_2"` or `"layers/dense_2"`)."""
        self._edit(object_name, lambda parent, key: parent.pop(key))

    def add_object(self, object_path: str, weights: dict) -> None:
        """Add an object at `object_path` (e.g. `"layers/dense_2"`) with
        `weights`, a dict such as `{"0": kernel, "1": bias}`."""
        _check_weights(weights)
        *parents, leaf = object_path.split("/")
        node = self.weights_dict
        for part in parents:
            if part not in node:
                raise ValueError(
                    f"Path '{'/'.join(parents)}' not found in model."
                )
            node = node[part]
        node[leaf] = weights

    def delete_weight(self, object_name: str, weight_name: str) -> None:
        """Remove weight `weight_name` (e.g. `"0"`) from an object."""

        def delete(parent, key):
            if weight_name not in parent[key]:
                raise ValueError(
                    f"Weight {weight_name} not found in object "
                    f"{object_name}. Weights found: {list(parent[key])}"
                )
            parent[key].pop(weight_name)

        self._edit(object_name, delete)

    def add_weights(self, object_name: str, weights: dict) -> None:
        """Add `weights` (`{"2": array, ...}`) to an existing object."""
        _check_weights(weights)
        self._edit(object_name, lambda parent, key: parent[key].update(weights))

    def save(self, filepath: str | os.PathLike) -> None:
        """Write the edited weights to `filepath` (a `.weights.h5`)."""
        filepath = os.fspath(filepath)
        if not filepath.endswith(".weights.h5"):
            raise ValueError(
                "Invalid `filepath` argument: expected a `.weights.h5` "
                f"extension. Received: filepath={filepath}"
            )

        def write(stream):
            with h5py.File(stream, "w") as f:
                weights_tree.write_tree(self.weights_dict, f)

        atomic_write(filepath, write)

    def resave_weights(self, filepath: str | os.PathLike) -> None:
        """Same as `save`."""
        self.save(filepath)

    def _edit(self, name: str, edit, target_name: str | None = None) -> None:
        """Apply `edit(parent_dict, key)` to the object `name` names."""
        if target_name is not None and "/" in target_name:
            raise ValueError(
                "Argument `target_name` should be a leaf name, not a full "
                f"path name. Received: target_name='{target_name}'"
            )
        places = _find(self.weights_dict, name)
        if "/" in name and not places:
            raise ValueError(f"Path '{name}' not found in model.")
        if len(places) > 1:
            raise ValueError(
                f"Name '{name}' occurs more than once in the model; try "
                "passing a complete path"
            )
        if not places:
            raise ValueError(
                f"Source name '{name}' does not appear in the model. Use "
                "`editor.summary()` to list all objects."
            )
        edit(*places[0])


def _find(tree: dict, name: str) -> list:
    """`[(parent dict, key)]` of the objects `name` (a path, or a leaf
    name searched everywhere) designates."""
    if "/" in name:
        *parents, leaf = name.split("/")
        node: Any = tree
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        return [(node, leaf)] if isinstance(node, dict) and leaf in node else []
    found = [(tree, name)] if name in tree else []
    for value in tree.values():
        if isinstance(value, dict):
            found += _find(value, name)
    return found


def _check_weights(weights) -> None:
    if not isinstance(weights, dict):
        raise ValueError(
            "Argument `weights` should be a dict where keys are weight "
            "names (usually '0', '1', etc.) and values are NumPy arrays. "
            f"Received: type(weights)={type(weights)}"
        )


def _open_h5(filepath: str) -> h5py.File:
    try:
        f = h5py.File(filepath, "r")
    except Exception as error:  # h5py reports damage with many types
        raise ValueError(
            f"Cannot open {filepath}: not an HDF5 weights file ({error})."
        ) from None
    try:
        archive_checks.check_h5(f, filepath)
    except BaseException:
        f.close()
        raise
    return f
