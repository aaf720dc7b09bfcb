"""`Rescaling`: multiply inputs by `scale` and add `offset`."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from lamina import config as lamina_config
from lamina.engine.layer import Layer


def _plain(value):
    """A config value as JSON-friendly data (NumPy arrays become lists)."""
    if isinstance(value, (np.ndarray, np.generic, torch.Tensor)):
        return np.asarray(value).tolist()
    return value


def _from_plain(value):
    """Undo Keras's `__numpy__` serialization of array arguments."""
    if isinstance(value, dict) and value.get("class_name") == "__numpy__":
        return np.array(
            value["config"]["value"], dtype=value["config"].get("dtype")
        )
    return value


class Rescaling(Layer):
    """A preprocessing layer which rescales input values to a new range.

    Every value becomes `inputs * scale + offset`, in training and in
    inference. Integer inputs are accepted; the output takes the layer's
    compute dtype. To map `[0, 255]` to `[0, 1]` pass `scale=1 / 255`; to
    map it to `[-1, 1]` pass `scale=1 / 127.5, offset=-1`.

    Args:
        scale: float, or a list of floats (one per channel), the scale.
        offset: float, or a list of floats, the offset.
        **kwargs: base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        Arbitrary.

    Output shape:
        Same as input.

    Note:
        As in Keras, a per-channel `scale` is reshaped to `(C, 1, 1)` when
        `lamina.config.image_data_format()` is `"channels_first"`; `offset`
        is broadcast as given.

    Example:

    >>> import torch, lamina
    >>> layer = lamina.layers.Rescaling(scale=1 / 127.5, offset=-1.0)
    >>> layer(torch.tensor([0, 127.5, 255.0])).tolist()
    [-1.0, 0.0, 1.0]
    """

    def __init__(self, scale: Any, offset: float = 0.0, **kwargs: Any):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        dtype = self._compute_torch_dtype
        scale = torch.as_tensor(
            np.asarray(self.scale), dtype=dtype, device=inputs.device
        )
        offset = torch.as_tensor(
            np.asarray(self.offset), dtype=dtype, device=inputs.device
        )
        if (
            scale.ndim > 0
            and lamina_config.image_data_format() == "channels_first"
        ):
            scale = scale.reshape(tuple(scale.shape) + (1,) * (3 - scale.ndim))
        return inputs.to(dtype) * scale + offset

    def compute_mask(self, inputs: torch.Tensor, previous_mask: Any) -> Any:
        return previous_mask

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "scale": _plain(self.scale),
            "offset": _plain(self.offset),
        }

    @classmethod
    def from_config(cls, config: dict) -> "Rescaling":
        config = dict(config)
        config["scale"] = _from_plain(config["scale"])
        config["offset"] = _from_plain(config["offset"])
        return super().from_config(config)
