"""`STFTSpectrogram`: a spectrogram computed by two Fourier-basis
convolutions (trainable like any kernel)."""

from __future__ import annotations

from typing import Any

import math
import warnings

import torch
import torch.nn.functional as F

from lamina import config
from lamina.engine.input_spec import InputSpec
from lamina.engine.layer import Layer
from lamina.errors import invalid_argument
from lamina.initializers.stft import STFT, check_window_arguments
from lamina.layers.convolutional.conv_utils import same_padding

MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


class STFTSpectrogram(Layer):
    """Layer that computes the Short-Time Fourier Transform of a signal.

    Each channel of the signal is convolved (stride `frame_step`) with a
    real and an imaginary kernel of shape `(frame_length, 1, fft_length //
    2 + 1)`, filled by the `STFT` initializer (the windowed Fourier basis),
    so the spectrogram equals Keras's and the kernels can be fine-tuned.

    Args:
        mode: `"log"` (log magnitude), `"magnitude"`, `"psd"` (power
            spectral density), `"real"`, `"imag"`, `"angle"` or `"stft"`
            (real and imaginary parts concatenated on the frequency axis).
        frame_length: samples per frame.
        frame_step: samples between frames (default `frame_length // 2`).
        fft_length: FFT size (default: the next power of two).
        window: a `scipy.signal` window name, an array, or None.
        periodic: use the periodic form of the window.
        scaling: `"density"`, `"spectrum"` or None (see `STFT`).
        padding: `"valid"` or `"same"`.
        expand_dims: keep the channel axis (an image-like output).
        data_format: `"channels_last"` (`(batch, time, channels)`) or
            `"channels_first"`.

    Weights:
        `real_kernel` and `imag_kernel`, each `(frame_length, 1,
        fft_length // 2 + 1)` (only one in `"real"`/`"imag"` mode).

    Output shape:
        `(batch, frames, channels * bins)` (channels_last), or `(batch,
        frames, bins, channels)` with `expand_dims`; `bins` doubles in
        `"stft"` mode.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.STFTSpectrogram(frame_length=64, frame_step=32)
    >>> tuple(layer(torch.rand(2, 1000, 1)).shape)
    (2, 30, 33)
    """

    # Keras refuses integer audio here rather than promoting it.
    _keeps_input_dtype = True

    def __init__(
        self,
        mode: str = "log",
        frame_length: int = 256,
        frame_step: Any = None,
        fft_length: Any = None,
        window: str = "hann",
        periodic: bool = False,
        scaling: str = "density",
        padding: Any = "valid",
        expand_dims: bool = False,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        _check(mode, frame_length, frame_step, fft_length, padding)
        check_window_arguments("STFTSpectrogram", window, scaling)
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = frame_length
        self.frame_step = frame_step
        self._frame_step = frame_step or frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** math.ceil(math.log2(frame_length))
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = expand_dims
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape: Any) -> None:
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        for side in ("real", "imag"):
            if self.mode != {"real": "imag", "imag": "real"}[side]:
                self.add_weight(
                    name=f"{side}_kernel",
                    shape=shape,
                    initializer=STFT(
                        side, self.window, self.scaling, self.periodic
                    ),
                )

    def _conv(self, x: torch.Tensor, kernel: torch.Tensor) -> torch.Tensor:
        """(batch*channels, 1, time) -> (batch*channels, bins, frames)."""
        weight = kernel.to(x.dtype).permute(2, 1, 0)
        if self.padding == "same":
            x = F.pad(
                x,
                same_padding(
                    x.shape[-1], self.frame_length, self._frame_step, 1
                ),
            )
        return F.conv1d(x, weight, stride=self._frame_step)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if inputs.dtype not in (torch.float16, torch.float32, torch.float64):
            raise TypeError(
                f"STFTSpectrogram '{self.name}' expects float16, float32 or "
                f"float64 inputs. Received: inputs of dtype {inputs.dtype}"
            )
        x = (
            inputs.transpose(1, 2)
            if self.data_format == "channels_last"
            else inputs
        )
        batch, channels, time = x.shape
        x = x.reshape(batch * channels, 1, time)
        real = imag = None
        if self.mode != "imag":
            real = self._conv(x, self.real_kernel)
        if self.mode != "real":
            imag = self._conv(x, self.imag_kernel)
        out = self._combine(real, imag)
        return self._layout(out.reshape(batch, channels, *out.shape[1:]))

    def _combine(self, real, imag) -> torch.Tensor:
        if self.mode in ("real", "imag"):
            return real if self.mode == "real" else imag
        if self.mode == "angle":
            return torch.atan2(imag, real)
        if self.mode == "stft":
            return torch.cat([real, imag], dim=1)
        power = torch.square(real) + torch.square(imag)
        if self.mode == "psd":
            # One-sided PSD: the bins other than DC and Nyquist count twice.
            return power + F.pad(power[:, 1:-1], (0, 0, 1, 1))
        eps = config.epsilon()
        magnitude = torch.sqrt(torch.clamp_min(power, eps))
        if self.mode == "magnitude":
            return magnitude
        return torch.log(torch.clamp_min(magnitude, eps))

    def _layout(self, out: torch.Tensor) -> torch.Tensor:
        """(batch, channels, bins, frames) -> Keras's output layout."""
        batch, channels, bins, frames = out.shape
        if self.expand_dims:
            return (
                out.permute(0, 3, 2, 1)
                if self.data_format == "channels_last"
                else out.transpose(2, 3)
            )
        out = out.reshape(batch, channels * bins, frames)
        return (
            out.transpose(1, 2) if self.data_format == "channels_last" else out
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "mode": self.mode,
            "frame_length": self.frame_length,
            "frame_step": self.frame_step,
            "fft_length": self.fft_length,
            "window": self.window,
            "periodic": self.periodic,
            "scaling": self.scaling,
            "padding": self.padding,
            "data_format": self.data_format,
            "expand_dims": self.expand_dims,
        }

    def extra_repr(self) -> str:
        return (
            f"name={self.name}, mode={self.mode!r}, "
            f"frame_length={self.frame_length}"
        )


def _check(mode, frame_length, frame_step, fft_length, padding) -> None:
    name = "STFTSpectrogram"
    if mode not in MODES:
        raise ValueError(
            invalid_argument(name, "mode", f"one of {MODES}", mode)
        )
    if not isinstance(frame_length, int) or frame_length < 1:
        raise ValueError(
            invalid_argument(
                name, "frame_length", "a positive int", frame_length
            )
        )
    if frame_step is not None and (
        not isinstance(frame_step, int) or not 0 < frame_step <= frame_length
    ):
        raise ValueError(
            invalid_argument(
                name,
                "frame_step",
                f"an int in [1, frame_length={frame_length}]",
                frame_step,
            )
        )
    if fft_length is not None and fft_length < frame_length:
        raise ValueError(
            invalid_argument(
                name,
                "fft_length",
                f"an int >= frame_length={frame_length}",
                fft_length,
            )
        )
    if fft_length is not None and fft_length & (fft_length - 1):
        warnings.warn(
            f"{name}: `fft_length` is best a power of two. "
            f"Received: fft_length={fft_length}",
            stacklevel=3,
        )
    if padding not in ("valid", "same"):
        raise ValueError(
            invalid_argument(name, "padding", "'valid' or 'same'", padding)
        )
