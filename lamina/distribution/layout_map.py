"""`LayoutMap`: weight paths (regular expressions) → `TensorLayout`s."""

from __future__ import annotations

from typing import Any

import collections
import re

from lamina.distribution.tensor_layout import TensorLayout


class LayoutMap(collections.abc.MutableMapping):
    """A dict-like map from weight paths to `TensorLayout`s, for
    `ModelParallel`.

    A key is a regular expression matched in full against a weight's
    path (`"sequential/dense/kernel"`); a path matching no key gets
    `None` (replicated), one matching several keys is an error. A tuple
    value is read as `TensorLayout(axes)` on this map's mesh.

    Args:
        device_mesh: the mesh the layouts refer to.

    Example:

    >>> from lamina.distribution import DeviceMesh, LayoutMap
    >>> mesh = DeviceMesh((1, 2), ["batch", "model"], ["cpu:0", "cpu:1"])
    >>> layout_map = LayoutMap(mesh)
    >>> layout_map[".*dense.*kernel"] = (None, "model")
    >>> layout_map["sequential/dense/kernel"].axes
    (None, 'model')
    >>> layout_map["sequential/dense/bias"] is None
    True
    """

    def __init__(self, device_mesh: Any):
        self._layout_map = collections.OrderedDict()
        self._device_mesh = device_mesh

    def __getitem__(self, key):
        """The layout of `key`: an exact key, else the one key whose
        pattern matches it in full, else `None`."""
        if key in self._layout_map:
            return self._layout_map[key]
        matching = [p for p in self._layout_map if re.fullmatch(p, key)]
        if len(matching) > 1:
            raise ValueError(
                f"Path '{key}' matches multiple layout specification keys: "
                f"{matching}. Please make sure each tensor/variable path only "
                "matches at most one layout specification key in the "
                "LayoutMap."
            )
        return self._layout_map[matching[0]] if matching else None

    def __setitem__(self, key, layout):
        if key in self._layout_map:
            raise ValueError(
                f"{key} already exist in the LayoutMap with value "
                f"{self._layout_map[key]}. Please make sure to not use "
                "duplicated keys."
            )
        if isinstance(layout, tuple):
            layout = TensorLayout(axes=layout, device_mesh=None)
        if not isinstance(layout, TensorLayout):
            raise ValueError(
                f"{layout} should be a TensorLayout type, got {type(layout)}"
            )
        if layout.device_mesh is None and self.device_mesh is not None:
            layout.device_mesh = self.device_mesh
        self._layout_map[key] = layout

    def __delitem__(self, key):
        return self._layout_map.pop(key)

    def __len__(self) -> int:
        return len(self._layout_map)

    def __iter__(self):
        return iter(self._layout_map)

    @property
    def device_mesh(self) -> Any:
        return self._device_mesh


LayoutMap.get.__doc__ = LayoutMap.__getitem__.__doc__
