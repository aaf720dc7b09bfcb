"""Global settings: float type, fuzz factor, image layout, seeds.

Defaults are Keras's. They can be overridden by a JSON file at
`$LAMINA_HOME/lamina.json` (default `~/.lamina/lamina.json`) with the keys
`floatx`, `epsilon` and `image_data_format`, and then by the environment
variables `LAMINA_FLOATX`, `LAMINA_EPSILON` and `LAMINA_IMAGE_DATA_FORMAT`.
"""

from __future__ import annotations

from typing import Any

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
    "traceback_filtering": True,
    "interactive_logging": True,
    "flash_attention": None,
    "max_epochs": None,
    "max_steps_per_epoch": None,
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
    # Debug caps: Keras's variables work too, so that a Keras script run
    # with `KERAS_MAX_EPOCHS=1` behaves the same under lamina.
    for key in ("max_epochs", "max_steps_per_epoch"):
        for prefix in ("KERAS_", "LAMINA_"):
            env = os.environ.get(prefix + key.upper())
            if env:
                _settings[key] = int(env)
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


def backend() -> str:
    """The name of the backend: always `"torch"`.

    >>> import lamina
    >>> lamina.config.backend()
    'torch'
    """
    return "torch"


def set_backend(backend: str) -> None:
    """Keras's backend switch. lamina is built on PyTorch alone, so only
    `"torch"` is accepted (and changes nothing)."""
    if backend != "torch":
        raise ValueError(
            "Invalid value for argument `backend` of set_backend: lamina "
            "runs on PyTorch only, so the only backend is 'torch' (use Keras "
            f"itself for JAX or TensorFlow). Received: backend={backend!r}"
        )


def is_nnx_enabled() -> bool:
    """Whether Flax NNX integration is on: never, on torch."""
    return False


def dtype_policy() -> Any:
    """The global dtype policy (see `lamina.dtype_policies`)."""
    from lamina.engine import dtype_policy as policies

    return policies.global_policy()


def set_dtype_policy(policy: Any) -> None:
    """Set the global dtype policy: a name (`"mixed_float16"`), a
    `DTypePolicy`, or `None` to go back to `floatx()`.

    >>> import lamina
    >>> lamina.config.set_dtype_policy("mixed_bfloat16")
    >>> lamina.layers.Dense(2).dtype_policy.compute_dtype
    'bfloat16'
    >>> lamina.config.set_dtype_policy(None)
    """
    from lamina.engine import dtype_policy as policies

    policies.set_global_policy(policy)


def enable_traceback_filtering() -> None:
    """Errors raised inside a layer's `call` name the layer and the
    arguments it received (the default)."""
    _settings["traceback_filtering"] = True


def disable_traceback_filtering() -> None:
    """Errors from a layer's `call` propagate exactly as raised, with no
    layer context added: easier to debug lamina itself."""
    _settings["traceback_filtering"] = False


def is_traceback_filtering_enabled() -> bool:
    return _settings["traceback_filtering"]


def enable_interactive_logging() -> None:
    """Progress bars and messages go to stdout (the default)."""
    _settings["interactive_logging"] = True


def disable_interactive_logging() -> None:
    """Progress bars and messages go to the `logging` module (logger
    `"lamina"`, level INFO) instead of stdout: for batch jobs."""
    _settings["interactive_logging"] = False


def is_interactive_logging_enabled() -> bool:
    return _settings["interactive_logging"]


def enable_flash_attention() -> None:
    """Require torch's flash-attention kernel in `dot_product_attention`
    (and the attention layers) when the call does not say otherwise."""
    _settings["flash_attention"] = True


def disable_flash_attention() -> None:
    """Keep torch's flash-attention kernel out of `dot_product_attention`:
    SDPA picks among its other kernels."""
    _settings["flash_attention"] = False


def is_flash_attention_enabled() -> bool | None:
    """`True`/`False` after `enable_`/`disable_flash_attention`; `None`
    (the default) lets torch choose its kernel."""
    return _settings["flash_attention"]


def _check_limit(value, name: str):
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or value < 1
    ):
        raise ValueError(
            f"Invalid value for argument `{name}` of set_{name}: expected a "
            f"positive integer or None. Received: {name}={value!r}"
        )
    return value


def set_max_epochs(max_epochs: int | None) -> None:
    """Cap the epochs of every `fit` (a debugging aid; also set by the
    `KERAS_MAX_EPOCHS` or `LAMINA_MAX_EPOCHS` environment variables).
    `None` removes the cap."""
    _settings["max_epochs"] = _check_limit(max_epochs, "max_epochs")


def max_epochs() -> int | None:
    return _settings["max_epochs"]


def set_max_steps_per_epoch(max_steps_per_epoch: int | None) -> None:
    """Cap the steps of each epoch of `fit`, and of `evaluate` and
    `predict` (a debugging aid; also `KERAS_MAX_STEPS_PER_EPOCH`).
    `None` removes the cap."""
    _settings["max_steps_per_epoch"] = _check_limit(
        max_steps_per_epoch, "max_steps_per_epoch"
    )


def max_steps_per_epoch() -> int | None:
    return _settings["max_steps_per_epoch"]


_load_user_settings()
