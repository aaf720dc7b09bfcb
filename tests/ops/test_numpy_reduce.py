import numpy as np
import pytest

import lamina.ops as lops
from tests.ops.helpers import assert_same
from tests.ops.helpers import check
from tests.ops.helpers import rand

REDUCE = ["sum", "mean", "max", "min", "prod", "std", "var"]
AXES = [0, -1, (0, 2), [1, 2]]
DTYPES = [
    "float32",
    "float64",
    "float16",
    "int32",
    "int64",
    "int8",
    "uint8",
    "bool",
]


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("name", REDUCE)
def test_reductions_match_keras_over_axes(name, axis, keepdims):
    check(name, rand((2, 3, 4), "float32"), axis=axis, keepdims=keepdims)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", REDUCE)
def test_reduction_dtypes_match_keras(name, dtype):
    if name in ("max", "min") and dtype == "bool":
        return  # amax has no bool kernel in torch (Keras fails too).
    x = rand((3, 4), dtype, low=-2, high=3)
    check(name, x, axis=1)
    check(name, x)


@pytest.mark.parametrize("name", ["sum", "max", "min", "prod"])
def test_keepdims_with_axis_none_follows_numpy(name):
    # Keras's torch backend drops keepdims here; NumPy (and Keras's own
    # symbolic shapes) keep every axis with size 1.
    x = rand((2, 3), "float32")
    out = getattr(lops, name)(x, keepdims=True)
    expected = getattr(np, name)(x, keepdims=True)
    assert tuple(out.shape) == (1, 1)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5)


@pytest.mark.parametrize("name", ["sum", "mean", "var"])
def test_empty_axis_tuple(name):
    check(name, rand((2, 3), "int32"), axis=())


@pytest.mark.parametrize("name", ["max", "min"])
def test_initial_value(name):
    x = rand((2, 3), "float32")
    check(name, x, axis=1, initial=0.5)
    out = getattr(lops, name)(np.zeros((0, 3), "float32"), axis=0, initial=2.0)
    assert out.tolist() == [2.0, 2.0, 2.0]


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize(
    "axis,keepdims", [(None, False), (0, False), (-1, True), (1, False)]
)
@pytest.mark.parametrize("dtype", ["float32", "int32", "bool"])
def test_arg_extrema_match_keras(name, axis, keepdims, dtype):
    check(name, rand((3, 4), dtype), axis=axis, keepdims=keepdims)


def test_python_lists():
    check("sum", [1, 2, 3])
    check("mean", [[1.0, 2.0], [3.0, 5.0]], axis=0)


def test_bad_axis_raises_value_error_naming_the_op():
    with pytest.raises(ValueError, match=r"`ops.sum`.*axis=5"):
        lops.sum(np.ones((2, 3)), axis=5)
    with pytest.raises(ValueError, match=r"`ops.max`.*out of bounds.*axis=2"):
        lops.max(np.ones((2, 3)), axis=2)
    with pytest.raises(ValueError, match=r"`ops.mean`.*axis=-3"):
        lops.mean(np.ones((2, 3)), axis=-3)


def test_empty_reduction_without_initial_raises():
    with pytest.raises(ValueError, match=r"`ops.max` cannot reduce an empty"):
        lops.max(np.zeros((0,)))
    assert_same(lops.min(np.zeros((0, 2), "float32"), axis=1), lops.zeros(0))
