"""`device`: the device that tensors and weights are created on."""

from __future__ import annotations

import contextlib
from typing import Iterator

import torch


def _parse(device_name: object) -> torch.device:
    if isinstance(device_name, torch.device):
        return device_name
    if not isinstance(device_name, str):
        raise ValueError(
            "Invalid value for argument `device_name`. Expected a string "
            f"like 'gpu:0' or 'cpu'. Received: device_name={device_name!r}"
        )
    name = device_name.lower()
    if "gpu" in name:
        name = name.replace("gpu", "cuda")
    return torch.device(name)


@contextlib.contextmanager
def device(device_name: str) -> Iterator[None]:
    """Create tensors and layer weights on `device_name` inside the block
    (Keras's `keras.device`; `"gpu:0"` means `"cuda:0"`).

    It is torch's default-device context (`with torch.device(...)`), so
    every torch factory call in the block (`torch.zeros`, a layer's
    weights when it builds) uses the device.

    Example:

    >>> import lamina
    >>> with lamina.device("cpu"):
    ...     layer = lamina.layers.Dense(2)
    ...     layer.build((None, 3))
    >>> layer.kernel.device
    device(type='cpu')
    """
    with _parse(device_name):
        yield
