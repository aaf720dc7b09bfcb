"""Every training and inference workload of issue 17 in one process, with
lamina and each peer run back to back, and one table at the end.

    python bench/suite.py [--quick] [--only mlp32,gru] [--repeats 3]
                          [--threads 2] [--no-keras] [--no-compile]
                          [--keep-caches] [--peer jax=PYTHON ...]
                          [--no-peers]

Workloads (the models are those of `train_mlp.py`, `train_cnn.py`,
`train_rnn.py` and `train_transformer.py`):

    mlp128, mlp32   MLP 784-512-512-10, dropout 0.2, Adam; fit
    cnn             Keras's MNIST convnet, batch 128; fit
    lstm, gru       Embedding 128 -> LSTM/GRU 64 -> Dense 1, batch 64; fit
    transformer     Keras's text-classification Transformer, batch 32; fit
    predict_mlp     the MLP, predict at batch 1024
    predict_tr      the Transformer, predict at batch 256
    evaluate_mlp    the MLP, evaluate at batch 128

Runners: `torch` (a hand-written eager loop), `torch.compile` (the same
loop with the model and `optimizer.step` compiled), `keras` (Keras 3 on
its torch backend, when importable), `keras jax` and `keras tensorflow`
(Keras 3 on those backends, each run by the Python of its own environment:
`--peer jax=PATH/bin/python`; `bash bench/setup_peers.sh` makes both
environments under `bench/.peers/`, which are then used without the
flag), `lamina` (default `fit`/`predict`) and `lamina jit`
(`jit_compile=True`). A peer process builds the same models on the same
data, and its steady-state epochs run in turn with the in-process
runners' (`peers.py`).

Each runner starts from a fresh model: its first epoch (or pass) is timed
with model construction and any compilation (`first`; one tiny warm-up
fit per library runs before all workloads, so one-time import costs of
the process are not in it), four more epochs
give the 5-epoch wall time (`fit5`); then all runners of the workload run
`--repeats` more epochs in turn, and the median per step is the steady
state (`step`). `rss` is the peak resident memory of the process sampled
while the runner ran (the process is shared, so it includes what earlier
runners left). Ratios are throughput ratios: a peer's step time over
lamina's (above 1: lamina is faster).

Inductor's caches are off unless `--keep-caches`, so that `first` counts
the whole compilation as a new process would.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys

if "--keep-caches" not in sys.argv:
    os.environ.setdefault("TORCHINDUCTOR_FORCE_DISABLE_CACHES", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402

# Appended: an installed lamina or PYTHONPATH (compare_revisions.py) comes
# first; a peer's environment has none and takes this checkout's.
sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import lamina  # noqa: E402
import train_cnn  # noqa: E402
import train_mlp  # noqa: E402
import train_rnn  # noqa: E402
import train_transformer  # noqa: E402
import peers  # noqa: E402
from harness import first_epochs  # noqa: E402
from harness import keras_or_none  # noqa: E402
from harness import timed  # noqa: E402


class Workload:
    """One row group: data, how to build each runner's fresh model, and
    what one epoch (or pass) is for each kind of runner."""

    def __init__(self, name, title, kind, batch, x, y, lib, torch_parts):
        self.name, self.title, self.kind, self.batch = name, title, kind, batch
        self.x, self.y = x, y
        self.lib = lib  # build_lib(lib) -> compiled Keras-API model
        self.torch_parts = torch_parts  # () -> (model, loop, tensors)

    @property
    def steps(self) -> int:
        return -(-len(self.x) // self.batch)

    def keras_api(self, lib, jit: bool = False):
        model = self.lib(lib)
        # `compile(..., jit_compile=jit)` with the builder's arguments.
        model.jit_compile = jit
        x, y, batch = self.x, self.y, self.batch
        if self.kind == "fit":
            return lambda: model.fit(x, y, batch_size=batch, verbose=0)
        if self.kind == "evaluate":
            return lambda: model.evaluate(x, y, batch_size=batch, verbose=0)
        return lambda: model.predict(x, batch_size=batch, verbose=0)

    def torch_loop(self, compiled: bool):
        model, loop, tensors = self.torch_parts()
        if compiled:
            model = torch.compile(model)
        if self.kind != "fit":
            return lambda: loop(model, *tensors, self.batch)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        if compiled:
            step = opt.step
            opt.step = torch.compile(lambda: step())
        return lambda: loop(model, opt, *tensors, self.batch)


def _torch_eval(model, x, y, batch):
    model.eval()
    loss_fn = torch.nn.CrossEntropyLoss()
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            loss_fn(model(x[i : i + batch]), y[i : i + batch])


def workloads(quick: bool) -> list:
    rng = np.random.default_rng(0)
    scale = 4 if quick else 1
    mlp_x = rng.normal(size=(5120 // scale, 784)).astype("float32")
    mlp_y = rng.integers(0, 10, size=len(mlp_x))
    cnn_x = rng.random((2048 // scale, 28, 28, 1), dtype=np.float32)
    cnn_y = rng.integers(0, 10, size=len(cnn_x))
    rnn_n = 64 * (2 if quick else 8)
    rnn_x = rng.integers(1, train_rnn.VOCAB, (rnn_n, train_rnn.LENGTH))
    rnn_x = rnn_x.astype("int32")
    rnn_y = rng.integers(0, 2, size=(rnn_n, 1)).astype("float32")
    tr_x, tr_y = train_transformer.data(1024 // scale)
    tr_px, _ = train_transformer.data(2048 // scale, seed=1)

    def tensors(x, y, *, long=False, nchw=False):
        tx = torch.from_numpy(x)
        tx = tx.long() if long else tx
        tx = tx.permute(0, 3, 1, 2).contiguous() if nchw else tx
        return (tx, torch.from_numpy(y))

    def mlp_parts(loop, x=mlp_x):
        return lambda: (
            train_mlp.build_torch(),
            loop,
            tensors(x, mlp_y[: len(x)]),
        )

    def rnn_parts(rnn):
        def make():
            model = train_rnn.TorchModel(rnn)
            train_rnn.copy_initial_weights(
                train_rnn.build_lib(lamina, rnn), model
            )
            return model, train_rnn.torch_epoch, tensors(rnn_x, rnn_y)

        return make

    def mlp_lib(lib):
        return train_mlp.build_lib(lib)

    def predict_loop(model, x, _y, batch):
        return train_mlp.torch_predict(model, x, batch)

    return [
        Workload(
            "mlp128", "MLP b128", "fit", 128, mlp_x, mlp_y, mlp_lib,
            mlp_parts(train_mlp.torch_epoch),
        ),
        Workload(
            "mlp32", "MLP b32", "fit", 32, mlp_x[: len(mlp_x) // 2],
            mlp_y[: len(mlp_x) // 2], mlp_lib,
            mlp_parts(train_mlp.torch_epoch, mlp_x[: len(mlp_x) // 2]),
        ),
        Workload(
            "cnn", "MNIST convnet b128", "fit", 128, cnn_x, cnn_y,
            train_cnn.build_lib,
            lambda: (
                train_cnn.build_torch(),
                train_cnn.torch_epoch,
                tensors(cnn_x, cnn_y, nchw=True),
            ),
        ),
        Workload(
            "lstm", "Embedding-LSTM 64 b64", "fit", 64, rnn_x, rnn_y,
            lambda lib: train_rnn.build_lib(lib, "lstm"), rnn_parts("lstm"),
        ),
        Workload(
            "gru", "Embedding-GRU 64 b64", "fit", 64, rnn_x, rnn_y,
            lambda lib: train_rnn.build_lib(lib, "gru"), rnn_parts("gru"),
        ),
        Workload(
            "transformer", "Transformer b32", "fit", 32, tr_x, tr_y,
            train_transformer.build_lib,
            lambda: (
                train_transformer.TorchModel(),
                train_mlp.torch_epoch,
                tensors(tr_x, tr_y, long=True),
            ),
        ),
        Workload(
            "predict_mlp", "predict MLP b1024", "predict", 1024,
            np.concatenate([mlp_x] * 2), None, mlp_lib,
            lambda: (
                train_mlp.build_torch(),
                predict_loop,
                (torch.from_numpy(np.concatenate([mlp_x] * 2)), None),
            ),
        ),
        Workload(
            "predict_tr", "predict Transformer b256", "predict", 256, tr_px,
            None, train_transformer.build_lib,
            lambda: (
                train_transformer.TorchModel(),
                predict_loop,
                (torch.from_numpy(tr_px).long(), None),
            ),
        ),
        Workload(
            "evaluate_mlp", "evaluate MLP b128", "evaluate", 128, mlp_x,
            mlp_y, mlp_lib, mlp_parts(_torch_eval),
        ),
    ]  # fmt: skip


def runners(work: Workload, args) -> dict:
    """name -> a factory of a fresh model's one-epoch callable."""
    out = {"torch": lambda: work.torch_loop(compiled=False)}
    if not args.no_compile:
        out["torch.compile"] = lambda: work.torch_loop(compiled=True)
    keras = None if args.no_keras else keras_or_none()
    if keras is not None:
        out["keras"] = lambda: work.keras_api(keras)
    out["lamina"] = lambda: work.keras_api(lamina)
    if not args.no_compile:
        out["lamina jit"] = lambda: work.keras_api(lamina, jit=True)
    return out


def warm_up(args) -> None:
    """One tiny eager fit per library, so that one-time costs of the
    process (imports done on first use, thread pools) are not billed to
    whichever runner happens to come first."""
    x = np.zeros((8, 4), "float32")
    y = np.zeros((8,), "int64")
    if args.worker:
        libs = [keras_or_none(args.worker)]
    else:
        libs = [lamina] + ([] if args.no_keras else [keras_or_none()])
    for lib in filter(None, libs):
        layer = lib.layers.Dense(2, activation="softmax")
        model = lib.Sequential([lib.Input((4,)), layer])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(x, y, batch_size=4, verbose=0)
        model.evaluate(x, y, verbose=0)
        model.predict(x, verbose=0)
    model = torch.nn.Linear(4, 2)
    train_mlp.torch_epoch(
        model,
        torch.optim.Adam(model.parameters()),
        torch.from_numpy(x),
        torch.from_numpy(y),
        4,
    )


def measure(work: Workload, args, peer_list: list) -> dict:
    """`{runner: {"first", "fit5", "step", "rss"}}` for one workload."""
    results, epochs = {}, {}
    for name, factory in runners(work, args).items():
        epochs[name], results[name] = first_epochs(factory, work.kind == "fit")
        first = results[name]["first"]
        print(f"  {work.name:12s} {name:14s} first {first:7.2f} s", flush=True)
    live = []
    for peer in peer_list:
        reply = peer.ask(f"first {work.name}")
        if reply is not None:
            results[peer.name] = reply
            live.append(peer)
            first = reply["first"]
            print(f"  {work.name:12s} {peer.name:14s} first {first:7.2f} s")
    times: dict = {name: [] for name in list(epochs) + [p.name for p in live]}
    for _ in range(args.repeats):
        for name, epoch in epochs.items():
            times[name].append(timed(epoch) / work.steps)
        for peer in live:
            reply = peer.ask(f"epoch {work.name}")
            if reply is not None:
                times[peer.name].append(reply["seconds"] / work.steps)
    for name, values in times.items():
        if values:
            results[name]["step"] = statistics.median(values)
        else:
            del results[name]
    return results


def table(all_results: dict, works: list) -> str:
    rivals = ["torch", "torch.compile", "keras", "keras jax"]
    rivals += ["keras tensorflow", "lamina jit"]
    lines = [
        "| workload | runner | step ms | 1st epoch = fit1 s | fit5 s "
        "| peak RSS MiB | lamina speed-up |",
        "|---|---|---|---|---|---|---|",
    ]
    for work in works:
        results = all_results[work.name]
        ours = results["lamina"]["step"]
        for name, r in results.items():
            ratio = "" if name == "lamina" else f"{r['step'] / ours:.2f}x"
            fit5 = f"{r['fit5']:.2f}" if work.kind == "fit" else "-"
            lines.append(
                f"| {work.title} | {name} | {r['step'] * 1e3:.2f} "
                f"| {r['first']:.2f} | {fit5} "
                f"| {r['rss'] / 2**20:.0f} | {ratio} |"
            )
        best = min(
            (results[p]["step"], p)
            for p in rivals
            if p in results and p != "lamina jit"
        )
        lines.append(
            f"| {work.title} | **lamina / best peer ({best[1]})** "
            f"| | | | | **{best[0] / ours:.2f}x** |"
        )
    return "\n".join(lines)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-keras", action="store_true")
    parser.add_argument("--no-compile", action="store_true")
    parser.add_argument("--keep-caches", action="store_true")
    parser.add_argument(
        "--peer", action="append", default=[], metavar="BACKEND=PYTHON"
    )
    parser.add_argument("--no-peers", action="store_true")
    # Internal: serve as the Keras-on-BACKEND peer (`peers.py`).
    parser.add_argument("--worker", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.repeats = args.repeats or (2 if args.quick else 5)
    torch.set_num_threads(args.threads)
    works = workloads(args.quick)
    if args.only:
        chosen = set(args.only.split(","))
        works = [w for w in works if w.name in chosen]
    warm_up(args)
    if args.worker:
        keras = keras_or_none(args.worker)
        # The builders pass `jit_compile=False`; Keras's own default
        # ("auto") compiles with XLA on JAX and TensorFlow.
        peers.serve(works, lambda work: work.keras_api(keras, True))
        return {}
    peer_list = [peers.Peer(b, p, args) for b, p in peers.find(args).items()]
    for peer in peer_list:
        peer.ask("ready -")
    results = {}
    try:
        for work in works:
            torch.manual_seed(0)
            print(f"{work.title}: {work.steps} steps per epoch", flush=True)
            results[work.name] = measure(work, args, peer_list)
    finally:
        for peer in peer_list:
            peer.close()
    print()
    print(
        f"torch {torch.__version__}, {args.threads} threads, "
        f"{'quick' if args.quick else 'full'} sizes, median of "
        f"{args.repeats}; fit1 = first epoch incl. build and compile"
    )
    print(table(results, works))
    return results


if __name__ == "__main__":
    main()
