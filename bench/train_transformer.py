"""The Transformer text classifier of Keras's "text classification with
Transformer" example: lamina `fit` vs the same model in `torch.nn` (and
Keras 3 on torch when installed), interleaved epochs in one run.

    python bench/train_transformer.py [--batch 32] [--repeats 3]
                                      [--samples 512] [--no-keras]

Sequences of 200 token ids (vocabulary 20,000) -> token + position
Embedding 32 -> one block: MultiHeadAttention(num_heads=2, key_dim=32),
Dropout 0.1, LayerNormalization(epsilon=1e-6), feed-forward Dense 32 relu
-> Dense 32, Dropout 0.1, LayerNormalization -> GlobalAveragePooling1D ->
Dropout 0.1 -> Dense 20 relu -> Dropout 0.1 -> Dense 2 softmax; Adam 1e-3,
sparse categorical cross-entropy.
"""

from __future__ import annotations

import argparse

import numpy as np
import torch
from torch import nn

import lamina
from harness import compare
from harness import keras_or_none
from train_mlp import torch_epoch

VOCAB, LENGTH, WIDTH, HEADS, FFN = 20_000, 200, 32, 2, 32


class TorchBlock(nn.Module):
    """Keras's MultiHeadAttention written out: query, key and value each
    projected to `HEADS x WIDTH`, scaled dot-product attention, projected
    back to `WIDTH`."""

    def __init__(self):
        super().__init__()
        self.qkv = nn.ModuleList(
            nn.Linear(WIDTH, HEADS * WIDTH) for _ in range(3)
        )
        self.out = nn.Linear(HEADS * WIDTH, WIDTH)
        self.ffn = nn.Sequential(
            nn.Linear(WIDTH, FFN), nn.ReLU(), nn.Linear(FFN, WIDTH)
        )
        self.norm1 = nn.LayerNorm(WIDTH, eps=1e-6)
        self.norm2 = nn.LayerNorm(WIDTH, eps=1e-6)
        self.drop1, self.drop2 = nn.Dropout(0.1), nn.Dropout(0.1)

    def forward(self, x):
        b, t, _ = x.shape
        q, k, v = (
            p(x).view(b, t, HEADS, WIDTH).transpose(1, 2) for p in self.qkv
        )
        attended = nn.functional.scaled_dot_product_attention(q, k, v)
        attended = attended.transpose(1, 2).reshape(b, t, HEADS * WIDTH)
        x = self.norm1(x + self.drop1(self.out(attended)))
        return self.norm2(x + self.drop2(self.ffn(x)))


class TorchModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(VOCAB, WIDTH)
        self.positions = nn.Embedding(LENGTH, WIDTH)
        self.block = TorchBlock()
        self.head = nn.Sequential(
            nn.Dropout(0.1),
            nn.Linear(WIDTH, 20),
            nn.ReLU(),
            nn.Dropout(0.1),
            nn.Linear(20, 2),
        )

    def forward(self, x):
        positions = torch.arange(x.shape[1], device=x.device)
        h = self.block(self.tokens(x) + self.positions(positions))
        return self.head(h.mean(dim=1))  # logits; the loss applies softmax


def build_lib(lib):
    layers = lib.layers

    class TokenAndPosition(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.tokens = layers.Embedding(VOCAB, WIDTH)
            self.positions = layers.Embedding(LENGTH, WIDTH)

        def call(self, x):
            positions = lib.ops.arange(0, lib.ops.shape(x)[-1], 1)
            return self.tokens(x) + self.positions(positions)

    inputs = lib.Input((LENGTH,), dtype="int32")
    x = TokenAndPosition()(inputs)
    attention = layers.MultiHeadAttention(num_heads=HEADS, key_dim=WIDTH)(x, x)
    x = layers.LayerNormalization(epsilon=1e-6)(
        x + layers.Dropout(0.1)(attention)
    )
    ffn = layers.Dense(WIDTH)(layers.Dense(FFN, activation="relu")(x))
    x = layers.LayerNormalization(epsilon=1e-6)(x + layers.Dropout(0.1)(ffn))
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dense(20, activation="relu")(layers.Dropout(0.1)(x))
    outputs = layers.Dense(2, activation="softmax")(layers.Dropout(0.1)(x))
    model = lib.Model(inputs, outputs)
    model.compile(
        optimizer=lib.optimizers.Adam(1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def data(samples: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.integers(1, VOCAB, size=(samples, LENGTH)).astype("int32")
    return x, rng.integers(0, 2, size=(samples,))


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--samples", type=int, default=512)
    parser.add_argument("--no-keras", action="store_true")
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    x_np, y_np = data(args.samples)
    x, y = torch.from_numpy(x_np).long(), torch.from_numpy(y_np)
    t_model = TorchModel()
    t_opt = torch.optim.Adam(t_model.parameters(), lr=1e-3)
    l_model = build_lib(lamina)
    runners = {
        "torch": lambda: torch_epoch(t_model, t_opt, x, y, args.batch),
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
        f"Transformer classifier fit, batch {args.batch}",
        runners,
        steps,
        args.repeats,
    )


if __name__ == "__main__":
    main()
