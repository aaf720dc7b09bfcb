"""Ctrl-C during `fit` stops between steps, never inside a weight update.

An optimizer update is several in-place kernels (slots, then weights); a
`KeyboardInterrupt` between two of them would leave the model with half a
step applied. While `fit` runs, `sigint_guard` installs a SIGINT handler
that raises at once, except inside `atomic_update()`, where it holds the
interrupt until the block ends. So an interrupted `fit` leaves the weights
of the last finished step. Entering `atomic_update` costs two attribute
writes, not a handler swap per step.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Iterator

import contextlib
import signal
import threading


class _State:
    critical = False
    pending = False


def _handler(signum, frame) -> None:
    if _State.critical:
        _State.pending = True
        return
    raise KeyboardInterrupt


@contextlib.contextmanager
def sigint_guard() -> Iterator[Any]:
    """Install the deferring SIGINT handler for the block (a `fit`).

    Only in the main thread and only while Python's default handler is
    installed: a user's own SIGINT handler is left alone.
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return
    signal.signal(signal.SIGINT, _handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _State.critical = _State.pending = False


class atomic_update:
    """Hold Ctrl-C (under `sigint_guard`) until the block ends.

    Example:

    >>> from lamina.trainers.interrupts import atomic_update
    >>> with atomic_update():
    ...     total = 1 + 1
    >>> total
    2
    """

    def __enter__(self) -> None:
        _State.critical = True

    def __exit__(self, *exc) -> None:
        _State.critical = False
        if _State.pending:
            _State.pending = False
            raise KeyboardInterrupt
