import numpy as np
import pytest

import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand

COMPARE = [
    "equal",
    "not_equal",
    "less",
    "less_equal",
    "greater",
    "greater_equal",
    "logical_and",
    "logical_or",
    "logical_xor",
]


@pytest.mark.parametrize(
    "d1,d2",
    [
        ("float32", "float32"),
        ("int32", "float32"),
        ("bool", "bool"),
        ("int8", "int64"),
    ],
)
@pytest.mark.parametrize("name", COMPARE)
def test_binary_logic_matches_keras(name, d1, d2):
    x1 = rand((2, 3), d1, low=-2, high=2)
    x2 = rand((3,), d2, low=-2, high=2)
    check(name, x1, x2)
    check(name, x1, 1)


@pytest.mark.parametrize("name", ["logical_not", "isnan", "isinf", "isfinite"])
@pytest.mark.parametrize("dtype", ["float32", "float16", "int32", "bool"])
def test_unary_logic_matches_keras(name, dtype):
    x = rand((2, 4), dtype)
    if dtype.startswith("float"):
        x[0, 0], x[0, 1], x[1, 2] = np.nan, np.inf, -np.inf
    check(name, x)


@pytest.mark.parametrize(
    "dtypes",
    [
        ("float32", "float32"),
        ("int32", "float32"),
        ("int8", "int16"),
        ("bool", "bool"),
    ],
)
def test_where_matches_keras(dtypes):
    cond = rand((2, 3), "bool")
    check("where", cond, rand((2, 3), dtypes[0]), rand((3,), dtypes[1]))
    check("where", cond, rand((2, 3), dtypes[0]), 0)
    check("where", cond.astype("int32"), 1.5, rand((2, 3), dtypes[1]))


def test_where_with_condition_only_gives_indices():
    check("where", np.array([[True, False], [False, True]]))


def test_where_with_one_branch_raises():
    with pytest.raises(ValueError, match=r"`ops.where`.*Received: x1=None"):
        lops.where([True], None, [1.0])


def test_mismatched_shapes_raise_value_error():
    with pytest.raises(
        ValueError, match=r"`ops.less`.*x2=<ndarray shape=\(4,\)"
    ):
        lops.less(np.ones(3), np.ones(4))
