"""MLP workloads: lamina vs an idiomatic hand-written PyTorch loop (and
Keras 3's `fit` on its torch backend when installed), same model, data
and optimizer, interleaved in one run.

    python bench/train_mlp.py [--mode fit|predict|jit] [--batch 128]
                              [--repeats 5] [--samples 5120] [--no-keras]

Workload: MNIST-shaped MLP 784-512-512-10 with dropout 0.2, Adam, sparse
categorical cross-entropy. `fit` times one epoch per run; `predict` times
inference at batch 1024 (the `--batch` default switches to 1024); `jit`
compares `compile(jit_compile=True)` with a `torch.compile`d model in the
same hand-written loop. Goals: lamina/torch <= 1.05 for each.
"""

from __future__ import annotations

import argparse

import numpy as np
import torch
from torch import nn

import lamina
from harness import compare
from harness import keras_or_none


def torch_epoch(model, opt, x, y, batch):
    model.train()
    perm = torch.randperm(x.shape[0])
    loss_fn = nn.CrossEntropyLoss()
    for start in range(0, x.shape[0], batch):
        idx = perm[start : start + batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()


@torch.no_grad()
def torch_predict(model, x, batch):
    model.eval()
    return torch.cat(
        [model(x[i : i + batch]) for i in range(0, x.shape[0], batch)]
    ).numpy()


def build_torch():
    return nn.Sequential(
        nn.Linear(784, 512),
        nn.ReLU(),
        nn.Dropout(0.2),
        nn.Linear(512, 512),
        nn.ReLU(),
        nn.Dropout(0.2),
        nn.Linear(512, 10),
    )


def build_lib(lib, jit_compile=False):
    model = lib.Sequential(
        [
            lib.Input((784,)),
            lib.layers.Dense(512, activation="relu"),
            lib.layers.Dropout(0.2),
            lib.layers.Dense(512, activation="relu"),
            lib.layers.Dropout(0.2),
            lib.layers.Dense(10),
        ]
    )
    model.compile(
        optimizer=lib.optimizers.Adam(1e-3),
        loss=lib.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=jit_compile,
    )
    return model


def runners_for(mode, x_np, y_np, batch, with_keras):
    x, y = torch.from_numpy(x_np), torch.from_numpy(y_np)
    t_model = build_torch()
    if mode == "jit":
        t_model = torch.compile(t_model)
    t_opt = torch.optim.Adam(t_model.parameters(), lr=1e-3)
    l_model = build_lib(lamina, jit_compile=mode == "jit")
    keras = keras_or_none() if with_keras and mode != "jit" else None
    k_model = build_lib(keras) if keras else None
    if mode == "predict":
        runners = {
            "torch": lambda: torch_predict(t_model, x, batch),
            "lamina": lambda: l_model.predict(
                x_np, batch_size=batch, verbose=0
            ),
        }
        if k_model:
            runners["keras"] = lambda: k_model.predict(
                x_np, batch_size=batch, verbose=0
            )
        return runners
    runners = {
        "torch": lambda: torch_epoch(t_model, t_opt, x, y, batch),
        "lamina": lambda: l_model.fit(
            x_np, y_np, batch_size=batch, epochs=1, verbose=0
        ),
    }
    if k_model:
        runners["keras"] = lambda: k_model.fit(
            x_np, y_np, batch_size=batch, epochs=1, verbose=0
        )
    return runners


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--mode", choices=("fit", "predict", "jit"), default="fit"
    )
    parser.add_argument("--batch", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--samples", type=int, default=5120)
    parser.add_argument("--no-keras", action="store_true")
    args = parser.parse_args(argv)
    batch = args.batch or (1024 if args.mode == "predict" else 128)
    torch.set_num_threads(2)
    rng = np.random.default_rng(0)
    x_np = rng.normal(size=(args.samples, 784)).astype("float32")
    y_np = rng.integers(0, 10, size=(args.samples,))
    runners = runners_for(args.mode, x_np, y_np, batch, not args.no_keras)
    steps = -(-args.samples // batch)
    return compare(
        f"MLP 784-512-512-10 {args.mode}, batch {batch}",
        runners,
        steps,
        args.repeats,
    )


if __name__ == "__main__":
    main()
