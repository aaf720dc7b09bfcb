"""Scenarios that fail on purpose (bad input, a rank that dies or hangs),
run inside the ranks of `test_errors.py` and `test_launch.py`."""

from __future__ import annotations

import os
import time

import lamina
from tests.distribute.workers import build
from tests.distribute.workers import data
from tests.distribute.workers import write


def mismatched_model(out_dir):
    model = build(units=5 + lamina.distribute.rank())
    x, y = data()
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)


def bad_fit(out_dir, case):
    x, y = data()
    model = build()
    if case == "batch_size":
        model.fit(x, y, batch_size=1, epochs=1, verbose=0)
    elif case == "tiny_dataset":
        model.fit(x[:1], y[:1], batch_size=32, epochs=1, verbose=0)
    elif case == "different_data":
        n = 96 - 16 * lamina.distribute.rank()
        model.fit(x[:n], y[:n], batch_size=32, epochs=1, verbose=0)


def dying_rank(out_dir):
    """Rank 1 dies at the start of epoch 2; rank 0 carries on."""
    x, y = data()
    model = build()

    def die(epoch, logs):
        if epoch == 1 and lamina.distribute.rank() == 1:
            os._exit(3)

    die_cb = lamina.callbacks.LambdaCallback(on_epoch_begin=die)
    model.fit(x, y, batch_size=32, epochs=5, verbose=0, callbacks=[die_cb])


def hanging_rank(out_dir, seconds):
    """Rank 1 stalls for `seconds` at the start of epoch 2."""
    x, y = data()
    model = build()

    def stall(epoch, logs):
        if epoch == 1 and lamina.distribute.rank() == 1:
            time.sleep(seconds)

    stall_cb = lamina.callbacks.LambdaCallback(on_epoch_begin=stall)
    start = time.monotonic()
    try:
        model.fit(
            x, y, batch_size=32, epochs=3, verbose=0, callbacks=[stall_cb]
        )
    finally:
        write(out_dir, "hang", {"seconds": time.monotonic() - start})


def whoami(out_dir):
    """The rank and world size this process sees."""
    return [
        lamina.distribute.rank(),
        lamina.distribute.world_size(),
        type(lamina.distribute.distribution()).__name__,
    ]


def fails_on_rank_1(out_dir):
    if lamina.distribute.rank() == 1:
        raise KeyError("no such column")
    return "fine"


def small_generator_batch(out_dir):
    """Batches of 47, 47 and 1 samples: the last cannot feed 2 ranks."""
    x, y = data(95)
    model = build()
    gen = ((x[i : i + 47], y[i : i + 47]) for i in range(0, 95, 47))
    model.fit(gen, epochs=1, verbose=0)
