"""numpy_create_extra, numpy_windows and core_cast against Keras 3."""

import numpy as np
import pytest
import torch

import lamina.ops as lops
from tests.ops.helpers import check, kops, rand
from tests.ops.oracle_checks import check_symbolic

DTYPES = [
    "float32",
    "float16",
    "float64",
    "int8",
    "int32",
    "int64",
    "uint8",
    "bool",
]


@pytest.mark.parametrize("dtype", DTYPES)
def test_array_copy_and_like_match_keras(dtype):
    x = rand((2, 3), dtype)
    check("array", x)
    check("array", x, dtype="float32")
    check("array", [1, 2.5])
    check("copy", x)
    for name in ["empty_like"]:
        ours, theirs = getattr(lops, name)(x), getattr(kops, name)(x)
        assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
        ours = lops.empty_like(x, dtype="int16")
        assert ours.dtype == torch.int16


@pytest.mark.parametrize("dtype", [None, "int32", "float16", "bool"])
def test_empty_and_tri_match_keras(dtype):
    ours, theirs = lops.empty((2, 3), dtype), kops.empty((2, 3), dtype)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    for args in [(3,), (3, 4), (4, 2, -1), (3, 5, 2)]:
        check("tri", *args, dtype=dtype)


@pytest.mark.parametrize("dtype", ["float32", "int32", "int64", "float64"])
def test_vander_matches_keras(dtype):
    x = rand((4,), dtype, -3, 3)
    check("vander", x)
    check("vander", x, N=2, increasing=True)
    with pytest.raises(ValueError, match="`x` of ops.vander"):
        lops.vander(np.ones((2, 2)))


@pytest.mark.parametrize("endpoint", [True, False])
@pytest.mark.parametrize("dtype", [None, "float32", "float64", "float16"])
def test_log_and_geom_spaces_match_keras(endpoint, dtype):
    rtol = 1e-2 if dtype == "float16" else 1e-5
    check("logspace", 0.0, 2.0, 5, endpoint=endpoint, dtype=dtype, rtol=rtol)
    check(
        "logspace", 1, 3, 4, endpoint=endpoint, base=2, dtype=dtype, rtol=rtol
    )
    check(
        "geomspace", 1.0, 1000.0, 4, endpoint=endpoint, dtype=dtype, rtol=rtol
    )
    check(
        "geomspace", -2.0, -32.0, 5, endpoint=endpoint, dtype=dtype, rtol=rtol
    )
    with pytest.raises(ValueError, match="`axis` of ops.logspace"):
        lops.logspace(0.0, 1.0, axis=1)


def test_logspace_of_tensors():
    start = np.array([0.0, 1.0], "float32")
    stop = np.array([2.0, 3.0], "float32")
    check("logspace", start, stop, 3)


@pytest.mark.parametrize("name", ["bartlett", "blackman", "hamming", "hanning"])
@pytest.mark.parametrize("n", [1, 2, 5, 8])
def test_windows_match_keras(name, n):
    check(name, n, atol=1e-6)
    check("kaiser", n, 2.5)


def test_windows_refuse_float_lengths():
    with pytest.raises(TypeError, match="`x` of ops.hamming"):
        lops.hamming(2.5)


CASTS = [
    ("float32", "uint8"),
    ("float32", "int8"),
    ("float32", "int32"),
    ("float64", "int64"),
    ("float32", "float16"),
    ("int32", "uint8"),
    ("int64", "int16"),
    ("float16", "int32"),
    ("bool", "int32"),
    ("uint8", "int8"),
]


@pytest.mark.parametrize("src,dst", CASTS)
def test_saturate_cast_matches_keras(src, dst):
    x = rand((20,), src, -1000, 1000)
    if src.startswith("float"):
        x = (x * 1e4).astype(src)
        x[:3] = [np.inf, -np.inf, 3e4]
    check("saturate_cast", x, dst)


def test_saturate_cast_of_ints_to_floats_keeps_values():
    # Keras's torch backend overflows computing its int32 bounds here and
    # returns -2**31 everywhere.
    x = np.array([-5, 7, 2**31 - 1], "int32")
    out = lops.saturate_cast(x, "float32")
    assert out.dtype == torch.float32
    assert out.tolist() == x.astype("float32").tolist()


def test_symbolic_shapes_match_keras():
    check_symbolic("copy", lambda x: (x,))
    check_symbolic("empty_like", lambda x: (x,), dtype="int32")
    check_symbolic("saturate_cast", lambda x: (x, "uint8"))
    check_symbolic("array", lambda x: (x,))


def test_copy_is_differentiable_and_compiles():
    x = torch.randn(3, requires_grad=True)
    lops.copy(x).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 1.0]

    def fn(t):
        return lops.saturate_cast(t * 300, "uint8")

    x = torch.randn(6)
    torch.testing.assert_close(torch.compile(fn, backend="eager")(x), fn(x))
