import numpy as np
import pytest

import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand

WIDTHS = [((1, 2), (0, 1)), ((0, 0), (2, 2)), [[1, 1], [1, 0]]]


@pytest.mark.parametrize("dtype", ["float32", "int32"])
@pytest.mark.parametrize("pad_width", WIDTHS)
def test_constant_pad_matches_keras(pad_width, dtype):
    x = rand((3, 4), dtype)
    check("pad", x, pad_width)
    check("pad", x, pad_width, constant_values=3)


@pytest.mark.parametrize("mode", ["reflect", "symmetric", "edge", "wrap"])
@pytest.mark.parametrize("pad_width", WIDTHS + [((2, 1), (3, 2))])
@pytest.mark.parametrize("shape", [(3, 4), (4,), (2, 3, 4)])
def test_modes_match_numpy(mode, pad_width, shape):
    x = rand(shape, "int32")
    width = [tuple(p) for p in pad_width][-len(shape) :]
    while len(width) < len(shape):
        width.insert(0, (1, 0))
    out = lops.pad(x, width, mode=mode)
    np.testing.assert_array_equal(out.numpy(), np.pad(x, width, mode=mode))
    assert out.dtype == lops.convert_to_tensor(x).dtype


@pytest.mark.parametrize("pad_width", [1, (1, 2), ((1, 2),)])
def test_short_pad_width_forms_follow_numpy(pad_width):
    x = rand((2, 3))
    out = lops.pad(x, pad_width)
    np.testing.assert_array_equal(out.numpy(), np.pad(x, pad_width))


def test_reflect_on_a_high_rank_tensor_matches_keras():
    check(
        "pad",
        rand((2, 3, 4, 5)),
        [(0, 0), (0, 0), (1, 1), (2, 2)],
        mode="reflect",
    )


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(pad_width=((1, 1), (1, 1), (1, 1))), r"one non-negative.*rank 2"),
        (dict(pad_width=((1, -1), (0, 0))), r"non-negative"),
        (dict(pad_width=1, mode="median"), r"supports the modes.*'median'"),
        (
            dict(pad_width=1, mode="edge", constant_values=2),
            r"`constant_values`.*mode='edge'",
        ),
        (
            dict(pad_width=((3, 0), (0, 0)), mode="reflect"),
            r"at most 2 values.*axis 0",
        ),
    ],
)
def test_bad_pad_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        lops.pad(np.zeros((3, 4)), **kwargs)
