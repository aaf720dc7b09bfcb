"""ResNet50 on the CPU: `lamina.applications.ResNet50` vs the same network
written directly in torch (`resnet50_torch.py`; torchvision is not a
dependency).

    python bench/resnet50.py [--batch 32] [--size 224] [--repeats 3]
        [--threads N] [--memory]

Workloads, each interleaved and reported as a median:
- train step: forward in training mode, cross-entropy, backward (no
  optimizer: the step the issue names, forward + backward).
- predict: lamina's `model.predict` and a direct call under
  `torch.no_grad()` vs the torch model in eval mode under `no_grad`.
lamina takes NHWC input (Keras's `channels_last`), which its layers run
as `torch.channels_last` tensors; the torch baseline is timed on
contiguous NCHW (torch's default) and on `channels_last` memory.
`--memory` adds the peak RSS growth of one train step, each runner in a
fresh process. First, both models get the same weights and must agree.
Goal: lamina / torch <= 1.05.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
import resnet50_torch  # noqa: E402
from harness import compare  # noqa: E402

import lamina  # noqa: E402


def build(size: int):
    ours = lamina.applications.ResNet50(
        weights=None, input_shape=(size, size, 3)
    )
    theirs = resnet50_torch.ResNet50()
    resnet50_torch.copy_from(theirs, ours)
    return ours, theirs


def check_same_function(ours, theirs, size: int) -> float:
    x = np.random.default_rng(0).uniform(-1, 1, (2, size, size, 3))
    x = x.astype("float32")
    theirs.eval()
    with torch.no_grad():
        expected = theirs(torch.from_numpy(x).permute(0, 3, 1, 2))
        got = ours(torch.from_numpy(x), training=False)
    return float((got - expected).abs().max())


def train_step(model, x, y, call):
    def run():
        model.zero_grad(set_to_none=True)
        probs = call(model, x)
        loss = torch.nn.functional.nll_loss(torch.log(probs), y)
        loss.backward()

    return run


def _ours(model, x):
    return model(x, training=True)


def _theirs(model, x):
    return model(x)


def runners(ours, theirs, batch: int, size: int, mode: str) -> dict:
    x = torch.rand(batch, size, size, 3)
    nchw = x.permute(0, 3, 1, 2).contiguous()
    nhwc_mem = nchw.contiguous(memory_format=torch.channels_last)
    if mode == "train":
        y = torch.randint(0, 1000, (batch,))
        theirs.train()
        return {
            "torch": train_step(theirs, nchw, y, _theirs),
            "torch_cl": train_step(theirs, nhwc_mem, y, _theirs),
            "lamina": train_step(ours, x, y, _ours),
        }
    theirs.eval()
    x_np = x.numpy()

    def no_grad(fn, *args):
        def run():
            with torch.no_grad():
                fn(*args)

        return run

    return {
        "torch": no_grad(theirs, nchw),
        "torch_cl": no_grad(theirs, nhwc_mem),
        "lamina_call": no_grad(ours, x),
        "lamina": lambda: ours.predict(x_np, batch_size=batch, verbose=0),
    }


def child(name: str, batch: int, size: int) -> None:
    ours, theirs = build(size)
    run = runners(ours, theirs, batch, size, "train")[name]
    # The first step's peak: activations, gradients and any one-time
    # allocation of the step (a warm-up step would hide them all).
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    run()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"growth_kib": after - before}))


def memory(batch: int, size: int, threads: int) -> None:
    growth = {}
    for name in ("torch", "lamina"):
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                name,
                "--batch",
                str(batch),
                "--size",
                str(size),
                "--threads",
                str(threads),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        growth[name] = json.loads(out.stdout.strip().splitlines()[-1])[
            "growth_kib"
        ]
    print(
        f"train step peak RSS growth: torch {growth['torch'] / 1024:.0f} MiB, "
        f"lamina {growth['lamina'] / 1024:.0f} MiB, "
        f"ratio {growth['lamina'] / max(growth['torch'], 1):.3f}"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--child", default=None)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    if args.child:
        return child(args.child, args.batch, args.size)
    ours, theirs = build(args.size)
    error = check_same_function(ours, theirs, args.size)
    print(f"max |lamina - torch| on the same weights: {error:.2e}")
    for mode in ("train", "predict"):
        title = f"ResNet50 {mode}, batch {args.batch}, {args.size}x{args.size}"
        title += f", {args.threads} threads"
        compare(
            title,
            runners(ours, theirs, args.batch, args.size, mode),
            1,
            args.repeats,
        )
    if args.memory:
        memory(args.batch, args.size, args.threads)


if __name__ == "__main__":
    main()
