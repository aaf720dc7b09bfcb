"""Data-parallel throughput: the MLP workload of `train_mlp.py`
(784-512-512-10, dropout 0.2, Adam, global batch 128) or the MNIST convnet
of `train_cnn.py`, trained with `fit` as 1 process and as 2 processes
(`lamina.distribute.launch`, gloo on loopback, or NCCL on GPUs), in
samples per second.

    python bench/distributed.py [--workload mlp|cnn] [--samples 10240]
                                [--epochs 3] [--procs 2] [--threads 1]

Each configuration runs one warm-up epoch, then `--epochs` timed epochs
(median), for lamina's `fit` and for a hand-written PyTorch loop
(`DistributedDataParallel` when distributed). Scaling efficiency =
throughput(N processes) / (N x throughput(1 process)), both with
`--threads` intra-op threads per process. On a CPU machine the processes
share its cores: with 2 cores, 1 process of 2 threads is the fair baseline
for 2 processes of 1 thread, and it is printed too. Process start-up is
not timed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
import torch

import lamina
from lamina.runtime.device import default_device
import train_cnn
import train_mlp

WORKLOADS = {"mlp": train_mlp, "cnn": train_cnn}
LABELS = {"mlp": "MLP 784-512-512-10", "cnn": "MNIST convnet"}


def data(samples: int, workload: str, channels_first: bool = False):
    rng = np.random.default_rng(0)
    shape = (samples, 784) if workload == "mlp" else (samples, 28, 28, 1)
    x = rng.normal(size=shape).astype("float32")
    if channels_first and workload == "cnn":  # the torch model's layout
        x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    y = rng.integers(0, 10, size=(samples,))
    return x, y


def epoch_times(
    samples: int, batch: int, epochs: int, threads: int, workload: str = "mlp"
) -> list[float]:
    """Seconds per timed epoch of `fit` (rank 0's clock when distributed;
    `fit` ends with a barrier, so it is the slowest rank's time)."""
    torch.set_num_threads(threads)
    x, y = data(samples, workload)
    model = WORKLOADS[workload].build_lib(lamina)
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)  # warm-up
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
        times.append(time.perf_counter() - start)
    return times


def torch_epoch_times(
    samples: int, batch: int, epochs: int, threads: int, workload: str = "mlp"
) -> list[float]:
    """The same with a hand-written loop: `DistributedDataParallel` when
    distributed (each rank its contiguous part of each global batch)."""
    torch.set_num_threads(threads)
    x, y = (torch.from_numpy(a) for a in data(samples, workload, True))
    model = WORKLOADS[workload].build_torch()
    world, rank = 1, 0
    if torch.distributed.is_initialized():
        world, rank = (
            torch.distributed.get_world_size(),
            torch.distributed.get_rank(),
        )
        model = torch.nn.parallel.DistributedDataParallel(model)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lo, hi = rank * batch // world, (rank + 1) * batch // world

    def epoch():
        perm = torch.randperm(samples)
        for start in range(0, samples, batch):
            idx = perm[start : start + batch][lo:hi]
            opt.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            opt.step()

    epoch()  # warm-up
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        epoch()
        times.append(time.perf_counter() - start)
    return times


def throughput(times: list[float], samples: int) -> float:
    return samples / statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", choices=sorted(WORKLOADS), default="mlp")
    parser.add_argument("--samples", type=int, default=10240)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    print(
        f"{LABELS[args.workload]}, global batch {args.batch}, "
        f"{args.samples} "
        f"samples/epoch, median of {args.epochs} epochs, {cores} CPU "
        f"cores, device {default_device()}"
    )
    for name, fn in (
        ("lamina fit", epoch_times),
        ("torch loop (DDP)", torch_epoch_times),
    ):
        report(name, fn, args, cores)


def report(name, fn, args, cores: int) -> None:
    run = (args.samples, args.batch, args.epochs)
    results = {}
    one = throughput(fn(*run, args.threads, args.workload), args.samples)
    results[f"1 process x {args.threads} thread(s)"] = one
    if cores >= 2 * args.threads:
        results[f"1 process x {2 * args.threads} threads"] = throughput(
            fn(*run, 2 * args.threads, args.workload), args.samples
        )
    many = throughput(
        lamina.distribute.launch(
            fn, args.procs, *run, args.threads, args.workload
        )[0],
        args.samples,
    )
    results[f"{args.procs} processes x {args.threads} thread(s)"] = many
    print(name)
    for label, value in results.items():
        print(f"  {label:28s}: {value:10.0f} samples/s")
    print(
        f"  scaling efficiency ({args.procs} processes vs 1, same threads "
        f"each): {many / (args.procs * one):.2f}"
    )
    if cores < args.procs * args.threads:
        print(
            f"  note: {args.procs} x {args.threads} threads exceed the "
            f"{cores} cores: the processes compete for them."
        )


if __name__ == "__main__":
    main()
