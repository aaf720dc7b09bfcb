"""Recurrent workloads: lamina `fit` vs an idiomatic hand-written PyTorch
loop (and Keras 3's `fit` on its torch backend when installed), same
model, data and optimizer, interleaved in one run.

    python bench/train_rnn.py [--rnn lstm|gru|both] [--batch 64]
                              [--steps 4] [--repeats 3] [--no-keras]

Workload: IMDB-shaped random integer sequences (vocabulary 20,000, length
200) -> Embedding 128 -> LSTM 64 (or GRU 64) -> Dense 1 sigmoid; batch 64,
binary cross-entropy, Adam. The hand-written model is `nn.Embedding` +
`nn.LSTM(batch_first=True)` (or `nn.GRU`) + `nn.Linear` with
`BCEWithLogitsLoss`. Each run is one epoch of `--steps` steps (kept short
by default: the recurrence is long on a small CPU). Goals: lamina/torch
<= 1.10, and Keras at least 5x slower than lamina.
"""

from __future__ import annotations

import argparse

import numpy as np
import torch
from torch import nn

import lamina
from harness import compare
from harness import keras_or_none

VOCAB, LENGTH, EMBED, UNITS = 20_000, 200, 128, 64


class TorchModel(nn.Module):
    def __init__(self, rnn: str):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, EMBED)
        rnn_class = nn.LSTM if rnn == "lstm" else nn.GRU
        self.rnn = rnn_class(EMBED, UNITS, batch_first=True)
        self.head = nn.Linear(UNITS, 1)

    def forward(self, x):
        _, h = self.rnn(self.embedding(x))
        h = h[0] if isinstance(h, tuple) else h
        return self.head(h[-1])


def torch_epoch(model, opt, x, y, batch):
    model.train()
    perm = torch.randperm(x.shape[0])
    loss_fn = nn.BCEWithLogitsLoss()
    for start in range(0, x.shape[0], batch):
        idx = perm[start : start + batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()


def build_lib(lib, rnn: str):
    layers = lib.layers
    recurrent = layers.LSTM if rnn == "lstm" else layers.GRU
    model = lib.Sequential(
        [
            lib.Input((LENGTH,), dtype="int32"),
            layers.Embedding(VOCAB, EMBED),
            recurrent(UNITS),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=lib.optimizers.Adam(1e-3), loss="binary_crossentropy"
    )
    return model


def copy_initial_weights(l_model, t_model) -> None:
    """Start the torch model from lamina's initial weights. The step time
    of the CPU RNN kernels depends on the values (saturated gates give
    denormal gradients): torch's default init (N(0, 1) embeddings) made
    its LSTM up to 9x slower than the same kernel from Keras's init."""
    embedding, recurrent, head = l_model.layers
    flat = recurrent.cell._fused_params()  # torch's layout, derived
    with torch.no_grad():
        t_model.embedding.weight.copy_(embedding.embeddings)
        for ours, theirs in zip(flat, t_model.rnn._flat_weights):
            theirs.copy_(ours)
        t_model.head.weight.copy_(head.kernel.T)
        t_model.head.bias.copy_(head.bias)


def runners_for(rnn, x_np, y_np, batch, with_keras):
    x, y = torch.from_numpy(x_np), torch.from_numpy(y_np)
    t_model = TorchModel(rnn)
    l_model = build_lib(lamina, rnn)
    copy_initial_weights(l_model, t_model)
    t_opt = torch.optim.Adam(t_model.parameters(), lr=1e-3)
    runners = {
        "torch": lambda: torch_epoch(t_model, t_opt, x, y, batch),
        "lamina": lambda: l_model.fit(
            x_np, y_np, batch_size=batch, epochs=1, verbose=0
        ),
    }
    keras = keras_or_none() if with_keras else None
    if keras is not None:
        k_model = build_lib(keras, rnn)
        k_model.set_weights(l_model.get_weights())
        runners["keras"] = lambda: k_model.fit(
            x_np, y_np, batch_size=batch, epochs=1, verbose=0
        )
    return runners


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--rnn", choices=("lstm", "gru", "both"), default="both"
    )
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-keras", action="store_true")
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    rng = np.random.default_rng(0)
    samples = args.steps * args.batch
    x_np = rng.integers(1, VOCAB, size=(samples, LENGTH)).astype("int32")
    y_np = rng.integers(0, 2, size=(samples, 1)).astype("float32")
    results = {}
    for rnn in ("lstm", "gru") if args.rnn == "both" else (args.rnn,):
        runners = runners_for(rnn, x_np, y_np, args.batch, not args.no_keras)
        med = compare(
            f"Embedding {EMBED} -> {rnn.upper()} {UNITS} -> "
            f"Dense 1, length {LENGTH}, batch {args.batch}",
            runners,
            args.steps,
            args.repeats,
        )
        if "keras" in med:
            print(f"  keras / lamina: {med['keras'] / med['lamina']:.2f}x")
        results[rnn] = med
    return results


if __name__ == "__main__":
    main()
