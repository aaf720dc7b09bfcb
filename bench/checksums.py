"""Cost of the Fletcher-32 checksums on a 100 MB model's files.

    python bench/checksums.py [--repeats 5]

Saves and loads a `.weights.h5` and a `.keras` file of a model with 25 M
float32 weights (100 MB), with checksums (lamina's default) and without
(`lamina.saving.h5_reading.CHECKSUMS = False`), interleaved, and prints
the median seconds of each and their ratio. The files go to a temporary
folder (the page cache makes this a CPU measurement more than a disk
one).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

import lamina
from lamina.saving import h5_reading


def _model():
    return lamina.Sequential([lamina.Input((5000,)), lamina.layers.Dense(5000)])


def _time(fn, path: str) -> float:
    start = time.perf_counter()
    fn(path)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    model, target = _model(), _model()
    folder = tempfile.mkdtemp()
    times: dict = {}
    for _ in range(args.repeats):
        for checksums in (True, False):
            h5_reading.CHECKSUMS = checksums
            for suffix in (".weights.h5", ".keras"):
                path = os.path.join(folder, f"m{int(checksums)}{suffix}")
                save = (
                    model.save_weights
                    if suffix == ".weights.h5"
                    else model.save
                )
                load = (
                    target.load_weights
                    if suffix == ".weights.h5"
                    else lamina.saving.load_model
                )
                key = (suffix, checksums)
                times.setdefault(key + ("save",), []).append(_time(save, path))
                times.setdefault(key + ("load",), []).append(_time(load, path))
    for suffix in (".weights.h5", ".keras"):
        for op in ("save", "load"):
            on = statistics.median(times[(suffix, True, op)])
            off = statistics.median(times[(suffix, False, op)])
            print(
                f"{suffix:12s} {op}: with checksums {on:.3f} s, without "
                f"{off:.3f} s, ratio {on / off:.2f}"
            )


if __name__ == "__main__":
    main()
