import numpy as np
import pytest
import torch

import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand


@pytest.mark.parametrize(
    "newshape", [(6, 4), (-1,), (2, -1, 3), 24, [4, 6], (1, 24, 1)]
)
def test_reshape_matches_keras(newshape):
    check("reshape", rand((2, 3, 4), "int32"), newshape)


def test_reshape_accepts_a_shape_tensor():
    out = lops.reshape(np.arange(6), torch.tensor([3, 2]))
    assert tuple(out.shape) == (3, 2)


@pytest.mark.parametrize(
    "newshape,match",
    [
        (
            (4, 5),
            r"cannot reshape a tensor of shape \(2, 3, 4\) \(24 elements\)"
            r" into shape \(4, 5\)",
        ),
        ((5, -1), r"into shape \(5, -1\)"),
        ((-1, -1), r"at most one -1.*Received: newshape=\(-1, -1\)"),
        ((-2, 12), r"no other negative"),
    ],
)
def test_reshape_to_incompatible_size_raises(newshape, match):
    with pytest.raises(ValueError, match=match):
        lops.reshape(np.zeros((2, 3, 4)), newshape)


@pytest.mark.filterwarnings("ignore:The use of `x.T`:UserWarning")
@pytest.mark.parametrize(
    "axes", [None, (0, 2, 1), (2, 0, 1), [1, 0, 2], (-1, 0, 1)]
)
def test_transpose_matches_keras(axes):
    check("transpose", rand((2, 3, 4)), axes=axes)


def test_reshape_with_non_integer_sizes_raises_type_error():
    with pytest.raises(TypeError, match=r"`ops.reshape`.*newshape=\(None, 4\)"):
        lops.reshape(np.zeros((2, 4)), (None, 4))


@pytest.mark.parametrize("axes", [(0, 1), (0, 0, 1), (0, 1, 3)])
def test_transpose_with_bad_axes_raises(axes):
    with pytest.raises(ValueError, match=r"`ops.transpose`.*axes"):
        lops.transpose(np.zeros((2, 3, 4)), axes=axes)


@pytest.mark.parametrize("axis", [0, 1, -1, 3, -4, (0, 1), (0, -1), [1, 3]])
def test_expand_dims_matches_keras(axis):
    check("expand_dims", rand((2, 3, 4)), axis)


def test_expand_dims_out_of_range_raises():
    with pytest.raises(ValueError, match=r"`ops.expand_dims`.*axis=4"):
        lops.expand_dims(np.zeros((2, 3)), 4)


@pytest.mark.parametrize("axis", [None, 1, -1, (1, 3), 0])
def test_squeeze_matches_keras(axis):
    x = rand((1, 1, 3, 1)) if axis == 0 else rand((2, 1, 3, 1))
    check("squeeze", x, axis=axis)


def test_squeeze_of_non_unit_axis_raises():
    # Keras's torch backend silently ignores such an axis; NumPy, JAX and
    # Keras's symbolic shapes raise, and so do we.
    with pytest.raises(
        ValueError,
        match=r"`ops.squeeze` can only remove "
        r"axes of size 1.*axis 0.*size 2",
    ):
        lops.squeeze(np.zeros((2, 1)), axis=0)


@pytest.mark.parametrize(
    "source,destination", [(0, -1), (-1, 0), ((0, 1), (2, 0)), (1, 1)]
)
def test_moveaxis_matches_keras(source, destination):
    check("moveaxis", rand((2, 3, 4)), source, destination)


@pytest.mark.parametrize("a1,a2", [(0, 2), (-1, 1), (1, 1)])
def test_swapaxes_matches_keras(a1, a2):
    check("swapaxes", rand((2, 3, 4)), a1, a2)


def test_swapaxes_out_of_range_raises():
    with pytest.raises(ValueError, match=r"`ops.swapaxes`.*axis2=3"):
        lops.swapaxes(np.zeros((2, 3)), 0, 3)


@pytest.mark.parametrize("shape", [(2, 3), (4, 2, 3), (3,)])
def test_broadcast_to_matches_keras(shape):
    check("broadcast_to", rand((3,), "int32"), shape)


def test_broadcast_to_incompatible_raises():
    with pytest.raises(ValueError, match=r"`ops.broadcast_to`.*shape=\(2, 4\)"):
        lops.broadcast_to(np.zeros(3), (2, 4))


@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2)])
def test_flip_matches_keras(axis):
    check("flip", rand((2, 3, 4)), axis=axis)


@pytest.mark.parametrize(
    "shift,axis", [(1, None), (-2, 0), (1, -1), ((1, 2), (0, 1))]
)
def test_roll_matches_keras(shift, axis):
    check("roll", rand((3, 4), "int32"), shift, axis=axis)


def test_ndim_size_and_shape():
    x = rand((2, 3, 4))
    assert lops.ndim(x) == 3 == lops.ndim(torch.zeros(1, 2, 3))
    assert lops.ndim([[1, 2]]) == 2
    check("size", x)
    assert lops.shape(x) == (2, 3, 4)
