"""The devices of a distributed job and starting it: `list_devices`,
`get_device_count`, `initialize`.

torch runs one process per device, so the job's devices are its
processes' devices, one per rank, named `"<type>:<rank>"` (`"cpu:0"`,
`"cuda:1"`); a `DeviceMesh` over them is a mesh over ranks.
"""

from __future__ import annotations

from typing import Any

import os

import torch

from lamina.runtime import environment

_TYPES = {"cpu": "cpu", "gpu": "cuda", "cuda": "cuda"}


def torch_device_type(device_type: str | None = None) -> str:
    """`"cpu"` or `"cuda"` for a Keras device type (`"gpu"` is CUDA);
    `None`: CUDA when available (and not `LAMINA_DEVICE=cpu`), else CPU."""
    if device_type is None:
        from lamina.runtime.device import default_device

        return "cuda" if default_device().type == "cuda" else "cpu"
    kind = _TYPES.get(str(device_type).lower())
    if kind is None:
        raise ValueError(
            "Invalid value for argument `device_type`: expected 'cpu', "
            f"'gpu' or 'cuda' (torch has no TPU support). Received: "
            f"device_type={device_type!r}"
        )
    return kind


def list_devices(device_type: Any = None) -> list:
    """The devices of the job, one per process, in rank order.

    Args:
        device_type: `"cpu"`, `"gpu"` (CUDA) or `None` (the default device
            type: CUDA when available).

    Returns:
        A list of device names, e.g. `["cuda:0", "cuda:1"]` for two
        processes; `["cpu:0"]` for a single CPU process.

    Example:

    >>> import lamina
    >>> lamina.distribution.list_devices("cpu")
    ['cpu:0']
    """
    kind = torch_device_type(device_type)
    return [f"{kind}:{rank}" for rank in range(environment.world_size())]


def get_device_count(device_type: Any = None) -> int:
    """The number of devices `list_devices(device_type)` returns."""
    return len(list_devices(device_type))


def initialize(
    job_addresses: Any = None, num_processes: Any = None, process_id: Any = None
) -> None:
    """Join the job's `torch.distributed` process group.

    Each argument falls back to Keras's environment variable
    (`KERAS_DISTRIBUTION_JOB_ADDRESSES`, `..._NUM_PROCESSES`,
    `..._PROCESS_ID`), then to torchrun's (`MASTER_ADDR`/`MASTER_PORT`,
    `WORLD_SIZE`, `RANK`). NCCL is used on CUDA, gloo otherwise.

    Args:
        job_addresses: comma-separated `host:port` addresses of the job's
            processes; the first is the coordinator (rank 0).
        num_processes: the number of processes.
        process_id: this process's rank, in `[0, num_processes)`.
    """
    env = os.environ
    job_addresses = job_addresses or env.get("KERAS_DISTRIBUTION_JOB_ADDRESSES")
    if num_processes is None and "KERAS_DISTRIBUTION_NUM_PROCESSES" in env:
        num_processes = int(env["KERAS_DISTRIBUTION_NUM_PROCESSES"])
    if process_id is None and "KERAS_DISTRIBUTION_PROCESS_ID" in env:
        process_id = int(env["KERAS_DISTRIBUTION_PROCESS_ID"])
    if job_addresses:
        host, _, port = job_addresses.split(",")[0].strip().rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(
                "Invalid value for argument `job_addresses` of initialize: "
                "expected comma-separated 'host:port' addresses. Received: "
                f"job_addresses={job_addresses!r}"
            )
        env["MASTER_ADDR"], env["MASTER_PORT"] = host, port
    if num_processes is not None:
        env["WORLD_SIZE"] = str(int(num_processes))
    if process_id is not None:
        env["RANK"] = str(int(process_id))
        env.setdefault("LOCAL_RANK", str(int(process_id) % _local_count()))
    environment.init_process_group()


def _local_count() -> int:
    return max(torch.cuda.device_count(), 1) if torch.cuda.is_available() else 1
