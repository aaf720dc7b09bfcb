"""`DeviceMesh`: the job's devices laid out on named axes."""

from __future__ import annotations

from typing import Any

import math

import numpy as np
import torch

from lamina.distribution.devices import list_devices
from lamina.distribution.devices import torch_device_type
from lamina.runtime import environment


class DeviceMesh:
    """A cluster of devices laid out on named axes, for distribution.

    Each axis is a way of splitting work: a `"batch"` axis for data
    parallelism, a `"model"` axis for sharding weights. In torch each
    device is one process, so the mesh is a mesh of ranks; its torch form
    (`backend_mesh`, a `torch.distributed.device_mesh.DeviceMesh`) is made
    when first needed, once the process group runs (`initialize()`).

    Args:
        shape: the number of devices along each axis.
        axis_names: a name per axis.
        devices: the devices (`"cpu:0"`, `"cuda:1"`, ... as from
            `list_devices()`, the default), as many as `shape` holds.

    Example:

    >>> mesh = DeviceMesh((2, 2), ["batch", "model"],
    ...                   ["cpu:0", "cpu:1", "cpu:2", "cpu:3"])
    >>> mesh.devices[1, 0]
    np.str_('cpu:2')
    """

    def __init__(self, shape: Any, axis_names: Any, devices: Any = None):
        if not shape or not axis_names:
            raise ValueError(
                "Shape and axis_names cannot be empty. Received: "
                f"shape={shape}, axis_names={axis_names}"
            )
        if len(shape) != len(axis_names):
            raise ValueError(
                "Shape and axis_names should have same size. "
                f"Received: shape={shape}, axis_names={axis_names}"
            )
        devices = np.array(list_devices() if devices is None else devices)
        if math.prod(shape) != math.prod(devices.shape):
            raise ValueError(
                "Shape does not match the number of devices. "
                f"Received: shape={shape}; devices.shape={devices.shape}"
            )
        self._shape = shape
        self._axis_names = axis_names
        self._devices = np.reshape(devices, shape)

    @property
    def shape(self) -> Any:
        return self._shape

    @property
    def axis_names(self) -> Any:
        return self._axis_names

    @property
    def devices(self) -> Any:
        return self._devices

    @property
    def backend_mesh(self) -> Any:
        """This mesh as a `torch.distributed.device_mesh.DeviceMesh`."""
        if not hasattr(self, "_backend_mesh"):
            self._backend_mesh = _torch_mesh(self)
        return self._backend_mesh

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} shape={self.shape}, "
            f"axis_names={self.axis_names}>"
        )

    def __str__(self) -> str:
        return self.__repr__()


def _torch_mesh(mesh: DeviceMesh):
    """The ranks of the mesh's devices (`"cpu:3"` is rank 3), as torch's
    DeviceMesh over the default process group."""
    from torch.distributed.device_mesh import DeviceMesh as TorchMesh

    if not environment.is_initialized():
        raise RuntimeError(
            f"{mesh!r}: its torch DeviceMesh needs the torch.distributed "
            "process group; call lamina.distribution.initialize() first "
            "(or run under torchrun)."
        )
    kinds, ranks = set(), []
    for name in mesh.devices.flat:
        kind, _, index = str(name).rpartition(":")
        if not index.isdigit():
            raise ValueError(
                f"{mesh!r}: device names must be '<type>:<index>', as from "
                f"list_devices(). Received: {name!r}"
            )
        kinds.add(torch_device_type(kind or None))
        ranks.append(int(index))
    world = environment.world_size()
    if len(kinds) != 1 or sorted(ranks) != list(range(world)):
        raise ValueError(
            f"{mesh!r}: a torch mesh needs one device of one type per "
            f"process: indices 0..{world - 1}. Received: "
            f"{mesh.devices.tolist()}"
        )
    layout = torch.tensor(ranks).reshape(mesh.shape)
    return TorchMesh(kinds.pop(), layout, mesh_dim_names=tuple(mesh.axis_names))
