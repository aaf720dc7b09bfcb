"""Peak host memory of the MLP workload on CPU: lamina `fit` vs the
hand-written PyTorch loop (and Keras 3 when installed).

    python bench/memory_mlp.py [--batch 128] [--samples 5120] [--no-keras]

Each runner trains one epoch in a fresh process that first imports every
library and makes the data, so the baselines are the same; the figure is
the growth of the process's peak resident set (`ru_maxrss`) during
training. On a GPU `harness.peak_memory` reports device memory instead.
Goal: lamina <= 1.2 x torch.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys

import numpy as np
import torch

import lamina
import train_mlp
from harness import keras_or_none


def peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(name: str, batch: int, samples: int) -> None:
    keras = keras_or_none()
    rng = np.random.default_rng(0)
    x_np = rng.normal(size=(samples, 784)).astype("float32")
    y_np = rng.integers(0, 10, size=(samples,))
    runners = train_mlp.runners_for(
        "fit", x_np, y_np, batch, keras is not None and name == "keras"
    )
    before = peak_kib()
    runners[name]()
    print(json.dumps({"growth_kib": peak_kib() - before}))


def measure(name: str, batch: int, samples: int) -> int:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            name,
            "--batch",
            str(batch),
            "--samples",
            str(samples),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])["growth_kib"]


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--samples", type=int, default=5120)
    parser.add_argument("--no-keras", action="store_true")
    parser.add_argument("--child", default=None)
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    if args.child:
        return child(args.child, args.batch, args.samples)
    names = ["torch", "lamina"]
    if not args.no_keras and keras_or_none() is not None:
        names.append("keras")
    growth = {n: measure(n, args.batch, args.samples) for n in names}
    print(
        f"MLP 784-512-512-10 fit, batch {args.batch}: peak RSS growth "
        "during one epoch (fresh process each)"
    )
    for name, kib in growth.items():
        print(
            f"  {name:<14}: {kib / 1024:8.1f} MiB  ratio vs torch "
            f"{kib / max(growth['torch'], 1):.3f}"
        )
    return growth


if __name__ == "__main__":
    lamina.utils.set_random_seed(0)
    main()
