"""`STFT`: the Fourier-basis initializer of `STFTSpectrogram`'s kernels."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from lamina.errors import invalid_argument
from lamina.initializers.initializer import Initializer, resolve_dtype

# Windows torch computes itself; other names need SciPy, as in Keras.
_TORCH_WINDOWS = {
    "hann": torch.hann_window,
    "hamming": torch.hamming_window,
    "blackman": torch.blackman_window,
    "bartlett": torch.bartlett_window,
}


def get_window(name: str, length: int, periodic: bool) -> np.ndarray:
    """`scipy.signal.get_window(name, length, fftbins=periodic)` in
    float64: torch's windows for the common names, SciPy for the rest.

    Raises:
        ValueError: an unknown name, or SciPy missing for a rare one.
    """
    if name in _TORCH_WINDOWS:
        return _TORCH_WINDOWS[name](
            length, periodic=periodic, dtype=torch.float64
        ).numpy()
    if name in ("boxcar", "box", "ones", "rect", "rectangular"):
        return np.ones(length)
    try:
        import scipy.signal
    except ImportError:
        raise ValueError(
            invalid_argument(
                "STFT",
                "window",
                f"one of {sorted(_TORCH_WINDOWS)} or 'boxcar'"
                " (other SciPy windows need scipy installed)",
                name,
            )
        ) from None
    try:
        return scipy.signal.get_window(name, length, periodic)
    except ValueError as error:
        raise ValueError(
            invalid_argument(
                "STFT", "window", f"a scipy.signal window ({error})", name
            )
        ) from None


def check_window_arguments(owner: str, window: Any, scaling: Any) -> None:
    if isinstance(window, str):
        get_window(window, 1, False)
    if scaling is not None and scaling not in ("density", "spectrum"):
        raise ValueError(
            invalid_argument(
                owner, "scaling", "None, 'density' or 'spectrum'", scaling
            )
        )


class STFT(Initializer):
    """Initializer of Conv kernels for the Short-Time Fourier Transform.

    Fills a `(frame_length, 1, fft_bins)` kernel with the real (`cos`) or
    imaginary (`-sin`) Fourier basis over the frame, multiplied by the
    window and divided by its L2 (`"density"`) or L1 (`"spectrum"`) norm,
    computed in the requested dtype exactly as Keras computes it.

    Args:
        side: `"real"` or `"imag"`.
        window: a `scipy.signal` window name (`"hann"`, `"hamming"`, ...;
            names other than hann/hamming/blackman/bartlett/boxcar need
            SciPy), an array of `frame_length` values, or None.
        scaling: `"density"`, `"spectrum"` or None.
        periodic: use the periodic (FFT) form of the window.

    Example:

    >>> import lamina
    >>> init = lamina.initializers.STFT("real", "hann", "density", False)
    >>> tuple(init(shape=(128, 1, 65)).shape)
    (128, 1, 65)
    """

    def __init__(
        self,
        side: str = "real",
        window: str = "hann",
        scaling: str = "density",
        periodic: bool = False,
    ):
        if side not in ("real", "imag"):
            raise ValueError(
                invalid_argument("STFT", "side", "'real' or 'imag'", side)
            )
        check_window_arguments("STFT", window, scaling)
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape: Any, dtype: Any = None) -> torch.Tensor:
        dtype = resolve_dtype(dtype)
        frame_length, _, bins = shape
        freq = torch.arange(bins, dtype=dtype).reshape(1, 1, bins) / (
            (bins - 1) * 2
        )
        time = torch.arange(frame_length, dtype=dtype).reshape(
            frame_length, 1, 1
        )
        pi = torch.arccos(torch.tensor(-1, dtype=dtype))
        args = (-2 * time) * freq * pi
        kernel = torch.cos(args) if self.side == "real" else torch.sin(args)
        if self.window is None:
            return kernel
        window = self.window
        if isinstance(window, str):
            window = get_window(window, frame_length, self.periodic)
        window = torch.as_tensor(np.asarray(window), dtype=dtype)
        if window.ndim != 1 or window.shape[-1] != frame_length:
            raise ValueError(
                invalid_argument(
                    "STFT",
                    "window",
                    f"{frame_length} values (the frame length)",
                    f"shape {tuple(window.shape)}",
                )
            )
        window = window.reshape(frame_length, 1, 1)
        scale = 1
        if self.scaling == "density":
            scale = torch.sqrt(torch.sum(torch.square(window)))
        elif self.scaling == "spectrum":
            scale = torch.sum(torch.abs(window))
        return kernel * window / scale

    def get_config(self) -> dict:
        window = self.window
        if isinstance(window, np.ndarray):
            window = window.tolist()
        return {
            "side": self.side,
            "window": window,
            "periodic": self.periodic,
            "scaling": self.scaling,
        }

    def __repr__(self) -> str:
        return (
            f"STFT(side={self.side!r}, window={self.window!r}, "
            f"scaling={self.scaling!r}, periodic={self.periodic})"
        )


def frames(length: int, frame: int, step: int) -> int:
    """How many `frame`-long windows a `"valid"` STFT takes."""
    return max(0, math.floor((length - frame) / step) + 1)
