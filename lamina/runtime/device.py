"""The device lamina trains on when the user has not chosen one."""

from __future__ import annotations

import os

import torch


def default_device() -> torch.device:
    """CUDA, then MPS, then CPU; `LAMINA_DEVICE` overrides.

    Example:

    >>> import os
    >>> from lamina.runtime.device import default_device
    >>> os.environ["LAMINA_DEVICE"] = "cpu"
    >>> default_device()
    device(type='cpu')
    >>> del os.environ["LAMINA_DEVICE"]
    """
    name = os.environ.get("LAMINA_DEVICE")
    if name:
        return torch.device(name)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


__all__ = ["default_device"]
