"""`jit_compile=True` (`lamina/trainers/compiled_step.py`): one graph per
step, no recompilation across `fit` calls, the eager step's numbers on
each benchmark workload's model, and eager execution (one warning) for a
model that cannot be compiled.

Most tests trace with Dynamo's `"eager"` backend: recompilations, graph
breaks and the numbers of the captured step are decided by the trace, not
by the code generator, and Inductor's code generation costs tens of
seconds here. `test_inductor_two_fits_match_eager` runs Inductor once.
"""

import numpy as np
import pytest
import torch

import lamina
from lamina.trainers import compiled_step

pytestmark = pytest.mark.compile
layers = lamina.layers


@pytest.fixture
def counters():
    import torch._dynamo
    from torch._dynamo.utils import counters

    torch._dynamo.reset()
    counters.clear()
    yield counters
    torch._dynamo.reset()


@pytest.fixture
def dynamo_only(monkeypatch):
    monkeypatch.setattr(compiled_step.CompiledStep, "backend", "eager")


def _mlp():
    return lamina.Sequential(
        [
            lamina.Input((12,)),
            layers.Dense(16, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(16, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(4),
        ]
    )


def _convnet():
    return lamina.Sequential(
        [
            lamina.Input((10, 10, 1)),
            layers.Conv2D(4, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(4, activation="softmax"),
        ]
    )


def _recurrent(cell):
    return lamina.Sequential(
        [
            lamina.Input((7,), dtype="int32"),
            layers.Embedding(50, 8),
            cell(6),
            layers.Dense(4, activation="softmax"),
        ]
    )


class _TokenAndPosition(layers.Layer):
    """As in Keras's text-classification-with-Transformer example."""

    def __init__(self, length, vocabulary, width):
        super().__init__()
        self.tokens = layers.Embedding(vocabulary, width)
        self.positions = layers.Embedding(length, width)

    def call(self, x):
        positions = lamina.ops.arange(x.shape[-1])
        return self.tokens(x) + self.positions(positions)


def _transformer():
    inputs = lamina.Input((7,), dtype="int32")
    x = _TokenAndPosition(7, 50, 8)(inputs)
    attention = layers.MultiHeadAttention(num_heads=2, key_dim=8)(x, x)
    x = layers.LayerNormalization(epsilon=1e-6)(
        x + layers.Dropout(0.1)(attention)
    )
    ffn = layers.Dense(8)(layers.Dense(8, activation="relu")(x))
    x = layers.LayerNormalization(epsilon=1e-6)(x + layers.Dropout(0.1)(ffn))
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dense(5, activation="relu")(layers.Dropout(0.1)(x))
    outputs = layers.Dense(4, activation="softmax")(x)
    return lamina.Model(inputs, outputs)


WORKLOADS = {
    "mlp": (_mlp, (12,), "float32"),
    "convnet": (_convnet, (10, 10, 1), "float32"),
    "lstm": (lambda: _recurrent(layers.LSTM), (7,), "int32"),
    "gru": (lambda: _recurrent(layers.GRU), (7,), "int32"),
    "transformer": (_transformer, (7,), "int32"),
}


def _data(rng, shape, dtype, n=40):
    if dtype == "int32":
        x = rng.integers(1, 7, (n, *shape)).astype("int32")
    else:
        x = rng.standard_normal((n, *shape)).astype("float32")
    return x, rng.integers(0, 4, n)


def _pair(build, **compile_args):
    """An eager and a compiled model with the same weights."""
    eager, jit = build(), build()
    jit.set_weights(eager.get_weights())
    for model, flag in ((eager, False), (jit, True)):
        model.compile(
            lamina.optimizers.Adam(0.01),
            "sparse_categorical_crossentropy",
            metrics=["accuracy"],
            jit_compile=flag,
            **compile_args,
        )
    return eager, jit


def _fit_both(eager, jit, x, y, epochs=2, batch_size=16):
    histories = []
    for model in (eager, jit):
        torch.manual_seed(7)  # the same dropout masks in both
        histories.append(
            model.fit(
                x, y, batch_size=batch_size, epochs=epochs, verbose=0
            ).history
        )
    return histories


def _assert_same(eager, jit, histories):
    for key in histories[0]:
        np.testing.assert_allclose(
            histories[1][key], histories[0][key], rtol=1e-4, atol=1e-6
        )
    for a, b in zip(jit.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("workload", sorted(WORKLOADS))
def test_workload_models_match_eager(workload, rng, dynamo_only, counters):
    build, shape, dtype = WORKLOADS[workload]
    x, y = _data(rng, shape, dtype)
    eager, jit = _pair(build)
    if workload in ("lstm", "gru"):
        # The fused CPU recurrent kernel stays outside any graph
        # (`fused_rnn.run_fused`), so the step runs eagerly, as it is
        # told once.
        with pytest.warns(UserWarning, match="rnn.py:.* runs eagerly"):
            _assert_same(eager, jit, _fit_both(eager, jit, x, y))
        # Dynamo words it "skipped" or "Skip calling ..." by context.
        reason = jit.make_train_function().failed
        assert "skip" in reason.lower() and "rnn.py" in reason
        return
    _assert_same(eager, jit, _fit_both(eager, jit, x, y))
    assert jit.make_train_function().failed is None
    assert not counters["graph_break"]
    # 40 samples at batch 16: two full batches per epoch were compiled,
    # the smaller last one ran eagerly (no second graph).
    assert counters["stats"]["unique_graphs"] == 1


def test_two_fits_compile_once(rng, dynamo_only, counters):
    x, y = _data(rng, (12,), "float32", n=48)
    eager, jit = _pair(_mlp)
    first = _fit_both(eager, jit, x, y, epochs=1)
    graphs = counters["stats"]["unique_graphs"]
    second = _fit_both(eager, jit, x, y, epochs=2)
    assert graphs == 1
    assert counters["stats"]["unique_graphs"] == graphs
    assert not counters["recompiles"] and not counters["graph_break"]
    _assert_same(eager, jit, second)
    assert first[1]["loss"][0] != second[1]["loss"][0]
    assert int(jit.optimizer.iterations) == 9


def test_inductor_two_fits_match_eager(rng, counters):
    x, y = _data(rng, (12,), "float32", n=48)
    eager, jit = _pair(_mlp)
    _fit_both(eager, jit, x, y, epochs=1)
    _assert_same(eager, jit, _fit_both(eager, jit, x, y, epochs=1))
    assert counters["stats"]["unique_graphs"] == 1
    assert not counters["recompiles"] and not counters["graph_break"]


class _HostBranch(layers.Layer):
    """Branches on a value read back from the tensor: no single graph."""

    def call(self, x):
        return x * 2.0 if float(x.sum()) > 0 else x

    def compute_output_shape(self, input_shape):
        return input_shape


def test_uncompilable_model_trains_eagerly_with_one_warning(rng, dynamo_only):
    x, y = _data(rng, (12,), "float32")

    def build():
        return lamina.Sequential(
            [lamina.Input((12,)), _HostBranch(), layers.Dense(4)]
        )

    eager, jit = _pair(build)
    torch.manual_seed(7)
    eager.fit(x, y, batch_size=8, epochs=2, verbose=0)
    torch.manual_seed(7)
    with pytest.warns(UserWarning, match="runs eagerly") as record:
        jit.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert len([w for w in record if "jit_compile" in str(w.message)]) == 1
    assert jit.make_train_function().failed
    for a, b in zip(jit.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_custom_train_step_is_compiled(rng, dynamo_only, counters):
    class Custom(lamina.Model):
        def train_step(self, data):
            super().train_step(data)
            self.seen.update_state(torch.ones(()))
            return self.get_metrics_result()

    inputs = lamina.Input((12,))
    model = Custom(inputs, layers.Dense(4)(inputs))
    model.seen = lamina.metrics.Sum(name="seen")
    model.compile("adam", "sparse_categorical_crossentropy", jit_compile=True)
    x, y = _data(rng, (12,), "float32", n=64)
    model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    assert int(model.optimizer.iterations) == 8
    assert float(model.seen.result()) == 4  # reset each epoch
    assert counters["stats"]["unique_graphs"] == 1
    assert model.make_train_function().failed is None


def test_lamina_jit_0_runs_every_step_eagerly(monkeypatch):
    monkeypatch.setenv("LAMINA_JIT", "0")
    model = _mlp()
    model.compile("adam", "mse", jit_compile=True)
    assert model.make_train_function() == model.train_step
    monkeypatch.setenv("LAMINA_JIT", "1")
    assert isinstance(
        model.make_train_function(force=True), compiled_step.CompiledStep
    )


def test_signature_separates_shapes_and_dtypes():
    a = compiled_step.signature((torch.zeros(2, 3), torch.zeros(2)))
    b = compiled_step.signature((torch.zeros(1, 3), torch.zeros(1)))
    c = compiled_step.signature((torch.zeros(2, 3, dtype=torch.int64),))
    assert a != b and a != c
    assert a == compiled_step.signature((torch.ones(2, 3), torch.ones(2)))


def _fake_compile(record, buffer):
    """A `torch.compile` stand-in: records its options; the "compiled"
    step runs the step and returns `buffer` (as a CUDA graph returns its
    static output memory)."""

    def fake(fn, **options):
        record.update(options)

        def run(batch):
            buffer.copy_(fn(batch)["out"])
            return {"out": buffer}

        return run

    return fake


@pytest.mark.parametrize("device", ["cuda", "cpu"])
def test_device_selects_cuda_graphs(device, monkeypatch):
    record, buffer, marks = {}, torch.zeros(2, 3), []
    monkeypatch.setattr(torch, "compile", _fake_compile(record, buffer))
    monkeypatch.setattr(
        compiled_step, "_device_of", lambda batch: torch.device(device)
    )
    monkeypatch.setattr(
        torch.compiler, "cudagraph_mark_step_begin", lambda: marks.append(1)
    )
    synced = []
    monkeypatch.setattr(torch.cuda, "synchronize", synced.append)
    step = compiled_step.CompiledStep(
        lambda batch: {"out": batch[0] * 2}, "train_step"
    )
    step((torch.ones(2, 3),))  # the first call runs eagerly
    outs = [step((torch.full((2, 3), v),))["out"] for v in (1.0, 5.0)]
    assert record["fullgraph"] is True and record["dynamic"] is False
    if device == "cuda":
        assert record["mode"] == "reduce-overhead"
        assert len(marks) == 2
        assert synced  # the timed trials wait for the device
        # Copied out: the next replay does not overwrite kept outputs.
        assert outs[0] is not buffer
        np.testing.assert_allclose(outs[0].numpy(), 2.0)
    else:
        assert "mode" not in record and not marks
        assert outs[0] is buffer
    np.testing.assert_allclose(outs[1].numpy(), 10.0)


def _busy(seconds):
    """Spend `seconds` of CPU time (the trials time the CPU on a CPU)."""
    import time

    start = time.process_time()
    while time.process_time() - start < seconds:
        pass


@pytest.mark.parametrize("slow", ["compiled", "eager"])
def test_the_faster_form_is_kept(slow, monkeypatch):
    ran = []

    def step(batch):
        ran.append("eager")
        if slow == "eager":
            _busy(0.02)
        return {"out": batch[0] * 2}

    def fake(fn, **options):
        def run(batch):
            ran.append("compiled")
            if slow == "compiled":
                _busy(0.02)
            return {"out": batch[0] * 2}

        return run

    monkeypatch.setattr(torch, "compile", fake)
    compiled = compiled_step.CompiledStep(step, "train_step")
    batch = (torch.ones(2),)
    for _ in range(2 + 2 * compiled.trials):
        compiled(batch)
    fast = "eager" if slow == "compiled" else "compiled"
    assert compiled.chosen == fast
    assert ran.count("compiled") == 1 + compiled.trials
    ran.clear()
    for _ in range(3):
        np.testing.assert_allclose(compiled(batch)["out"].numpy(), 2.0)
    assert ran == [fast] * 3
