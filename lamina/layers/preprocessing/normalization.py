"""`Normalization`: shift and scale features by a mean and variance."""

from __future__ import annotations

from typing import Any

import numbers

import numpy as np
import torch

from lamina import config as lamina_config
from lamina.engine.layer import Layer
from lamina.layers.preprocessing import adapt_utils


class Normalization(Layer):
    """A preprocessing layer that normalizes continuous features.

    Computes `(inputs - mean) / sqrt(variance)` (clamped below by
    `epsilon()`), or its inverse with `invert=True`. The statistics are
    given on construction or learned with `adapt(data)`, which reduces over
    every axis except `axis`. As in Keras, an adapted layer keeps them in
    three non-trainable weights, `mean`, `variance` and `count` (an int
    that `adapt` leaves at 0); a layer given `mean`/`variance` has none.

    Args:
        axis: int, tuple of ints or `None`: the axes with their own mean
            and variance (`None`: one scalar mean and variance).
        mean: optional mean value(s), broadcast to the kept axes.
        variance: optional variance value(s), set together with `mean`.
        invert: whether to apply the inverse transformation.

    Input shape:
        Arbitrary; the kept axes must have known sizes.

    Output shape:
        Same as input.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.Normalization(axis=None)
    >>> layer.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0], dtype="float32"))
    >>> [round(v, 4) for v in layer(np.array([1.0, 3.0])).tolist()]
    [-1.4142, 0.0]
    """

    def __init__(
        self,
        axis: Any = -1,
        mean: Any = None,
        variance: Any = None,
        invert: bool = False,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, numbers.Integral):
            axis = (int(axis),)
        self.axis = tuple(int(a) for a in axis)
        adapt_utils.check_mean_variance(self, mean, variance)
        self.input_mean = mean
        self.input_variance = variance
        self.invert = bool(invert)
        self.supports_masking = True
        self._build_input_shape: tuple | None = None

    def build(self, input_shape: Any) -> None:
        shape = tuple(input_shape)
        self._keep, self._reduce, self._broadcast = adapt_utils.axes_plan(
            self, shape
        )
        self._build_input_shape = shape
        stat_shape = tuple(shape[d] for d in self._keep)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(
                name="mean",
                shape=stat_shape,
                initializer="zeros",
                trainable=False,
            )
            self.adapt_variance = self.add_weight(
                name="variance",
                shape=stat_shape,
                initializer="ones",
                trainable=False,
            )
            self.count = self.add_weight(
                name="count",
                shape=(),
                dtype="int32",
                initializer="zeros",
                trainable=False,
            )
            return
        for attr, value in (
            ("fixed_mean", self.input_mean),
            ("fixed_variance", self.input_variance),
        ):
            self.register_buffer(
                attr,
                adapt_utils.broadcast_stat(value, self._keep, self._broadcast),
                persistent=False,
            )

    def adapt(self, data: Any) -> None:
        """Compute the mean and variance of `data` (a NumPy array, a
        tensor, or an iterable of batches, `(x, y)` batches included) and
        store them in the layer's weights."""
        shape, batches = adapt_utils.peek_shape(self, data)
        if not self.built:
            self.build(shape)
            self.built = True
        adapt_utils.check_adapt_shape(self, shape)
        mean, variance = adapt_utils.moments(batches, self._reduce)
        with torch.no_grad():
            self.adapt_mean.copy_(mean.to(self.adapt_mean.dtype))
            self.adapt_variance.copy_(variance.to(self.adapt_variance.dtype))

    def _statistics(self):
        if self.input_mean is not None:
            return self.fixed_mean, self.fixed_variance
        return (
            self.adapt_mean.reshape(self._broadcast),
            self.adapt_variance.reshape(self._broadcast),
        )

    def call(self, inputs: torch.Tensor) -> Any:
        dtype = self._compute_torch_dtype
        mean, variance = (s.to(dtype) for s in self._statistics())
        std = torch.clamp_min(variance.sqrt(), lamina_config.epsilon())
        x = inputs.to(dtype)
        return mean + x * std if self.invert else (x - mean) / std

    def compute_mask(self, inputs: torch.Tensor, previous_mask: Any) -> Any:
        return previous_mask

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "invert": self.invert,
            "mean": np.array(self.input_mean).tolist(),
            "variance": np.array(self.input_variance).tolist(),
        }

    def get_build_config(self) -> dict | None:
        if self._build_input_shape is None:
            return None
        return {"input_shape": self._build_input_shape}

    def build_from_config(self, config: dict) -> None:
        if config and not self.built:
            self.build(tuple(config["input_shape"]))
            self.built = True
