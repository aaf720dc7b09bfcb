"""`ModelParallel`: weights sharded over a mesh as a `LayoutMap` says,
as torch DTensors created with the weights."""

from __future__ import annotations

from typing import Any

from torch import nn

from lamina.distribute.data_parallel import distribution
from lamina.distribution.base_distribution import Distribution
from lamina.distribution.layout_map import LayoutMap
from lamina.distribution.tensor_layout import TensorLayout
from lamina.runtime import chief
from lamina.runtime import weight_placement
from lamina.utils import sharded_copies


class ModelParallel(Distribution):
    """Model parallelism: each weight laid out over the mesh as the
    `LayoutMap` says (matched on its path), the batch split along
    `batch_dim_name`.

    Layers built while it is active (`set_distribution` or `scope()`)
    create each weight whose layout splits it across more than one device
    as a sharded `torch.distributed.tensor.DTensor` (rank 0's initial
    values, scattered); other weights stay plain tensors. Call such a
    model inside `torch.distributed.tensor.experimental.
    implicit_replication()`, which treats the plain inputs and weights as
    replicated. `fit`, `evaluate` and `predict` train and run such a
    model when the mesh's batch axis has one device (each process runs
    the whole batch, see `sharded_run.py`); on one process nothing is
    sharded and they run as usual.

    Args:
        layout_map: the `LayoutMap` (with its `DeviceMesh`).
        batch_dim_name: the mesh axis of the batch (default: the first).
        auto_shard_dataset: split each batch along `batch_dim_name`.

    Example:

    >>> from lamina.distribution import DeviceMesh, LayoutMap, ModelParallel
    >>> mesh = DeviceMesh((1, 1), ["batch", "model"], ["cpu:0"])
    >>> layout_map = LayoutMap(mesh)
    >>> layout_map["dense.*kernel"] = (None, "model")
    >>> ModelParallel(layout_map=layout_map).num_model_replicas
    1
    """

    def __init__(
        self,
        *,
        layout_map: Any = None,
        batch_dim_name: Any = None,
        auto_shard_dataset: bool = True,
        **kwargs: Any,
    ):
        kwargs.pop("device_mesh", None)  # Keras's old argument: unused
        if layout_map is None:
            raise ValueError("You must specify a layout_map argument.")
        if not isinstance(layout_map, LayoutMap):
            raise ValueError(
                "Argument `layout_map` must be a `LayoutMap` instance. "
                f"Received: layout_map={layout_map}"
            )
        mesh = layout_map.device_mesh
        batch_dim_name = batch_dim_name or mesh.axis_names[0]
        super().__init__(mesh, batch_dim_name, auto_shard_dataset)
        self._layout_map = layout_map
        if (
            self._is_multi_process
            and self.num_processes > self.num_model_replicas
            and self.num_processes % self.num_model_replicas != 0
        ):
            raise ValueError(
                "If `num_processes` is greater than `num_model_replicas`, "
                "`num_processes` must be divisible by `num_model_replicas`. "
                f"Got num_processes={self.num_processes}, "
                f"num_model_replicas={self.num_model_replicas}."
            )

    @property
    def num_model_replicas(self) -> int:
        index = self.device_mesh.axis_names.index(self.batch_dim_name)
        return self.device_mesh.shape[index]

    def get_data_layout(self, data_shape: Any) -> Any:
        axes = [None] * len(data_shape)
        axes[0] = self.batch_dim_name
        return TensorLayout(axes, self.device_mesh)

    def get_variable_layout(self, variable: Any) -> Any:
        layout = getattr(variable, "_layout", None)
        if layout is not None:
            return layout
        layout = self._layout_map[variable.path]
        if layout is not None:
            return layout
        return TensorLayout([None] * len(variable.shape), self.device_mesh)

    def get_tensor_layout(self, path: Any) -> Any:
        return self._layout_map[path]

    def loop(self, model: Any) -> Any:
        """The hooks of one `fit`/`evaluate`/`predict` on `model`: a
        `ShardedRun` when some weight is sharded, else `None` (the loops
        of one process)."""
        if not any(_is_dtensor(p) for p in model.parameters()):
            return None
        if self.num_model_replicas > 1:
            raise NotImplementedError(
                f"{self!r}: fit/evaluate/predict of a model with sharded "
                f"weights (model '{model.name}') needs a mesh whose batch "
                f"axis '{self.batch_dim_name}' has one device (every "
                "process runs the whole batch); this mesh splits the batch "
                f"{self.num_model_replicas} ways. Received: "
                f"device_mesh={self.device_mesh}"
            )
        from lamina.distribution.sharded_run import ShardedRun

        return ShardedRun(model)


def _is_dtensor(tensor) -> bool:
    from torch.distributed.tensor import DTensor

    return isinstance(tensor, DTensor)


def place(variable: Any) -> Any:
    """The weight to register for a new `variable`: sharded as the active
    `ModelParallel` lays it out, when that splits it across devices."""
    strategy = distribution()
    if not isinstance(strategy, ModelParallel) or variable.path is None:
        return variable
    layout = strategy.get_variable_layout(variable)
    mesh = strategy.device_mesh
    split = [
        mesh.shape[mesh.axis_names.index(name)]
        for name in layout.axes
        if name is not None
    ]
    if not any(size > 1 for size in split):
        return variable  # a layout over one device: nothing to shard
    from lamina.distribution.tensor_layout import distribute_tensor

    sharded = nn.Parameter(
        distribute_tensor(variable.detach(), layout),
        requires_grad=variable.requires_grad,
    )
    sharded.__dict__.update(
        {k: v for k, v in variable.__dict__.items() if k.startswith("_keras")}
    )
    sharded.__dict__["_layout"] = layout
    return sharded


def _gather_weights(model: Any) -> Any:
    """Every rank gathers `model`'s sharded weights and optimizer state,
    so that rank 0 alone can write them (see `lamina.runtime.chief`)."""
    tensors = list(model.parameters()) + list(model.buffers())
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and getattr(optimizer, "built", False):
        tensors += list(optimizer.variables)
    return sharded_copies.gathered(tensors)


weight_placement.set_placer(place)
if _gather_weights not in chief.FULL_WEIGHTS:
    chief.FULL_WEIGHTS.append(_gather_weights)
