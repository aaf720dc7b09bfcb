"""Mixed precision against Keras 3: policies, compute dtypes per layer,
float32 islands, loss scaling in `compile`, training under each policy."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy


@pytest.fixture
def policy():
    """Set a global policy in both libraries; always restored."""

    def set_both(name):
        keras.mixed_precision.set_global_policy(name)
        lamina.mixed_precision.set_global_policy(name)

    yield set_both
    set_both("float32")


def _model(lib, final_dtype="float32"):
    return lib.Sequential(
        [
            lib.Input((6,)),
            lib.layers.Dense(8, activation="relu"),
            lib.layers.LayerNormalization()
            if hasattr(lamina.layers, "LayerNormalization")
            else lib.layers.Identity(),
            lib.layers.Dense(3, dtype=final_dtype),
            lib.layers.Activation("softmax", dtype=final_dtype),
        ]
    )


def test_public_names_match_keras():
    ours = set(lamina.mixed_precision.__all__)
    theirs = {n for n in dir(keras.mixed_precision) if not n.startswith("_")}
    assert ours == theirs


@pytest.mark.parametrize("name", ["mixed_float16", "mixed_bfloat16"])
def test_policy_matches_keras(policy, name):
    policy(name)
    ours = lamina.mixed_precision.global_policy()
    theirs = keras.mixed_precision.global_policy()
    assert (ours.name, ours.compute_dtype, ours.variable_dtype) == (
        theirs.name,
        theirs.compute_dtype,
        theirs.variable_dtype,
    )
    assert lamina.mixed_precision.dtype_policy() == ours


@pytest.mark.parametrize("name", ["mixed_float16", "mixed_bfloat16"])
def test_layer_dtypes_match_keras(policy, name, rng):
    policy(name)
    x = rng.standard_normal((4, 6)).astype("float32")
    k_model, l_model = _model(keras), _model(lamina)
    l_model.set_weights(k_model.get_weights())
    k_h, l_h = x, torch.from_numpy(x)
    for k_layer, l_layer in zip(k_model.layers, l_model.layers):
        k_h, l_h = k_layer(k_h), l_layer(l_h)
        assert str(l_h.dtype).replace("torch.", "") == str(k_h.dtype).replace(
            "torch.", ""
        ), l_layer.name
        assert l_layer.dtype_policy.name == k_layer.dtype_policy.name
    assert all(w.dtype == torch.float32 for w in l_model.weights)
    # The model's own call agrees too (the model is mixed, its last
    # layers are not: autocast must be off inside them).
    out = l_model(torch.from_numpy(x))
    assert out.dtype == torch.float32
    np.testing.assert_allclose(
        out.detach().numpy(), to_numpy(k_model(x)), rtol=2e-2, atol=2e-3
    )


def test_compile_wraps_optimizer_under_float16(policy):
    policy("mixed_float16")
    k_model, l_model = _model(keras), _model(lamina)
    k_model.compile("sgd", "mse")
    l_model.compile("sgd", "mse")
    assert (
        type(l_model.optimizer).__name__
        == type(k_model.optimizer).__name__
        == "LossScaleOptimizer"
    )
    l_model.compile("sgd", "mse", auto_scale_loss=False)
    assert isinstance(l_model.optimizer, lamina.optimizers.SGD)
    policy("mixed_bfloat16")
    l_model = _model(lamina)
    l_model.compile("sgd", "mse")
    assert isinstance(l_model.optimizer, lamina.optimizers.SGD)


@pytest.mark.parametrize("name", ["mixed_float16", "mixed_bfloat16"])
def test_fit_matches_keras(policy, name, rng):
    policy(name)
    x = rng.standard_normal((32, 6)).astype("float32")
    y = rng.integers(0, 3, 32)
    k_model, l_model = _model(keras), _model(lamina)
    l_model.set_weights(k_model.get_weights())
    for model in (k_model, l_model):
        model.compile(
            model.__module__.split(".")[0] == "keras"
            and keras.optimizers.SGD(0.1)
            or lamina.optimizers.SGD(0.1),
            "sparse_categorical_crossentropy",
        )
    k_hist = k_model.fit(
        x, y, batch_size=8, epochs=2, shuffle=False, verbose=0
    ).history
    l_hist = l_model.fit(
        x, y, batch_size=8, epochs=2, shuffle=False, verbose=0
    ).history
    np.testing.assert_allclose(l_hist["loss"], k_hist["loss"], rtol=2e-2)
    for lw, kw in zip(l_model.get_weights(), k_model.get_weights()):
        assert lw.dtype == np.float32
        np.testing.assert_allclose(lw, kw, rtol=2e-2, atol=5e-3)
    if name == "mixed_float16":
        assert float(l_model.optimizer.dynamic_scale) == float(
            to_numpy(k_model.optimizer.dynamic_scale)
        )


def test_float16_overflow_skips_step_and_halves_scale(policy):
    policy("mixed_float16")
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile(lamina.optimizers.SGD(0.1), "mse")
    before = model.get_weights()
    # A loss this large times 2**15 overflows float16 gradients.
    x = np.full((4, 2), 3e4, "float32")
    model.train_on_batch(x, np.zeros((4, 1), "float32"))
    assert float(model.optimizer.dynamic_scale) == 2.0**14
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_plain_torch_module_runs_in_compute_dtype(policy):
    policy("mixed_bfloat16")
    inputs = lamina.Input((4,))
    model = lamina.Sequential([inputs, lamina.layers.Dense(4)])
    wrapped = lamina.Model(inputs, model.output)
    seen = {}
    linear = torch.nn.Linear(4, 2)
    linear.register_forward_hook(lambda m, i, o: seen.update(dtype=o.dtype))

    class Holder(lamina.Model):
        def __init__(self):
            super().__init__()
            self.body = wrapped
            self.head = linear

        def call(self, x):
            return self.head(self.body(x))

    holder = Holder()
    holder(torch.ones(2, 4))
    assert seen["dtype"] == torch.bfloat16
    assert linear.weight.dtype == torch.float32


@pytest.mark.parametrize("name", ["mixed_float16", "mixed_bfloat16"])
def test_symbolic_dtypes_match_keras(policy, name):
    policy(name)
    k_h, l_h = keras.Input((6,)), lamina.Input((6,))
    for k_layer, l_layer in zip(_model(keras).layers, _model(lamina).layers):
        k_h, l_h = k_layer(k_h), l_layer(l_h)
        assert str(l_h.dtype).replace("torch.", "") == str(k_h.dtype)


CATALOGUE = [
    (
        lambda lib: lib.layers.EinsumDense(
            "abc,cd->abd", (4, 3), bias_axes="d"
        ),
        (2, 4, 6),
    ),
    (lambda lib: lib.layers.Dense(3), (2, 6)),
    (lambda lib: lib.layers.Conv1D(2, 2), (2, 4, 6)),
    (lambda lib: lib.layers.Conv2DTranspose(2, 2), (2, 4, 4, 3)),
    (lambda lib: lib.layers.BatchNormalization(), (2, 6)),
    (lambda lib: lib.layers.GroupNormalization(2), (2, 4, 6)),
    (lambda lib: lib.layers.LSTM(3), (2, 4, 6)),
    (lambda lib: lib.layers.GRU(3, return_sequences=True), (2, 4, 6)),
    (lambda lib: lib.layers.SimpleRNN(3), (2, 4, 6)),
    (lambda lib: lib.layers.GlobalAveragePooling1D(), (2, 4, 6)),
]


@pytest.mark.parametrize("name", ["mixed_float16", "mixed_bfloat16"])
@pytest.mark.parametrize("case", range(len(CATALOGUE)))
def test_catalogue_output_dtypes_match_keras(policy, name, case, rng):
    policy(name)
    make, shape = CATALOGUE[case]
    x = rng.standard_normal(shape).astype("float32")
    k_out, l_out = make(keras)(x), make(lamina)(torch.from_numpy(x))
    assert str(l_out.dtype) == str(k_out.dtype)


@pytest.mark.parametrize("name", ["mixed_float16", "mixed_bfloat16"])
@pytest.mark.parametrize("scores", [False, True])
def test_multi_head_attention_dtypes_match_keras(policy, name, scores, rng):
    policy(name)
    q = rng.standard_normal((2, 4, 6)).astype("float32")
    k_out = keras.layers.MultiHeadAttention(2, 3)(
        q, q, return_attention_scores=scores
    )
    l_out = lamina.layers.MultiHeadAttention(2, 3)(
        torch.from_numpy(q), torch.from_numpy(q), return_attention_scores=scores
    )
    k_out, l_out = (o if scores else (o,) for o in (k_out, l_out))
    assert [str(o.dtype) for o in l_out] == [str(o.dtype) for o in k_out]
