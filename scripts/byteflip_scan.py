"""Flip one byte at a time in small lamina files and load every mutant.

Three small files are written by a fixed model: `m.keras`, `m.weights.h5`
and a legacy `m.h5`. For each chosen offset the byte there is XOR-ed with
0xFF and the mutant is loaded through `load_model` (`.keras`, `.h5`) and
`model.load_weights` (all three) into a target model. The contract:

- the interpreter survives (no SIGSEGV, no abort);
- a failed load raises only `ValueError` or `OSError`;
- a failed `load_weights` leaves the target's weights as they were.

Mutants are loaded by worker processes; a worker that dies is replaced
and the offset it was loading is reported as a crash.

Usage:
    python scripts/byteflip_scan.py                 # every offset
    python scripts/byteflip_scan.py --sample 60     # 60 offsets per file
    python scripts/byteflip_scan.py --kinds h5 --offsets 857,858
    python scripts/byteflip_scan.py --workers 8     # on a bigger machine

Prints one JSON object: `{"checked": n, "failures": [...], "seconds": s}`
and exits with status 1 when there is any failure. (A scan over every
offset of the three files took about 4 minutes on a shared 2-core
machine.)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

LOAD_TIMEOUT = 60
KINDS = {"keras": "m.keras", "weights": "m.weights.h5", "h5": "m.h5"}
_ENTRY_POINTS = {
    "keras": ("load_model", "load_weights"),
    "weights": ("load_weights",),
    "h5": ("load_model", "load_weights"),
}


def _model(lamina):
    model = lamina.Sequential(
        [
            lamina.Input((4,)),
            lamina.layers.Dense(3, activation="relu"),
            lamina.layers.Dense(2),
        ],
        name="scanned",
    )
    model.compile(optimizer=lamina.optimizers.SGD(0.1), loss="mse")
    return model


def _write_originals(folder: str) -> None:
    import warnings

    import lamina

    lamina.utils.set_random_seed(1)
    model = _model(lamina)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(os.path.join(folder, KINDS["keras"]))
        model.save(os.path.join(folder, KINDS["h5"]))
        model.save_weights(os.path.join(folder, KINDS["weights"]))


class LoadHung(BaseException):
    """Raised by the alarm; a BaseException so that no handler takes it."""


def _hung(signum, frame):
    raise LoadHung()


def _load_one(lamina, target, entry: str, path: str) -> str:
    """The outcome of one load: "ok", or the exception's type name."""
    import warnings

    import numpy as np

    before = [w.copy() for w in target.get_weights()]
    signal.signal(signal.SIGALRM, _hung)
    signal.alarm(LOAD_TIMEOUT)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if entry == "load_model":
                lamina.saving.load_model(path)
            else:
                target.load_weights(path)
        return "ok"
    except (ValueError, OSError):
        after = target.get_weights()
        if any(not np.array_equal(a, b) for a, b in zip(before, after)):
            return "weights-changed-on-error"
        return "documented"
    except Exception as e:  # noqa: BLE001 - a broken contract, reported
        return type(e).__name__
    except LoadHung:
        return f"hung (over {LOAD_TIMEOUT} s)"
    finally:
        signal.alarm(0)
        target.set_weights(before)


def worker(folder: str) -> None:
    """Write the original files (first worker only) and print `ready`;
    then read `kind offset` lines on stdin, printing `start` before each
    load (so a crash can be pinned) and the outcome after it."""
    import lamina

    if not os.path.exists(os.path.join(folder, KINDS["keras"])):
        _write_originals(folder)
    print(json.dumps(["ready"]), flush=True)
    target = _model(lamina)
    mutants = tempfile.mkdtemp(dir=folder)  # one per worker
    for line in sys.stdin:
        kind, offset = line.split()
        offset = int(offset)
        with open(os.path.join(folder, KINDS[kind]), "rb") as f:
            data = bytearray(f.read())
        data[offset] ^= 0xFF
        path = os.path.join(mutants, KINDS[kind])
        with open(path, "wb") as f:
            f.write(data)
        for entry in _ENTRY_POINTS[kind]:
            print(json.dumps(["start", kind, offset, entry]), flush=True)
            outcome = _load_one(lamina, target, entry, path)
            print(
                json.dumps(["done", kind, offset, entry, outcome]), flush=True
            )
        print(json.dumps(["next"]), flush=True)


def _start(folder: str) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--worker", folder],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "KERAS_BACKEND": "torch"},
    )
    if json.loads(proc.stdout.readline() or "[null]") != ["ready"]:
        raise RuntimeError(f"worker failed to start (status {proc.wait()})")
    return proc


def _run(
    folder: str, jobs: list, timeout: float, proc=None
) -> tuple[int, list]:
    """Feed `jobs` to a worker, replacing it when it dies; (loads,
    failures)."""
    failures, checked, pending = [], 0, list(jobs)
    while pending:
        if proc is None:
            proc = _start(folder)
        proc.stdin.write("".join(f"{k} {o}\n" for k, o in pending))
        proc.stdin.close()
        current = None
        for line in proc.stdout:
            event = json.loads(line)
            if event[0] == "start":
                current = event[1:]
            elif event[0] == "done":
                checked += 1
                if event[4] not in ("ok", "documented"):
                    failures.append(event[1:])
            elif event[0] == "next":
                pending.pop(0)
                current = None
        rc, proc = proc.wait(timeout), None
        if current is not None:  # died while loading `current`
            failures.append([*current, f"crash (exit status {rc})"])
            pending.pop(0)
        elif rc != 0 and pending:
            raise RuntimeError(f"worker failed (status {rc})")
    if proc is not None:  # given a worker but no jobs
        proc.stdin.close()
        proc.wait(timeout)
    return checked, failures


def _around(data: bytes, marker: bytes, span: int = 24) -> list:
    """The `span` offsets from each occurrence of `marker` in `data`."""
    out, at = [], data.find(marker)
    while at >= 0:
        out += range(at, min(at + span, len(data)))
        at = data.find(marker, at + 1)
    return out


def scan(
    kinds: list,
    sample: int | None = None,
    offsets: list | None = None,
    seed: int = 0,
    timeout: float = 3600,
    around: bytes | None = None,
    workers: int = 1,
) -> dict:
    """Scan `kinds`; every offset, a random `sample` of them, or the
    given `offsets`, plus the bytes following each `around` marker.
    Returns `{"checked", "failures", "seconds"}`."""
    start = time.monotonic()

    def choose() -> list:
        jobs, rng = [], random.Random(seed)
        for kind in kinds:
            size = os.path.getsize(os.path.join(folder, KINDS[kind]))
            chosen = offsets if offsets is not None else range(size)
            chosen = [o for o in chosen if o < size]
            if sample is not None and offsets is None:
                chosen = sorted(rng.sample(chosen, min(sample, size)))
            if around:
                with open(os.path.join(folder, KINDS[kind]), "rb") as f:
                    near = _around(f.read(), around)
                chosen = sorted(set(chosen) | set(near))
            jobs += [(kind, o) for o in chosen]
        return jobs

    with tempfile.TemporaryDirectory() as folder:
        first = _start(folder)  # writes the original files
        jobs = choose()
        parts = [
            (jobs[i::workers], first if i == 0 else None)
            for i in range(workers)
        ]
        with ThreadPoolExecutor(workers) as pool:
            done = list(
                pool.map(
                    lambda part: _run(folder, part[0], timeout, part[1]), parts
                )
            )
    checked = sum(c for c, _ in done)
    failures = sorted(f for _, fs in done for f in fs)
    return {
        "checked": checked,
        "failures": failures,
        "seconds": round(time.monotonic() - start, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--sample", type=int)
    parser.add_argument("--offsets")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes loading mutants at once",
    )
    parser.add_argument(
        "--around",
        help="also scan the bytes after each "
        "occurrence of this text (e.g. keras_version)",
    )
    parser.add_argument("--worker")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return 0
    offsets = (
        [int(o) for o in args.offsets.split(",")] if args.offsets else None
    )
    around = args.around.encode() if args.around else None
    result = scan(
        args.kinds.split(","),
        args.sample,
        offsets,
        args.seed,
        around=around,
        workers=args.workers,
    )
    print(json.dumps(result))
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
