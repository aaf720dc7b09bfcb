"""Shared benchmark harness: interleaved repetitions, median per step,
ratios against the hand-written PyTorch runner, peak accelerator memory.

Every workload registers runners (zero-argument callables doing one epoch
or one pass) under names; `compare` warms each up once, then runs them in
turn `repeats` times so machine noise hits all of them alike.
"""

from __future__ import annotations

import statistics
import time
from typing import Callable

import torch


def timed(fn: Callable[[], object]) -> float:
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    start = time.perf_counter()
    fn()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return time.perf_counter() - start


def peak_memory(fn: Callable[[], object]) -> int | None:
    """Peak CUDA memory (bytes) of one run of `fn`; None on CPU, where
    torch's allocator keeps no per-run peak."""
    if not torch.cuda.is_available():
        return None
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()
    fn()
    torch.cuda.synchronize()
    return torch.cuda.max_memory_allocated()


def compare(
    title: str, runners: dict, steps: int, repeats: int, baseline: str = "torch"
) -> dict:
    """Print and return the median seconds per step of each runner."""
    for run in runners.values():  # warm-up (and compilation)
        run()
    times: dict = {name: [] for name in runners}
    for _ in range(repeats):
        for name, run in runners.items():
            times[name].append(timed(run) / steps)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{title}: {steps} steps per run, median of {repeats} runs")
    for name, value in med.items():
        print(
            f"  {name:14s}: {value * 1e3:8.3f} ms/step  "
            f"ratio vs {baseline} {value / med[baseline]:.3f}"
        )
    memory = {name: peak_memory(run) for name, run in runners.items()}
    if memory[baseline] is not None:
        for name, value in memory.items():
            print(
                f"  {name:14s}: peak {value / 2**20:8.1f} MiB  "
                f"ratio vs {baseline} {value / memory[baseline]:.3f}"
            )
    return med


class PeakRSS:
    """Peak resident memory (bytes) of this process while the `with`
    block runs, sampled every few milliseconds from /proc (0 where there
    is no /proc)."""

    def __init__(self, interval: float = 0.005):
        self.interval = interval
        self.peak = 0

    @staticmethod
    def current() -> int:
        import os

        try:
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            return 0

    def _sample(self) -> None:
        while not self._done.wait(self.interval):
            self.peak = max(self.peak, self.current())

    def __enter__(self) -> "PeakRSS":
        import threading

        self.peak = self.current()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, self.current())


def first_epochs(make_epoch: Callable[[], Callable], fit: bool) -> tuple:
    """`(epoch, {"first", "fit5", "rss"})` for a fresh runner: `first` is
    building it and its first epoch (compilation included), `fit5` that
    plus four more epochs for a fit (else `first`), `rss` the peak."""
    with PeakRSS() as rss:
        start = time.perf_counter()
        epoch = make_epoch()
        epoch()
        first = time.perf_counter() - start
        more = sum(timed(epoch) for _ in range(4 if fit else 0))
    return epoch, {"first": first, "fit5": first + more, "rss": rss.peak}


def keras_or_none(backend: str = "torch"):
    """Keras 3 on `backend`, or None when it is not installed. The first
    import fixes the backend for the process."""
    import os

    os.environ["KERAS_BACKEND"] = backend
    try:
        import keras
    except ImportError:
        return None
    return keras
