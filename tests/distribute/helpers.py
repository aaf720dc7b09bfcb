"""Running a test scenario on two ranks (forked from the test process)."""

from __future__ import annotations

import lamina

# Short enough that a broken test fails quickly, long enough for a loaded
# two-core machine.
TIMEOUT_S = 60


def on_two_ranks(fn, *args, timeout=TIMEOUT_S):
    """Run `fn(*args)` on 2 ranks (gloo on 127.0.0.1); returns by rank."""
    return lamina.distribute.launch(fn, 2, *args, timeout=timeout,
                                    start_method="fork")
