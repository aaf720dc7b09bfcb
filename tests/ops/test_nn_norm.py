import numpy as np
import pytest
import torch

import lamina
import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import kops
from tests.ops.helpers import rand


@pytest.mark.parametrize("axis", [-1, 1, 0])
@pytest.mark.parametrize("with_affine", [False, True])
def test_batch_normalization_matches_keras(axis, with_affine):
    x = rand((4, 3, 5))
    n = x.shape[axis]
    mean, variance = rand((n,)), np.abs(rand((n,))) + 0.1
    extra = {"offset": rand((n,)), "scale": rand((n,))} if with_affine else {}
    check("batch_normalization", x, mean, variance, axis, **extra, atol=1e-4)
    check(
        "batch_normalization", x, mean, variance, axis, epsilon=0.5, atol=1e-4
    )


@pytest.mark.parametrize("axis", [-1, (1, 2), [-2, -1]])
@pytest.mark.parametrize("dtype", ["float32", "float16", "float64"])
@pytest.mark.parametrize("affine", [False, True])
def test_layer_normalization_matches_keras(axis, dtype, affine):
    x = rand((2, 3, 4), dtype)
    shape = (4,) if axis == -1 else (3, 4)
    gamma = rand(shape, dtype) if affine else None
    beta = rand(shape, dtype) if affine else None
    check("layer_normalization", x, gamma, beta, axis, atol=1e-4)
    check("layer_normalization", x, gamma, beta, axis, epsilon=0.1, atol=1e-4)


def test_layer_normalization_over_a_leading_axis():
    # Keras's torch backend hands a non-trailing axis to F.layer_norm,
    # which normalizes the wrong axis; lamina normalizes the one asked.
    x, gamma, beta = rand((3, 4)), rand((3,)), rand((3,))
    out = lops.layer_normalization(x, gamma, beta, axis=0)
    mean, var = x.mean(0, keepdims=True), x.var(0, keepdims=True)
    expected = (x - mean) / np.sqrt(var + 1e-7) * gamma[:, None] + beta[:, None]
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-4, atol=1e-5)


def test_layer_normalization_rms_scaling_raises():
    with pytest.raises(
        ValueError,
        match=r"rms_scaling=True.*"
        r"ops.rms_normalization",
    ):
        lops.layer_normalization(np.ones((2, 3)), rms_scaling=True)


@pytest.mark.parametrize("axis", [-1, (1, 2)])
@pytest.mark.parametrize("dtype", ["float32", "float16", "float64"])
def test_rms_normalization_matches_keras(axis, dtype):
    x = rand((2, 3, 4), dtype)
    scale = rand((4,) if axis == -1 else (3, 4), dtype)
    check("rms_normalization", x, None, axis)
    check("rms_normalization", x, scale, axis, epsilon=0.1, atol=1e-4)


def test_rms_normalization_over_a_leading_axis():
    # Keras's torch backend fails here (it passes the axis to F.rms_norm,
    # which only normalizes trailing axes).
    x, scale = rand((3, 4)), rand((3,))
    out = lops.rms_normalization(x, scale, axis=0)
    expected = x / np.sqrt((x * x).mean(0, keepdims=True) + 1e-7)
    np.testing.assert_allclose(
        out.numpy(), expected * scale[:, None], rtol=1e-5
    )


def test_layer_normalization_gradients_match_keras():
    x = torch.tensor(rand((2, 5)), requires_grad=True)
    gamma = torch.tensor(rand((5,)), requires_grad=True)
    (lops.layer_normalization(x, gamma) ** 2).sum().backward()
    kx = x.detach().clone().requires_grad_()
    kg = gamma.detach().clone().requires_grad_()
    (kops.layer_normalization(kx, kg) ** 2).sum().backward()
    np.testing.assert_allclose(
        x.grad.numpy(), kx.grad.cpu().numpy(), rtol=1e-4, atol=1e-4
    )
    np.testing.assert_allclose(
        gamma.grad.numpy(), kg.grad.cpu().numpy(), rtol=1e-4, atol=1e-4
    )


def test_symbolic_normalization():
    x = lamina.Input((3, 4), dtype="float16")
    out = lops.layer_normalization(x)
    assert tuple(out.shape) == (None, 3, 4)
    assert str(out.dtype).endswith("float16")
    out = lops.batch_normalization(x, np.zeros(4), np.ones(4), -1)
    assert tuple(out.shape) == (None, 3, 4)


def test_batch_normalization_bad_axis_raises():
    with pytest.raises(ValueError, match=r"ops.batch_normalization.*axis"):
        lops.batch_normalization(np.ones((2, 3)), np.zeros(3), np.ones(3), 2)
