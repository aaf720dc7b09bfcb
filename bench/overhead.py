"""Per-layer Python overhead: forward+backward of a 3-layer Dense model at
batch 32, lamina vs the same model in plain `torch.nn`, same run.

    python bench/overhead.py [--steps 300]

Prints median step times and the ratio lamina / torch (goal ≤ 1.10).
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
from torch import nn

import lamina as keras


def build_pair(in_dim=784, hidden=512, out_dim=10):
    torch_model = nn.Sequential(
        nn.Linear(in_dim, hidden),
        nn.ReLU(),
        nn.Linear(hidden, hidden),
        nn.ReLU(),
        nn.Linear(hidden, out_dim),
    )
    lamina_model = keras.Sequential(
        [
            keras.Input((in_dim,)),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(out_dim),
        ]
    )
    # Same weights, so both do exactly the same arithmetic.
    weights = []
    for layer in torch_model:
        if isinstance(layer, nn.Linear):
            weights += [
                layer.weight.detach().T.numpy(),
                layer.bias.detach().numpy(),
            ]
    lamina_model.set_weights(weights)
    return torch_model, lamina_model


def time_step(model, x) -> float:
    start = time.perf_counter()
    out = model(x)
    out.sum().backward()
    for p in model.parameters():
        p.grad = None
    return time.perf_counter() - start


def main(argv=None) -> float:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    torch_model, lamina_model = build_pair()
    x = torch.randn(args.batch, 784)
    for _ in range(20):  # warm-up
        time_step(torch_model, x)
        time_step(lamina_model, x)
    t_torch, t_lamina = [], []
    for _ in range(args.steps):  # interleaved: same machine state
        t_torch.append(time_step(torch_model, x))
        t_lamina.append(time_step(lamina_model, x))
    mt, ml = statistics.median(t_torch), statistics.median(t_lamina)
    ratio = ml / mt
    print(f"torch.nn : {mt * 1e6:8.1f} us/step (median of {args.steps})")
    print(f"lamina   : {ml * 1e6:8.1f} us/step")
    print(f"ratio lamina/torch: {ratio:.3f} (goal <= 1.10)")
    return ratio


if __name__ == "__main__":
    main()
