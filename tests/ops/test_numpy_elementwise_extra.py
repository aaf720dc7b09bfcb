"""Element-wise extras (numpy_unary_extra, numpy_hyperbolic,
numpy_binary_extra) against Keras 3 on torch."""

import numpy as np
import pytest
import torch

import lamina.ops as lops
from tests.ops.helpers import check, rand
from tests.ops.oracle_checks import check_or_both_raise, check_symbolic

DTYPES = [
    "float32",
    "float64",
    "float16",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "bool",
]
UNARY = [
    "reciprocal",
    "trunc",
    "cbrt",
    "exp2",
    "fabs",
    "signbit",
    "sinc",
    "i0",
    "nan_to_num",
    "arccosh",
    "arcsinh",
    "arctanh",
    "deg2rad",
    "rad2deg",
    "erfc",
    "erfinv",
]


def _input(name, dtype):
    x = rand((2, 3), dtype, low=-3, high=4, nonzero=True)
    if name == "arccosh":
        x = np.abs(x) + 1 if dtype != "bool" else x
    if name in ("arctanh", "erfinv") and dtype.startswith("float"):
        x = np.tanh(x).astype(dtype) * 0.9
    if name == "nan_to_num" and dtype.startswith("float"):
        x = x.copy()
        x[0, :3] = [np.nan, np.inf, -np.inf]
    return x


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", UNARY)
def test_unary_matches_keras(name, dtype):
    x = _input(name, dtype)
    check_or_both_raise(name, x, rtol=1e-3 if dtype == "float16" else None)


def test_nan_to_num_values():
    x = np.array([np.nan, np.inf, -np.inf, 1.0], "float32")
    check("nan_to_num", x, nan=5.0, posinf=9.0, neginf=-9.0)
    check("nan_to_num", x, posinf=3.0)


BINARY = [
    "logaddexp",
    "logaddexp2",
    "hypot",
    "heaviside",
    "fmax",
    "fmin",
    "fmod",
    "gcd",
    "lcm",
    "nextafter",
    "divide_no_nan",
]
PAIRS = [
    ("float32", "float32"),
    ("float16", "float32"),
    ("int32", "float16"),
    ("int8", "int16"),
    ("int64", "int32"),
    ("uint8", "int8"),
    ("float64", "int32"),
    ("bool", "bool"),
    ("bool", "int8"),
]
INT_ONLY = {"gcd", "lcm"}


@pytest.mark.parametrize("d1,d2", PAIRS)
@pytest.mark.parametrize("name", BINARY)
def test_binary_matches_keras(name, d1, d2):
    if name in INT_ONLY and ("float" in d1 + d2 or "bool" in d1 + d2):
        return
    x1 = rand((2, 1, 3), d1, nonzero=True)
    x2 = rand((4, 1), d2, nonzero=True)
    if name == "divide_no_nan" and d2 != "bool":
        x2 = np.where(rand((4, 1), "bool"), 0, x2).astype(d2)
    check_or_both_raise(
        name, x1, x2, rtol=1e-3 if "float16" in (d1, d2) else None
    )


@pytest.mark.parametrize(
    "name", ["fmax", "fmin", "divide_no_nan", "hypot", "logaddexp", "heaviside"]
)
def test_binary_with_python_scalars(name):
    for x1, x2 in [
        (rand((3,), "int8"), 2),
        (rand((3,), "float16"), 2.0),
        (3, rand((3,), "int32", nonzero=True)),
        (2.0, 3),
    ]:
        check(name, x1, x2, rtol=1e-3)


def test_ldexp_matches_keras_and_refuses_float_exponents():
    check("ldexp", rand((3,), "float32"), np.array([1, 2, 3], "int32"))
    check("ldexp", rand((3,), "int8"), np.array([1, 2, 3], "int8"))
    with pytest.raises(TypeError, match="`x2` of ops.ldexp.*integer"):
        lops.ldexp([1.0], [2.0])


def test_nan_aware_extrema():
    a = np.array([1.0, np.nan, np.nan], "float32")
    b = np.array([np.nan, 2.0, np.nan], "float32")
    check("fmax", a, b)
    check("fmin", a, b)


def test_gradients_match_torch():
    x = torch.tensor([0.5, -0.3], requires_grad=True)
    y = torch.tensor([0.0, 2.0], requires_grad=True)
    (
        lops.divide_no_nan(x, y) + lops.logaddexp(x, y) + lops.erfinv(x * 0.5)
    ).sum().backward()
    assert torch.isfinite(x.grad).all() and torch.isfinite(y.grad).all()
    x2 = x.detach().clone().requires_grad_()
    torch.logaddexp(x2, y.detach()).sum().backward()
    expected = (
        torch.tensor([0.0, 1 / 2.0])
        + x2.grad
        + 0.5
        * torch.exp(torch.erfinv(x2.detach() * 0.5) ** 2)
        * np.sqrt(np.pi)
        / 2
    )
    torch.testing.assert_close(x.grad, expected)


def test_symbolic_shapes_match_keras():
    check_symbolic("hypot", lambda x: (x, x[:, :1]))
    check_symbolic("divide_no_nan", lambda x: (x, 2))
    check_symbolic("cbrt", lambda x: (x,), dtype="int64")
    check_symbolic("erfinv", lambda x: (x,))


def test_compiles():
    def fn(a, b):
        return lops.logaddexp(a, b) + lops.divide_no_nan(a, b) + lops.cbrt(a)

    a, b = torch.randn(3), torch.randn(3)
    torch.testing.assert_close(
        torch.compile(fn, backend="eager")(a, b), fn(a, b)
    )
