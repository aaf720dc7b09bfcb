import numpy as np
import pytest
import torch

import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand

UNARY = [
    "negative",
    "square",
    "sqrt",
    "abs",
    "absolute",
    "sign",
    "floor",
    "ceil",
    "round",
]
DTYPES = [
    "float32",
    "float64",
    "float16",
    "bfloat16",
    "int32",
    "int64",
    "int8",
    "uint8",
    "bool",
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", UNARY)
def test_unary_ops_match_keras(name, dtype):
    if name == "negative" and dtype == "bool":
        return  # torch and Keras both refuse to negate booleans.
    if name == "round" and dtype == "bool":
        return  # Keras on torch has no bool round.
    x = rand((3, 4), dtype)
    if name == "sqrt":
        x = np.abs(x) if isinstance(x, np.ndarray) else x.abs()
    check(name, x)


@pytest.mark.parametrize("decimals", [0, 1, 2, -1])
@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_round_decimals(decimals, dtype):
    x = rand((5,), dtype, low=-300, high=300) * (
        1 if dtype == "int32" else 37.0
    )
    check("round", x, decimals=decimals)


@pytest.mark.parametrize(
    "dtype,low,high",
    [
        ("float32", -1.0, 1.0),
        ("int32", 0, 2),
        ("int32", 0.5, 1.5),
        ("float16", -1.0, 0.5),
        ("bool", 0, 1),
        ("int8", -2, 2),
        ("float32", np.float32(0.0), np.array([0.5, 1.0, 2.0], "float32")),
    ],
)
def test_clip_matches_keras(dtype, low, high):
    check("clip", rand((2, 3), dtype), low, high)


def test_python_values():
    check("sqrt", 4.0)
    check("abs", [-1, 2])
    check("floor", [1.5, -1.5])
    check("square", True)


def test_clip_with_tensor_bounds_on_tensor_device():
    x = torch.linspace(-2, 2, 5)
    out = lops.clip(x, torch.tensor(-1.0), 1.0)
    assert out.tolist() == [-1.0, -1.0, 0.0, 1.0, 1.0]


def test_bad_inputs_raise_named_errors():
    with pytest.raises(TypeError, match="ops.negative"):
        lops.negative(np.array([True]))
    with pytest.raises(TypeError, match="convert_to_tensor.*Received: x="):
        lops.sqrt("not a number")
    with pytest.raises(ValueError, match=r"`ops.clip`.*x_min="):
        lops.clip(np.ones(3), np.zeros(2), 1.0)
