"""Work that only rank 0 does, while the other ranks wait.

`run_on_chief(fn, what)` runs `fn` on rank 0; every rank then waits at one
collective that also carries whether rank 0 succeeded, so that no rank
reads a half-written file and, if rank 0's write fails, the others raise
too instead of waiting for a rank that has given up. When the weights are
sharded across ranks (`DataParallel(fsdp=True)`), all ranks first gather
the full weights, which only works when all take part.

As one process (no process group), `run_on_chief(fn)` is just `fn()`.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any, Callable, Iterator

from lamina.runtime import collectives
from lamina.runtime.environment import DistributedError
from lamina.runtime.environment import is_chief
from lamina.runtime.environment import is_initialized

# Set while rank 0 runs chief-only work, so that work nested inside it
# (a checkpoint callback calling `model.save`, which is chief-only too)
# runs directly instead of waiting for ranks that are not there.
_inside = threading.local()


def run_on_chief(fn: Callable[[], Any], what: str, model: Any = None) -> Any:
    """Call `fn()` on rank 0 only; the other ranks wait for it.

    Args:
        fn: the work (e.g. writing a checkpoint).
        what: how errors name the work (`"saving checkpoint.keras"`).
        model: the model whose full weights `fn` needs (gathered first
            when they are sharded across ranks).

    Returns:
        `fn()`'s result on rank 0, `None` elsewhere.

    Example:

    >>> from lamina.runtime.chief import run_on_chief
    >>> run_on_chief(lambda: "written", "a test")
    'written'
    """
    if (
        getattr(_inside, "active", False)
        or not is_initialized()
        or collectives.world() == 1
    ):
        return fn()
    result, error = None, None
    with _full_weights(model):
        if is_chief():
            _inside.active = True
            try:
                result = fn()
            except Exception as e:  # Re-raised below, after the others know.
                error = e
            finally:
                _inside.active = False
        failed = collectives.any_rank(
            error is not None, f"waiting for rank 0 ({what})"
        )
    if error is not None:
        raise error
    if failed:
        raise DistributedError(
            f"lamina.distribute: rank 0 failed while {what}; its error is in "
            "its output. This rank stops too."
        )
    return result


# How to gather a model's sharded weights; added by the packages that shard
# them (`lamina.distribute.fsdp`, `lamina.distribution.model_parallel`),
# which the runtime must not import. Each is a no-op on models it did not
# shard.
FULL_WEIGHTS: list[Callable[[Any], Any]] = []


@contextlib.contextmanager
def _full_weights(model: Any) -> Iterator[None]:
    """Gather sharded weights for the block; else nothing."""
    with contextlib.ExitStack() as stack:
        if model is not None:
            for gather in FULL_WEIGHTS:
                stack.enter_context(gather(model))
        yield


__all__ = ["run_on_chief"]
