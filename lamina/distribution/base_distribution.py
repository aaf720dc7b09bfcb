"""`Distribution`: the base of `DataParallel` and `ModelParallel` (a
mesh, the batch axis, the layouts of data and weights), and `scope`."""

from __future__ import annotations

from typing import Any

from lamina.distribute.data_parallel import distribution_scope
from lamina.runtime import environment


class Distribution:
    """How data and weights are laid out over a `DeviceMesh`.

    Args:
        device_mesh: the mesh.
        batch_dim_name: the mesh axis the batch is split along.
        auto_shard_dataset: split each batch across the processes (fit's
            `batch_size` is then the global batch).
    """

    def __init__(
        self,
        device_mesh: Any,
        batch_dim_name: Any = None,
        auto_shard_dataset: bool = True,
    ):
        self._device_mesh = device_mesh
        self._batch_dim_name = batch_dim_name
        self._auto_shard_dataset = auto_shard_dataset
        self._num_processes = environment.world_size()
        self._process_id = environment.rank()
        self._is_multi_process = self._num_processes > 1

    @property
    def num_processes(self) -> int:
        """The number of processes of the job."""
        return self._num_processes

    @property
    def num_model_replicas(self) -> int:
        """The number of copies of the model the batch is split over."""
        raise NotImplementedError()

    @property
    def data_shard_id(self) -> int:
        """Which part of each batch this process takes."""
        replicas = self.num_model_replicas
        if replicas >= self.num_processes:
            return self._process_id
        return self._process_id // (self.num_processes // replicas)

    def get_data_layout(self, data_shape: Any) -> Any:
        """The `TensorLayout` of an input batch of shape `data_shape`."""
        raise NotImplementedError()

    def get_variable_layout(self, variable: Any) -> Any:
        """The `TensorLayout` of a weight (read from its `path`)."""
        raise NotImplementedError()

    def get_tensor_layout(self, path: Any) -> Any:
        """The `TensorLayout` of the intermediate tensor at `path`."""
        raise NotImplementedError()

    def scope(self) -> Any:
        """Make this the active distribution inside the `with` block (the
        previous one, or none, after it)."""
        return distribution_scope(self)

    @property
    def device_mesh(self) -> Any:
        return self._device_mesh

    @property
    def batch_dim_name(self) -> Any:
        return self._batch_dim_name

    @property
    def auto_shard_dataset(self) -> bool:
        return self._auto_shard_dataset

    @auto_shard_dataset.setter
    def auto_shard_dataset(self, auto_shard_dataset: Any) -> None:
        self._auto_shard_dataset = auto_shard_dataset

    def distribute_dataset(self, dataset: Any) -> Any:
        """`dataset` as it is: `fit`/`evaluate`/`predict` give each
        process its part of every batch themselves (Keras splits
        `tf.data` datasets here)."""
        return dataset

    def release(self) -> None:
        """Called when another distribution replaces this one."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} device_mesh={self.device_mesh}>"

    def __str__(self) -> str:
        return self.__repr__()
