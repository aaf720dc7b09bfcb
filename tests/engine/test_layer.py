"""The Layer contract, checked against Keras 3 where Keras has it."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras, to_numpy


def _docs_simple_dense(base):
    class SimpleDense(base):
        def __init__(self, units=32, **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(
                shape=(input_shape[-1], self.units),
                initializer="random_normal",
                trainable=True,
            )
            self.b = self.add_weight(
                shape=(self.units,), initializer="zeros", trainable=True
            )

        def call(self, inputs):
            return inputs @ self.w + self.b

    return SimpleDense


def _docs_compute_sum(base, ops):
    class ComputeSum(base):
        def __init__(self, input_dim):
            super().__init__()
            self.total = self.add_weight(
                initializer="zeros", shape=(input_dim,), trainable=False
            )

        def call(self, inputs):
            self.total.assign_add(ops.sum(inputs, axis=0))
            return self.total

    return ComputeSum


def test_docs_simple_dense_matches_keras(rng):
    k_layer = _docs_simple_dense(keras.layers.Layer)(4)
    l_layer = _docs_simple_dense(lamina.layers.Layer)(4)
    x = rng.normal(size=(3, 5)).astype("float32")
    k_out = k_layer(x)
    l_layer(x)
    l_layer.set_weights(k_layer.get_weights())
    np.testing.assert_allclose(
        l_layer(x).detach().numpy(), to_numpy(k_out), rtol=1e-5, atol=1e-6
    )
    assert len(l_layer.trainable_weights) == 2
    assert all(p.requires_grad for p in l_layer.parameters())
    assert set(l_layer.state_dict()) == {"w", "b"}


def test_docs_compute_sum_matches_keras():
    x = np.ones((2, 2), dtype="float32")
    k_layer = _docs_compute_sum(keras.layers.Layer, keras.ops)(2)
    l_layer = _docs_compute_sum(lamina.layers.Layer, lamina.ops)(2)
    for _ in range(2):
        k_out, l_out = k_layer(x), l_layer(x)
    np.testing.assert_allclose(l_out.detach().numpy(), to_numpy(k_out))
    assert len(l_layer.weights) == 1
    assert l_layer.non_trainable_weights[0] is l_layer.total
    assert l_layer.trainable_weights == []
    assert not l_layer.total.requires_grad
    assert "total" in l_layer.state_dict()


def test_auto_names_are_unique_and_keras_like():
    a, b = lamina.layers.Dense(2), lamina.layers.Dense(2)
    assert a.name != b.name
    assert a.name.startswith("dense") and b.name.startswith("dense")


def test_unknown_kwarg_is_rejected():
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        lamina.layers.Dense(2, foo=1)


def test_missing_super_init_is_explained():
    class Broken(lamina.layers.Layer):
        def __init__(self):
            pass

        def call(self, x):
            return x

    with pytest.raises((RuntimeError, AttributeError)):
        Broken()(torch.ones(1))


def test_trainable_setter_freezes_weights():
    layer = lamina.layers.Dense(3)
    layer(torch.ones(2, 4))
    layer.trainable = False
    assert layer.trainable_weights == []
    assert len(layer.non_trainable_weights) == 2
    assert not any(p.requires_grad for p in layer.parameters())
    layer.trainable = True
    assert len(layer.trainable_weights) == 2


def test_set_weights_checks_count_and_shapes():
    layer = lamina.layers.Dense(3)
    layer(torch.ones(2, 4))
    with pytest.raises(ValueError, match="expected 2 weights"):
        layer.set_weights([np.zeros((4, 3))])
    with pytest.raises(ValueError, match=r"\(4, 3\).*\(3, 3\)"):
        layer.set_weights([np.zeros((3, 3)), np.zeros(3)])


def test_wrong_last_dimension_names_layer():
    layer = lamina.layers.Dense(3, name="my_dense")
    layer(torch.ones(2, 4))
    with pytest.raises(ValueError, match="my_dense.*axis -1.*value 4"):
        layer(torch.ones(2, 5))


def test_wrong_rank_names_layer():
    layer = lamina.layers.Dense(3, name="rank_check")
    with pytest.raises(ValueError, match="rank_check.*min_ndim=2"):
        layer(torch.ones(4))


def test_count_params_needs_build():
    layer = lamina.layers.Dense(3)
    with pytest.raises(ValueError, match="isn't built"):
        layer.count_params()
    layer(torch.ones(1, 4))
    assert layer.count_params() == 15


def test_compute_output_shape_is_traced():
    layer = lamina.layers.Dense(7)
    assert layer.compute_output_shape((None, 3, 5)) == (None, 3, 7)


def test_activity_regularizer_adds_loss_like_keras(rng):
    x = rng.normal(size=(4, 3)).astype("float32")
    k = keras.layers.Dense(2, activity_regularizer="l2")
    l_ = lamina.layers.Dense(2, activity_regularizer="l2")
    k(x)
    l_(x)
    l_.set_weights(k.get_weights())
    k(x)
    l_(x)
    assert len(l_.losses) == 1
    np.testing.assert_allclose(
        float(l_.losses[0]), float(k.losses[0]), rtol=1e-5
    )


def test_weight_regularizer_losses_like_keras(rng):
    k = keras.layers.Dense(2, kernel_regularizer="l1", bias_regularizer="l2")
    l_ = lamina.layers.Dense(2, kernel_regularizer="l1", bias_regularizer="l2")
    x = rng.normal(size=(4, 3)).astype("float32")
    k(x)
    l_(x)
    l_.set_weights(k.get_weights())
    got = sorted(float(v) for v in l_.losses)
    want = sorted(float(v) for v in k.losses)
    np.testing.assert_allclose(got, want, rtol=1e-5)


def test_get_config_round_trip_and_auto_config():
    class Scale(lamina.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

    layer = Scale(3.0, name="scale")
    config = layer.get_config()
    assert config["factor"] == 3.0 and config["name"] == "scale"
    clone = Scale.from_config(config)
    assert clone.factor == 3.0


def test_training_flag_priority():
    seen = []

    class Probe(lamina.layers.Layer):
        def call(self, x, training=None):
            seen.append(training)
            return x

    class Outer(lamina.layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = Probe()

        def call(self, x, training=None):
            return self.inner(x)

    outer = Outer()
    outer(torch.ones(1), training=True)
    outer(torch.ones(1))
    outer.train()
    outer(torch.ones(1))
    assert seen == [True, False, True]


def test_layer_is_torch_module_with_hooks():
    layer = lamina.layers.Dense(2)
    calls = []
    layer.register_forward_hook(lambda m, i, o: calls.append(o.shape))
    layer(torch.ones(3, 4))
    assert calls == [torch.Size([3, 2])]
    assert isinstance(layer, torch.nn.Module)
    assert "units=2" in repr(layer)


def test_numpy_and_float64_inputs_are_converted():
    layer = lamina.layers.Dense(2)
    out = layer(np.ones((3, 4), dtype="float64"))
    assert out.dtype == torch.float32


def test_get_weights_returns_copies():
    layer = lamina.layers.Dense(2)
    layer.build((None, 3))
    weights = layer.get_weights()
    before = weights[0].copy()
    with torch.no_grad():
        layer.kernel.add_(1.0)
    np.testing.assert_array_equal(weights[0], before)
    numpy_view = layer.kernel.numpy()
    with torch.no_grad():
        layer.kernel.add_(1.0)
    np.testing.assert_array_equal(numpy_view, before + 1.0)


def _two_output_layer(lib):
    class TwoOutputs(lib.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, x):
            return x, x * 2

    return TwoOutputs()


def test_single_mask_goes_to_the_first_output_only_as_in_keras():
    x = np.array([[1, 2, 0], [3, 0, 0]])
    masks = []
    for lib in (keras, lamina):
        embedded = lib.layers.Embedding(5, 2, mask_zero=True)(x)
        first, second = _two_output_layer(lib)(embedded)
        masks.append(
            [
                getattr(t, "_keras_mask", None) is not None
                for t in (first, second)
            ]
        )
    assert masks[1] == masks[0] == [True, False]
