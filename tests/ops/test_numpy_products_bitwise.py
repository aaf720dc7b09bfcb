"""numpy_bitwise, numpy_products, numpy_complex, numpy_matrix and the
segment reductions against Keras 3 on torch."""

import numpy as np
import pytest
import torch

import lamina.ops as lops
from tests.ops.helpers import check, rand
from tests.ops.oracle_checks import check_or_both_raise, check_symbolic

INTS = ["int8", "int16", "int32", "int64", "uint8", "bool"]
BITWISE = [
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_left_shift",
    "left_shift",
    "bitwise_right_shift",
    "right_shift",
]


@pytest.mark.parametrize("d2", INTS)
@pytest.mark.parametrize("d1", INTS)
@pytest.mark.parametrize("name", BITWISE)
def test_bitwise_binary_matches_keras(name, d1, d2):
    shift = "shift" in name
    x = rand((2, 3), d1, -20 if not shift else 0, 20)
    y = rand((3,), d2, 0, 4 if shift else 20)
    check_or_both_raise(name, x, y)
    if d1 != "bool":
        check_or_both_raise(name, x, 2)


@pytest.mark.parametrize("dtype", INTS + ["float32"])
@pytest.mark.parametrize("name", ["bitwise_invert", "bitwise_not"])
def test_bitwise_invert_matches_keras(name, dtype):
    check_or_both_raise(name, rand((2, 3), dtype))


def test_bitwise_of_floats_raises_type_error():
    with pytest.raises(TypeError, match="ops.bitwise_and"):
        lops.bitwise_and(np.ones(2, "float32"), np.ones(2, "float32"))


PAIRS = [
    ("float32", "float32"),
    ("int32", "int32"),
    ("int8", "float16"),
    ("int64", "int32"),
    ("float64", "int32"),
    ("bool", "bool"),
    ("float16", "float16"),
]


@pytest.mark.parametrize("d1,d2", PAIRS)
def test_products_match_keras(d1, d2):
    tol = 1e-2 if "float16" in (d1, d2) else None
    a, b = rand((2, 3), d1, -4, 4), rand((2, 3), d2, -4, 4)
    check_or_both_raise("cross", a, b, rtol=tol, atol=tol)
    check_or_both_raise("cross", a.T, b.T, axis=0, rtol=tol, atol=tol)
    check_or_both_raise("kron", a, b[:1], rtol=tol, atol=tol)
    check_or_both_raise("inner", a, b, rtol=tol, atol=tol)
    check_or_both_raise("vdot", a[0], b[0], rtol=tol, atol=tol)


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
@pytest.mark.parametrize("n,m", [(5, 3), (3, 5), (4, 4), (6, 1)])
@pytest.mark.parametrize("dtype", ["float32", "int32", "int64", "float64"])
def test_correlate_matches_keras(mode, n, m, dtype):
    a, v = rand((n,), dtype), rand((m,), dtype)
    if mode == "valid" and n == m:
        # Keras on torch squeezes the one-element result to a scalar;
        # NumPy (and Keras's symbolic shape) keep shape (1,).
        np.testing.assert_allclose(
            lops.correlate(a, v).numpy(), np.correlate(a, v), rtol=1e-5
        )
        return
    check("correlate", a, v, mode=mode, rtol=1e-4, atol=1e-4)


def test_correlate_errors():
    with pytest.raises(ValueError, match="`mode` of ops.correlate"):
        lops.correlate([1.0], [1.0], mode="circular")
    with pytest.raises(ValueError, match="`x1` of ops.correlate.*1-D"):
        lops.correlate(np.ones((2, 2)), [1.0])


@pytest.mark.parametrize(
    "dtype", ["float32", "int32", "int8", "bool", "float16"]
)
def test_diff_and_trapezoid_match_keras(dtype):
    x = rand((3, 5), dtype)
    for n, axis in [(1, -1), (2, 1), (1, 0), (0, -1)]:
        check_or_both_raise("diff", x, n=n, axis=axis)
    tol = 1e-2 if dtype == "float16" else None
    check("trapezoid", x, rtol=tol, atol=tol)
    check("trapezoid", x, dx=0.5, axis=0, rtol=tol, atol=tol)
    check(
        "trapezoid",
        x,
        x=np.array([0.0, 1.0, 3.0, 4.0, 7.0], "float32"),
        rtol=tol,
        atol=tol,
    )


@pytest.mark.parametrize("num_segments", [None, 4])
@pytest.mark.parametrize("dtype", ["float32", "int32", "float64"])
@pytest.mark.parametrize("name", ["segment_min", "segment_prod"])
def test_segment_reductions_match_keras(name, dtype, num_segments):
    data = rand((6, 2), dtype, -3, 4)
    ids = np.array([0, 0, 1, 2, 2, 2], "int32")
    if num_segments == 4 and name == "segment_min" and dtype == "int32":
        # Keras casts its +inf fill to int32 (giving -2**31) for an empty
        # segment; ours holds the dtype's highest value, as TF does.
        out = lops.segment_min(data, ids, num_segments=4)
        assert out[3].tolist() == [2**31 - 1] * 2
        return
    check(name, data, ids, num_segments=num_segments)
    check(name, data, np.array([1, 0, 1, -1, 2, 7]), num_segments=3)


def test_complex_ops_match_keras():
    z = torch.tensor([[1 + 2j, -3 - 1j], [0.5j, 2.0 + 0j]])
    for name in ["real", "imag", "conj", "conjugate", "angle", "view_as_real"]:
        check(name, z)
    check("view_as_complex", rand((2, 3, 2), "float32"))
    for name in ["real", "conj", "angle"]:
        check(name, rand((2, 3), "float32"))
    np.testing.assert_array_equal(lops.imag(np.ones(3)).numpy(), np.zeros(3))
    with pytest.raises(ValueError, match="`x` of ops.view_as_complex"):
        lops.view_as_complex(np.ones((2, 3)))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matrix_stats_match_keras(dtype):
    m = rand((3, 4, 4), dtype) + np.eye(4, dtype=dtype) * 6
    check("slogdet", m, rtol=1e-4)
    check("logdet", m @ np.swapaxes(m, -1, -2), rtol=1e-4)
    check("cdist", rand((2, 5, 3), dtype), rand((2, 4, 3), dtype))
    check("cdist", rand((5, 3), dtype), rand((1, 4, 3), dtype))
    check("corrcoef", rand((3, 6), dtype), rtol=1e-4)


@pytest.mark.parametrize("dtype", ["int32", "int64", "bool"])
def test_corrcoef_of_ints_matches_keras(dtype):
    check("corrcoef", rand((3, 8), dtype, 0, 9), rtol=1e-4, atol=1e-6)


def test_matrix_errors():
    with pytest.raises(ValueError, match="`x` of ops.slogdet.*square"):
        lops.slogdet(np.ones((2, 3)))
    with pytest.raises(ValueError, match="ops.cdist.*last axis"):
        lops.cdist(np.ones((2, 3)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="`axisa`"):
        lops.cross([1, 0, 0], [0, 1, 0], axisa=0)


def test_gradients_match_torch():
    a = torch.randn(4, 3, requires_grad=True)
    b = torch.randn(4, 3)
    (
        lops.cross(a, b).sum()
        + lops.inner(a, b).sum()
        + lops.cdist(a, b).sum()
        + lops.trapezoid(a).sum()
        + lops.diff(a, 2).sum()
    ).backward()
    a2 = a.detach().clone().requires_grad_()
    (
        torch.linalg.cross(a2, b).sum()
        + torch.inner(a2, b).sum()
        + torch.cdist(a2, b).sum()
        + torch.trapezoid(a2).sum()
        + torch.diff(a2, 2).sum()
    ).backward()
    torch.testing.assert_close(a.grad, a2.grad, rtol=1e-4, atol=1e-4)


def test_symbolic_shapes_match_keras():
    check_symbolic("bitwise_and", lambda x: (x, x), dtype="int32")
    check_symbolic("diff", lambda x: (x,), n=2, axis=1)
    check_symbolic("cross", lambda x: (x, x), shape=(None, 3))
    check_symbolic("cdist", lambda x: (x, x))
    check_symbolic("trapezoid", lambda x: (x,))
    check_symbolic("inner", lambda x: (x, x), shape=(2, 4))
    check_symbolic("kron", lambda x: (x, x), shape=(2, 3))


def test_compiles():
    def fn(a, b):
        return (
            lops.cross(a, b)
            + lops.cdist(a, b)[:, :3]
            + lops.diff(lops.pad(a, ((0, 0), (0, 1))))
        )

    a, b = torch.randn(4, 3), torch.randn(4, 3)
    torch.testing.assert_close(
        torch.compile(fn, backend="eager")(a, b), fn(a, b)
    )
