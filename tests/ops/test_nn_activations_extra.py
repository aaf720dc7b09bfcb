import numpy as np
import pytest
import torch

import lamina
import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import kops
from tests.ops.helpers import rand

UNARY = [
    "celu",
    "hard_tanh",
    "hard_shrink",
    "soft_shrink",
    "tanh_shrink",
    "squareplus",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "glu",
]


@pytest.mark.parametrize("dtype", ["float32", "float16", "float64"])
@pytest.mark.parametrize("name", UNARY)
def test_activation_matches_keras(name, dtype):
    x = rand((3, 6), dtype)
    x[0, :3] = [-1.0, 1.0, 0.5]  # the kinks of the piecewise ones
    check(name, x)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("celu", {"alpha": 0.5}),
        ("hard_shrink", {"threshold": 1.0}),
        ("soft_shrink", {"threshold": 1.5}),
        ("squareplus", {"b": 1}),
        ("sparsemax", {"axis": 0}),
        ("glu", {"axis": 0}),
        ("threshold", {"threshold": 0.3, "default_value": -2.0}),
    ],
)
def test_activation_arguments_match_keras(name, kwargs):
    check(name, rand((4, 6)), **kwargs)


def test_gradients_match_keras():
    for name in ["celu", "glu", "squareplus", "sparse_plus", "sparsemax"]:
        x = torch.tensor(rand((3, 4)), requires_grad=True)
        (getattr(lops, name)(x) ** 2).sum().backward()
        kx = x.detach().clone().requires_grad_()
        (getattr(kops, name)(kx) ** 2).sum().backward()
        np.testing.assert_allclose(
            x.grad.numpy(),
            kx.grad.cpu().numpy(),
            rtol=1e-5,
            atol=1e-6,
            err_msg=name,
        )


def test_symbolic_shapes():
    x = lamina.Input((6,))
    assert tuple(lops.glu(x).shape) == (None, 3)
    assert tuple(lops.sparsemax(x).shape) == (None, 6)


def test_glu_odd_axis_raises():
    with pytest.raises(
        ValueError,
        match=r"ops.glu.*divisible by 2.*"
        r"x.shape=\(2, 3\) with axis=-1",
    ):
        lops.glu(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"ops.sparsemax.*out of bounds"):
        lops.sparsemax(np.ones((2, 3)), axis=2)
