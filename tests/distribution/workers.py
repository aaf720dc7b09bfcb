"""Code run inside the two ranks of `test_two_processes.py`, and as one
process for the reference values (see `tests/distribute/workers.py`)."""

from __future__ import annotations

import numpy as np
import torch

import lamina
from tests.distribute.workers import write


def data(n=48, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x @ rng.normal(size=(4, 2))).astype("float32")
    return x, y


def build(seed=5):
    lamina.utils.set_random_seed(seed)
    model = lamina.Sequential(
        [
            lamina.Input((4,)),
            lamina.layers.Dense(6, activation="relu", name="dense"),
            lamina.layers.Dense(2, name="head"),
        ],
        name="seq",
    )
    model.compile(lamina.optimizers.SGD(0.05), "mse", metrics=["mae"])
    return model


def data_parallel_fit(out_dir, name, distributed):
    """fit with Keras's `DataParallel` (on the ranks) or plainly."""
    if distributed:
        lamina.distribution.set_distribution(lamina.distribution.DataParallel())
    x, y = data()
    model = build()
    history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    write(
        out_dir,
        name,
        {"weights": model.get_weights(), "history": history.history},
    )


def sharded_dense(out_dir, name, distributed):
    """Build the model under a ModelParallel that shards `dense`'s kernel
    over a "model" axis of every device; record how it is stored and what
    it computes (under implicit replication)."""
    from torch.distributed.tensor import DTensor
    from torch.distributed.tensor.experimental import implicit_replication

    count = 2 if distributed else 1
    if distributed:
        lamina.distribution.initialize()
    mesh = lamina.distribution.DeviceMesh((1, count), ["batch", "model"])
    layout_map = lamina.distribution.LayoutMap(mesh)
    layout_map[".*dense.*kernel"] = (None, "model")
    with lamina.distribution.ModelParallel(layout_map=layout_map).scope():
        model = build()
    kernel = model.get_layer("dense").kernel
    sharded = isinstance(kernel, DTensor)
    x = torch.from_numpy(data(5, seed=3)[0])
    with implicit_replication(), torch.no_grad():
        y = model(x, training=False)
    write(
        out_dir,
        name,
        {
            "sharded": sharded,
            "placements": [repr(p) for p in kernel.placements]
            if sharded
            else [],
            "local_shape": list(
                (kernel.to_local() if sharded else kernel).shape
            ),
            "kernel": (kernel.full_tensor() if sharded else kernel).detach(),
            "head_sharded": isinstance(model.get_layer("head").kernel, DTensor),
            "path": kernel.path
            if not sharded
            else kernel.__dict__["_keras_path"],
            "output": (
                y.full_tensor() if isinstance(y, DTensor) else y
            ).detach(),
        },
    )
