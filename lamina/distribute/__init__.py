"""Training on several processes with `torch.distributed`.

A script written for one process trains data-parallel, unchanged, when
launched with `torchrun --nproc_per_node=N script.py`: `fit`, `evaluate`
and `predict` give each rank its part of every (global) batch, average
gradients across ranks, report global metrics on every rank, and only
rank 0 prints and writes files. `DataParallel` and `set_distribution`
choose the options; `launch` starts the processes from Python.
"""

from lamina.runtime.chief import run_on_chief as run_on_chief
from lamina.distribute.data_parallel import DataParallel as DataParallel
from lamina.distribute.data_parallel import distribution as distribution
from lamina.distribute.data_parallel import (
    set_distribution as set_distribution,
)
from lamina.runtime.environment import DistributedError as DistributedError
from lamina.runtime.environment import is_chief as is_chief
from lamina.runtime.environment import rank as rank
from lamina.runtime.environment import world_size as world_size
from lamina.distribute.fsdp import full_weights as full_weights
from lamina.distribute.launch import LaunchError as LaunchError
from lamina.distribute.launch import launch as launch

__all__ = [
    "DataParallel",
    "DistributedError",
    "LaunchError",
    "distribution",
    "full_weights",
    "is_chief",
    "launch",
    "rank",
    "run_on_chief",
    "set_distribution",
    "world_size",
]
