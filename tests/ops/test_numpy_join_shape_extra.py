"""numpy_join_extra and numpy_shape_extra against Keras 3 on torch."""

import numpy as np
import pytest
import torch

import lamina.ops as lops
from tests.ops.helpers import check, rand
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
@pytest.mark.parametrize("name", ["hstack", "vstack", "dstack"])
def test_stacks_match_keras(name, dtype):
    check(name, [rand((3,), dtype), rand((3,), dtype)])
    check(name, [rand((2, 3), dtype), rand((2, 3), "float32")])
    check(name, [rand((2, 3, 1), dtype), rand((2, 3, 1), "int32")])


def test_stack_shapes_that_differ_along_the_axis():
    check("hstack", [rand((2, 1)), rand((2, 3))])
    check("vstack", [rand((1, 3)), rand((3,))])
    check("dstack", [rand((2, 3, 2)), rand((2, 3, 1))])
    with pytest.raises(ValueError, match="ops.hstack"):
        lops.hstack([np.ones((2, 1)), np.ones((3, 1))])
    with pytest.raises(TypeError, match="list or tuple"):
        lops.vstack(np.ones((2, 2)))


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_append_matches_keras(axis):
    check("append", rand((2, 3), "int32"), rand((2, 3), "float16"), axis=axis)
    if axis is None:
        check("append", rand((2, 3)), rand((4,)), axis=axis)


@pytest.mark.parametrize("sections", [1, 2, 3, 5])
def test_array_split_matches_keras(sections):
    check("array_split", rand((5, 4), "int32"), sections)
    check("array_split", rand((4, 5)), sections, axis=-1)


@pytest.mark.parametrize(
    "name,shape",
    [
        ("hsplit", (2, 4, 2)),
        ("hsplit", (6,)),
        ("vsplit", (4, 3)),
        ("dsplit", (1, 2, 4)),
    ],
)
def test_directional_splits_match_keras(name, shape):
    x = rand(shape, "float32")
    check(name, x, 2)
    check(name, x, [1, 3])
    check(name, x, np.array([1]))


def test_split_errors():
    with pytest.raises(ValueError, match="ops.hsplit"):
        lops.hsplit(np.ones((2, 3)), 2)
    with pytest.raises(ValueError, match="ops.vsplit.*rank >= 2"):
        lops.vsplit(np.ones(4), 2)
    with pytest.raises(ValueError, match="positive number of sections"):
        lops.array_split(np.ones(4), 0)
    with pytest.raises(TypeError, match="`indices_or_sections`.*an int"):
        lops.array_split(np.ones(4), [1, 2])


@pytest.mark.parametrize("dtype", DTYPES)
def test_layout_ops_match_keras(dtype):
    x = rand((3, 4, 2), dtype)
    check("ravel", x)
    check("fliplr", x)
    check("flipud", x)
    check("diagflat", rand((2, 2), dtype))
    for k, axes in [(1, (0, 1)), (2, (1, 2)), (-1, (0, 2)), (3, (-1, 0))]:
        check("rot90", x, k=k, axes=axes)
    for offset, a1, a2 in [(0, 0, 1), (1, 1, 2), (-1, -1, 0), (5, 0, 1)]:
        check("diagonal", x, offset=offset, axis1=a1, axis2=a2)
    check("diagflat", rand((3,), dtype), k=-2)


def test_layout_errors():
    with pytest.raises(ValueError, match="`array` of ops.rot90.*rank >= 2"):
        lops.rot90(np.ones(3))
    with pytest.raises(ValueError, match="`axes` of ops.rot90"):
        lops.rot90(np.ones((2, 2)), axes=(1, 1))
    with pytest.raises(ValueError, match="`x` of ops.fliplr"):
        lops.fliplr(np.ones(3))
    with pytest.raises(ValueError, match="`x` of ops.diagonal"):
        lops.diagonal(np.ones(3))


@pytest.mark.parametrize("indexing", ["xy", "ij"])
def test_meshgrid_matches_keras(indexing):
    check("meshgrid", rand((3,)), rand((2,)), indexing=indexing)
    check("meshgrid", rand((3,), "int32"), indexing=indexing)
    mixed = [rand((3,)), rand((2,), "int8")]
    for ours, want in zip(
        lops.meshgrid(*mixed, indexing=indexing),
        np.meshgrid(*mixed, indexing=indexing),
    ):
        assert str(ours.dtype).endswith(str(want.dtype))
        np.testing.assert_array_equal(ours.numpy(), want)
    check("meshgrid", rand((3,)), rand((2,)), rand((4,)), indexing=indexing)
    with pytest.raises(ValueError, match="`indexing` of ops.meshgrid"):
        lops.meshgrid(np.ones(2), indexing="xx")


@pytest.mark.parametrize(
    "src,dst",
    [
        ("float32", "int32"),
        ("float32", "uint8"),
        ("int16", "float16"),
        ("int64", "float32"),
    ],
)
def test_view_matches_keras(src, dst):
    check("view", rand((2, 4), src), dst)


def test_get_item_matches_keras():
    x = torch.as_tensor(rand((3, 4, 2)))
    for key in [
        1,
        (1, 2),
        (slice(None), slice(1, 3)),
        (Ellipsis, 0),
        (None, 1),
        torch.tensor([0, 2]),
        (slice(None), torch.tensor([True, False, True, False])),
    ]:
        check("get_item", x, key)
    check("get_item", rand((3, 4)), (0, slice(None, None, 2)))


@pytest.mark.parametrize("dtype", ["int32", "int64", "int16", "uint8"])
def test_unravel_index_matches_keras(dtype):
    idx = np.array([0, 5, 11, 7], dtype)
    check("unravel_index", idx, (3, 4))
    check("unravel_index", idx, (2, 3, 2))


def test_symbolic_shapes_match_keras():
    check_symbolic("hstack", lambda x: ([x, x],))
    check_symbolic("vstack", lambda x: ([x, x],))
    check_symbolic("append", lambda x: (x, x), axis=1)
    check_symbolic("array_split", lambda x: (x, 3), axis=2, shape=(2, 3, 6))
    check_symbolic("hsplit", lambda x: (x, [1, 2]))
    check_symbolic("ravel", lambda x: (x,), shape=(2, 3, 4))
    check_symbolic("rot90", lambda x: (x,), axes=(1, 2))
    check_symbolic("diagonal", lambda x: (x,), axis1=1, axis2=2)
    check_symbolic("flipud", lambda x: (x,))
    check_symbolic("get_item", lambda x: (x, (slice(None), 1)))


def test_gradients_flow_through_views():
    x = torch.randn(3, 4, requires_grad=True)
    out = (
        lops.rot90(x).sum()
        + lops.diagonal(x).sum()
        + lops.hstack([x, x]).sum()
        + lops.array_split(x, 2)[1].sum()
    )
    out.backward()
    expected = torch.full((3, 4), 3.0) + torch.eye(3, 4)
    expected[2:] += 1
    torch.testing.assert_close(x.grad, expected)


def test_compiles():
    def fn(x):
        a, b = lops.hsplit(x, 2)
        v = lops.vstack([a, b])
        return v + lops.rot90(v, 2), lops.meshgrid(a[:, 0], b[:, 1])[0]

    x = torch.randn(4, 4)
    torch.testing.assert_close(torch.compile(fn, backend="eager")(x), fn(x))
