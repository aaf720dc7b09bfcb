"""Code that runs inside the ranks of the distributed tests, and the same
code run as one process for the reference values.

Every scenario is a plain function of `(out_dir, ...)` that trains a tiny
model exactly as a single-process script would and writes what it saw to
`out_dir/<name>_rank<r>.json` (rank 0 when not distributed). The tests
start the ranks with `lamina.distribute.launch(..., start_method="fork")`
(the children inherit the imported modules: no second start-up cost).
"""

from __future__ import annotations

import contextlib
import io
import json
import os

import numpy as np
import torch

import lamina


def data(n=96, features=6, outputs=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    y = (x @ rng.normal(size=(features, outputs))).astype("float32")
    return x, y


def build(units=5, lr=0.01, seed=7):
    lamina.utils.set_random_seed(seed)
    model = lamina.Sequential(
        [
            lamina.Input((6,)),
            lamina.layers.Dense(units, activation="relu"),
            lamina.layers.Dense(3),
        ]
    )
    model.compile(lamina.optimizers.Adam(lr), "mse", metrics=["mae"])
    return model


def write(out_dir, name, payload) -> None:
    path = os.path.join(out_dir, f"{name}_rank{lamina.distribute.rank()}.json")
    with open(path, "w") as f:
        json.dump(payload, f, default=lambda a: np.asarray(a).tolist())


def read(out_dir, name, rank=0) -> dict:
    with open(os.path.join(out_dir, f"{name}_rank{rank}.json")) as f:
        return json.load(f)


def fit_run(
    out_dir, name, shuffle, batch_size=32, n=96, epochs=3, desync=False
):
    """fit (with validation), evaluate and predict, as one script would.

    `desync`: rank 1 draws one random number more than rank 0 (the ranks'
    random generators then differ; the shared shuffle must not).
    """
    x, y = data(n)
    vx, vy = data(30, seed=1)
    model = build()
    if desync and lamina.distribute.rank() == 1:
        torch.rand(1)
    history = model.fit(
        x,
        y,
        batch_size=batch_size,
        epochs=epochs,
        shuffle=shuffle,
        validation_data=(vx, vy),
        verbose=0,
    )
    write(
        out_dir,
        name,
        {
            "weights": model.get_weights(),
            "history": history.history,
            "evaluate": model.evaluate(
                vx, vy, batch_size=16, verbose=0, return_dict=True
            ),
            "predict": model.predict(x[:45], batch_size=16, verbose=0),
        },
    )


class Summary(lamina.callbacks.Callback):
    """Writes a file when training ends, slowly, on rank 0 only."""

    chief_only = True

    def __init__(self, path):
        super().__init__()
        self.path = path
        self.calls = 0

    def on_train_end(self, logs=None):
        import time

        self.calls += 1
        time.sleep(0.5)
        with open(self.path, "w") as f:
            f.write("done")


def callbacks_run(out_dir, name):
    """Checkpoint, CSV log, progress bar, early stopping, LR schedule."""
    x, y = data()
    model = build(lr=0.05)
    saves = []
    original_save = model.save_weights
    model.save_weights = lambda *a, **k: (
        saves.append(a[0]),
        original_save(*a, **k),
    )
    csv = lamina.callbacks.CSVLogger(os.path.join(out_dir, "log.csv"))
    ckpt = lamina.callbacks.ModelCheckpoint(
        os.path.join(out_dir, "ckpt.weights.h5"),
        monitor="loss",
        save_weights_only=True,
    )
    stop = lamina.callbacks.EarlyStopping(
        monitor="loss", min_delta=0.3, patience=1
    )
    plateau = lamina.callbacks.ReduceLROnPlateau(
        monitor="loss", min_delta=0.2, patience=1, factor=0.5
    )
    summary = Summary(os.path.join(out_dir, "summary.txt"))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        history = model.fit(
            x,
            y,
            batch_size=32,
            epochs=12,
            verbose=2,
            callbacks=[csv, ckpt, stop, plateau, summary],
        )
    summary_written = os.path.exists(summary.path)
    reread = build()
    reread.load_weights(os.path.join(out_dir, "ckpt.weights.h5"))
    write(
        out_dir,
        name,
        {
            "history": history.history,
            "epochs_run": len(history.history["loss"]),
            "stopped_epoch": stop.stopped_epoch,
            "learning_rate": float(model.optimizer.learning_rate),
            "saves": len(saves),
            "csv_opened": csv.csv_file is not None,
            "summary_calls": summary.calls,
            "summary_written": summary_written,
            "stdout": out.getvalue(),
            "checkpoint_is_final": all(
                np.array_equal(a, b)
                for a, b in zip(reread.get_weights(), model.get_weights())
            ),
        },
    )


def loader_run(out_dir, name):
    """A shuffled torch DataLoader over a map-style dataset."""
    x, y = data()
    torch.manual_seed(3)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(
            torch.from_numpy(x), torch.from_numpy(y)
        ),
        batch_size=32,
        shuffle=True,
    )
    model = build()
    history = model.fit(loader, epochs=2, verbose=0)
    write(
        out_dir,
        name,
        {"weights": model.get_weights(), "history": history.history},
    )


class RunningMean(lamina.layers.Layer):
    """A moving statistic updated in the forward pass (as BatchNorm's)."""

    def build(self, input_shape):
        self.mean = self.add_weight(
            shape=(input_shape[-1],), initializer="zeros", trainable=False
        )

    def call(self, inputs, training=None):
        if training:
            self.mean.assign(0.9 * self.mean + 0.1 * inputs.mean(0).detach())
        return inputs


def moving_stats_run(out_dir, name, shift=None):
    """Rank r trains on `x + r`: a single process on `x + 0.5` sees the
    same global batch means, hence the same moving statistic."""
    lamina.utils.set_random_seed(7)
    model = lamina.Sequential(
        [lamina.Input((6,)), RunningMean(), lamina.layers.Dense(3)]
    )
    model.compile("sgd", "mse")
    x, y = data()
    shift = lamina.distribute.rank() if shift is None else shift
    model.fit(x + shift, y, batch_size=32, epochs=2, shuffle=False, verbose=0)
    write(out_dir, name, {"mean": model.layers[0].mean})


class CustomStep(lamina.Model):
    """A subclassed model with its own `train_step` and loss tracker, in
    Keras 3's style."""

    def __init__(self):
        super().__init__()
        self.hidden = lamina.layers.Dense(5, activation="relu")
        self.out = lamina.layers.Dense(3)
        self.tracker = lamina.metrics.Mean(name="loss")

    def call(self, inputs, training=None):
        return self.out(self.hidden(inputs))

    def train_step(self, data):
        x, y = data
        loss = torch.mean((self(x, training=True) - y) ** 2)
        weights = self.trainable_weights
        for w in weights:
            w.grad = None
        loss.backward()
        self.optimizer.apply([w.grad for w in weights], weights)
        self.tracker.update_state(loss.detach(), sample_weight=x.shape[0])
        return {"loss": self.tracker.result(), "batch_loss": loss.detach()}


def custom_step_run(out_dir, name):
    x, y = data(93)
    lamina.utils.set_random_seed(7)
    model = CustomStep()
    model.compile(lamina.optimizers.Adam(0.01), "mse")
    # Batches of 31: ranks hold 16 and 15 samples.
    history = model.fit(x, y, batch_size=31, epochs=3, shuffle=False, verbose=0)
    write(
        out_dir,
        name,
        {"weights": model.get_weights(), "history": history.history},
    )


class GuideStep(lamina.Model):
    """Keras's guide `train_step`: updates every metric of `self.metrics`
    and returns their results (the compiled ones as one dict)."""

    def __init__(self):
        super().__init__()
        self.hidden = lamina.layers.Dense(5, activation="relu")
        self.out = lamina.layers.Dense(3)

    def call(self, inputs):
        return self.out(self.hidden(inputs))

    def train_step(self, data):
        x, y = data
        self.zero_grad()
        y_pred = self(x, training=True)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        loss.backward()
        weights = list(self.trainable_weights)
        self.optimizer.apply([w.grad for w in weights], weights)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss.detach(), sample_weight=x.shape[0])
            else:
                metric.update_state(y, y_pred.detach())
        return {m.name: m.result() for m in self.metrics}


def guide_step_run(out_dir, name):
    x, y = data(93)
    lamina.utils.set_random_seed(7)
    model = GuideStep()
    model.compile(lamina.optimizers.Adam(0.01), "mse", metrics=["mae"])
    history = model.fit(x, y, batch_size=31, epochs=2, shuffle=False, verbose=0)
    write(
        out_dir,
        name,
        {"weights": model.get_weights(), "history": history.history},
    )


class Batches(lamina.utils.PyDataset):
    """A PyDataset of fixed batches of 32."""

    def __init__(self, x, y):
        super().__init__()
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x) // 32

    def __getitem__(self, i):
        return self.x[32 * i : 32 * (i + 1)], self.y[32 * i : 32 * (i + 1)]


def iterables_run(out_dir, name):
    """A generator, a shuffled PyDataset, then `train_on_batch`."""
    x, y = data()
    model = build()
    gen = ((x[i : i + 32], y[i : i + 32]) for i in range(0, 96, 32))
    first = model.fit(gen, epochs=1, verbose=0).history
    second = model.fit(Batches(x, y), epochs=2, shuffle=True, verbose=0).history
    logs = model.train_on_batch(x[:32], y[:32], return_dict=True)
    write(
        out_dir,
        name,
        {
            "weights": model.get_weights(),
            "first": first,
            "second": second,
            "on_batch": logs,
        },
    )


def fsdp_run(out_dir, name):
    """Sharded weights: train, then rank 0 saves the full weights."""
    strategy = lamina.distribute.DataParallel(fsdp=True)
    lamina.distribute.set_distribution(strategy)
    x, y = data()
    model = build()
    path = os.path.join(out_dir, "fsdp.weights.h5")
    ckpt = lamina.callbacks.ModelCheckpoint(
        path, monitor="loss", save_weights_only=True
    )
    history = model.fit(
        x,
        y,
        batch_size=32,
        epochs=3,
        shuffle=False,
        verbose=0,
        callbacks=[ckpt],
    )
    reread = build()
    reread.load_weights(path)
    write(
        out_dir,
        name,
        {
            "history": history.history,
            "weights": reread.get_weights(),
            "sharded": type(model.layers[0].kernel).__name__,
            "predict": model.predict(x[:45], batch_size=16, verbose=0),
        },
    )


def one_rank_stops(out_dir, name):
    """A callback on rank 1 alone stops training after epoch 2."""
    x, y = data()
    model = build()

    def stop(epoch, logs):
        if epoch == 1 and lamina.distribute.rank() == 1:
            model.stop_training = True

    stopper = lamina.callbacks.LambdaCallback(on_epoch_end=stop)
    history = model.fit(
        x, y, batch_size=32, epochs=5, verbose=0, callbacks=[stopper]
    )
    write(out_dir, name, {"epochs_run": len(history.history["loss"])})


def user_save_run(out_dir, name):
    """The user's own `model.save` / `save_weights` after `fit`."""
    from lamina.saving import saving_api

    calls = []
    for fn_name in ("save_model", "save_weights"):
        original = getattr(saving_api, fn_name)

        def spy(*a, _original=original, _name=fn_name, **k):
            calls.append(_name)
            return _original(*a, **k)

        setattr(saving_api, fn_name, spy)
    x, y = data()
    model = build()
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    archive = os.path.join(out_dir, "model.keras")
    weights = os.path.join(out_dir, "model.weights.h5")
    model.save(archive)
    model.save_weights(weights)
    # Right after the calls return, every rank reads whole files.
    loaded = lamina.saving.load_model(archive)
    reread = build()
    reread.load_weights(weights)
    write(
        out_dir,
        name,
        {
            "calls": calls,
            "archive_matches": all(
                np.array_equal(a, b)
                for a, b in zip(loaded.get_weights(), model.get_weights())
            ),
            "weights_match": all(
                np.array_equal(a, b)
                for a, b in zip(reread.get_weights(), model.get_weights())
            ),
        },
    )
