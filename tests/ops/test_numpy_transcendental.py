import numpy as np
import pytest

import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand

UNARY = [
    "exp",
    "expm1",
    "log",
    "log1p",
    "log2",
    "log10",
    "sin",
    "cos",
    "tan",
    "tanh",
    "sinh",
    "cosh",
    "arcsin",
    "arccos",
    "arctan",
]
# Value ranges inside each function's domain: (float range, int range).
_DOMAIN = {
    "log": ((0.1, 4), (1, 4)),
    "log2": ((0.1, 4), (1, 4)),
    "log10": ((0.1, 4), (1, 4)),
    "log1p": ((-0.5, 4), (0, 4)),
    "arcsin": ((-0.9, 0.9), (0, 2)),
    "arccos": ((-0.9, 0.9), (0, 2)),
    "arctan": ((-3, 3), (0, 2)),
}


def _input(name, dtype):
    (f_low, f_high), (i_low, i_high) = _DOMAIN.get(name, ((-3, 3), (0, 3)))
    if dtype.startswith("float"):
        x = np.random.default_rng(1).uniform(f_low, f_high, (3, 4))
        return x.astype(dtype)
    return rand((3, 4), dtype, low=i_low, high=i_high)


@pytest.mark.parametrize(
    "dtype",
    ["float32", "float64", "float16", "int32", "int64", "uint8", "bool"],
)
@pytest.mark.parametrize("name", UNARY)
def test_unary_ops_match_keras(name, dtype):
    check(name, _input(name, dtype))


@pytest.mark.parametrize(
    "d1,d2",
    [
        ("float32", "float32"),
        ("int32", "int32"),
        ("float16", "float16"),
        ("float64", "int32"),
        ("int8", "float32"),
    ],
)
def test_arctan2_matches_keras(d1, d2):
    check("arctan2", rand((2, 3), d1), rand((3,), d2))


def test_python_scalars():
    check("exp", 1.0)
    check("exp", 2)
    check("log", [1.0, 2.0])
    check("arctan2", 1.0, 2)


def test_incompatible_shapes_raise_value_error():
    with pytest.raises(ValueError, match="ops.arctan2"):
        lops.arctan2(np.ones((2,)), np.ones((3,)))
