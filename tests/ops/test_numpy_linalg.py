import numpy as np
import pytest

import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand

DTYPE_PAIRS = [
    ("float32", "float32"),
    ("int32", "int32"),
    ("int8", "int8"),
    ("float16", "float16"),
    ("int32", "float32"),
    ("float64", "float64"),
    ("bool", "bool"),
]


@pytest.mark.parametrize("d1,d2", DTYPE_PAIRS)
@pytest.mark.parametrize(
    "s1,s2",
    [
        ((2, 3), (3, 4)),
        ((3,), (3, 2)),
        ((2, 3), (3,)),
        ((2, 2, 3), (3, 4)),
        ((2, 1, 3, 4), (5, 4, 2)),
    ],
)
def test_matmul_matches_keras(s1, s2, d1, d2):
    check("matmul", rand(s1, d1, low=-3, high=3), rand(s2, d2, low=-3, high=3))


def test_matmul_shape_mismatch_raises_value_error():
    with pytest.raises(
        ValueError,
        match=r"`ops.matmul`.*x1=.*\(2, 3\).*"
        r"x2=.*\(4, 5\)",
    ):
        lops.matmul(np.ones((2, 3)), np.ones((4, 5)))


@pytest.mark.parametrize("d1,d2", DTYPE_PAIRS)
@pytest.mark.parametrize(
    "s1,s2",
    [
        ((3,), (3,)),
        ((2, 3), (3, 4)),
        ((2, 3), (3,)),
        ((), (2, 3)),
        ((2, 2, 3), (3, 4)),
    ],
)
def test_dot_matches_keras(s1, s2, d1, d2):
    check("dot", rand(s1, d1, low=-3, high=3), rand(s2, d2, low=-3, high=3))


def test_dot_of_nd_with_md_follows_numpy():
    x1, x2 = rand((2, 3, 4)), rand((5, 4, 2))
    out = lops.dot(x1, x2)
    np.testing.assert_allclose(
        out.numpy(), np.dot(x1, x2), rtol=1e-5, atol=1e-5
    )


@pytest.mark.parametrize(
    "axes,s2",
    [
        (2, (3, 4, 2)),
        (1, (4, 5)),
        (0, (2,)),
        (([0, 1], [1, 2]), (5, 2, 3)),
        ((1, 0), (3, 2)),
        ([[2], [0]], (4, 5)),
    ],
)
@pytest.mark.parametrize("dtypes", [("float32", "float32"), ("int32", "int8")])
def test_tensordot_matches_keras(axes, s2, dtypes):
    check(
        "tensordot", rand((2, 3, 4), dtypes[0]), rand(s2, dtypes[1]), axes=axes
    )


@pytest.mark.parametrize(
    "subscripts,shapes",
    [
        ("ij,jk->ik", [(2, 3), (3, 4)]),
        ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]),
        ("ii->i", [(3, 3)]),
        ("i,j->ij", [(2,), (3,)]),
        ("...i,i->...", [(2, 3), (3,)]),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "int8", "int32"])
def test_einsum_matches_keras(subscripts, shapes, dtype):
    check("einsum", subscripts, *[rand(s, dtype) for s in shapes])


def test_einsum_promotes_mixed_dtypes():
    out = lops.einsum("i,i->", np.ones(2, "float32"), np.ones(2, "float64"))
    assert out.item() == 2.0


@pytest.mark.parametrize("s1,s2", [((3,), (4,)), ((2, 2), (3,))])
@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_outer_matches_keras(s1, s2, dtype):
    check("outer", rand(s1, dtype), rand(s2, dtype))


@pytest.mark.parametrize(
    "ord,axis",
    [
        (None, None),
        (None, 0),
        (1, -1),
        (2, 1),
        (np.inf, 0),
        (-np.inf, 1),
        (0, 1),
        ("fro", None),
        ("fro", (0, 1)),
        ("nuc", (0, 1)),
        (1, (0, 1)),
        (-1, (1, 0)),
        (2, (0, 1)),
    ],
)
@pytest.mark.parametrize("keepdims", [False, True])
def test_norm_matches_keras(ord, axis, keepdims):
    check(
        "norm", rand((3, 4)), ord=ord, axis=axis, keepdims=keepdims, rtol=1e-4
    )


@pytest.mark.parametrize("dtype", ["int32", "int64", "float16", "float64"])
def test_norm_dtypes_match_keras(dtype):
    check("norm", rand((3, 4), dtype), axis=-1, rtol=1e-3)
