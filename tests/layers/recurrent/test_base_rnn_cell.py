import numpy as np
import pytest
import torch

import lamina
from lamina.layers.recurrent.gru_cell import GRUCell
from lamina.layers.recurrent.lstm_cell import LSTMCell
from tests.keras_oracle import keras


def test_keras_layout_stored_and_torch_gate_order_derived():
    cell = GRUCell(2)
    cell.build((None, 3))
    kernel = np.arange(18, dtype="float32").reshape(3, 6)
    bias = np.arange(12, dtype="float32").reshape(2, 6)
    cell.set_weights([kernel, np.zeros((2, 6), "float32"), bias])
    assert cell.kernel.shape == (3, 6)
    np.testing.assert_array_equal(cell.kernel.numpy(), kernel)
    # Keras gates z, r, h -> torch gates r, z, n, transposed.
    torch_kernel, _, _, recurrent_bias = cell._fused_params()
    assert torch_kernel.shape == (6, 3)
    np.testing.assert_array_equal(torch_kernel[:2].detach(), kernel[:, 2:4].T)
    np.testing.assert_array_equal(torch_kernel[2:4].detach(), kernel[:, :2].T)
    np.testing.assert_array_equal(recurrent_bias[:2].detach(), bias[1, 2:4])
    weights = cell.get_weights()
    np.testing.assert_array_equal(weights[0], kernel)
    np.testing.assert_array_equal(weights[2], bias)


def test_reset_parameters_initializes_in_keras_layout():
    cell = LSTMCell(2, kernel_initializer="zeros")
    cell.build((None, 3))
    with torch.no_grad():
        cell.bias.fill_(5.0)
    cell.reset_parameters()
    np.testing.assert_array_equal(
        cell.get_weights()[2], [0, 0, 1, 1, 0, 0, 0, 0]
    )
    recurrent = cell.get_weights()[1]  # orthogonal in Keras's (2, 8) shape
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(2), atol=1e-5)


def test_count_params_and_shapes_match_keras():
    for name, kwargs in [
        ("LSTMCell", {}),
        ("GRUCell", {}),
        ("GRUCell", {"reset_after": False}),
        ("SimpleRNNCell", {"use_bias": False}),
    ]:
        k = getattr(keras.layers, name)(3, **kwargs)
        m = getattr(lamina.layers, name)(3, **kwargs)
        k.build((None, 5))
        m.build((None, 5))
        assert m.count_params() == k.count_params()
        assert [w.shape for w in m.get_weights()] == [
            tuple(w.shape) for w in k.weights
        ]


def test_dropout_rates_are_clipped_like_keras():
    cell = LSTMCell(2, dropout=1.5, recurrent_dropout=-1)
    assert cell.dropout == 1.0 and cell.recurrent_dropout == 0.0
    assert keras.layers.LSTMCell(2, dropout=1.5).dropout == 1.0


@pytest.mark.parametrize("units", [0, -2, 1.5, True, "3"])
def test_bad_units(units):
    with pytest.raises(
        ValueError,
        match=r"`units` of GRUCell: expected a "
        r"positive integer\. Received: "
        r"units=",
    ):
        GRUCell(units)


def test_unknown_input_dimension():
    with pytest.raises(
        ValueError,
        match=r"'lstm_cell.*' \(LSTMCell\) needs a "
        r"known last input dimension.*"
        r"input_shape=\(None, None\)",
    ):
        LSTMCell(2).build((None, None))
