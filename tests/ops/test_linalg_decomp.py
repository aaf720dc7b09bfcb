import numpy as np
import pytest
import torch

import lamina
import lamina.ops as lops
from tests.ops.helpers import assert_same
from tests.ops.helpers import check
from tests.ops.helpers import kops
from tests.ops.helpers import rand


def spd(shape, dtype="float32"):
    a = rand(shape, dtype)
    return (a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(
        dtype
    )


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_matches_keras(shape, dtype, upper):
    factor = check("cholesky", spd(shape, dtype), upper, atol=1e-4)
    check("cholesky_inverse", factor.numpy(), upper, atol=1e-3, rtol=1e-4)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4)])
def test_eigh_matches_keras(shape):
    x = spd(shape)
    values, vectors = lops.eigh(x)
    k_values, k_vectors = kops.eigh(x)
    assert_same(values, k_values, atol=1e-4)
    # Eigenvectors are unique up to sign.
    np.testing.assert_allclose(
        np.abs(vectors.numpy()), np.abs(k_vectors.cpu().numpy()), atol=1e-4
    )


def test_eig_matches_keras():
    x = spd((3, 3), "float64")
    values, vectors = lops.eig(x)
    k_values, _ = kops.eig(x)
    assert values.dtype == k_values.dtype == torch.complex128
    np.testing.assert_allclose(
        np.sort(values.real.numpy()), np.sort(k_values.real.cpu().numpy())
    )
    recon = vectors @ torch.diag_embed(values) @ torch.linalg.inv(vectors)
    np.testing.assert_allclose(recon.real.numpy(), x, atol=1e-8)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4)])
def test_lu_factor_matches_keras(shape):
    check("lu_factor", rand(shape), atol=1e-5)


@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (2, 3, 3)])
@pytest.mark.parametrize("mode", ["reduced", "complete"])
def test_qr_matches_keras(shape, mode):
    check("qr", rand(shape), mode, atol=1e-4)


@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (2, 3, 3)])
@pytest.mark.parametrize("full_matrices", [True, False])
def test_svd_matches_keras(shape, full_matrices):
    x = rand(shape)
    check("svd", x, full_matrices, False, atol=1e-4)
    u, s, vh = lops.svd(x, full_matrices)
    ku, _, kvh = kops.svd(x, full_matrices)
    assert (u.shape, vh.shape) == (ku.shape, kvh.shape)
    k = s.shape[-1]
    recon = u[..., :k] * s[..., None, :] @ vh[..., :k, :]
    np.testing.assert_allclose(recon.numpy(), x, atol=1e-4)


def test_symbolic_decompositions():
    x = lamina.Input((4, 3))
    q, r = lops.qr(x)
    assert (tuple(q.shape), tuple(r.shape)) == ((None, 4, 3), (None, 3, 3))
    assert tuple(lops.svd(x, compute_uv=False).shape) == (None, 3)


def test_decomposition_errors():
    with pytest.raises(
        ValueError,
        match=r"`x` of ops.cholesky: expected a "
        r"tensor of rank >= 2.*x.shape=\(3,\)",
    ):
        lops.cholesky(np.ones(3))
    with pytest.raises(
        ValueError,
        match=r"`x` of ops.eigh: expected square"
        r".*x.shape=\(2, 3\)",
    ):
        lops.eigh(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"`mode` of ops.qr.*mode='r'"):
        lops.qr(np.ones((2, 2)), mode="r")
    with pytest.raises(
        ValueError,
        match=r"ops.cholesky.*could not be "
        r"computed.*positive-definite",
    ):
        lops.cholesky(-np.eye(2, dtype="float32"))
