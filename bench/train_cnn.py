"""The Keras MNIST convnet: lamina `fit` vs the same model hand-written in
`torch.nn` on NCHW input (and Keras 3's `fit` on torch when installed),
interleaved epochs in one run.

    python bench/train_cnn.py [--batch 128] [--repeats 5] [--samples 2048]

28x28x1 -> Conv2D 32 3x3 relu -> MaxPool 2 -> Conv2D 64 3x3 relu ->
MaxPool 2 -> Flatten -> Dropout 0.5 -> Dense 10 softmax; Adam, sparse
categorical cross-entropy. Goal: lamina/torch <= 1.10.
"""

from __future__ import annotations

import argparse

import numpy as np
import torch
from torch import nn

import lamina
from harness import compare
from harness import keras_or_none


def build_torch():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Dropout(0.5),
        nn.Linear(1600, 10),
    )


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


def build_lib(lib):
    layers = lib.layers
    model = lib.Sequential(
        [
            lib.Input((28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=lib.optimizers.Adam(1e-3),
        loss="sparse_categorical_crossentropy",
    )
    return model


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--samples", type=int, default=2048)
    parser.add_argument("--no-keras", action="store_true")
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    rng = np.random.default_rng(0)
    x_np = rng.random((args.samples, 28, 28, 1), dtype=np.float32)
    y_np = rng.integers(0, 10, size=(args.samples,))
    x_nchw = torch.from_numpy(x_np).permute(0, 3, 1, 2).contiguous()
    y = torch.from_numpy(y_np)
    t_model = build_torch()
    t_opt = torch.optim.Adam(t_model.parameters(), lr=1e-3)
    l_model = build_lib(lamina)
    runners = {
        "torch": lambda: torch_epoch(t_model, t_opt, x_nchw, y, args.batch),
        "lamina": lambda: l_model.fit(
            x_np, y_np, batch_size=args.batch, epochs=1, verbose=0
        ),
    }
    keras = None if args.no_keras else keras_or_none()
    if keras is not None:
        k_model = build_lib(keras)
        runners["keras"] = lambda: k_model.fit(
            x_np, y_np, batch_size=args.batch, epochs=1, verbose=0
        )
    steps = -(-args.samples // args.batch)
    return compare(
        f"MNIST convnet fit, batch {args.batch}", runners, steps, args.repeats
    )


if __name__ == "__main__":
    main()
