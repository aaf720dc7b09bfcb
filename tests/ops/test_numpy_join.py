import numpy as np
import pytest
import torch

import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concatenate_matches_keras(axis):
    shapes = [[2, 3, 4], [2, 3, 4]]
    for s in shapes:
        s[axis] += 1
    xs = [rand(tuple(shapes[0])), rand(tuple(shapes[1]), "int32")]
    check("concatenate", xs, axis=axis)


def test_concatenate_of_lists_and_tensors():
    check("concatenate", [[1, 2], np.array([3], "int32")])
    out = lops.concatenate([torch.ones(2), [5.0]])
    assert out.tolist() == [1.0, 1.0, 5.0]


@pytest.mark.parametrize(
    "xs,axis,match",
    [
        (
            [np.ones((2, 3)), np.ones((2, 4))],
            0,
            r"same shape except along axis 0.*\(2, 3\), \(2, 4\)",
        ),
        ([np.ones((2, 3)), np.ones((2, 3, 1))], 0, r"same rank"),
        ([np.ones((2, 3))], 2, r"`ops.concatenate`.*axis=2"),
        ([], 0, r"at least one tensor"),
    ],
)
def test_concatenate_bad_input_raises(xs, axis, match):
    with pytest.raises(ValueError, match=match):
        lops.concatenate(xs, axis=axis)


def test_concatenate_of_a_single_tensor_raises_type_error():
    with pytest.raises(TypeError, match=r"list or tuple of tensors"):
        lops.concatenate(torch.ones(2, 2))


@pytest.mark.parametrize("axis", [0, 1, -1, 2])
def test_stack_matches_keras(axis):
    check("stack", [rand((2, 3)), rand((2, 3)), rand((2, 3))], axis=axis)


def test_stack_mismatched_shapes_raises():
    with pytest.raises(ValueError, match=r"`ops.stack`.*\(2,\), \(3,\)"):
        lops.stack([np.ones(2), np.ones(3)])


@pytest.mark.parametrize(
    "sections,axis",
    [(2, 0), (3, 1), ([1, 3], 1), ([2], -1), (1, 0), ([0, 2], 0)],
)
def test_split_matches_keras(sections, axis):
    check("split", rand((4, 6)), sections, axis=axis)


def test_split_uneven_sections_raises():
    with pytest.raises(
        ValueError,
        match=r"`ops.split` cannot divide axis 0 "
        r"of size 5.*indices_or_sections=2",
    ):
        lops.split(np.zeros((5, 2)), 2)


@pytest.mark.parametrize("repeats", [2, (2, 1), (1, 2, 3), [3]])
def test_tile_matches_keras(repeats):
    check("tile", rand((2, 3), "int32"), repeats)


@pytest.mark.parametrize("repeats,axis", [(2, None), (3, 0), (2, -1), (0, 1)])
def test_repeat_matches_keras(repeats, axis):
    check("repeat", rand((2, 3)), repeats, axis=axis)


@pytest.mark.parametrize(
    "repeats,axis", [([1, 2, 0], 1), ([2, 1], 0), ([1, 0, 1, 2, 0, 3], None)]
)
def test_repeat_with_counts_matches_numpy(repeats, axis):
    # Keras's torch backend fails on a list of counts (its `all` shadows
    # the builtin), so NumPy is the reference here.
    x = rand((2, 3))
    out = lops.repeat(x, repeats, axis=axis)
    np.testing.assert_array_equal(out.numpy(), np.repeat(x, repeats, axis))
    out = lops.repeat(x, torch.tensor(repeats), axis=axis)
    np.testing.assert_array_equal(out.numpy(), np.repeat(x, repeats, axis))


def test_repeat_with_wrong_counts_raises():
    with pytest.raises(ValueError, match=r"`ops.repeat` needs one count"):
        lops.repeat(np.zeros((2, 3)), [1, 2], axis=1)
