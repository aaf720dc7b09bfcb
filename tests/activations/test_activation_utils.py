"""Input conversion of the activation wrapper, against Keras's rules."""

import numpy as np
import pytest
import torch

import lamina
from lamina.activations.activation_utils import convert_and_call
from lamina.activations.activation_utils import to_tensor
from tests.keras_oracle import keras


@pytest.mark.parametrize(
    "value",
    [
        [1.5, -2.0],
        3.0,
        [1, 2],
        7,
        np.array([1.0, 2.0]),
        np.array([1, 2], dtype="int64"),
        np.float32(2.0),
        [True, False],
    ],
)
def test_to_tensor_dtype_matches_keras(value):
    ours = to_tensor(value)
    theirs = keras.ops.convert_to_tensor(value)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours.numpy(), theirs.cpu().numpy())


def test_convert_and_call_converts_then_calls():
    calls = []

    def probe(x, k=1):
        calls.append(type(x))
        return x * k

    out = convert_and_call(probe, [1.0, 2.0], 3)
    assert out.dtype == torch.float32 and out.tolist() == [3.0, 6.0]
    assert calls == [torch.Tensor]


def test_tensors_skip_conversion(monkeypatch):
    import lamina.activations.activations as module

    def fail(*args):
        raise AssertionError("tensor inputs must not be converted")

    monkeypatch.setattr(module, "convert_and_call", fail)
    x = torch.randn(3)
    assert torch.equal(module.relu(x), torch.relu(x))
    with pytest.raises(AssertionError, match="must not be converted"):
        module.relu([1.0])


def test_list_input_to_activation():
    out = lamina.activations.sigmoid([0.0, 0.0])
    assert isinstance(out, torch.Tensor)
    np.testing.assert_allclose(out, [0.5, 0.5])
