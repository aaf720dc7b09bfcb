import numpy as np
import pytest
import torch

import lamina
import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import kops
from tests.ops.helpers import rand


@pytest.mark.parametrize("shape", [(8,), (3, 6), (2, 4, 5)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_fft_matches_keras(shape, dtype):
    pair = (rand(shape, dtype), rand(shape, dtype))
    check("fft", pair, atol=1e-4)
    if len(shape) >= 2:
        check("fft2", pair, atol=1e-4)
        check("ifft2", pair, atol=1e-5)


@pytest.mark.parametrize("fft_length", [None, 6, 11])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_rfft_irfft_match_keras(fft_length, dtype):
    x = rand((3, 8), dtype)
    bins = check("rfft", x, fft_length, atol=1e-4)
    check("irfft", tuple(b.numpy() for b in bins), fft_length, atol=1e-5)


def test_fft_gradient_matches_keras():
    real = torch.tensor(rand((4, 6)), requires_grad=True)
    out = lops.fft((real, torch.zeros(4, 6)))
    (out[0] ** 2 + out[1]).sum().backward()
    k_real = real.detach().clone().requires_grad_()
    k_out = kops.fft((k_real, torch.zeros(4, 6)))
    (k_out[0] ** 2 + k_out[1]).sum().backward()
    np.testing.assert_allclose(
        real.grad.numpy(), k_real.grad.cpu().numpy(), rtol=1e-4, atol=1e-4
    )


def test_symbolic_fft():
    x = lamina.Input((8,))
    real, imag = lops.rfft(x)
    assert tuple(real.shape) == tuple(imag.shape) == (None, 5)
    real, imag = lops.fft((x, x))
    assert tuple(real.shape) == (None, 8)


def test_fft_errors():
    with pytest.raises(
        ValueError,
        match=r"`x` of ops.fft: expected a tuple"
        r" of two tensors",
    ):
        lops.fft(np.ones(4, "float32"))
    with pytest.raises(
        ValueError,
        match=r"ops.fft2: the real and imaginary"
        r" parts must have the same shape",
    ):
        lops.fft2((np.ones((2, 2)), np.ones((2, 3))))
    with pytest.raises(
        ValueError,
        match=r"ops.fft: the real and imaginary "
        r"parts must be float",
    ):
        lops.fft((np.ones(2, "int32"), np.ones(2, "int32")))
    with pytest.raises(
        ValueError,
        match=r"ops.fft2: expected inputs of "
        r"rank >= 2",
    ):
        lops.fft2((np.ones(2), np.ones(2)))
