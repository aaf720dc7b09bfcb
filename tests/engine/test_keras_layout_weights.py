"""The weight a user reaches is Keras's: shape, element order, name and
path; torch's layout exists only inside `call` (issue 13, section 1)."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy


def _conv():
    layer = lamina.layers.Conv2D(5, (2, 3))
    layer.build((None, 6, 7, 4))
    return layer


def test_set_weights_with_torch_layout_names_layer_weight_and_shapes():
    layer = _conv()
    torch_kernel = np.zeros(
        (5, 4, 2, 3), "float32"
    )  # torch's (out, in, kh, kw)
    with pytest.raises(
        ValueError,
        match=(
            r"weight 'kernel' of layer 'conv2d.*expected Keras shape "
            r"\(2, 3, 4, 5\), received \(5, 4, 2, 3\).*Keras's layout"
        ),
    ):
        layer.set_weights([torch_kernel, np.zeros(5, "float32")])


def test_set_weights_with_torch_lstm_layout_fails_before_changing_anything():
    layer = lamina.layers.LSTM(3)
    layer.build((None, 4, 2))
    before = [w.numpy() for w in layer.weights]
    # torch.nn.LSTM's weight_ih_l0 is (4 * units, input_dim).
    with pytest.raises(
        ValueError,
        match=(
            r"weight 'kernel' of layer 'lstm_cell.*expected Keras shape "
            r"\(2, 12\), received \(12, 2\)"
        ),
    ):
        layer.set_weights(
            [
                np.ones((12, 2), "float32"),
                np.ones((3, 12), "float32"),
                np.ones(12, "float32"),
            ]
        )
    for old, w in zip(before, layer.weights):
        np.testing.assert_array_equal(old, w.numpy())


def test_assign_and_numpy_use_keras_layout():
    layer = _conv()
    value = np.arange(120, dtype="float32").reshape(2, 3, 4, 5)
    layer.kernel.assign(value)
    np.testing.assert_array_equal(layer.kernel.numpy(), value)
    np.testing.assert_array_equal(layer.get_weights()[0], value)
    assert layer.kernel.value is layer.kernel
    assert layer.kernel.trainable


def test_lstm_constraint_with_axis_sees_keras_layout():
    constraint = lamina.constraints.MaxNorm(0.5, axis=0)
    layer = lamina.layers.LSTM(3, kernel_constraint=constraint)
    layer.build((None, 4, 2))
    kernel = np.random.default_rng(0).normal(size=(2, 12)).astype("float32")
    layer.cell.kernel.assign(kernel * 4)
    layer.apply_constraints()
    expected = to_numpy(
        keras.constraints.MaxNorm(0.5, axis=0)(torch.from_numpy(kernel * 4))
    )
    np.testing.assert_allclose(layer.cell.kernel.numpy(), expected, rtol=1e-6)


@pytest.mark.parametrize("name", ["LSTM", "GRU", "SimpleRNN"])
def test_rnn_gradients_match_keras_in_keras_shape(name, rng):
    k_layer = getattr(keras.layers, name)(3)
    m_layer = getattr(lamina.layers, name)(3)
    k_layer.build((None, 4, 2))
    m_layer.build((None, 4, 2))
    m_layer.set_weights([to_numpy(w) for w in k_layer.get_weights()])
    x = torch.from_numpy(rng.normal(size=(2, 4, 2)).astype("float32"))
    k_grads = torch.autograd.grad(
        k_layer(x).square().sum(), [w.value for w in k_layer.weights]
    )
    m_grads = torch.autograd.grad(m_layer(x).square().sum(), m_layer.weights)
    for ours, theirs in zip(m_grads, k_grads):
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(
            ours.numpy(), to_numpy(theirs), rtol=1e-4, atol=1e-6
        )


def test_paths_of_a_subclassed_model_match_keras():
    def make(lib):
        class Net(lib.Model):
            def __init__(self):
                super().__init__(name="net")
                self.hidden = lib.layers.Dense(2, name="hidden")
                self.out = lib.layers.Dense(1, name="out")

            def call(self, x):
                return self.out(self.hidden(x))

        model = Net()
        model(np.ones((1, 3), "float32"))
        return model

    assert [(w.name, w.path) for w in make(lamina).weights] == [
        (w.name, w.path) for w in make(keras).weights
    ]


def test_state_dict_keys_are_attribute_paths_with_keras_shapes():
    model = lamina.Sequential(
        [
            lamina.Input((5, 4)),
            lamina.layers.Conv1D(3, 2, name="c"),
            lamina.layers.LSTM(2, name="r"),
        ]
    )
    shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    assert shapes == {
        "c.kernel": (2, 4, 3),
        "c.bias": (3,),
        "r.cell.kernel": (3, 8),
        "r.cell.recurrent_kernel": (2, 8),
        "r.cell.bias": (8,),
    }


def _dense_model(lib):
    lib.utils.clear_session()
    return lib.Sequential([lib.Input((3,)), lib.layers.Dense(2)])


def test_optimizer_slot_names_and_weight_decay_exclusion_match_keras():
    k_model, m_model = _dense_model(keras), _dense_model(lamina)
    m_model.set_weights(k_model.get_weights())
    results = []
    for lib, model in ((keras, k_model), (lamina, m_model)):
        opt = lib.optimizers.AdamW(learning_rate=0.5, weight_decay=0.5)
        opt.exclude_from_weight_decay(var_names=["bias"])
        opt.build(model.trainable_variables)
        zeros = [
            torch.zeros_like(torch.as_tensor(to_numpy(w)))
            for w in model.get_weights()
        ]
        opt.apply_gradients(zip(zeros, model.trainable_variables))
        names = (
            [v.name for v in opt.variables]
            if lib is keras
            else opt.variable_names
        )
        results.append((names, [to_numpy(w) for w in model.get_weights()]))
    (k_names, k_weights), (m_names, m_weights) = results
    assert m_names == k_names
    assert "sequential_dense_kernel_momentum" in m_names
    for ours, theirs in zip(m_weights, k_weights):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    # Matched by the weight's Keras name: the bias did not decay.
    np.testing.assert_array_equal(m_weights[1], np.zeros(2, "float32"))
