"""Batch renormalization (Ioffe, 2017), the `renorm=True` mode of
`BatchNormalization`, kept out of the layer file as an optional feature.

In training the batch statistics are corrected towards moving ones by
`(r, d)` factors (clipped, no gradient), and inference uses
`moving_mean` / `moving_variance` as plain batch normalization does.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from lamina.errors import format_value
from lamina.layers.normalization.normalization_utils import normalize

_CLIP_KEYS = ("rmax", "rmin", "dmax")


def check_renorm_clipping(owner: str, clipping: Any) -> dict:
    """`renorm_clipping` as a dict with only known keys, checked."""
    clipping = dict(clipping or {})
    unknown = set(clipping) - set(_CLIP_KEYS)
    if unknown:
        raise ValueError(
            f"Invalid value for argument `renorm_clipping` of {owner}: "
            f"expected a dict with keys among {list(_CLIP_KEYS)}. Received: "
            f"renorm_clipping={format_value(clipping)}"
        )
    rmax, rmin = clipping.get("rmax"), clipping.get("rmin")
    if rmax is not None and rmin is not None and rmax < rmin:
        raise ValueError(
            f"Invalid value for argument `renorm_clipping` of {owner}: "
            f"expected rmax >= rmin. Received: rmax={rmax}, rmin={rmin}"
        )
    dmax = clipping.get("dmax")
    if dmax is not None and dmax < 0:
        raise ValueError(
            f"Invalid value for argument `renorm_clipping` of {owner}: "
            f"expected dmax >= 0. Received: dmax={dmax}"
        )
    return clipping


def add_renorm_weights(layer: Any, shape: tuple[int, ...]) -> None:
    """The three non-trainable statistics renorm tracks, after the moving
    mean and variance (Keras's weight order)."""
    variance_init = layer.moving_variance_initializer

    def stddev_init(shape, dtype=None):
        return torch.sqrt(torch.as_tensor(variance_init(shape, dtype=dtype)))

    layer.moving_stddev = layer.add_weight(
        name="moving_stddev",
        shape=shape,
        initializer=stddev_init,
        trainable=False,
    )
    layer.renorm_mean = layer.add_weight(
        name="renorm_mean",
        shape=shape,
        initializer=layer.moving_mean_initializer,
        trainable=False,
    )
    layer.renorm_stddev = layer.add_weight(
        name="renorm_stddev",
        shape=shape,
        initializer=stddev_init,
        trainable=False,
    )


def renorm_train(
    layer: Any,
    x: torch.Tensor,
    mean: torch.Tensor,
    variance: torch.Tensor,
    axis: int,
) -> torch.Tensor:
    """Training output with the renorm correction; updates the statistics.

    `mean` and `variance` are the batch moments (differentiable).
    """
    eps = layer.epsilon
    stddev = torch.sqrt(variance + eps)
    with torch.no_grad():
        # A floor of sqrt(eps) avoids dividing by ~0 early in training.
        renorm_stddev = layer.renorm_stddev.to(stddev.dtype).clamp_min(
            math.sqrt(eps)
        )
        r = stddev / renorm_stddev
        d = (mean - layer.renorm_mean.to(mean.dtype)) / renorm_stddev
        clip = layer.renorm_clipping
        if clip.get("rmin") is not None:
            r = r.clamp_min(clip["rmin"])
        if clip.get("rmax") is not None:
            r = r.clamp_max(clip["rmax"])
        if clip.get("dmax") is not None:
            d = d.clamp(-clip["dmax"], clip["dmax"])
    gamma, beta = layer.gamma, layer.beta
    new_gamma = r if gamma is None else r * gamma.to(x.dtype)
    new_beta = d if gamma is None else d * gamma.to(x.dtype)
    if beta is not None:
        new_beta = new_beta + beta.to(x.dtype)
    _update(layer, mean.detach(), stddev.detach())
    return normalize(x, mean, variance, new_gamma, new_beta, eps, axis)


def _update(layer: Any, mean: torch.Tensor, stddev: torch.Tensor) -> None:
    m, rm = layer.momentum, layer.renorm_momentum
    with torch.no_grad():
        layer.renorm_mean.copy_(layer.renorm_mean * rm + mean * (1.0 - rm))
        layer.renorm_stddev.copy_(
            layer.renorm_stddev * rm + stddev * (1.0 - rm)
        )
        layer.moving_mean.copy_(layer.moving_mean * m + mean * (1.0 - m))
        new_stddev = layer.moving_stddev * m + stddev * (1.0 - m)
        layer.moving_stddev.copy_(new_stddev)
        # Rounding can push stddev**2 - eps just below zero.
        layer.moving_variance.copy_(
            torch.relu(new_stddev * new_stddev - layer.epsilon)
        )
