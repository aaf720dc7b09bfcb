"""numpy_select, numpy_bins and numpy_close against Keras 3 on torch."""

import numpy as np
import pytest
import torch

import lamina
import lamina.ops as lops
from tests.ops.helpers import assert_same, check, kops, rand
from tests.ops.oracle_checks import check_or_both_raise, check_symbolic

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
def test_nonzero_matches_keras_rows(dtype):
    x = rand((3, 4), dtype, low=-1, high=2)
    ours = lops.nonzero(x)
    theirs = kops.nonzero(x)
    assert isinstance(ours, tuple) and len(ours) == 2
    assert_same(torch.stack(ours), theirs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"return_counts": True},
        {"return_inverse": True},
        {"return_index": True},
        {"return_index": True, "return_inverse": True, "return_counts": True},
        {"size": 6, "fill_value": -1},
        {"size": 2, "return_counts": True},
        {"axis": 0},
        {"axis": 1, "return_inverse": True, "return_counts": True},
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "int32", "int64", "bool"])
def test_unique_matches_keras(dtype, kwargs):
    x = rand((4, 3), dtype, low=0, high=3)
    if "axis" in kwargs:
        x = np.concatenate([x, x[:1]], 0)
    if "return_index" in kwargs:
        x = x.reshape(-1)  # Keras's torch index is wrong for N-D inputs.
    ours = lops.unique(x, **kwargs)
    theirs = kops.unique(x, **kwargs)
    ours = ours if isinstance(ours, tuple) else (ours,)
    theirs = theirs if isinstance(theirs, (tuple, list)) else (theirs,)
    assert_same(ours[0], theirs[0])
    for a, b in zip(ours[1:], theirs[1:]):
        # int32 as Keras's symbolic outputs say (its torch backend: int64).
        assert a.dtype == torch.int32
        assert_same(a, b, check_dtype=False)


def test_unique_index_of_nd_input_is_first_occurrence():
    x = np.array([[3, 1], [3, 2]])
    _, index = lops.unique(x, return_index=True)
    np.testing.assert_array_equal(
        index.numpy(), np.unique(x, return_index=True)[1]
    )


@pytest.mark.parametrize(
    "d1,d2",
    [
        ("int32", "int32"),
        ("float32", "int32"),
        ("bool", "bool"),
        ("int8", "int64"),
        ("float16", "float16"),
    ],
)
@pytest.mark.parametrize("invert", [False, True])
def test_isin_matches_keras(d1, d2, invert):
    check("isin", rand((3, 4), d1, 0, 4), rand((5,), d2, 0, 4), invert=invert)


@pytest.mark.parametrize("dtype", ["float32", "int32", "int8", "bool"])
def test_select_matches_keras(dtype):
    x = rand((3, 4), dtype)
    conds = [rand((3, 4), "bool"), rand((4,), "bool")]
    check("select", conds, [x, rand((3, 4), dtype)])
    check("select", conds, [x, rand((3, 4), dtype)], default=7)
    check("select", conds[:1], [x], default=rand((1, 4), dtype))


def test_select_errors():
    with pytest.raises(ValueError, match="ops.select.*expected lists"):
        lops.select(np.ones(2, bool), [np.ones(2)])
    with pytest.raises(ValueError, match="non-empty"):
        lops.select([], [])


@pytest.mark.parametrize("dtype", ["float32", "int32", "int64", "bool"])
@pytest.mark.parametrize("axis,kth", [(-1, 0), (-1, 3), (0, 2), (1, -1)])
def test_argpartition_is_a_partition(dtype, axis, kth):
    x = rand((4, 5), dtype, low=-50, high=50)
    idx = lops.argpartition(x, kth, axis=axis)
    assert idx.dtype == torch.int32 and idx.shape == x.shape
    part = np.take_along_axis(x.astype("float64"), idx.numpy(), axis)
    n = x.shape[axis]
    k = kth % n
    pivot = np.take(part, [k], axis=axis)
    np.testing.assert_array_equal(
        pivot, np.take(np.sort(x, axis), [k], axis=axis)
    )
    assert (np.take(part, range(k), axis=axis) <= pivot).all()
    assert (np.take(part, range(k + 1, n), axis=axis) >= pivot).all()
    # Keras on torch casts x to int32 and mishandles a negative kth.
    if dtype != "float32" and kth >= 0:
        theirs = kops.argpartition(x, kth, axis=axis).numpy()
        np.testing.assert_array_equal(
            np.take(np.take_along_axis(x, theirs, axis), [k], axis=axis),
            np.take(np.take_along_axis(x, idx.numpy(), axis), [k], axis=axis),
        )
    with pytest.raises(ValueError, match="`kth` of ops.argpartition"):
        lops.argpartition(x, 9)


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("dtype", ["float32", "int32", "int64", "float64"])
def test_searchsorted_matches_keras(side, dtype):
    seq = np.sort(rand((6,), dtype))
    check("searchsorted", seq, rand((2, 3), dtype), side=side)
    check("searchsorted", seq, seq, side=side)


def test_searchsorted_errors_and_mixed_dtypes():
    with pytest.raises(ValueError, match="`sorted_sequence`.*1-D"):
        lops.searchsorted(np.ones((2, 2)), [1.0])
    with pytest.raises(ValueError, match="`side`"):
        lops.searchsorted([1.0, 2.0], [1.0], side="middle")
    out = lops.searchsorted(np.array([1, 3, 5], "int32"), [2.5, 3.0])
    assert out.tolist() == [1, 1] and out.dtype == torch.int32


@pytest.mark.parametrize(
    "dtype", ["float32", "int32", "int64", "bool", "float64"]
)
def test_digitize_matches_keras(dtype):
    bins = np.array([-2, 0, 1, 3], "float32" if "float" in dtype else "int32")
    if dtype == "bool":
        bins = np.array([0, 1], "int32")
    check_or_both_raise("digitize", rand((3, 4), dtype), bins)


@pytest.mark.parametrize("minlength", [0, 8])
@pytest.mark.parametrize("wdtype", [None, "float32", "int32", "float16"])
@pytest.mark.parametrize("xdtype", ["int32", "int64", "uint8"])
def test_bincount_matches_keras(xdtype, wdtype, minlength):
    x = rand((7,), xdtype, 0, 5)
    w = None if wdtype is None else rand((7,), wdtype, 0, 3)
    check("bincount", x, weights=w, minlength=minlength)
    x2 = rand((3, 6), xdtype, 0, 5)
    w2 = None if wdtype is None else rand((3, 6), wdtype, 0, 3)
    check("bincount", x2, weights=w2, minlength=max(minlength, 5))


def test_bincount_errors():
    with pytest.raises(ValueError, match="`sparse` of ops.bincount"):
        lops.bincount([1, 2], sparse=True)
    with pytest.raises(ValueError, match="ops.bincount"):
        lops.bincount([-1, 2])


@pytest.mark.parametrize(
    "bins,range",
    [(10, None), (3, None), (4, (-1, 2)), (5, (0.0, 0.5)), (1, None)],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_histogram_matches_keras(dtype, bins, range):
    check("histogram", rand((50,), dtype), bins=bins, range=range)


def test_histogram_of_ints_and_constants_follows_numpy():
    counts, edges = lops.histogram(np.array([1, 2, 2, 3]), bins=2)
    want_counts, want_edges = np.histogram([1, 2, 2, 3], bins=2)
    np.testing.assert_array_equal(counts.numpy(), want_counts)
    np.testing.assert_allclose(edges.numpy(), want_edges)
    counts, edges = lops.histogram(np.full(3, 2.0, "float32"), bins=2)
    np.testing.assert_array_equal(counts.numpy(), [0, 3])
    np.testing.assert_allclose(edges.numpy(), [1.5, 2.0, 2.5])


def test_histogram_errors():
    with pytest.raises(TypeError, match="`bins` of ops.histogram"):
        lops.histogram([1.0], bins=2.5)
    with pytest.raises(ValueError, match="`range` of ops.histogram"):
        lops.histogram([1.0], range=(2, 1))
    with pytest.raises(ValueError, match="`x` of ops.histogram.*1-D"):
        lops.histogram(np.ones((2, 2)))


@pytest.mark.parametrize(
    "d1,d2",
    [
        ("float32", "float32"),
        ("float16", "float32"),
        ("int32", "int32"),
        ("int8", "float64"),
        ("bool", "bool"),
        ("int64", "float16"),
    ],
)
@pytest.mark.parametrize("name", ["isclose", "allclose"])
def test_isclose_matches_keras(name, d1, d2):
    x1 = rand((3, 4), d1, 0, 3)
    x2 = (x1 + rand((4,), "float64") * 1e-6).astype(d2)
    check(name, x1, x2)
    check(name, x1, rand((3, 1), d2, 0, 3), rtol=0.5, atol=0.1)
    nan = np.array([np.nan, 1.0], "float32")
    check(name, nan, nan, equal_nan=True)
    check(name, nan, nan)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["isneginf", "isposinf", "isreal"])
def test_special_values_match_keras(name, dtype):
    x = rand((2, 3), dtype)
    if dtype.startswith("float"):
        x[0, :2] = [np.inf, -np.inf]
    check(name, x)


def test_symbolic_outputs_match_keras():
    check_symbolic("nonzero", lambda x: (x,))
    check_symbolic(
        "unique",
        lambda x: (x,),
        return_inverse=True,
        return_counts=True,
        return_index=True,
    )
    check_symbolic("unique", lambda x: (x,), axis=1, size=3)
    check_symbolic("isin", lambda x: (x, np.array([1.0, 2.0], "float32")))
    check_symbolic("searchsorted", lambda x: (np.array([1.0, 2.0, 3.0]), x))
    check_symbolic("digitize", lambda x: (x, np.array([1.0, 2.0], "float32")))
    check_symbolic("isclose", lambda x: (x, x))
    check_symbolic("select", lambda x: ([x > 0], [x]))
    check_symbolic("argpartition", lambda x: (x, 1))


def test_value_dependent_ops_in_a_functional_model():
    inputs = lamina.Input((4,))
    outputs = lops.unique(inputs, size=3, fill_value=-1.0)
    assert outputs.shape == (3,)
    model = lamina.Model(inputs, outputs)
    out = model(torch.tensor([[2.0, 1.0, 2.0, 1.0]]))
    assert out.tolist() == [1.0, 2.0, -1.0]


def test_compiles():
    def fn(x):
        counts, _ = lops.histogram(x, bins=4, range=(-1.0, 1.0))
        return (
            counts
            + lops.isclose(x[:4], x[:4]).float()
            + lops.digitize(x[:4], torch.tensor([0.0]))
        )

    x = torch.randn(8)
    torch.testing.assert_close(torch.compile(fn, backend="eager")(x), fn(x))
