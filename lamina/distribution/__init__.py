"""Keras's distribution API (`keras.distribution`) on torch.distributed.

lamina has two entry points to one runtime:

- `lamina.distribution` (this package) is Keras's API: `DeviceMesh`,
  `TensorLayout`, `LayoutMap`, `DataParallel`, `ModelParallel`,
  `distribute_tensor`, `list_devices`, `initialize`, `set_distribution`.
  A mesh is a torch `DeviceMesh` over the job's processes (one device
  each), a layout is a tuple of DTensor placements, and `ModelParallel`
  creates the weights its `LayoutMap` splits as sharded DTensors.
- `lamina.distribute` is the torch-flavoured side: data-parallel training
  under `torchrun` with no code change, `launch`, FSDP, `run_on_chief`.

There is one active distribution (`set_distribution` / `distribution` are
the same functions in both packages). `lamina.distribution.DataParallel`
is a `lamina.distribute.DataParallel` with Keras's constructor, so `fit`
runs the same data-parallel loop under either.
"""

from lamina.distribute.data_parallel import distribution as distribution
from lamina.distribute.data_parallel import (
    set_distribution as set_distribution,
)
from lamina.distribution.data_parallel import DataParallel as DataParallel
from lamina.distribution.device_mesh import DeviceMesh as DeviceMesh
from lamina.distribution.devices import get_device_count as get_device_count
from lamina.distribution.devices import initialize as initialize
from lamina.distribution.devices import list_devices as list_devices
from lamina.distribution.base_distribution import Distribution as Distribution
from lamina.distribution.layout_map import LayoutMap as LayoutMap
from lamina.distribution.model_parallel import ModelParallel as ModelParallel
from lamina.distribution.tensor_layout import TensorLayout as TensorLayout
from lamina.distribution.tensor_layout import (
    distribute_tensor as distribute_tensor,
)

__all__ = [
    "DataParallel",
    "DeviceMesh",
    "Distribution",
    "LayoutMap",
    "ModelParallel",
    "TensorLayout",
    "distribute_tensor",
    "distribution",
    "get_device_count",
    "initialize",
    "list_devices",
    "set_distribution",
]
