"""`MelSpectrogram`: a signal's power spectrum on the mel scale, in dB."""

from __future__ import annotations

from typing import Any

import torch

from lamina.engine.layer import Layer
from lamina.errors import invalid_argument

_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


class MelSpectrogram(Layer):
    """A preprocessing layer to convert raw audio signals to Mel
    spectrograms.

    The signal's short-time Fourier transform (`torch.stft`, centered with
    reflection padding), raised to `mag_exp` (2: power), is projected on
    `num_mel_bins` triangular HTK mel filters between `min_freq` and
    `max_freq`, then (with `power_to_db`) put in decibels relative to
    `ref_power` and clipped `top_db` below the maximum over the whole
    batch, as Keras does.

    Args:
        fft_length: FFT size (frequency bins: `fft_length // 2 + 1`).
        sequence_stride: samples between frames.
        sequence_length: window length (default `fft_length`).
        window: `"hann"`, `"hamming"`, or None (a rectangular window).
        sampling_rate: samples per second of the signal.
        num_mel_bins: the number of mel filters.
        min_freq: the lowest filter edge, in Hz.
        max_freq: the highest filter edge (default `sampling_rate / 2`).
        power_to_db: convert to decibels.
        top_db: the dB range kept below the maximum.
        mag_exp: the power applied to the STFT magnitude.
        min_power: the floor before the logarithm.
        ref_power: the power that maps to 0 dB.

    Input shape:
        `(samples,)` or `(batch, samples)`, float.

    Output shape:
        `(num_mel_bins, frames)` or `(batch, num_mel_bins, frames)` with
        `frames = samples // sequence_stride + 1`.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.MelSpectrogram(fft_length=256,
    ...     sequence_stride=128, num_mel_bins=40)
    >>> tuple(layer(torch.rand(2, 1024)).shape)
    (2, 40, 9)
    """

    def __init__(
        self,
        fft_length: int = 2048,
        sequence_stride: int = 512,
        sequence_length: Any = None,
        window: str = "hann",
        sampling_rate: int = 16000,
        num_mel_bins: int = 128,
        min_freq: float = 20.0,
        max_freq: Any = None,
        power_to_db: bool = True,
        top_db: float = 80.0,
        mag_exp: float = 2.0,
        min_power: float = 1e-10,
        ref_power: float = 1.0,
        **kwargs: Any,
    ):
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length or fft_length
        if fft_length < self.sequence_length:
            raise ValueError(
                invalid_argument(
                    "MelSpectrogram",
                    "sequence_length",
                    f"at most fft_length={fft_length}",
                    sequence_length,
                )
            )
        if (
            window is not None
            and isinstance(window, str)
            and window not in ("hann", "hamming")
        ):
            raise ValueError(
                invalid_argument(
                    "MelSpectrogram",
                    "window",
                    "'hann', 'hamming', an array or None",
                    window,
                )
            )
        super().__init__(**kwargs)
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = num_mel_bins
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        dtype = self._compute_torch_dtype
        if dtype not in (torch.float32, torch.float64):
            dtype = torch.float32  # torch.stft needs float32/64, as Keras
        x = torch.as_tensor(inputs).to(dtype)
        spec = self._spectrogram(x)
        matrix = self.linear_to_mel_weight_matrix(
            self.num_mel_bins,
            spec.shape[-1],
            self.sampling_rate,
            self.min_freq,
            self.max_freq,
        ).to(x.device, x.dtype)
        out = torch.tensordot(spec, matrix, dims=1)
        if self.power_to_db:
            out = self._dbscale(out)
        return out.transpose(-1, -2).to(self._compute_torch_dtype)

    def _window(self, x: torch.Tensor) -> torch.Tensor:
        n = self.sequence_length
        if self.window is None:
            return torch.ones(n, dtype=x.dtype, device=x.device)
        if self.window == "hann":
            return torch.hann_window(
                n, periodic=True, dtype=x.dtype, device=x.device
            )
        if self.window == "hamming":
            return torch.hamming_window(
                n, periodic=True, dtype=x.dtype, device=x.device
            )
        window = torch.as_tensor(self.window, dtype=x.dtype, device=x.device)
        if window.shape != (n,):
            raise ValueError(
                invalid_argument(
                    "MelSpectrogram",
                    "window",
                    f"{n} values (sequence_length)",
                    f"shape {tuple(window.shape)}",
                )
            )
        return window

    def _spectrogram(self, x: torch.Tensor) -> torch.Tensor:
        """|STFT|**mag_exp, shaped `(..., frames, bins)`."""
        batch_shape = x.shape[:-1]
        flat = x.reshape(-1, x.shape[-1]) if x.ndim > 2 else x
        stft = torch.stft(
            flat,
            n_fft=self.fft_length,
            hop_length=self.sequence_stride,
            win_length=self.sequence_length,
            window=self._window(x),
            center=True,
            return_complex=True,
        )
        stft = stft.reshape(*batch_shape, *stft.shape[-2:]).transpose(-1, -2)
        magnitude = torch.sqrt(
            torch.square(stft.real) + torch.square(stft.imag)
        )
        return torch.pow(magnitude, self.mag_exp)

    def _dbscale(self, x: torch.Tensor) -> torch.Tensor:
        log_spec = 10.0 * torch.log10(torch.clamp_min(x, self.min_power))
        ref = torch.abs(torch.as_tensor(self.ref_power, dtype=x.dtype))
        log_spec = log_spec - 10.0 * torch.log10(
            torch.clamp_min(ref, self.min_power)
        )
        return torch.maximum(log_spec, torch.max(log_spec) - self.top_db)

    def linear_to_mel_weight_matrix(
        self,
        num_mel_bins: int = 20,
        num_spectrogram_bins: int = 129,
        sampling_rate: int = 8000,
        lower_edge_hertz: float = 125.0,
        upper_edge_hertz: float = 3800.0,
        dtype: str | torch.dtype = "float32",
    ) -> torch.Tensor:
        """The `(num_spectrogram_bins, num_mel_bins)` matrix of triangular
        HTK mel filters (peak 1.0; the DC bin is left out), computed in
        `dtype` as Keras computes it."""
        dtype = getattr(torch, dtype) if isinstance(dtype, str) else dtype
        rate = torch.tensor(sampling_rate, dtype=dtype)
        lower = torch.tensor(lower_edge_hertz, dtype=dtype)
        upper = torch.tensor(upper_edge_hertz, dtype=dtype)
        zero = torch.tensor(0.0, dtype=dtype)
        linear = _linspace(zero, rate / 2.0, num_spectrogram_bins)[1:]
        bins_mel = self._hertz_to_mel(linear).unsqueeze(1)
        edges = _linspace(
            self._hertz_to_mel(lower),
            self._hertz_to_mel(upper),
            num_mel_bins + 2,
        )
        low, center, high = (
            edges[i : i + num_mel_bins].reshape(1, -1) for i in range(3)
        )
        lower_slopes = (bins_mel - low) / (center - low)
        upper_slopes = (high - bins_mel) / (high - center)
        weights = torch.maximum(zero, torch.minimum(lower_slopes, upper_slopes))
        return torch.nn.functional.pad(weights, (0, 0, 1, 0))

    def _hertz_to_mel(self, frequencies: torch.Tensor) -> torch.Tensor:
        return _MEL_HIGH_FREQUENCY_Q * torch.log(
            1.0 + frequencies / _MEL_BREAK_FREQUENCY_HERTZ
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "fft_length": self.fft_length,
            "sequence_stride": self.sequence_stride,
            "sequence_length": self.sequence_length,
            "window": self.window,
            "sampling_rate": self.sampling_rate,
            "num_mel_bins": self.num_mel_bins,
            "min_freq": self.min_freq,
            "max_freq": self.max_freq,
            "power_to_db": self.power_to_db,
            "top_db": self.top_db,
            "mag_exp": self.mag_exp,
            "min_power": self.min_power,
            "ref_power": self.ref_power,
        }

    def extra_repr(self) -> str:
        return (
            f"name={self.name}, fft_length={self.fft_length}, "
            f"num_mel_bins={self.num_mel_bins}"
        )


def _linspace(start: torch.Tensor, stop: torch.Tensor, num: int):
    # Keras's torch linspace for tensor endpoints: start + i/(n-1) * span.
    steps = torch.arange(num, dtype=start.dtype) / (num - 1)
    return start[None] + steps * (stop - start)[None]
