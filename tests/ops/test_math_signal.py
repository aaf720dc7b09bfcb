import numpy as np
import pytest

import lamina
import lamina.ops as lops
from tests.ops.helpers import check
from tests.ops.helpers import rand


@pytest.mark.parametrize("shape", [(10,), (2, 3, 9)])
@pytest.mark.parametrize("length,stride", [(3, 1), (4, 2), (2, 3)])
def test_extract_sequences_matches_keras(shape, length, stride):
    check("extract_sequences", rand(shape), length, stride)


STFT_CONFIGS = [
    # sequence_length, sequence_stride, fft_length, window, center
    (8, 4, 8, "hann", True),
    (8, 2, 16, "hamming", True),
    (6, 3, 8, None, False),
    (8, 4, 8, "hann", False),
    (5, 2, 8, "custom", True),
]


def _window(window, length):
    if window == "custom":
        return np.linspace(0.2, 1.0, length).astype("float32")
    return window


@pytest.mark.parametrize("config", STFT_CONFIGS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_stft_istft_match_keras(config, dtype):
    length, stride, fft_length, window, center = config
    window = _window(window, length)
    x = rand((2, 40), dtype)
    spec = check(
        "stft", x, length, stride, fft_length, window, center, atol=1e-4
    )
    pair = tuple(s.numpy() for s in spec)
    check(
        "istft",
        pair,
        length,
        stride,
        fft_length,
        None,
        window,
        center,
        atol=1e-4,
    )
    check(
        "istft", pair, length, stride, fft_length, 30, window, center, atol=1e-4
    )


def test_stft_round_trip_recovers_the_signal():
    x = rand((3, 64))
    spec = lops.stft(x, 16, 4, 16)
    y = lops.istft(spec, 16, 4, 16, length=64)
    np.testing.assert_allclose(y.numpy(), x, atol=1e-4)


def test_symbolic_stft():
    x = lamina.Input((40,))
    real, _ = lops.stft(x, 8, 4, 8)
    assert tuple(real.shape) == (None, 11, 5)


def test_signal_errors():
    x = rand((20,))
    with pytest.raises(
        TypeError,
        match=r"`x` of ops.stft: expected float32"
        r" or float64",
    ):
        lops.stft(rand((20,), "int32"), 4, 2, 4)
    with pytest.raises(
        ValueError,
        match=r"ops.stft: `fft_length` must be >="
        r" `sequence_length`",
    ):
        lops.stft(x, 8, 2, 4)
    with pytest.raises(
        ValueError,
        match=r"`window` of ops.stft.*"
        r"window='blackman'",
    ):
        lops.stft(x, 4, 2, 4, window="blackman")
    with pytest.raises(ValueError, match=r"`sequence_stride` of ops.istft"):
        lops.istft(lops.stft(x, 4, 2, 4), 4, 0, 4)
    with pytest.raises(
        ValueError,
        match=r"`sequence_length` of "
        r"ops.extract_sequences",
    ):
        lops.extract_sequences(x, 0, 1)
