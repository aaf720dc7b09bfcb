"""A training run for the kill-and-resume tests of `BackupAndRestore`.

    python backup_script.py BACKUP_DIR SAVE_FREQ KILL OUT DELETE

`SAVE_FREQ` is `epoch` or a number of batches; `KILL` is `none` or
`EPOCH:BATCH`: the process SIGKILLs itself just before that batch, with no
chance to clean up. `OUT` receives the final weights and the `History`
(`.npz`); `DELETE` is `delete_checkpoint` (`1` or `0`).

Everything random is used: a shuffled order, `Dropout` on torch's global
generator and with its own seed, and a learning rate redrawn before each
batch from NumPy's, Python's and lamina's generators, so that a resumed run
ends with the weights of an uninterrupted one only if all of that state
comes back.
"""

import os
import random
import signal
import sys

import numpy as np
import torch

import lamina
from lamina import layers


class Jitter(lamina.callbacks.Callback):
    """Draws the learning rate of each batch from the global generators."""

    def on_train_batch_begin(self, batch, logs=None):
        noise = (
            np.random.rand()
            + random.random()
            + float(lamina.backend.random_uniform((1,))[0])
        )
        self.model.optimizer.learning_rate = 0.01 * (1.0 + 0.1 * noise)


class Kill(lamina.callbacks.Callback):
    def __init__(self, at):
        super().__init__()
        self.at = at
        self.epoch = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_begin(self, batch, logs=None):
        if (self.epoch, batch) == self.at:
            os.kill(os.getpid(), signal.SIGKILL)


def build_model():
    model = lamina.Sequential(
        [
            lamina.Input((4,)),
            layers.Dense(16, activation="relu"),
            layers.Dropout(0.25),
            layers.Dense(8, activation="relu"),
            layers.Dropout(0.25, seed=3),
            layers.Dense(1),
        ]
    )
    model.compile(
        optimizer=lamina.optimizers.Adam(0.01), loss="mse", metrics=["mae"]
    )
    return model


def main(backup_dir, save_freq, kill, out, delete):
    torch.set_num_threads(1)
    lamina.utils.set_random_seed(7)
    data = np.random.RandomState(0)
    x = data.randn(64, 4).astype("float32")
    y = (x @ data.randn(4, 1)).astype("float32")
    model = build_model()
    save_freq = save_freq if save_freq == "epoch" else int(save_freq)
    callbacks = [
        lamina.callbacks.BackupAndRestore(
            backup_dir, save_freq=save_freq, delete_checkpoint=delete == "1"
        ),
        Jitter(),
    ]
    if kill != "none":
        callbacks.append(Kill(tuple(int(i) for i in kill.split(":"))))
    history = model.fit(
        x,
        y,
        batch_size=8,
        epochs=4,
        shuffle=True,
        verbose=0,
        callbacks=callbacks,
    )
    np.savez(
        out,
        *model.get_weights(),
        epochs=np.array(history.epoch),
        loss=np.array(history.history["loss"]),
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
