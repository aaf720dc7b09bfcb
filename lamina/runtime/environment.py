"""The torch.distributed environment: ranks, the process group, timeouts.

`torchrun` (and `lamina.distribute.launch`) describe a process with the
environment variables `RANK`, `WORLD_SIZE`, `LOCAL_RANK`, `MASTER_ADDR`
and `MASTER_PORT`. This module reads them, starts the default process
group (NCCL when the process trains on a CUDA device, gloo otherwise) with
a bounded timeout, and turns communication failures into errors that say
which rank failed, doing what, and what to do about it.

Every wait is bounded by `timeout_seconds()`: the `LAMINA_DIST_TIMEOUT`
environment variable (seconds), else `DEFAULT_TIMEOUT_S`. A rank that
dies makes the others fail at their next collective: at once when the
transport notices the closed connection (gloo does), at the latest when
the timeout expires.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime
import os
from typing import Iterator

import torch
import torch.distributed as dist

TIMEOUT_ENV = "LAMINA_DIST_TIMEOUT"
DEFAULT_TIMEOUT_S = 600.0
_REQUIRED_ENV = ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT")
# The timeout the process group was started with (for error messages).
_STARTED = {"timeout": None}


class DistributedError(RuntimeError):
    """A collective operation failed: another rank died, hung or
    disagreed. The message names this rank and what it was doing."""


def is_initialized() -> bool:
    """Whether the default process group exists."""
    return dist.is_available() and dist.is_initialized()


def env_world_size() -> int:
    """`WORLD_SIZE` from the environment (1 when unset or invalid)."""
    try:
        return int(os.environ.get("WORLD_SIZE", "1"))
    except ValueError:
        return 1


def launched() -> bool:
    """Whether this process is one of several: a `torchrun` launch or a
    process group with more than one rank that the user started."""
    if is_initialized():
        return dist.get_world_size() > 1
    return env_world_size() > 1


def rank() -> int:
    """This process's rank (0 when not distributed)."""
    if is_initialized():
        return dist.get_rank()
    return int(os.environ.get("RANK", "0") or 0)


def world_size() -> int:
    """The number of processes (1 when not distributed)."""
    if is_initialized():
        return dist.get_world_size()
    return env_world_size()


def local_rank() -> int:
    """This process's index on its machine (`LOCAL_RANK`, else 0)."""
    return int(os.environ.get("LOCAL_RANK", "0") or 0)


def is_chief() -> bool:
    """Whether this is rank 0, the process that prints and writes files."""
    return rank() == 0


def timeout_seconds(value: float | None = None) -> float:
    """The timeout for rendezvous and collectives, in seconds.

    `value` when given, else `$LAMINA_DIST_TIMEOUT`, else
    `DEFAULT_TIMEOUT_S` (600).
    """
    if value is None:
        raw = os.environ.get(TIMEOUT_ENV)
        if raw is None:
            return DEFAULT_TIMEOUT_S
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(
                f"lamina.distribute: the environment variable {TIMEOUT_ENV} "
                "must be a number of seconds. Received: "
                f"{TIMEOUT_ENV}={raw!r}. Set it to e.g. 300, or unset it "
                f"for the default {DEFAULT_TIMEOUT_S:g}."
            ) from None
    if not value > 0:
        raise ValueError(
            "lamina.distribute: the timeout must be a positive number of "
            f"seconds. Received: timeout={value!r}"
        )
    return float(value)


def default_backend(device: torch.device) -> str:
    """NCCL for CUDA devices (when built with it), gloo otherwise."""
    if device.type == "cuda" and dist.is_nccl_available():
        return "nccl"
    return "gloo"


def _check_env() -> None:
    missing = [name for name in _REQUIRED_ENV if not os.environ.get(name)]
    if missing:
        raise RuntimeError(
            "lamina.distribute: cannot start the process group: the "
            f"environment variables {missing} are not set. Launch the "
            "script with `torchrun --nproc_per_node=N script.py`, call "
            "`lamina.distribute.launch(fn, nprocs)`, or call "
            "`torch.distributed.init_process_group` yourself first."
        )
    for name in ("RANK", "WORLD_SIZE", "MASTER_PORT"):
        if not os.environ[name].isdigit():
            raise ValueError(
                f"lamina.distribute: the environment variable {name} must "
                f"be a non-negative integer. Received: {name}="
                f"{os.environ[name]!r}"
            )
    if int(os.environ["RANK"]) >= int(os.environ["WORLD_SIZE"]):
        raise ValueError(
            "lamina.distribute: RANK must be smaller than WORLD_SIZE. "
            f"Received: RANK={os.environ['RANK']}, "
            f"WORLD_SIZE={os.environ['WORLD_SIZE']}"
        )


def init_process_group(
    backend: str | None = None, timeout: float | None = None
) -> None:
    """Start the default process group from the environment, once.

    Does nothing when the group exists (the user, or an earlier call,
    started it). On CUDA machines the process first selects the GPU
    `LOCAL_RANK`, so `"cuda"` means this rank's own device.

    Args:
        backend: `"nccl"`, `"gloo"` or `None` (NCCL with CUDA, else gloo;
            `LAMINA_DEVICE=cpu` forces gloo).
        timeout: seconds to wait for the other ranks, here and in every
            later collective. Defaults to `timeout_seconds()`.
    """
    if is_initialized():
        return
    if not dist.is_available():
        raise RuntimeError(
            "lamina.distribute: this PyTorch build has no "
            "torch.distributed support. Install a build that has it."
        )
    _check_env()
    seconds = timeout_seconds(timeout)
    if backend is None:
        from lamina.runtime.device import default_device

        backend = default_backend(default_device())
    if backend == "nccl":
        torch.cuda.set_device(local_rank())
    address = f"{os.environ['MASTER_ADDR']}:{os.environ['MASTER_PORT']}"
    _STARTED["timeout"] = seconds
    try:
        dist.init_process_group(
            backend, timeout=datetime.timedelta(seconds=seconds)
        )
        atexit.register(_destroy_at_exit)
    except Exception as error:  # DistNetworkError, DistStoreError, ...
        raise DistributedError(
            f"lamina.distribute: rank {os.environ['RANK']} of "
            f"{os.environ['WORLD_SIZE']} could not join the process group "
            f"at MASTER_ADDR:MASTER_PORT={address} within {seconds:g} s "
            f"({type(error).__name__}: {_first_line(error)}). Check that "
            "rank 0 runs and that this address is reachable from every "
            f"rank, or raise the timeout with {TIMEOUT_ENV}."
        ) from error


def _destroy_at_exit() -> None:
    # The group lamina started is lamina's to close (torch warns when a
    # process exits with an NCCL group still open).
    if is_initialized():
        dist.destroy_process_group()


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


@contextlib.contextmanager
def collective(what: str) -> Iterator[None]:
    """Name the failing rank and operation when a collective fails.

    Example:

    >>> from lamina.runtime.environment import collective
    >>> with collective("a test"):
    ...     pass
    """
    try:
        yield
    except DistributedError:
        raise
    except RuntimeError as error:  # DistBackendError is a RuntimeError.
        raise DistributedError(
            f"lamina.distribute: rank {rank()} of {world_size()} failed "
            f"during {what}: {_first_line(error)}. Another rank most likely "
            "died, raised an error or stopped early (see its output above "
            "for the first error), or did not reach this point within "
            f"{_STARTED['timeout'] or timeout_seconds():g} s (the timeout; "
            f"see {TIMEOUT_ENV})."
        ) from error


__all__ = [
    "DEFAULT_TIMEOUT_S",
    "DistributedError",
    "TIMEOUT_ENV",
    "collective",
    "default_backend",
    "init_process_group",
    "is_chief",
    "is_initialized",
    "launched",
    "local_rank",
    "rank",
    "world_size",
]
