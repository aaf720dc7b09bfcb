import numpy as np
import pytest
import torch

import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand


@pytest.mark.parametrize(
    "dtype", [None, "int32", "float16", "bool", "bfloat16"]
)
@pytest.mark.parametrize("name", ["zeros", "ones"])
def test_zeros_and_ones_match_keras(name, dtype):
    check(name, (2, 3), dtype=dtype)
    check(name, 4, dtype=dtype)


@pytest.mark.parametrize("dtype", [None, "float32", "int8"])
@pytest.mark.parametrize("x_dtype", ["float32", "int32", "bool"])
@pytest.mark.parametrize("name", ["zeros_like", "ones_like"])
def test_like_ops_match_keras(name, x_dtype, dtype):
    check(name, rand((2, 3), x_dtype), dtype=dtype)


@pytest.mark.parametrize(
    "fill,dtype",
    [
        (3, None),
        (2.5, "int32"),
        (True, "bool"),
        (1.5, "float16"),
        (np.array([1.0, 2.0, 3.0]), None),
    ],
)
def test_full_matches_keras(fill, dtype):
    check("full", (2, 3), fill, dtype=dtype)


@pytest.mark.parametrize("fill,dtype", [(9, None), (2.5, None), (1, "float32")])
@pytest.mark.parametrize("x_dtype", ["float32", "int32"])
def test_full_like_matches_keras(x_dtype, fill, dtype):
    check("full_like", rand((2, 3), x_dtype), fill, dtype=dtype)


def test_full_does_not_alias_a_tensor_fill_value():
    fill = torch.ones(3)
    out = lops.full((3,), fill)
    out += 1
    assert fill.tolist() == [1.0, 1.0, 1.0]


@pytest.mark.parametrize(
    "args,dtype",
    [
        ((5,), None),
        ((1, 7, 2), None),
        ((0.5, 3), None),
        ((3, 0, -1), None),
        ((4,), "float32"),
        ((np.int64(4),), None),
        ((1.0, 2.0, 0.25), "float16"),
    ],
)
def test_arange_matches_keras(args, dtype):
    check("arange", *args, dtype=dtype)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(num=5),
        dict(num=4, endpoint=False),
        dict(num=5, dtype="int32"),
        dict(num=1),
        dict(num=6, retstep=True),
        dict(num=4, endpoint=False, retstep=True),
    ],
)
def test_linspace_matches_keras(kwargs):
    check("linspace", 0, 10, **kwargs)
    check("linspace", -1.5, 2.5, **kwargs)


def test_linspace_with_tensor_endpoints_matches_keras():
    start, stop = np.array([0.0, 1.0]), np.array([1.0, 3.0])
    check("linspace", start, stop, 3)
    out = lops.linspace(start, stop, 3, axis=-1)
    np.testing.assert_allclose(
        out.numpy(), np.linspace(start, stop, 3, axis=-1)
    )


@pytest.mark.parametrize(
    "args,kwargs",
    [
        ((3,), {}),
        ((3, 4), {}),
        ((3, 4), dict(k=1)),
        ((4, 3), dict(k=-2)),
        ((2,), dict(dtype="int32")),
        ((3, 3), dict(k=1, dtype="bfloat16")),
        ((2, 2), dict(dtype="bool")),
    ],
)
def test_eye_matches_keras(args, kwargs):
    check("eye", *args, **kwargs)


def test_eye_with_a_float_size_raises_type_error():
    with pytest.raises(TypeError, match=r"`N` of `ops.eye` must be an integer"):
        lops.eye(2.0)


@pytest.mark.parametrize("dtype", [None, "int32", "bfloat16"])
def test_identity_matches_keras(dtype):
    check("identity", 3, dtype=dtype)


def test_creation_follows_the_torch_device_context():
    with torch.device("meta"):
        assert lops.zeros((2, 3)).device.type == "meta"
        assert lops.eye(3).device.type == "meta"
        assert lops.arange(4).device.type == "meta"


def test_bad_dtype_raises():
    with pytest.raises(ValueError, match=r"Invalid dtype.*Received: dtype='f"):
        lops.zeros((2,), dtype="floaty")
