import numpy as np
import pytest

import lamina
import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axes", [0, [0], [0, 1], (1, 2), -1])
@pytest.mark.parametrize("dtype", ["float32", "float16", "float64"])
def test_moments_match_keras(axes, keepdims, dtype):
    check(
        "moments",
        rand((2, 3, 4), dtype),
        axes,
        keepdims=keepdims,
        atol=1e-4 if dtype != "float16" else 1e-2,
    )


def test_moments_synchronized_raises():
    with pytest.raises(NotImplementedError, match=r"synchronized=True"):
        lops.moments(np.ones(3), 0, synchronized=True)


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("axis", [-1, 0])
def test_normalize_matches_keras(order, axis):
    x = rand((3, 4))
    x[0] = 0.0  # an all-zero vector hits the epsilon floor
    check("normalize", x, axis=axis, order=order)
    check("normalize", x, axis=axis, order=order, epsilon=0.5)
    check("normalize", 3.0)


@pytest.mark.parametrize("order", [0, 1.5, True])
def test_normalize_bad_order_raises(order):
    with pytest.raises(ValueError, match=r"`order`.*int >= 1.*order="):
        lops.normalize(np.ones(3), order=order)


def test_normalize_uses_config_epsilon():
    lamina.config.set_epsilon(0.25)
    try:
        out = lops.normalize([0.1, 0.0], order=1)
        np.testing.assert_allclose(out.numpy(), [0.4, 0.0], rtol=1e-6)
    finally:
        lamina.config.set_epsilon(1e-7)
