"""Keras's `convert_to_tensor` rules, table-driven, against Keras 3: one
conversion module (`lamina/ops/_convert.py`) and every helper that
converts user values through it."""

import numpy as np
import pytest
import torch

import lamina
from lamina import ops
from lamina.activations.activation_utils import to_tensor as activation_input
from lamina.constraints.constraints import _as_tensor as constraint_input
from lamina.layers.preprocessing.image_preprocessing import (
    base_image_preprocessing_layer as image_base,
)
from lamina.losses.loss_utils import as_tensor as loss_input
from lamina.metrics.metrics_utils import to_tensor as metric_input
from lamina.optimizers.schedules.learning_rate_schedule import (
    _as_tensor as schedule_input,
)
from lamina.quantizers._tensor import as_tensor as quantizer_input
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy

# name -> value: Python scalars and sequences, NumPy arrays and scalars.
TABLE = {
    "float": 1.5,
    "int": 3,
    "int_over_int32": 2**40,
    "bool": True,
    "complex": 1 + 2j,
    "list_int": [1, 2],
    "list_mixed": [1.0, 2],
    "list_bool": [True, False],
    "nested_int": [[1, 2], [3, 4]],
    "tuple_float": (1.0, 2.5),
    "list_numpy_scalars": [np.float64(1.0), 2],
    "np_float64": np.array([0.5, 2.0]),
    "np_float32": np.ones(2, "float32"),
    "np_float16": np.ones(3, "float16"),
    "np_int64": np.arange(3),
    "np_uint32": np.arange(2, dtype="uint32"),
    "np_bool": np.array([True, False]),
    "np_float64_scalar": np.float64(2.5),
    "np_int32_scalar": np.int32(2),
    "np_transposed": np.arange(6.0).reshape(2, 3).T,
}

# Every entry point that converts a user value; each must follow the table.
ENTRY_POINTS = {
    "ops.convert_to_tensor": ops.convert_to_tensor,
    "activations": activation_input,
    "losses": loss_input,
    "metrics": metric_input,
    "constraints": constraint_input,
    "quantizers": quantizer_input,
    "schedules": schedule_input,
    "image_preprocessing": image_base._as_tensors,
}


def _check(ours, value):
    theirs = keras.ops.convert_to_tensor(value)
    assert isinstance(ours, torch.Tensor)
    assert ours.dtype == theirs.dtype, (value, ours.dtype, theirs.dtype)
    np.testing.assert_array_equal(ours.cpu().numpy(), to_numpy(theirs))


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("name", sorted(TABLE))
def test_every_entry_point_follows_keras(entry, name):
    _check(ENTRY_POINTS[entry](TABLE[name]), TABLE[name])


@pytest.fixture
def float16_floatx():
    lamina.config.set_floatx("float16")
    keras.config.set_floatx("float16")
    yield
    lamina.config.set_floatx("float32")
    keras.config.set_floatx("float32")


@pytest.mark.parametrize("name", ["float", "list_mixed", "np_float64"])
def test_python_floats_take_floatx_numpy_keeps_its_dtype(name, float16_floatx):
    _check(ops.convert_to_tensor(TABLE[name]), TABLE[name])


@pytest.mark.parametrize(
    "value, dtype",
    [([1, 2], "float16"), (np.ones(2), "int32"), (2.5, "bfloat16")],
)
def test_dtype_argument_matches_keras(value, dtype):
    ours = ops.convert_to_tensor(value, dtype=dtype)
    theirs = keras.ops.convert_to_tensor(value, dtype=dtype)
    assert ours.dtype == theirs.dtype


def test_tensors_and_variables_are_kept():
    t = torch.arange(3, dtype=torch.float64)
    assert ops.convert_to_tensor(t) is t
    layer = lamina.layers.Dense(2)
    layer.build((None, 3))
    assert ops.convert_to_tensor(layer.kernel) is layer.kernel
    theirs = keras.layers.Dense(2)
    theirs.build((None, 3))
    assert (
        ops.convert_to_tensor(layer.kernel).dtype
        == keras.ops.convert_to_tensor(theirs.kernel).dtype
    )


def test_labels_take_the_predictions_dtype_in_losses():
    # The one deliberate variant: Keras's losses cast y_true to y_pred's
    # dtype, so an int label list becomes float32 rather than int32.
    assert loss_input([1, 0], torch.float32).dtype == torch.float32


@pytest.mark.parametrize("wrap", [lambda x: x, lambda x: [x]])
@pytest.mark.parametrize("entry", ["losses", "metrics", "constraints"])
def test_symbolic_tensors_are_refused_as_keras_refuses_them(entry, wrap):
    # Keras's backend conversion refuses a KerasTensor with this text
    # (`ops.convert_to_tensor` on one records a graph node instead).
    with pytest.raises(ValueError) as theirs:
        np.asarray(keras.Input((2,)))
    with pytest.raises(ValueError) as ours:
        ENTRY_POINTS[entry](wrap(lamina.Input((2,))))
    assert str(theirs.value).startswith("A KerasTensor is symbolic")
    assert str(ours.value).startswith("A KerasTensor is symbolic")
    assert "Received: x=<SymbolicTensor shape=(None, 2)" in str(ours.value)


def test_sparse_is_refused_as_keras_refuses_it():
    with pytest.raises(ValueError, match="sparse"):
        keras.ops.convert_to_tensor(np.ones(2), sparse=True)
    with pytest.raises(ValueError, match=r"sparse=True.*Received: sparse"):
        ops.convert_to_tensor(np.ones(2), sparse=True)


@pytest.mark.parametrize("value", ["abc", None, object()])
def test_values_without_numbers_are_refused(value):
    with pytest.raises((TypeError, ValueError)):
        keras.ops.convert_to_tensor(value)
    with pytest.raises(TypeError, match="convert_to_tensor expected"):
        ops.convert_to_tensor(value)


@pytest.mark.parametrize("name", ["list_int", "list_mixed", "np_float64"])
def test_random_ops_convert_like_keras(name):
    value = TABLE[name]
    ours = lamina.random.shuffle(value, seed=1)
    theirs = keras.random.shuffle(value, seed=1)
    assert ours.dtype == theirs.dtype
