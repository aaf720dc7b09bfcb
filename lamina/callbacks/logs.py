"""Turning the trainer's logs (device tensors) into the Python floats that
callbacks read, with one device-to-host copy per hook, done by
`CallbackList`."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch


def to_python_logs(logs: dict | None) -> dict:
    """Flatten `logs` and turn scalar tensors and arrays into floats.

    Keys come out sorted (as Keras orders them); nested dicts are merged in;
    values that cannot become a float (strings, vectors) are kept. All the
    scalar tensors on one device are copied to the host together.
    """
    result = flatten_logs(logs)
    scalars = {}  # device -> keys of its one-element tensors
    for key, value in result.items():
        if isinstance(value, torch.Tensor) and value.numel() == 1:
            scalars.setdefault(value.device, []).append(key)
        else:
            result[key] = _to_python(value)
    for device, keys in scalars.items():
        # float64 holds every float32/bfloat16/int32 value exactly; MPS
        # has no float64.
        dtype = torch.float32 if device.type == "mps" else torch.float64
        stacked = torch.stack(
            [result[k].detach().reshape(()).to(dtype) for k in keys]
        )
        for key, value in zip(keys, stacked.cpu().tolist()):
            result[key] = value
    return result


def flatten_logs(logs: dict | None) -> dict:
    """`logs` with nested dicts (a metric container's results) merged in,
    keys sorted."""
    result = {}
    for key, value in sorted((logs or {}).items()):
        if isinstance(value, dict):
            result.update(flatten_logs(value))
        else:
            result[key] = value
    return result


def _to_python(value: Any) -> Any:
    if isinstance(value, torch.Tensor):  # Vectors stay arrays.
        value = value.detach().cpu()
        if value.dtype == torch.bfloat16:  # NumPy has no bfloat16.
            value = value.float()
        return value.numpy()
    if isinstance(value, np.ndarray):
        return float(value.reshape(())) if value.size == 1 else value
    try:
        return float(value)
    except (TypeError, ValueError):
        return value
