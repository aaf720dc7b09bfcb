import numpy as np
import pytest
import torch

import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand

BINARY = [
    "add",
    "subtract",
    "multiply",
    "divide",
    "true_divide",
    "floor_divide",
    "mod",
    "power",
    "maximum",
    "minimum",
]
DTYPE_PAIRS = [
    ("float32", "float32"),
    ("int32", "float32"),
    ("int32", "int32"),
    ("float16", "float32"),
    ("bool", "int32"),
    ("int8", "int16"),
    ("float64", "float32"),
    ("uint8", "int8"),
    ("bfloat16", "float32"),
    ("int64", "float16"),
    ("float64", "float64"),
    ("int64", "int64"),
]
_NEEDS_NONZERO = ("divide", "true_divide", "floor_divide", "mod")


def _operands(name, d1, d2):
    x1 = rand((2, 3), d1)
    if name == "power":
        x1 = np.abs(x1) if isinstance(x1, np.ndarray) else x1.abs()
        x2 = rand((3,), d2, low=0, high=3)
        x2 = np.abs(x2) if isinstance(x2, np.ndarray) else x2.abs()
    else:
        x2 = rand((3,), d2, nonzero=name in _NEEDS_NONZERO)
    return x1, x2


@pytest.mark.parametrize("d1,d2", DTYPE_PAIRS)
@pytest.mark.parametrize("name", BINARY)
def test_binary_ops_match_keras(name, d1, d2):
    x1, x2 = _operands(name, d1, d2)
    check(name, x1, x2)


@pytest.mark.parametrize("dtype", ["float32", "int32", "float16", "int8"])
@pytest.mark.parametrize("scalar", [2, 3.5, True])
@pytest.mark.parametrize("name", BINARY)
def test_binary_ops_with_python_scalars(name, dtype, scalar):
    if name == "subtract" and scalar is True and dtype == "bool":
        return
    x = rand((4,), dtype, low=1, high=4, nonzero=True)
    if name == "power":
        x = np.abs(x)
    check(name, x, scalar)
    if name not in _NEEDS_NONZERO and name != "power":
        check(name, scalar, x)


@pytest.mark.parametrize("name", ["add", "multiply", "maximum", "divide"])
def test_python_scalars_and_lists(name):
    check(name, 3, 4)
    check(name, 2.5, 4)
    check(name, [1, 2, 3], [4.0, 5.0, 6.0])


def test_results_stay_on_the_tensor_device_and_keep_autograd():
    x = torch.ones(3, requires_grad=True)
    y = lops.multiply(lops.add(x, 2.0), [1.0, 2.0, 3.0])
    y.sum().backward()
    assert y.device == x.device
    np.testing.assert_allclose(x.grad.numpy(), [1.0, 2.0, 3.0])


def test_scalar_cache_does_not_leak_inference_tensors():
    with torch.inference_mode():
        lops.multiply(torch.ones(2), 7.25)
    w = torch.ones(2, requires_grad=True)
    lops.multiply(w, 7.25).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), [7.25, 7.25])


def test_incompatible_shapes_raise_value_error_naming_the_op():
    with pytest.raises(ValueError, match=r"`ops.add`.*Received: x1=.*\(2, 3\)"):
        lops.add(np.ones((2, 3)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="ops.maximum"):
        lops.maximum(np.ones((2,)), np.ones((3,)))


def test_bool_subtraction_raises_type_error():
    with pytest.raises(TypeError, match="ops.subtract"):
        lops.subtract(np.array([True]), np.array([False]))
