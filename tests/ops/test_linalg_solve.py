import numpy as np
import pytest
import torch

import lamina
import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import kops
from tests.ops.helpers import rand


def well_conditioned(shape, dtype="float32"):
    return (rand(shape, dtype) + 4 * np.eye(shape[-1])).astype(dtype)


@pytest.mark.parametrize("b_shape", [(3,), (3, 2)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_solve_matches_keras(b_shape, dtype):
    a = well_conditioned((3, 3), dtype)
    check("solve", a, rand(b_shape, dtype), atol=1e-4)
    check("solve_triangular", np.triu(a), rand(b_shape, dtype), atol=1e-4)
    check("solve_triangular", np.tril(a), rand(b_shape, dtype), True, atol=1e-4)


def test_batched_solve_matches_keras():
    check("solve", well_conditioned((2, 3, 3)), rand((2, 3, 4)), atol=1e-4)


@pytest.mark.parametrize("b_shape", [(5,), (5, 2)])
@pytest.mark.parametrize("rcond", [None, 1e-3])
def test_lstsq_matches_keras(b_shape, rcond):
    check("lstsq", rand((5, 3)), rand(b_shape), rcond, atol=1e-4)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_inverses_and_determinants_match_keras(dtype):
    x = well_conditioned((2, 3, 3), dtype)
    check("inv", x, atol=1e-5)
    check("det", x, rtol=1e-4)
    check("pinv", rand((4, 3), dtype), atol=1e-4)
    check("pinv", rand((4, 3), dtype), 0.5, atol=1e-4)


def test_matrix_rank_matches_keras():
    low = rand((4, 2)) @ rand((2, 4))
    check("matrix_rank", low)
    check("matrix_rank", np.diag([3.0, 1e-3, 0.5]).astype("float32"), 0.01)


def test_jvp_matches_keras():
    x, t = torch.tensor(rand((3,))), torch.ones(3)
    _, tangent = lops.jvp(lambda v: lops.sum(v**3), (x,), (t,))
    _, k_tangent = kops.jvp(lambda v: kops.sum(v**3), (x,), (t,))
    np.testing.assert_allclose(
        tangent.numpy(), k_tangent.cpu().numpy(), rtol=1e-5
    )
    _, _, aux = lops.jvp(lambda v: (v * 2, v + 1), (x,), (t,), has_aux=True)
    np.testing.assert_allclose(aux.numpy(), x.numpy() + 1)


def test_solve_gradient_matches_keras():
    a = torch.tensor(well_conditioned((3, 3)), requires_grad=True)
    lops.sum(lops.solve(a, np.ones(3, "float32"))).backward()
    ka = a.detach().clone().requires_grad_()
    kops.sum(kops.solve(ka, np.ones(3, "float32"))).backward()
    np.testing.assert_allclose(a.grad.numpy(), ka.grad.cpu().numpy(), rtol=1e-5)


def test_symbolic_solve():
    a, b = lamina.Input((3, 3)), lamina.Input((3, 2))
    assert tuple(lops.solve(a, b).shape) == (None, 3, 2)
    assert tuple(lops.det(a).shape) == (None,)


def test_solve_errors():
    with pytest.raises(
        ValueError,
        match=r"ops.solve: incompatible shapes "
        r"between `a` and `b`.*a.shape\[-2\] == b.shape\[-2\]",
    ):
        lops.solve(np.eye(3), np.ones((2, 2)))
    with pytest.raises(
        ValueError,
        match=r"ops.solve_triangular: "
        r"incompatible.*b.shape=\(2,\)",
    ):
        lops.solve_triangular(np.eye(3), np.ones(2))
    with pytest.raises(ValueError, match=r"`a` of ops.solve: expected square"):
        lops.solve(np.ones((2, 3)), np.ones(2))
    with pytest.raises(
        ValueError,
        match=r"`b` of ops.solve: expected a "
        r"tensor of rank >= 1",
    ):
        lops.solve(np.eye(2), 1.0)
