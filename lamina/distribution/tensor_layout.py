"""`TensorLayout` (how a tensor's axes map onto a mesh's axes) and
`distribute_tensor` (a tensor laid out so, as a torch DTensor)."""

from __future__ import annotations

from typing import Any

from lamina.engine.symbolic import SymbolicTensor


class TensorLayout:
    """How a tensor is split over a `DeviceMesh`.

    `axes` has one entry per tensor axis: the name of the mesh axis it is
    split along, or `None` (not split). Along mesh axes no tensor axis
    names, the tensor is replicated. Its torch form (`backend_layout`) is
    the DTensor placements, one per mesh axis (`Shard(i)` / `Replicate()`).

    Args:
        axes: one mesh axis name or `None` per tensor axis.
        device_mesh: the mesh (may be set once, later, e.g. by `LayoutMap`).

    Example:

    >>> layout = TensorLayout((None, "model"))
    >>> layout.axes
    (None, 'model')
    """

    def __init__(self, axes: Any, device_mesh: Any = None):
        self._axes = tuple(axes)
        self._device_mesh = device_mesh
        self._validate_axes()

    @property
    def axes(self) -> Any:
        return self._axes

    @property
    def device_mesh(self) -> Any:
        return self._device_mesh

    @device_mesh.setter
    def device_mesh(self, device_mesh: Any) -> None:
        if self._device_mesh is not None:
            raise ValueError(
                "Cannot override device mesh value. Existing "
                f"value is {self._device_mesh}"
            )
        self._device_mesh = device_mesh
        self._validate_axes()

    @property
    def backend_layout(self) -> tuple:
        """The DTensor placements: one per mesh axis."""
        from torch.distributed.tensor import Replicate
        from torch.distributed.tensor import Shard

        if self._device_mesh is None:
            raise ValueError(
                f"{self!r} has no device mesh; set `device_mesh` (or add it "
                "to a LayoutMap) before distributing a tensor."
            )
        return tuple(
            Shard(self._axes.index(name)) if name in self._axes else Replicate()
            for name in self._device_mesh.axis_names
        )

    def _validate_axes(self) -> None:
        if self._device_mesh:
            valid = set(self._device_mesh.axis_names)
            names = set(self._axes) - {None}
            if names - valid:
                raise ValueError(
                    "Invalid axis names for Layout. Valid axis "
                    f"names: {valid}, Got {names}"
                )

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} axes={self.axes}, "
            f"device_mesh={self.device_mesh}>"
        )

    def __str__(self) -> str:
        return self.__repr__()


def distribute_tensor(tensor: Any, layout: Any) -> Any:
    """`tensor` laid out as `layout` says, as a `torch.distributed.tensor.
    DTensor` (rank 0's values are scattered: every rank must call it).

    A symbolic tensor (`lamina.Input`) is returned as it is.

    Args:
        tensor: a tensor, the same shape on every rank.
        layout: a `TensorLayout` with a device mesh.

    Returns:
        A DTensor whose local part is this rank's shard.
    """
    if isinstance(tensor, SymbolicTensor):
        return tensor
    from torch.distributed.tensor import distribute_tensor as to_dtensor

    if not isinstance(layout, TensorLayout):
        raise ValueError(
            "Invalid value for argument `layout` of distribute_tensor: "
            f"expected a TensorLayout. Received: layout={layout!r}"
        )
    placements = layout.backend_layout
    return to_dtensor(tensor, layout.device_mesh.backend_mesh, placements)
