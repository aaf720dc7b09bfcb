"""Does `channels_last` cost anything? lamina's Conv2D on NHWC vs F.conv2d.

lamina's `Conv2D` (default `data_format="channels_last"`) takes an NHWC
tensor, hands torch's kernel the zero-copy `permute(0, 3, 1, 2)` view (an
NCHW tensor in `torch.channels_last` memory format) and a permuted view
of its Keras-shaped `(kh, kw, in, out)` kernel (stored in torch's
channels-last memory order, so the view is not copied), and permutes the
output back. The baseline is the idiomatic hand-written PyTorch step:
`F.conv2d` on a contiguous NCHW tensor with the same weights, stored
contiguous in torch's `(out, in, kh, kw)`. Both do a
forward and a backward pass (input, kernel and bias gradients);
repetitions are interleaved so machine noise hits both alike, and the
median is reported. The goal is a ratio of at most 1.05.

Usage:
    python bench/conv_layout.py [--batch 128] [--size 28] [--channels 32]
        [--filters 64] [--kernel 3] [--repeats 15] [--threads N]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
import torch.nn.functional as F

from lamina.layers.convolutional.conv2d import Conv2D


def lamina_step(layer, x, grad):
    def step():
        x.grad = None
        layer.kernel.grad = None
        layer.bias.grad = None
        layer(x).backward(grad)

    return step


def torch_step(weight, bias, x, grad, padding):
    def step():
        x.grad = None
        weight.grad = None
        bias.grad = None
        F.conv2d(x, weight, bias, padding=padding).backward(grad)

    return step


def median_times(runners: dict, repeats: int) -> dict:
    for run in runners.values():  # warm-up: oneDNN primitive caches
        run()
        run()
    times = {name: [] for name in runners}
    names = list(runners)
    for i in range(repeats):
        # Alternate the order too, so neither always runs first.
        for name in names if i % 2 == 0 else reversed(names):
            start = time.perf_counter()
            runners[name]()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--size", type=int, default=28)
    parser.add_argument("--channels", type=int, default=32)
    parser.add_argument("--filters", type=int, default=64)
    parser.add_argument("--kernel", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    n, s, c = args.batch, args.size, args.channels
    layer = Conv2D(args.filters, args.kernel, padding="same")
    x_nhwc = torch.randn(n, s, s, c, requires_grad=True)
    layer(x_nhwc)  # build
    grad_nhwc = torch.randn(n, s, s, args.filters)

    # The baseline: the same numbers, in torch's own contiguous NCHW.
    x_nchw = x_nhwc.detach().permute(0, 3, 1, 2).contiguous()
    x_nchw.requires_grad_(True)
    grad_nchw = grad_nhwc.permute(0, 3, 1, 2).contiguous()
    weight = layer._torch_kernel("kernel").detach().clone().contiguous()
    weight.requires_grad_(True)
    bias = layer.bias.detach().clone().requires_grad_(True)
    padding = args.kernel // 2

    with torch.no_grad():
        ours = layer(x_nhwc).permute(0, 3, 1, 2)
        theirs = F.conv2d(x_nchw, weight, bias, padding=padding)
        torch.testing.assert_close(ours, theirs, rtol=1e-4, atol=1e-4)

    med = median_times(
        {
            "lamina NHWC": lamina_step(layer, x_nhwc, grad_nhwc),
            "F.conv2d NCHW": torch_step(
                weight, bias, x_nchw, grad_nchw, padding
            ),
        },
        args.repeats,
    )
    print(
        f"Conv2D forward+backward: batch {n}, {s}x{s}x{c} -> "
        f"{args.filters} filters {args.kernel}x{args.kernel}, "
        f"{torch.get_num_threads()} threads, median of {args.repeats}"
    )
    for name, value in med.items():
        print(f"  {name:14s}: {value * 1e3:8.2f} ms")
    ratio = med["lamina NHWC"] / med["F.conv2d NCHW"]
    print(f"  ratio lamina / F.conv2d: {ratio:.3f} (goal <= 1.05)")


if __name__ == "__main__":
    main()
