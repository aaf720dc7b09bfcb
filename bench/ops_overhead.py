"""Cost of a `lamina.ops` call against the direct torch call, same run.

    python bench/ops_overhead.py [--repeats 41] [--calls 200]

For each op and size, lamina and torch calls are timed in interleaved
blocks (`--calls` calls each), `--repeats` times; the ratio of the medians
is printed (goal <= 1.2). Small tensors show the Python overhead; larger
ones show that it vanishes behind the kernel. `conv` joins the list when
`lamina.ops.conv` exists.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from lamina import ops


def _cases(device: str) -> list:
    def t(*shape):
        return torch.randn(*shape, device=device)

    cases = []
    for n in (8, 256):
        a, b = t(n, n), t(n, n)
        cases += [
            (
                f"matmul {n}x{n}",
                lambda a=a, b=b: ops.matmul(a, b),
                lambda a=a, b=b: torch.matmul(a, b),
            ),
            (
                f"add {n}x{n}",
                lambda a=a, b=b: ops.add(a, b),
                lambda a=a, b=b: torch.add(a, b),
            ),
            (
                f"add scalar {n}x{n}",
                lambda a=a: ops.add(a, 1.0),
                lambda a=a: torch.add(a, 1.0),
            ),
            (
                f"softmax {n}x{n}",
                lambda a=a: ops.softmax(a, axis=-1),
                lambda a=a: torch.softmax(a, dim=-1),
            ),
        ]
    if hasattr(ops, "conv"):
        x, k = t(8, 16, 16, 8), t(3, 3, 8, 8)
        cases.append(
            (
                "conv 8x16x16x8 (channels_last)",
                lambda: ops.conv(x, k, padding="same"),
                lambda: torch.nn.functional.conv2d(
                    x.permute(0, 3, 1, 2), k.permute(3, 2, 0, 1), padding="same"
                ).permute(0, 2, 3, 1),
            )
        )
    return cases


def _block(fn, calls: int, sync) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    sync()
    return (time.perf_counter() - start) / calls


def measure(ours, theirs, calls: int, repeats: int, sync) -> tuple:
    for _ in range(3):  # warm-up
        _block(ours, calls // 10 + 1, sync)
        _block(theirs, calls // 10 + 1, sync)
    a, b = [], []
    for _ in range(repeats):
        a.append(_block(ours, calls, sync))
        b.append(_block(theirs, calls, sync))
    return statistics.median(a), statistics.median(b)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=41)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    sync = (
        torch.cuda.synchronize
        if args.device.startswith("cuda")
        else (lambda: None)
    )
    ratios = {}
    print(f"{'op':34s} {'lamina us':>10s} {'torch us':>10s} {'ratio':>7s}")
    with torch.no_grad():
        for name, ours, theirs in _cases(args.device):
            a, b = measure(ours, theirs, args.calls, args.repeats, sync)
            ratios[name] = a / b
            print(f"{name:34s} {a * 1e6:10.2f} {b * 1e6:10.2f} {a / b:7.2f}")
    return ratios


if __name__ == "__main__":
    main()
