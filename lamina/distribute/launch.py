"""`launch(fn, nprocs, *args)`: run a function in several processes that
form one process group on this machine (loopback `127.0.0.1`, a free
port), for notebooks, tests and quick experiments without `torchrun`.

Each process gets the environment `torchrun` would give it (`RANK`,
`WORLD_SIZE`, `LOCAL_RANK`, `MASTER_ADDR`, `MASTER_PORT`), starts the
process group, and calls `fn(*args)`; inside it, `fit`/`evaluate`/
`predict` run data-parallel with no change. `launch` returns each rank's
return value. When a rank fails, the others fail at their next
collective (see `environment`); `launch` waits for them (at most the
timeout and a grace period), then raises one error with every rank's.
"""

from __future__ import annotations

import os
import signal
import socket
import time
import traceback
import warnings
from typing import Any, Callable

import torch.multiprocessing as mp

from lamina.errors import LaminaWarning
from lamina.runtime import environment

_GRACE_S = 15.0
_FORK_PROBE_S = 5.0
# Processes whose OpenMP pool a forked child cannot use (a forked child
# of this process gets a fresh set: its pid differs).
_FORK_UNSAFE: set = set()


class LaunchError(RuntimeError):
    """One or more ranks of `launch` failed. `errors` maps each failed
    rank to its traceback (or exit description)."""

    def __init__(self, message: str, errors: dict) -> None:
        super().__init__(message)
        self.errors = errors


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _worker(
    rank: int,
    world: int,
    port: int,
    fn: Callable,
    args: tuple,
    results,
    timeout: float | None,
    backend: str | None,
    threads: int | None = None,
) -> None:
    os.environ.update(
        MASTER_ADDR="127.0.0.1",
        MASTER_PORT=str(port),
        RANK=str(rank),
        WORLD_SIZE=str(world),
        LOCAL_RANK=str(rank),
        LOCAL_WORLD_SIZE=str(world),
    )
    if timeout is not None:
        os.environ[environment.TIMEOUT_ENV] = str(timeout)
    import torch

    from lamina.distribute import data_parallel

    if threads is not None:
        torch.set_num_threads(threads)
    data_parallel._STATE.update(explicit=False, value=None, auto=None)
    try:
        environment.init_process_group(backend, timeout)
        results.put((rank, None, "started"))
        results.put((rank, True, fn(*args)))
    except BaseException:
        results.put((rank, False, traceback.format_exc()))
        raise SystemExit(1) from None
    torch.distributed.destroy_process_group()


def launch(
    fn: Callable,
    nprocs: int,
    *args: Any,
    timeout: float | None = None,
    backend: str | None = None,
    start_method: str = "spawn",
) -> list:
    """Run `fn(*args)` in `nprocs` processes forming one process group.

    Args:
        fn: a function importable by name (defined in a module; with
            `start_method="fork"` also one defined in a notebook).
        nprocs: the number of processes (ranks).
        *args: passed to `fn` on every rank.
        timeout: seconds a rank waits for the others; defaults to
            `$LAMINA_DIST_TIMEOUT`, else 600.
        backend: `"gloo"`, `"nccl"` or `None` (NCCL when there is a GPU
            per rank, else gloo).
        start_method: `"spawn"` (safe everywhere) or `"fork"`. A process
            that has already run torch's OpenMP thread pool cannot fork
            ranks that use it: they then run on one thread each, with a
            warning.

    Raises:
        LaunchError: a rank failed, or did not start (join the process
            group) within the timeout and a grace period.

    Returns:
        The list of `fn`'s return values, by rank.

    Example:

    ```python
    def train(epochs):
        model = build_model()
        model.fit(x, y, batch_size=64, epochs=epochs)
        return model.get_weights()

    weights = lamina.distribute.launch(train, 2, 3)[0]
    ```
    """
    if not isinstance(nprocs, int) or isinstance(nprocs, bool) or nprocs < 1:
        raise ValueError(
            "Invalid value for argument `nprocs` of launch: expected a "
            f"positive integer. Received: nprocs={nprocs!r}"
        )
    wait = environment.timeout_seconds(timeout) + _GRACE_S
    if backend is None:
        backend = _default_backend(nprocs)
    threads = _threads_per_rank(nprocs, start_method)
    ctx = mp.get_context(start_method)
    results = ctx.SimpleQueue()
    port = free_port()
    procs = [
        ctx.Process(
            target=_worker,
            args=(
                rank,
                nprocs,
                port,
                fn,
                args,
                results,
                timeout,
                backend,
                threads,
            ),
        )
        for rank in range(nprocs)
    ]
    for p in procs:
        p.start()
    outcome = _wait(procs, results, wait)
    return _collect(procs, outcome, nprocs)


def _threads_per_rank(nprocs: int, start_method: str) -> int | None:
    """Each rank's intra-op threads: the cores shared among the ranks, as
    torchrun does (None: `OMP_NUM_THREADS` decides). A forked rank runs
    on one thread when the parent's OpenMP pool no longer works in a
    forked child (`_fork_is_safe`), with a warning."""
    if "OMP_NUM_THREADS" in os.environ:
        import torch

        threads = torch.get_num_threads()
    else:
        threads = max(1, (os.cpu_count() or 1) // nprocs)
    if (
        start_method != "fork"
        or threads == 1
        or (os.getpid() not in _FORK_UNSAFE and _fork_is_safe(threads))
    ):
        return None if "OMP_NUM_THREADS" in os.environ else threads
    warnings.warn(
        "lamina.distribute.launch: this process has already run torch's "
        "OpenMP thread pool, which a forked child cannot use (it would "
        f"wait forever), so each of the {nprocs} forked rank(s) runs on "
        "one thread. Use start_method='spawn' (with a function importable"
        " from a module) to give them several.",
        LaminaWarning,
        stacklevel=3,
    )
    return 1


def _fork_is_safe(threads: int) -> bool:
    """Whether a forked child can run a parallel torch operation on
    `threads` threads: GNU OpenMP's pool, once the parent used it, leaves
    forked children waiting for threads that do not exist in them.
    Tried in a throwaway forked child, killed if it does not finish."""
    pid = os.fork()
    if pid == 0:  # The child: run one parallel operation, then leave.
        try:
            import torch

            torch.set_num_threads(threads)
            torch.ones(1 << 20).add_(1).sum()
        finally:
            os._exit(0)
    deadline = time.monotonic() + _FORK_PROBE_S
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return True
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)  # Our own probe, stuck in OpenMP.
    os.waitpid(pid, 0)
    _FORK_UNSAFE.add(os.getpid())  # the pool stays started: known now
    return False


def _default_backend(nprocs: int) -> str:
    """NCCL when every rank can have its own GPU, else gloo (a model on
    a shared GPU still works: gloo's messages go through the CPU)."""
    import torch

    if torch.cuda.is_available() and torch.cuda.device_count() >= nprocs:
        return "nccl"
    return "gloo"


def _wait(procs: list, results, grace: float) -> dict:
    """Each rank's `(ok, value)`. A rank that fails, or that has not
    started (joined the process group) within `grace` seconds, stops
    the others after `grace` more seconds."""
    outcome: dict = {}
    started: set = set()
    first_failure = None
    start_by = time.monotonic() + grace
    while True:
        while not results.empty():
            rank, ok, value = results.get()
            if ok is None:
                started.add(rank)
            else:
                outcome[rank] = (ok, value)
        codes = [p.exitcode for p in procs]
        if all(c is not None for c in codes) and results.empty():
            return outcome
        late = [
            r
            for r in range(len(procs))
            if r not in started and r not in outcome and codes[r] is None
        ]
        if first_failure is None and late and time.monotonic() > start_by:
            for r in late:
                outcome[r] = (
                    False,
                    (
                        f"did not start within {grace:g} s "
                        "(the timeout and a grace period)"
                    ),
                )
                procs[r].terminate()  # Ours; stuck before its first step.
            first_failure = time.monotonic()
        if first_failure is None and any(c not in (None, 0) for c in codes):
            first_failure = time.monotonic()
        if (
            first_failure is not None
            and time.monotonic() - first_failure > grace
        ):
            for p in procs:
                if p.exitcode is None:
                    p.terminate()  # Ours; a rank stuck past its timeout.
            for p in procs:
                p.join()
            first_failure = -float("inf")
        time.sleep(0.05)


def _collect(procs: list, outcome: dict, nprocs: int) -> list:
    errors = {}
    for rank, p in enumerate(procs):
        ok, value = outcome.get(rank, (False, None))
        if not ok:
            errors[rank] = value or (
                f"exited with code {p.exitcode} without reporting a result"
            )
    if errors:
        summary = "; ".join(
            f"rank {r}: {_last_line(e)}" for r, e in sorted(errors.items())
        )
        first = min(errors)
        raise LaunchError(
            f"lamina.distribute.launch: {len(errors)} of {nprocs} ranks "
            f"failed ({summary}).\nTraceback of rank {first}:\n"
            f"{errors[first]}",
            errors,
        )
    return [outcome[r][1] for r in range(nprocs)]


def _last_line(text: str) -> str:
    lines = [line for line in str(text).strip().splitlines() if line]
    return lines[-1] if lines else "failed"


__all__ = ["LaunchError", "free_port", "launch"]
