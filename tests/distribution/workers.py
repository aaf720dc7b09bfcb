"""Code run inside the two ranks of `test_two_processes.py`, and as one
process for the reference values (see `tests/distribute/workers.py`)."""

from __future__ import annotations

import os

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


def _dense_layout(distributed):
    """A layout map sharding `dense`'s kernel over a "model" axis of every
    device (one "batch" device); starts the process group on the ranks."""
    count = 2 if distributed else 1
    if distributed:
        lamina.distribution.initialize()
    mesh = lamina.distribution.DeviceMesh((1, count), ["batch", "model"])
    layout_map = lamina.distribution.LayoutMap(mesh)
    layout_map[".*dense.*kernel"] = (None, "model")
    return layout_map


def sharded_dense(out_dir, name, distributed):
    """Build the model under a ModelParallel that shards `dense`'s kernel
    over a "model" axis of every device; record how it is stored and what
    it computes (under implicit replication)."""
    from torch.distributed.tensor import DTensor
    from torch.distributed.tensor.experimental import implicit_replication

    layout_map = _dense_layout(distributed)
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


def model_parallel_fit(out_dir, name, distributed, optimizer):
    """fit / evaluate / predict / save / set_weights of a model whose
    first Dense is sharded over a "model" axis of every device (the batch
    axis has one device: each rank runs the whole batch)."""
    from torch.distributed.tensor import DTensor

    layout_map = _dense_layout(distributed)
    layout_map[".*dense.*bias"] = ("model",)
    lamina.distribution.set_distribution(
        lamina.distribution.ModelParallel(layout_map=layout_map)
    )
    model = build()
    model.compile(lamina.optimizers.get(optimizer), "mse", metrics=["mae"])
    x, y = data()
    history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    path = os.path.join(out_dir, f"{name}.weights.h5")
    model.save_weights(path)
    trained = model.get_weights()
    model.set_weights([w * 0 for w in trained])  # overwritten just below
    model.load_weights(path)
    record = {
        "sharded": isinstance(model.get_layer("dense").kernel, DTensor),
        "weights": model.get_weights(),
        "trained": trained,
        "history": history.history,
        "evaluate": model.evaluate(x, y, verbose=0),
        "predict": model.predict(x[:7], verbose=0),
    }
    if distributed:  # a mesh that also splits the batch is refused
        split = lamina.distribution.DeviceMesh((2, 1), ["batch", "model"])
        refused = lamina.distribution.ModelParallel(
            layout_map=lamina.distribution.LayoutMap(split)
        )
        try:
            refused.loop(model)
        except NotImplementedError as error:
            record["refused"] = str(error)
    write(out_dir, name, record)
