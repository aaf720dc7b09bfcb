import numpy as np
import pytest

import lamina
import lamina.ops as lops
from tests.ops.helpers import assert_same
from tests.ops.helpers import check
from tests.ops.helpers import kops
from tests.ops.helpers import rand


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_polar_matches_keras(dtype):
    r, theta = rand((2, 3), dtype), rand((2, 3), dtype)
    ours, theirs = lops.polar(r, theta), kops.polar(r, theta)
    assert ours.dtype == theirs.dtype
    assert_same(ours.real, theirs.real)
    assert_same(ours.imag, theirs.imag)


@pytest.mark.parametrize("max_val", [1.0, 255.0])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_psnr_matches_keras(max_val, dtype):
    x1, x2 = rand((2, 4, 4, 3), dtype), rand((2, 4, 4, 3), dtype)
    check("psnr", x1, x2, max_val, atol=1e-4)


def test_psnr_symbolic_and_errors():
    x = lamina.Input((4, 4, 3))
    assert tuple(lops.psnr(x, x, 1.0).shape) == ()
    with pytest.raises(
        ValueError,
        match=r"ops.psnr: `x1` and `x2` must "
        r"have the same shape.*x2.shape=\(3,\)",
    ):
        lops.psnr(np.ones(2), np.ones(3), 1.0)
