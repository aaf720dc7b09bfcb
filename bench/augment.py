"""Image augmentation on the CPU: lamina's layers vs the same written
directly in torch.

Workload: a batch of 128 RGB images of 224x224 through RandomFlip
("horizontal"), RandomRotation(0.1), RandomZoom(0.2) and
RandomContrast(0.2), fresh parameters per image, in training mode.

Baseline: torchvision cannot be installed beside torch 2.13 here, so the
baseline is the idiomatic batched torch code torchvision's tensor kernels
reduce to: a `torch.where` flip, one `F.affine_grid` + `F.grid_sample`
per geometric step with per-image matrices (reflection padding), and a
per-image contrast blend, on a contiguous NCHW batch (torch's layout).
lamina runs on NHWC (Keras's default layout, `channels_last`) and on NCHW
(`data_format="channels_first"`). Keras 3 (torch backend), whose affine
transform loops over the images in Python, is timed once for reference.
Repetitions are interleaved; medians are reported.

Usage:
    python bench/augment.py [--batch 128] [--size 224] [--repeats 7]
        [--threads N] [--no-keras]
"""

from __future__ import annotations

import argparse
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from harness import compare, keras_or_none, timed

import lamina


def lamina_pipeline(lib, data_format):
    layers = lib.layers
    return [
        layers.RandomFlip("horizontal", data_format=data_format),
        layers.RandomRotation(0.1, data_format=data_format),
        layers.RandomZoom(0.2, data_format=data_format),
        layers.RandomContrast(0.2, data_format=data_format),
    ]


def run_layers(layers, x):
    def run():
        out = x
        for layer in layers:
            out = layer(out, training=True)
        return out

    return run


def _affine(x, theta):
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(
        x, grid, mode="bilinear", padding_mode="reflection", align_corners=False
    )


def torch_pipeline(x):
    """The idiomatic batched torch code, NCHW, per-image parameters."""

    def run():
        batch = x.shape[0]
        flip = torch.rand(batch, 1, 1, 1) < 0.5
        out = torch.where(flip, x.flip(-1), x)
        angle = (torch.rand(batch) * 2 - 1) * 0.1 * 2 * math.pi
        cos, sin, zero = torch.cos(angle), torch.sin(angle), torch.zeros(batch)
        theta = torch.stack(
            [
                torch.stack([cos, -sin, zero], 1),
                torch.stack([sin, cos, zero], 1),
            ],
            1,
        )
        out = _affine(out, theta)
        zoom = 1 + (torch.rand(batch) * 2 - 1) * 0.2
        theta = torch.stack(
            [
                torch.stack([zoom, zero, zero], 1),
                torch.stack([zero, zoom, zero], 1),
            ],
            1,
        )
        out = _affine(out, theta)
        factor = (1 + (torch.rand(batch) * 2 - 1) * 0.2).view(-1, 1, 1, 1)
        mean = out.mean(dim=(2, 3), keepdim=True)
        return ((out - mean) * factor + mean).clamp(0, 255)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--no-keras", action="store_true")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    nchw = torch.rand(args.batch, 3, args.size, args.size) * 255
    nhwc = nchw.permute(0, 2, 3, 1).contiguous()
    runners = {
        "torch": torch_pipeline(nchw),
        "lamina_nhwc": run_layers(lamina_pipeline(lamina, None), nhwc),
        "lamina_nchw": run_layers(
            lamina_pipeline(lamina, "channels_first"), nchw
        ),
    }
    with torch.no_grad():
        med = compare(
            f"augment {args.batch}x{args.size}x{args.size}x3 "
            f"(threads={torch.get_num_threads()})",
            runners,
            steps=1,
            repeats=args.repeats,
        )
        keras = None if args.no_keras else keras_or_none()
        if keras is not None:
            seconds = timed(run_layers(lamina_pipeline(keras, None), nhwc))
            print(
                f"  keras (1 run) : {seconds * 1e3:8.1f} ms/step  ratio "
                f"vs torch {seconds / med['torch']:.2f}"
            )


if __name__ == "__main__":
    main()
