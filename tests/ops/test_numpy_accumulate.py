import numpy as np
import pytest

import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2), [0, 1], ()])
@pytest.mark.parametrize("name", ["all", "any"])
def test_truth_reductions_match_keras(name, axis, keepdims):
    x = rand((2, 3, 4), "int32", low=0, high=3)
    check(name, x, axis=axis, keepdims=keepdims)
    check(name, x.astype(bool), axis=axis, keepdims=keepdims)


@pytest.mark.filterwarnings("ignore:.*Tensor.T:UserWarning")
@pytest.mark.filterwarnings("ignore:.*x.T.*:UserWarning")
@pytest.mark.parametrize("axis", [None, 1, -1, (), (0, 1)])
def test_count_nonzero_matches_keras(axis):
    check("count_nonzero", rand((4, 3), "int32", low=-1, high=2), axis=axis)


def test_count_nonzero_keeps_numpy_axis_order():
    # Keras's torch backend transposes this result; NumPy does not.
    x = rand((2, 3, 4), "int32", low=0, high=2)
    out = lops.count_nonzero(x, axis=0)
    np.testing.assert_array_equal(out.numpy(), np.count_nonzero(x, axis=0))
    assert out.dtype == lops.convert_to_tensor(1).dtype


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize(
    "x_dtype",
    ["float32", "float64", "float16", "int32", "int64", "bool", "int8"],
)
@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_accumulations_match_keras(name, x_dtype, axis):
    check(name, rand((3, 4), x_dtype, low=-2, high=3), axis=axis)


@pytest.mark.parametrize("dtype", ["float32", "int32", "float16", "int64"])
@pytest.mark.parametrize("x_dtype", ["float32", "int8"])
@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_accumulation_dtype_argument_matches_keras(name, x_dtype, dtype):
    check(name, rand((3, 4), x_dtype, low=-2, high=3), axis=1, dtype=dtype)


def test_bad_axis_raises_value_error():
    with pytest.raises(ValueError, match=r"`ops.cumsum`.*axis=3"):
        lops.cumsum(np.ones((2, 2)), axis=3)
    with pytest.raises(ValueError, match=r"`ops.count_nonzero`.*axis=2"):
        lops.count_nonzero(np.ones((2, 2)), axis=2)
