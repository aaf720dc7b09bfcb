"""Training speed: lamina `fit` vs an idiomatic hand-written PyTorch loop
(and Keras 3's `fit` on torch when installed), same model, data and
optimizer, interleaved epochs in one run.

    python bench/train_mlp.py [--batch 128] [--epochs 5] [--samples 5120]

Workload: MNIST-shaped MLP 784-512-512-10 with dropout 0.2, Adam, sparse
categorical cross-entropy. Prints the median time per step and the ratio
lamina / torch (goal <= 1.05), and Keras / torch when Keras is present.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
import torch
from torch import nn

import lamina

_BACKEND = {"KERAS_BACKEND": "torch"}


def torch_epoch(model, opt, x, y, batch):
    model.train()
    perm = torch.randperm(x.shape[0])
    loss_fn = nn.CrossEntropyLoss()
    for start in range(0, x.shape[0], batch):
        idx = perm[start:start + batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()


def build_torch():
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(512, 10))


def build_lib(lib):
    return lib.Sequential([
        lib.Input((784,)),
        lib.layers.Dense(512, activation="relu"), lib.layers.Dropout(0.2),
        lib.layers.Dense(512, activation="relu"), lib.layers.Dropout(0.2),
        lib.layers.Dense(10),
    ])


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--samples", type=int, default=5120)
    parser.add_argument("--no-keras", action="store_true")
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    rng = np.random.default_rng(0)
    x_np = rng.normal(size=(args.samples, 784)).astype("float32")
    y_np = rng.integers(0, 10, size=(args.samples,))
    x, y = torch.from_numpy(x_np), torch.from_numpy(y_np)
    steps = -(-args.samples // args.batch)

    t_model = build_torch()
    t_opt = torch.optim.Adam(t_model.parameters(), lr=1e-3)
    l_model = build_lib(lamina)
    l_model.compile(optimizer=lamina.optimizers.Adam(1e-3),
                    loss=lamina.losses.SparseCategoricalCrossentropy(
                        from_logits=True))
    runners = {
        "torch": lambda: torch_epoch(t_model, t_opt, x, y, args.batch),
        "lamina": lambda: l_model.fit(x_np, y_np, batch_size=args.batch,
                                      epochs=1, verbose=0),
    }
    if not args.no_keras:
        try:
            os.environ.update(_BACKEND)
            import keras

            k_model = build_lib(keras)
            k_model.compile(optimizer=keras.optimizers.Adam(1e-3),
                            loss=keras.losses.SparseCategoricalCrossentropy(
                                from_logits=True))
            runners["keras"] = lambda: k_model.fit(
                x_np, y_np, batch_size=args.batch, epochs=1, verbose=0)
        except ImportError:
            pass
    for run in runners.values():  # warm-up epoch
        run()
    times = {name: [] for name in runners}
    for _ in range(args.epochs):
        for name, run in runners.items():
            times[name].append(timed(run) / steps)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"MLP 784-512-512-10, batch {args.batch}, {steps} steps/epoch, "
          f"median of {args.epochs} epochs")
    for name, value in med.items():
        print(f"  {name:7s}: {value * 1e3:7.3f} ms/step  "
              f"ratio vs torch {value / med['torch']:.3f}")
    return med


if __name__ == "__main__":
    main()
