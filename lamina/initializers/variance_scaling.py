"""`VarianceScaling` and its presets: Glorot, He and LeCun, uniform and
normal."""

from __future__ import annotations

import math
from typing import Any

import torch

from lamina.errors import invalid_argument
from lamina.initializers.initializer import standardize_shape
from lamina.initializers.random_initializers import RandomInitializer

# The standard deviation of a unit normal truncated to [-2, 2]: dividing by
# it gives the truncated draw the requested variance.
_TRUNCATED_STD = 0.87962566103423978
_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("uniform", "truncated_normal", "untruncated_normal")


def compute_fans(
    shape: tuple, input_axes: Any = None, output_axes: Any = None
) -> tuple:
    """Fan-in and fan-out of a weight shape, with Keras's layouts.

    Dense kernels are `(in, out)`; convolution kernels are
    `(*spatial, in, out)`, whose receptive field multiplies both fans.
    `input_axes` / `output_axes`, when both given, name the axes whose
    sizes multiply into each fan (e.g. for `EinsumDense` kernels).

    Example:

    >>> from lamina.initializers.variance_scaling import compute_fans
    >>> compute_fans((3, 3, 16, 32))
    (144, 288)
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return (
            math.prod(shape[a] for a in input_axes),
            math.prod(shape[a] for a in output_axes),
        )
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class VarianceScaling(RandomInitializer):
    """Initializer whose scale adapts to the shape of the weights.

    With `distribution="truncated_normal"` or `"untruncated_normal"`,
    values come from a (truncated) normal with mean 0 and variance
    `scale / n`; with `"uniform"`, from `[-limit, limit]`,
    `limit = sqrt(3 * scale / n)`. `n` is the fan-in (`mode="fan_in"`),
    the fan-out (`"fan_out"`) or their average (`"fan_avg"`).

    Args:
        scale: a positive scaling factor.
        mode: `"fan_in"`, `"fan_out"` or `"fan_avg"`.
        distribution: `"truncated_normal"` (`"normal"` is an alias),
            `"untruncated_normal"` or `"uniform"`.
        seed: an int, None or a `torch.Generator` (see
            `lamina.initializers.random_initializers`).
        input_axes: optional axes whose sizes make the fan-in.
        output_axes: optional axes whose sizes make the fan-out.

    Example:

    >>> import lamina
    >>> init = lamina.initializers.VarianceScaling(
    ...     scale=0.1, mode="fan_in", distribution="uniform", seed=1)
    >>> bool(init((100, 10)).abs().max() <= (3 * 0.1 / 100) ** 0.5)
    True
    """

    def __init__(
        self,
        scale: float = 1.0,
        mode: str = "fan_in",
        distribution: str = "truncated_normal",
        seed: Any = None,
        input_axes: Any = None,
        output_axes: Any = None,
    ):
        cls = type(self)
        if not isinstance(scale, (int, float)) or not scale > 0.0:
            raise ValueError(
                invalid_argument(cls, "scale", "a positive float", scale)
            )
        if mode not in _MODES:
            raise ValueError(
                invalid_argument(cls, "mode", f"one of {_MODES}", mode)
            )
        dist = (
            distribution.lower()
            if isinstance(distribution, str)
            else (distribution)
        )
        dist = "truncated_normal" if dist == "normal" else dist
        if dist not in _DISTRIBUTIONS:
            raise ValueError(
                invalid_argument(
                    cls,
                    "distribution",
                    f"one of {_DISTRIBUTIONS}",
                    distribution,
                )
            )
        self.scale = scale
        self.mode = mode
        self.distribution = dist
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> torch.Tensor:
        """A tensor of `shape` with the scaled variance."""
        shape = standardize_shape(shape, type(self).__name__)
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        n = {
            "fan_in": fan_in,
            "fan_out": fan_out,
            "fan_avg": (fan_in + fan_out) / 2.0,
        }[self.mode]
        scale = self.scale / max(1.0, n)
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(scale) / _TRUNCATED_STD
            return self._draw("truncated_normal", shape, dtype, 0.0, stddev)
        if self.distribution == "untruncated_normal":
            return self._draw("normal", shape, dtype, 0.0, math.sqrt(scale))
        limit = math.sqrt(3.0 * scale)
        return self._draw("uniform", shape, dtype, -limit, limit)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class _Preset(VarianceScaling):
    """A `VarianceScaling` with fixed scale, mode and distribution."""

    _preset = (1.0, "fan_in", "truncated_normal")

    def __init__(
        self, seed: Any = None, input_axes: Any = None, output_axes: Any = None
    ):
        scale, mode, distribution = self._preset
        super().__init__(
            scale=scale,
            mode=mode,
            distribution=distribution,
            seed=seed,
            input_axes=input_axes,
            output_axes=output_axes,
        )

    def get_config(self) -> dict:
        return {
            "seed": RandomInitializer.get_config(self)["seed"],
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class GlorotUniform(_Preset):
    """Glorot (Xavier) uniform initializer: uniform on `[-limit, limit]`,
    `limit = sqrt(6 / (fan_in + fan_out))`.

    Args:
        seed: an int, None or a `torch.Generator`.
        input_axes: optional axes whose sizes make the fan-in.
        output_axes: optional axes whose sizes make the fan-out.

    Example:

    >>> import lamina
    >>> lamina.initializers.GlorotUniform(seed=1)((3, 4)).shape
    torch.Size([3, 4])

    Reference:

    - [Glorot et al., 2010](http://proceedings.mlr.press/v9/glorot10a.html)
    """

    _preset = (1.0, "fan_avg", "uniform")


class GlorotNormal(_Preset):
    """Glorot (Xavier) normal initializer: a truncated normal with
    `stddev = sqrt(2 / (fan_in + fan_out))`.

    Args:
        seed: an int, None or a `torch.Generator`.
        input_axes: optional axes whose sizes make the fan-in.
        output_axes: optional axes whose sizes make the fan-out.

    Reference:

    - [Glorot et al., 2010](http://proceedings.mlr.press/v9/glorot10a.html)
    """

    _preset = (1.0, "fan_avg", "truncated_normal")


class HeUniform(_Preset):
    """He uniform initializer: uniform on `[-limit, limit]`,
    `limit = sqrt(6 / fan_in)`.

    Args:
        seed: an int, None or a `torch.Generator`.
        input_axes: optional axes whose sizes make the fan-in.
        output_axes: optional axes whose sizes make the fan-out.

    Reference:

    - [He et al., 2015](https://arxiv.org/abs/1502.01852)
    """

    _preset = (2.0, "fan_in", "uniform")


class HeNormal(_Preset):
    """He normal initializer: a truncated normal with
    `stddev = sqrt(2 / fan_in)`.

    Args:
        seed: an int, None or a `torch.Generator`.
        input_axes: optional axes whose sizes make the fan-in.
        output_axes: optional axes whose sizes make the fan-out.

    Reference:

    - [He et al., 2015](https://arxiv.org/abs/1502.01852)
    """

    _preset = (2.0, "fan_in", "truncated_normal")


class LecunUniform(_Preset):
    """LeCun uniform initializer: uniform on `[-limit, limit]`,
    `limit = sqrt(3 / fan_in)`.

    Args:
        seed: an int, None or a `torch.Generator`.
        input_axes: optional axes whose sizes make the fan-in.
        output_axes: optional axes whose sizes make the fan-out.

    Reference:

    - [Klambauer et al., 2017](https://arxiv.org/abs/1706.02515)
    """

    _preset = (1.0, "fan_in", "uniform")


class LecunNormal(_Preset):
    """LeCun normal initializer: a truncated normal with
    `stddev = sqrt(1 / fan_in)`.

    Args:
        seed: an int, None or a `torch.Generator`.
        input_axes: optional axes whose sizes make the fan-in.
        output_axes: optional axes whose sizes make the fan-out.

    Reference:

    - [Klambauer et al., 2017](https://arxiv.org/abs/1706.02515)
    """

    _preset = (1.0, "fan_in", "truncated_normal")
