"""Cost of the nn ops against the direct torch call, same run.

    python bench/ops_nn_overhead.py [--repeats 15] [--threads 1]

Each case times `lamina.ops.<op>` and the torch code a user would write
for the same result (the kernel permuted from Keras's layout as a view,
channels-last inputs as a permuted view), interleaved; it prints the
median and the best (minimum) of the repeats and their ratios; the goal
is a ratio <= 1.2. On a shared machine the best-of ratio is the steadier
estimate of per-call cost (timeit's reasoning: noise only adds time).
Small shapes measure the per-call Python overhead, larger ones the
kernels.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
import torch.nn.functional as F

from lamina import ops


def _per_call(fn, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def _cases():
    small = torch.randn(2, 8, 8, 4)
    large = torch.randn(8, 32, 32, 16)
    k_small, k_large = torch.randn(3, 3, 4, 8), torch.randn(3, 3, 16, 32)
    seq, k_seq = torch.randn(8, 64, 16), torch.randn(3, 16, 32)
    logits = torch.randn(32, 10)
    big_logits = torch.randn(256, 1000)

    def torch_conv2d(x, k, padding):
        y = F.conv2d(
            x.permute(0, 3, 1, 2), k.permute(3, 2, 0, 1), padding=padding
        )
        return y.permute(0, 2, 3, 1)

    def torch_conv1d(x, k):
        return F.conv1d(
            x.transpose(1, 2), k.permute(2, 1, 0), padding=1
        ).transpose(1, 2)

    return {
        "conv2d small same": (
            lambda: ops.conv(small, k_small, padding="same"),
            lambda: torch_conv2d(small, k_small, 1),
            2000,
        ),
        "conv2d large same": (
            lambda: ops.conv(large, k_large, padding="same"),
            lambda: torch_conv2d(large, k_large, 1),
            40,
        ),
        "conv2d small NCHW": (
            lambda: ops.conv(
                small.permute(0, 3, 1, 2), k_small, data_format="channels_first"
            ),
            lambda: F.conv2d(
                small.permute(0, 3, 1, 2), k_small.permute(3, 2, 0, 1)
            ),
            2000,
        ),
        "conv1d same": (
            lambda: ops.conv(seq, k_seq, padding="same"),
            lambda: torch_conv1d(seq, k_seq),
            500,
        ),
        "softmax small": (
            lambda: ops.softmax(logits),
            lambda: torch.softmax(logits, -1),
            5000,
        ),
        "softmax large": (
            lambda: ops.softmax(big_logits),
            lambda: torch.softmax(big_logits, -1),
            300,
        ),
    }


def main(repeats: int, threads: int) -> None:
    # One thread by default: on a shared machine, a parallel region waits
    # for its slowest thread, which buries the per-call cost being measured.
    torch.set_num_threads(threads)
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads; "
        f"median of {repeats} interleaved repeats"
    )
    for name, (ours, theirs, calls) in _cases().items():
        torch.testing.assert_close(ours(), theirs(), rtol=1e-4, atol=1e-4)
        a, b = [], []
        for r in range(repeats):
            # Alternate which runs first: on a loaded machine the order
            # alone shifts timings.
            if r % 2:
                b.append(_per_call(theirs, calls))
                a.append(_per_call(ours, calls))
            else:
                a.append(_per_call(ours, calls))
                b.append(_per_call(theirs, calls))
        ma, mb = statistics.median(a), statistics.median(b)
        print(
            f"  {name:18s} median: lamina {ma * 1e6:8.1f} us  torch "
            f"{mb * 1e6:8.1f} us  ratio {ma / mb:5.2f} | best: ratio "
            f"{min(a) / min(b):5.2f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    main(args.repeats, args.threads)
