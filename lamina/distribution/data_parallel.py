"""`DataParallel`: Keras's data-parallel distribution, run by
`lamina.distribute`'s data-parallel training."""

from __future__ import annotations

from typing import Any

import warnings

import numpy as np

from lamina.distribute.data_parallel import DataParallel as _TorchDataParallel
from lamina.distribution.device_mesh import DeviceMesh
from lamina.distribution.devices import list_devices
from lamina.distribution.base_distribution import Distribution
from lamina.distribution.tensor_layout import TensorLayout

DEFAULT_BATCH_DIM_NAME = "batch"


class DataParallel(_TorchDataParallel, Distribution):
    """Data parallelism: the model replicated on every device of a 1D
    mesh, each batch split across them.

    `fit`, `evaluate` and `predict` then run as `lamina.distribute`
    describes: `batch_size` is the global batch, each process takes its
    part, gradients are averaged (weighted by each part's size), metrics
    and logs are global. The torch options (`timeout`, `backend`,
    `bucket_cap_mb`, `fsdp`) are those of
    `lamina.distribute.DataParallel`, set as attributes.

    Args:
        device_mesh: a 1D `DeviceMesh` (its first axis is the batch axis).
        devices: the devices, if no mesh is given (default:
            `list_devices()`, one per process).
        auto_shard_dataset: split each batch across the processes. lamina
            always does when running on several processes (so `False` is
            refused there).

    Example:

    >>> import lamina
    >>> strategy = lamina.distribution.DataParallel(devices=["cpu:0"])
    >>> strategy.batch_dim_name, strategy.num_model_replicas
    ('batch', 1)
    """

    def __init__(
        self,
        device_mesh: Any = None,
        devices: Any = None,
        auto_shard_dataset: bool = True,
    ):
        _TorchDataParallel.__init__(self)
        if device_mesh:
            if not isinstance(device_mesh, DeviceMesh):
                raise ValueError(
                    "Expect `mesh` to be an instance of `DeviceMesh`. "
                    f"Received: mesh={device_mesh} (of type "
                    f"{type(device_mesh)})"
                )
            if device_mesh.devices.ndim != 1:
                warnings.warn(
                    "Expect the input mesh to be 1D, but received "
                    f"mesh.devices.ndim={device_mesh.devices.ndim}. The first "
                    "axis will be used for data-parallel sharding.",
                    stacklevel=2,
                )
            batch_dim_name = device_mesh.axis_names[0]
        else:
            devices = np.array(list_devices() if not devices else devices)
            device_mesh = DeviceMesh(
                shape=devices.shape,
                axis_names=[DEFAULT_BATCH_DIM_NAME],
                devices=devices,
            )
            batch_dim_name = DEFAULT_BATCH_DIM_NAME
        Distribution.__init__(
            self, device_mesh, batch_dim_name, auto_shard_dataset
        )

    @property
    def num_model_replicas(self) -> int:
        return self.device_mesh.devices.size

    def get_data_layout(self, data_shape: Any) -> Any:
        axes = [None] * len(data_shape)
        axes[0] = self.batch_dim_name
        return TensorLayout(axes, self.device_mesh)

    def get_variable_layout(self, variable: Any) -> Any:
        layout = getattr(variable, "_layout", None)
        if layout is not None:
            return layout
        return TensorLayout([None] * len(variable.shape), self.device_mesh)

    def get_tensor_layout(self, path: Any) -> None:
        return None

    def loop(self, model: Any) -> Any:
        """The data-parallel hooks of one `fit`/`evaluate`/`predict`."""
        world = self.world_size
        if world > 1 and self.num_model_replicas != world:
            raise ValueError(
                f"{self!r}: lamina runs one model replica per process, so "
                f"the mesh needs {world} devices (one per process); it has "
                f"{self.num_model_replicas}. Use DataParallel() (the devices "
                "of list_devices())."
            )
        if world > 1 and not self.auto_shard_dataset:
            raise ValueError(
                f"{self!r}: lamina always splits each batch across the "
                "processes; auto_shard_dataset=False is not supported."
            )
        return super().loop(model)

    def __repr__(self) -> str:
        return Distribution.__repr__(self)
