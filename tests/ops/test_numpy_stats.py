"""numpy_stats and numpy_nan against Keras 3 on torch."""

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
    "int32",
    "int64",
    "uint8",
    "bool",
]
AXES = [None, 0, -1, (0, 2), ()]


def _with_nans(dtype, shape=(3, 4, 2)):
    x = rand(shape, dtype)
    if dtype.startswith("float"):
        x = x.copy()
        x[0, 1, :] = np.nan
        x[1, :, 0] = np.nan
        x[2, 0, 1] = np.nan
    return x


@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["amax", "amin", "ptp"])
def test_extrema_match_keras(name, dtype, axis):
    if name == "ptp" and dtype == "bool":
        return  # torch cannot subtract booleans, in Keras either.
    check(name, rand((3, 4, 2), dtype), axis=axis)
    if axis is not None:
        check(name, rand((3, 4, 2), dtype), axis=axis, keepdims=True)


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 2), [2, 1]])
@pytest.mark.parametrize(
    "dtype", ["float32", "float64", "float16", "int32", "int64", "bool"]
)
@pytest.mark.parametrize("name", ["median", "quantile", "percentile"])
def test_quantiles_match_keras(name, dtype, axis):
    x = rand((3, 4, 2), dtype)
    args = {"median": (), "quantile": (0.3,), "percentile": (70,)}[name]
    rtol = 1e-3 if dtype == "float16" else None
    check(name, x, *args, axis=axis, rtol=rtol)
    check(name, x, *args, axis=axis, keepdims=True, rtol=rtol)


@pytest.mark.parametrize(
    "method", ["linear", "lower", "higher", "midpoint", "nearest"]
)
def test_quantile_methods_and_vector_q(method):
    x = rand((5, 6), "float32")
    check(
        "quantile",
        x,
        np.array([0.1, 0.5, 0.9], "float32"),
        axis=1,
        method=method,
    )
    check("quantile", x, [0.25, 0.75], axis=0, method=method, keepdims=True)
    check("percentile", x, np.array([10.0, 90.0]), method=method)
    check("quantile", x, [0.2, 0.8], keepdims=True, method=method)


def test_quantile_bad_method_raises():
    with pytest.raises(ValueError, match="`method` of ops.quantile"):
        lops.quantile([1.0, 2.0], 0.5, method="cubic")


@pytest.mark.parametrize(
    "dtype", ["float32", "float64", "int32", "bool", "float16"]
)
def test_average_matches_keras(dtype):
    x = rand((3, 4), dtype)
    check("average", x)
    check("average", x, axis=0)
    check("average", x, axis=1, weights=rand((4,), "float32") ** 2 + 0.1)
    check("average", x, axis=-1, weights=rand((3, 4), "int32", 1, 4))
    check("average", x, axis=())


def test_average_one_d_weights_along_first_axis():
    x, w = rand((3, 4), "float32"), np.array([1.0, 2.0, 3.0], "float32")
    np.testing.assert_allclose(
        lops.average(x, axis=0, weights=w).numpy(),
        np.average(x, axis=0, weights=w),
        rtol=1e-6,
    )


NAN_REDUCE = [
    "nanmax",
    "nanmin",
    "nansum",
    "nanprod",
    "nanmean",
    "nanvar",
    "nanstd",
    "nanmedian",
]


@pytest.mark.parametrize("axis", [None, 1, (0, 2), -1, ()])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", NAN_REDUCE)
def test_nan_reductions_match_keras(name, dtype, axis):
    x = _with_nans(dtype)
    rtol = 1e-2 if dtype == "float16" else 1e-5
    check_or_both_raise(name, x, axis=axis, rtol=rtol, atol=rtol)
    if axis not in (None, ()):
        check_or_both_raise(
            name, x, axis=axis, keepdims=True, rtol=rtol, atol=rtol
        )


@pytest.mark.parametrize("axis", [None, 0, 2, -2])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "name", ["nanargmax", "nanargmin", "nancumsum", "nancumprod"]
)
def test_nan_arg_and_cumulative_match_keras(name, dtype, axis):
    x = _with_nans(dtype)
    if dtype.startswith("float") and name.startswith("nanarg"):
        x[:, :, 1] = np.nan  # whole slices of NaN give -1
    check_or_both_raise(name, x, axis=axis, rtol=1e-2)


@pytest.mark.parametrize("name", ["nanquantile", "nanpercentile"])
def test_nan_quantiles_match_keras(name):
    x = _with_nans("float32")
    q = 0.4 if name == "nanquantile" else 40.0
    for axis in [None, 1, (0, 2)]:
        check(name, x, q, axis=axis)
        check(name, x, [q, q / 2], axis=axis, keepdims=True)
    check(name, _with_nans("int32"), q, axis=0, method="nearest")


def test_gradients_flow():
    x = torch.tensor(
        [[1.0, 4.0, float("nan")], [2.0, 3.0, 5.0]], requires_grad=True
    )
    (
        lops.nanmean(x)
        + lops.nanvar(x, axis=1).sum()
        + lops.median(torch.nan_to_num(x))
        + lops.quantile(torch.nan_to_num(x), 0.3)
        + lops.nansum(x)
        + lops.average(torch.nan_to_num(x), axis=1).sum()
    ).backward()
    assert torch.isfinite(x.grad).all()
    assert x.grad[0, 2] == 0.0


def test_symbolic_shapes_match_keras():
    check_symbolic("median", lambda x: (x,), axis=1, keepdims=True)
    check_symbolic("quantile", lambda x: (x, [0.1, 0.5]), axis=(1, 2))
    check_symbolic("nanmean", lambda x: (x,), axis=-1, dtype="int32")
    check_symbolic("nanargmax", lambda x: (x,), axis=1)
    check_symbolic("amax", lambda x: (x,), axis=(0, 2))
    check_symbolic("average", lambda x: (x,), axis=1)


def test_compiles():
    def fn(x):
        return lops.nanmean(x, axis=0) + lops.quantile(x, 0.5, axis=0)

    x = torch.randn(5, 3)
    torch.testing.assert_close(torch.compile(fn, backend="eager")(x), fn(x))
