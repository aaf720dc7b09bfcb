"""`KerasTensor`, `Operation` and `Function` against Keras 3."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras, to_numpy


def test_inputs_are_keras_tensors():
    for lib in (lamina, keras):
        x = lib.Input((3,))
        assert isinstance(x, lib.KerasTensor)
        assert isinstance(lib.layers.Dense(2)(x), lib.KerasTensor)


def test_keras_tensor_arguments_like_keras():
    for lib in (lamina, keras):
        t = lib.KerasTensor((None, 4), dtype="int32", ragged_rank=None)
        assert tuple(t.shape) == (None, 4) and t.dtype == "int32"
        with pytest.raises(TypeError, match="Unexpected keyword arguments"):
            lib.KerasTensor((2,), bogus=1)


def _op_class(lib):
    class Affine(lib.Operation):
        def __init__(self, scale, name=None):
            super().__init__(name=name)
            self.scale = scale

        def call(self, x, shift=0.0):
            return x * self.scale + shift

    return Affine


@pytest.mark.parametrize("shift", [0.0, 1.5])
def test_operation_eager_symbolic_and_function(rng, shift):
    x = rng.standard_normal((2, 3)).astype("float32")
    results = []
    for lib in (keras, lamina):
        op = _op_class(lib)(3.0, name="affine")
        eager = op(lib.ops.convert_to_tensor(x), shift=shift)
        inputs = lib.Input((3,))
        outputs = op(inputs, shift=shift)
        assert isinstance(outputs, lib.KerasTensor)
        assert tuple(outputs.shape) == (None, 3)
        assert op.output is outputs and op.input is inputs
        fn = lib.Function(inputs, outputs)
        results.append((to_numpy(eager), to_numpy(fn(x))))
    for ours, theirs in zip(results[1], results[0]):
        np.testing.assert_allclose(ours, theirs, 1e-6)


def test_operation_names_and_errors():
    for lib in (keras, lamina):
        op = lib.Operation()
        assert op.name.startswith("operation")
        with pytest.raises(AttributeError, match="has never been called"):
            op.input
        with pytest.raises(NotImplementedError):
            op.call(1)
    with pytest.raises(ValueError, match="name"):
        lamina.Operation(name="a/b")


def test_layers_and_functions_are_operations_as_in_keras():
    for lib in (keras, lamina):
        x = lib.Input((3,))
        dense = lib.layers.Dense(2)
        fn = lib.Function(x, dense(x))
        assert isinstance(dense, lib.Operation)
        assert isinstance(fn, lib.Operation)
        assert isinstance(lib.Model(x, dense.output), lib.Operation)
    assert fn(torch.ones(4, 3)).shape == (4, 2)


def _function(lib):
    a, b = lib.Input((2,), name="a"), lib.Input((2,), name="b")
    dense = lib.layers.Dense(3, name="d")
    total = dense(a + b)
    return lib.Function(
        {"a": a, "b": b}, [total, lib.ops.relu(total)], name="fn"
    ), dense


def test_function_matches_keras(rng):
    (k_fn, k_dense), (m_fn, m_dense) = _function(keras), _function(lamina)
    m_dense.set_weights(k_dense.get_weights())
    a = rng.standard_normal((4, 2)).astype("float32")
    b = rng.standard_normal((4, 2)).astype("float32")
    k_out = k_fn({"a": a, "b": b})
    m_out = m_fn({"a": torch.tensor(a), "b": torch.tensor(b)})
    assert isinstance(m_out, list) and len(m_out) == 2
    for ours, theirs in zip(m_out, k_out):
        np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), 1e-5)
    assert m_fn.name == k_fn.name == "fn"
    assert len(m_fn.inputs) == len(k_fn.inputs) == 2
    assert len(m_fn.outputs) == len(k_fn.outputs) == 2
    # Symbolic call: functions nest.
    out = m_fn({"a": lamina.Input((2,)), "b": lamina.Input((2,))})
    assert [tuple(t.shape) for t in out] == [(None, 3), (None, 3)]


def test_function_wrong_input_count():
    x = lamina.Input((2,))
    fn = lamina.Function(x, x * 2)
    with pytest.raises(ValueError, match="expects 1 input"):
        fn([torch.ones(1, 2), torch.ones(1, 2)])


def test_function_disconnected_graph():
    x, y = lamina.Input((2,)), lamina.Input((2,))
    with pytest.raises(ValueError):
        lamina.Function(x, x + y)
