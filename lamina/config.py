"""Global settings: float type, fuzz factor, image layout, seeds.

Defaults are Keras's. They can be overridden by a JSON file at
`$LAMINA_HOME/lamina.json` (default `~/.lamina/lamina.json`) with the keys
`floatx`, `epsilon` and `image_data_format`, and then by the environment
variables `LAMINA_FLOATX`, `LAMINA_EPSILON` and `LAMINA_IMAGE_DATA_FORMAT`.
"""

from __future__ import annotations

import json
import os
import random

import numpy as np
import torch

_FLOATX_CHOICES = ("float16", "bfloat16", "float32", "float64")
_FORMAT_CHOICES = ("channels_last", "channels_first")

_settings = {
    "floatx": "float32",
    "epsilon": 1e-7,
    "image_data_format": "channels_last",
    "unsafe_deserialization": False,
}


def _load_user_settings() -> None:
    home = os.environ.get(
        "LAMINA_HOME", os.path.join(os.path.expanduser("~"), ".lamina")
    )
    path = os.path.join(home, "lamina.json")
    values = {}
    try:
        with open(path) as f:
            loaded = json.load(f)
        if isinstance(loaded, dict):
            values.update(loaded)
    except (OSError, ValueError):
        pass  # A missing or unreadable file means the defaults.
    for key in ("floatx", "epsilon", "image_data_format"):
        env = os.environ.get("LAMINA_" + key.upper())
        if env:
            values[key] = env
    if "floatx" in values:
        set_floatx(values["floatx"])
    if "epsilon" in values:
        set_epsilon(float(values["epsilon"]))
    if "image_data_format" in values:
        set_image_data_format(values["image_data_format"])


def floatx() -> str:
    """The default float type, as a string (`"float32"`)."""
    return _settings["floatx"]


def set_floatx(value: str) -> None:
    """Set the default float type, one of `float16`, `bfloat16`, `float32`,
    `float64`."""
    if value not in _FLOATX_CHOICES:
        raise ValueError(
            f"Unknown `floatx` value. Expected one of {_FLOATX_CHOICES}. "
            f"Received: floatx={value!r}"
        )
    _settings["floatx"] = value


def epsilon() -> float:
    """The fuzz factor used to avoid division by zero (default `1e-7`)."""
    return _settings["epsilon"]


def set_epsilon(value: float) -> None:
    """Set the fuzz factor used in numeric expressions."""
    _settings["epsilon"] = float(value)


def image_data_format() -> str:
    """The default image layout: `"channels_last"` or `"channels_first"`."""
    return _settings["image_data_format"]


def set_image_data_format(data_format: str) -> None:
    """Set the default image layout."""
    fmt = str(data_format).lower()
    if fmt not in _FORMAT_CHOICES:
        raise ValueError(
            f"The `data_format` argument must be one of {_FORMAT_CHOICES}. "
            f"Received: data_format={data_format!r}"
        )
    _settings["image_data_format"] = fmt


def standardize_data_format(data_format: str | None) -> str:
    """Resolve `None` to the global default and validate the value."""
    if data_format is None:
        return image_data_format()
    fmt = str(data_format).lower()
    if fmt not in _FORMAT_CHOICES:
        raise ValueError(
            f"The `data_format` argument must be one of {_FORMAT_CHOICES}. "
            f"Received: data_format={data_format!r}"
        )
    return fmt


def set_random_seed(seed: int) -> None:
    """Seed Python's, NumPy's and PyTorch's generators and lamina's own.

    Layers with `seed=None` draw their seeds from lamina's global generator,
    so after this call their weights and dropout masks are reproducible.
    """
    if not isinstance(seed, int):
        raise ValueError(
            "Expected `seed` argument to be an integer. "
            f"Received: seed={seed!r} (of type {type(seed)})"
        )
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    from lamina.utils import rng

    rng.reset_global_generator(seed)


def enable_unsafe_deserialization() -> None:
    """Allow `load_model` to rebuild Python functions (e.g. Lambda layers)."""
    _settings["unsafe_deserialization"] = True


def unsafe_deserialization_enabled() -> bool:
    return _settings["unsafe_deserialization"]


_load_user_settings()
