"""Framing and short-time Fourier transforms: `extract_sequences`,
`stft`, `istft` (`keras.ops`)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from lamina.errors import invalid_argument
from lamina.ops._convert import to_tensor
from lamina.ops._op import op
from lamina.ops.math_fft import complex_of
from lamina.typing import TensorLike


def _positive(name: str, arg: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            invalid_argument(f"ops.{name}", arg, "a positive integer", value)
        )
    return value


@op
def extract_sequences(
    x: TensorLike, sequence_length: int, sequence_stride: int
) -> torch.Tensor:
    """Frames of `sequence_length` samples every `sequence_stride`
    samples, along the last axis.

    Returns:
        `(..., num_sequences, sequence_length)`.

    Example:

    >>> from lamina import ops
    >>> ops.extract_sequences([1.0, 2.0, 3.0, 4.0], 2, 1).tolist()
    [[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]]
    """
    x = to_tensor(x)
    _positive("extract_sequences", "sequence_length", sequence_length)
    _positive("extract_sequences", "sequence_stride", sequence_stride)
    return x.unfold(-1, sequence_length, sequence_stride).clone()


def _window(name, window, length, dtype, device):
    if window is None:
        return None
    if isinstance(window, str):
        if window == "hann":
            return torch.hann_window(length, dtype=dtype, device=device)
        if window == "hamming":
            return torch.hamming_window(length, dtype=dtype, device=device)
        raise ValueError(
            invalid_argument(
                f"ops.{name}",
                "window",
                "'hann', 'hamming', a tensor or None",
                window,
            )
        )
    win = to_tensor(window, dtype=dtype, device=device)
    if win.shape != (length,):
        raise ValueError(
            f"Invalid value for argument `window` of ops.{name}: expected "
            f"shape ({length},) (sequence_length). Received: window.shape="
            f"{tuple(win.shape)}"
        )
    return win


@op
def stft(
    x: TensorLike,
    sequence_length: int,
    sequence_stride: int,
    fft_length: int,
    window: str | TensorLike | None = "hann",
    center: bool = True,
) -> tuple:
    """Short-time Fourier transform along the last axis.

    Args:
        x: float32 or float64 signals, `(..., samples)`.
        sequence_length: Frame length.
        sequence_stride: Step between frames.
        fft_length: FFT size, `>= sequence_length`.
        window: `"hann"`, `"hamming"`, a `(sequence_length,)` tensor or
            `None`. Defaults to `"hann"`.
        center: Pad the signal by `fft_length // 2` on both sides
            (reflect) so that frames are centered.

    Returns:
        `(real, imag)`, each `(..., num_sequences, fft_length // 2 + 1)`.

    Example:

    >>> from lamina import ops
    >>> real, _ = ops.stft([0.0, 1.0, 2.0, 3.0, 4.0], 3, 2, 3)
    >>> tuple(real.shape)
    (3, 2)
    """
    name = "stft"
    x = to_tensor(x)
    _positive(name, "sequence_stride", sequence_stride)
    if x.dtype not in (torch.float32, torch.float64):
        raise TypeError(
            "Invalid value for argument `x` of ops.stft: expected float32 "
            f"or float64. Received: x.dtype={x.dtype}"
        )
    if fft_length < sequence_length:
        raise ValueError(
            "ops.stft: `fft_length` must be >= `sequence_length`. Received:"
            f" sequence_length={sequence_length}, fft_length={fft_length}"
        )
    win = _window(name, window, sequence_length, x.dtype, x.device)
    if win is None:
        win = torch.ones(sequence_length, dtype=x.dtype, device=x.device)
    batch = x.shape[:-1]
    z = torch.stft(
        x.reshape(-1, x.shape[-1]),
        fft_length,
        sequence_stride,
        sequence_length,
        win,
        center=center,
        return_complex=True,
    )
    z = z.reshape(*batch, *z.shape[-2:]).transpose(-2, -1)
    return z.real, z.imag


def _overlap_add(frames: torch.Tensor, stride: int) -> torch.Tensor:
    """Sum `(B, N, L)` frames placed every `stride` samples."""
    _, count, length = frames.shape
    size = stride * (count - 1) + length
    out = F.fold(
        frames.transpose(1, 2), (1, size), (1, length), stride=(1, stride)
    )
    return out[:, 0, 0]


def _synthesis_window(win, sequence_length, stride, fft_length):
    """`win` padded to `fft_length`, divided by its squared overlap sum
    (TensorFlow's `inverse_stft_window_fn`)."""
    left = (fft_length - sequence_length) // 2
    win = F.pad(win, (left, fft_length - sequence_length - left))
    overlaps = -(-fft_length // stride)
    squares = F.pad(win * win, (0, overlaps * stride - fft_length))
    denom = squares.reshape(overlaps, stride).sum(0).repeat(overlaps)
    return win / denom[:fft_length]


@op
def istft(
    x: tuple,
    sequence_length: int,
    sequence_stride: int,
    fft_length: int,
    length: int | None = None,
    window: str | TensorLike | None = "hann",
    center: bool = True,
) -> torch.Tensor:
    """Inverse short-time Fourier transform (overlap-add of the inverse
    FFTs of the frames).

    Args:
        x: `(real, imag)`, each `(..., num_sequences, fft_length // 2 + 1)`.
        sequence_length, sequence_stride, fft_length, window, center: as
            given to `stft`.
        length: Trim the output to this many samples.

    Example:

    >>> from lamina import ops
    >>> x = ops.arange(8.0)
    >>> y = ops.istft(ops.stft(x, 4, 2, 4), 4, 2, 4, length=8)
    >>> [round(v, 4) for v in y.tolist()]
    [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    """
    name = "istft"
    z = complex_of(name, x, 2)
    _positive(name, "sequence_stride", sequence_stride)
    dtype = z.real.dtype
    win = _window(name, window, sequence_length, dtype, z.device)
    batch = z.shape[:-2]
    z = z.reshape(-1, *z.shape[-2:])
    if sequence_length == fft_length > 1 and center and win is not None:
        y = torch.istft(
            z.transpose(-2, -1),
            fft_length,
            sequence_stride,
            sequence_length,
            win,
            center=True,
            length=length,
        )
        return y.reshape(*batch, y.shape[-1])
    frames = torch.fft.irfft(z, n=fft_length, dim=-1)
    if win is not None:
        frames = frames * _synthesis_window(
            win, sequence_length, sequence_stride, fft_length
        )
    y = _overlap_add(frames, sequence_stride)
    start = fft_length // 2 if center else 0
    if length is not None:
        y = y[..., start : start + length]
    elif center:
        y = y[..., start : y.shape[-1] - fft_length // 2]
    return y.reshape(*batch, y.shape[-1])
