"""The engine's mode flags are per thread, and shape tracing never writes
the live layer: one thread can build functional models from layers that
another thread is calling eagerly."""

import threading
import time

import numpy as np
import torch

import lamina
from lamina.engine import call_context, shape_inference

_SOAK_SECONDS = 3.0


def _shared_layers():
    """Built layers of several kinds (own weights, buffers, sublayers,
    plain torch modules, a recurrent cell loop, a mixed policy)."""
    layers = {
        "dense": lamina.layers.Dense(6, activation="relu"),
        "norm": lamina.layers.BatchNormalization(),
        "conv": lamina.layers.Conv1D(3, 2, padding="same"),
        "lstm": lamina.layers.LSTM(4, return_sequences=True),
        "mha": lamina.layers.MultiHeadAttention(2, 3),
        "torch": lamina.layers.TorchModuleWrapper(torch.nn.Linear(5, 4)),
        "mixed": lamina.layers.Dense(4, dtype="mixed_bfloat16"),
    }
    rng = np.random.default_rng(0)
    inputs = torch.tensor(rng.normal(size=(2, 7, 5)), dtype=torch.float32)
    for name, layer in layers.items():
        if name == "mha":
            layer(inputs, inputs)
        else:
            layer(inputs)
    # Non-trivial moving statistics, so a trace that wrote them would show.
    layers["norm"](inputs * 3.0 + 1.0, training=True)
    return layers, inputs


def _eager(name, layer, inputs):
    with torch.no_grad():
        if name == "mha":
            return layer(inputs, inputs)
        return layer(inputs)


def _symbolic(layers):
    x = lamina.Input((None, 5))
    y = layers["mha"](x, x)
    y = layers["conv"](layers["norm"](y))
    z = layers["lstm"](x)
    w = layers["mixed"](x)
    u = layers["torch"](x)
    v = lamina.layers.Dense(2)(layers["dense"](x))
    model = lamina.Model(x, [y, z, w, u, v])
    shapes = [tuple(t.shape) for t in model.outputs]
    return shapes


def test_functional_building_and_eager_calls_in_two_threads():
    layers, inputs = _shared_layers()
    expected = {n: _eager(n, layer, inputs) for n, layer in layers.items()}
    weights = {
        n: [w.clone() for w in layer.weights] for n, layer in layers.items()
    }
    expected_shapes = [
        (None, None, 3),
        (None, None, 4),
        (None, None, 4),
        (None, None, 4),
        (None, None, 2),
    ]
    failures: list = []
    counts = {"built": 0, "eager": 0}
    stop = threading.Event()

    def build():
        try:
            while not stop.is_set():
                assert _symbolic(layers) == expected_shapes
                counts["built"] += 1
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(("build", repr(error)))

    def call():
        try:
            while not stop.is_set():
                for name, layer in layers.items():
                    out = _eager(name, layer, inputs)
                    if out.device.type != "cpu" or not torch.equal(
                        out, expected[name]
                    ):
                        failures.append(("eager", name))
                counts["eager"] += 1
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(("eager", repr(error)))

    threads = [threading.Thread(target=build), threading.Thread(target=call)]
    for thread in threads:
        thread.start()
    time.sleep(_SOAK_SECONDS)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert counts["built"] > 0 and counts["eager"] > 0
    for name, layer in layers.items():
        assert all(w.device.type == "cpu" for w in layer.weights)
        assert all(
            torch.equal(a, b) for a, b in zip(weights[name], layer.weights)
        )


def test_a_trace_in_one_thread_is_invisible_to_another():
    layer = lamina.layers.Dense(3)
    x = torch.ones(2, 4)
    expected = layer(x)
    inside, release = threading.Event(), threading.Event()
    seen = {}

    def trace():
        with shape_inference.tracing():
            seen["tracing_inside"] = call_context.is_tracing()
            inside.set()
            release.wait(timeout=30)

    thread = threading.Thread(target=trace)
    thread.start()
    assert inside.wait(timeout=30)
    try:
        assert not call_context.is_tracing()
        out = layer(x)
    finally:
        release.set()
        thread.join(timeout=30)
    assert seen["tracing_inside"] is True
    assert out.device.type == "cpu" and torch.equal(out, expected)


def test_a_trace_sees_meta_weights_without_writing_the_layer():
    layer = lamina.layers.Dense(3)
    layer(torch.ones(1, 4))
    before = [w for w in layer.weights]
    with shape_inference.tracing():
        out = layer(torch.ones(2, 4, device="meta"))
        assert layer.kernel.device.type == "meta"  # seen through the trace
        assert layer._parameters["kernel"] is before[0]  # never replaced
    assert out.device.type == "meta" and tuple(out.shape) == (2, 3)
    assert layer.kernel.device.type == "cpu"
    assert [w for w in layer.weights] == before


def test_autocast_depth_is_per_thread():
    depths = {}
    entered, release = threading.Event(), threading.Event()

    def hold():
        call_context.state.autocast_depth += 1
        entered.set()
        release.wait(timeout=30)
        depths["other"] = call_context.state.autocast_depth
        call_context.state.autocast_depth -= 1

    thread = threading.Thread(target=hold)
    thread.start()
    assert entered.wait(timeout=30)
    depths["here"] = call_context.state.autocast_depth
    release.set()
    thread.join(timeout=30)
    assert depths == {"here": 0, "other": 1}


def test_auto_names_stay_unique_across_threads():
    names: list = []

    def make():
        names.extend(lamina.layers.Dense(1).name for _ in range(200))

    threads = [threading.Thread(target=make) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(set(names)) == len(names) == 800
