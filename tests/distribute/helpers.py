"""Running a test scenario on two ranks (forked from the test process)."""

from __future__ import annotations

import warnings

import lamina

# Short enough that a broken test fails quickly, long enough for a loaded
# two-core machine.
TIMEOUT_S = 60


def on_two_ranks(fn, *args, timeout=TIMEOUT_S):
    """Run `fn(*args)` on 2 ranks (gloo on 127.0.0.1); returns by rank.
    (On a machine of more than 2 cores the forked ranks may run on one
    thread each, with a warning, once this process has used OpenMP.)"""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*runs on one thread")
        return lamina.distribute.launch(
            fn, 2, *args, timeout=timeout, start_method="fork"
        )
