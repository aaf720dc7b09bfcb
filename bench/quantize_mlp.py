"""Inference of an int8-quantized MLP vs the same MLP in float32 (CPU).

    python bench/quantize_mlp.py [--batch 256] [--batches 8] [--width 2048]
        [--repeats 5] [--no-keras]

Workload: `Dense(width, relu) -> Dense(width, relu) -> Dense(256)` on
1024 input features, `model.predict` over `batches` batches. Each variant
runs in a fresh process that imports the libraries and makes the data
first, so the resident-set figures share a baseline:

- `float32`: the model as built;
- `int8`: the same model after `model.quantize("int8")` (weights int8
  per output unit, inputs int8 per row, int32 accumulation through
  `torch._int_mm`);
- `keras int8`: Keras 3 (torch backend) on the same weights, quantized
  the same way (when installed).

Reported per variant: the median seconds per `predict`, the bytes of all
weights, the growth of the peak RSS (`ru_maxrss`) while building,
quantizing and predicting, and the largest difference from the float32
outputs. A second table times the int8 kernels alone on one layer's
shape: `torch._int_mm` (what lamina runs), an int32 `matmul` (the exact
fallback), and the float32 `matmul` of the unquantized layer.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _build(lib, width: int, seed: int = 0):
    model = lib.Sequential(
        [
            lib.Input((1024,)),
            lib.layers.Dense(width, activation="relu"),
            lib.layers.Dense(width, activation="relu"),
            lib.layers.Dense(256),
        ]
    )
    rng = np.random.default_rng(seed)
    model.set_weights(
        [
            rng.normal(scale=0.03, size=w.shape).astype("float32")
            for w in model.get_weights()
        ]
    )
    return model


def _weight_bytes(model) -> int:
    total = 0
    for w in model.weights:
        value = w.detach() if hasattr(w, "detach") else w.value
        total += value.numel() * value.element_size()
    return total


def child(name: str, args) -> dict:
    if name.startswith("keras"):
        os.environ["KERAS_BACKEND"] = "torch"
        import keras as lib
    else:
        import lamina as lib
    x = np.random.default_rng(1).normal(size=(args.batch * args.batches, 1024))
    x = x.astype("float32")
    start = _peak_kib()
    model = _build(lib, args.width)
    reference = np.asarray(model.predict(x[: args.batch], verbose=0))
    if name != "float32":
        model.quantize("int8")
    times = []
    for _ in range(args.repeats + 1):  # the first run warms up
        t = time.perf_counter()
        out = model.predict(x, batch_size=args.batch, verbose=0)
        times.append(time.perf_counter() - t)
    first = np.asarray(out)[: args.batch]
    return {
        "seconds": statistics.median(times[1:]),
        "weight_bytes": _weight_bytes(model),
        "peak_rss_growth_kib": _peak_kib() - start,
        "max_abs_diff_vs_float32": float(np.abs(first - reference).max()),
    }


def kernels(width: int, batch: int, repeats: int) -> None:
    a = torch.randint(-127, 128, (batch, width), dtype=torch.int8)
    b = torch.randint(-127, 128, (width, width), dtype=torch.int8)
    af, bf = a.float(), b.float()
    runs = {
        "torch._int_mm": lambda: torch._int_mm(a, b),
        "int32 matmul": lambda: a.to(torch.int32) @ b.to(torch.int32),
        "float32 matmul": lambda: af @ bf,
    }
    assert torch.equal(runs["torch._int_mm"](), runs["int32 matmul"]())
    print(
        f"one ({batch} x {width}) @ ({width} x {width}) product, median of {repeats}:"
    )
    for label, run in runs.items():
        run()
        samples = []
        for _ in range(repeats):
            t = time.perf_counter()
            run()
            samples.append(time.perf_counter() - t)
        print(f"  {label:15s}: {statistics.median(samples) * 1e3:8.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--batches", type=int, default=8)
    parser.add_argument("--width", type=int, default=2048)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-keras", action="store_true")
    parser.add_argument("--child", default=None)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args)))
        return
    names = ["float32", "int8"] + ([] if args.no_keras else ["keras int8"])
    results = {}
    for name in names:
        out = subprocess.run(
            [sys.executable, __file__, "--child", name]
            + [
                f"--{k}={getattr(args, k)}"
                for k in ("batch", "batches", "width", "repeats")
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[name] = json.loads(out.strip().splitlines()[-1])
    base = results["float32"]
    print(
        f"MLP 1024-{args.width}-{args.width}-256, predict on "
        f"{args.batches} x {args.batch} rows, torch threads {torch.get_num_threads()}"
    )
    for name, r in results.items():
        print(
            f"  {name:11s}: {r['seconds'] * 1e3:8.1f} ms/predict "
            f"(x{r['seconds'] / base['seconds']:.2f}), weights "
            f"{r['weight_bytes'] / 2**20:6.1f} MiB "
            f"(x{r['weight_bytes'] / base['weight_bytes']:.3f}), peak RSS "
            f"+{r['peak_rss_growth_kib'] / 1024:6.1f} MiB, max |diff| vs "
            f"float32 {r['max_abs_diff_vs_float32']:.2e}"
        )
    kernels(args.width, args.batch, args.repeats)


if __name__ == "__main__":
    main()
