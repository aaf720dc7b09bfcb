"""How `Layer.__call__` prepares its inputs: conversion and casting.

Arrays and Python numbers become tensors, float inputs take the layer's
compute dtype (when `autocast`), and bool/integer inputs of a layer with
float weights are promoted, since torch's ops do not promote `bool @
float32` as Keras's do. `Layer` binds these as its private methods; a
tensor's Keras mask (`_keras_mask`) survives every cast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from lamina.utils import tree

if TYPE_CHECKING:
    from lamina.engine.layer import Layer


def _cast_keeping_mask(x: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    mask = getattr(x, "_keras_mask", None)
    x = x.to(dtype)
    if mask is not None:
        setattr(x, "_keras_mask", mask)
    return x


def convert_inputs(layer: Layer, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Arrays and lists become tensors; float inputs take the compute
    dtype (when `autocast`)."""
    if (
        len(args) == 1
        and isinstance(args[0], torch.Tensor)
        and (
            args[0].dtype is layer._compute_torch_dtype
            or not args[0].is_floating_point()
        )
    ):
        return args
    converted: tuple[Any, ...] = tree.map_structure(layer._convert_one, args)
    return converted


def convert_one(layer: Layer, x: Any) -> Any:
    if isinstance(x, np.ndarray) and x.dtype.kind in "USO":
        return x  # text stays NumPy (torch has no strings)
    if isinstance(x, (np.ndarray, np.generic)) or (
        isinstance(x, (float, int)) and not isinstance(x, bool)
    ):
        x = torch.as_tensor(x)
    if (
        isinstance(x, torch.Tensor)
        and layer.autocast
        and x.is_floating_point()
        and x.dtype is not layer._compute_torch_dtype
    ):
        x = _cast_keeping_mask(x, layer._compute_torch_dtype)
    return x


def promotes_inputs(layer: Layer) -> bool:
    """Whether bool and integer inputs are cast to the compute dtype:
    for a built layer with float weights (its own or its sublayers'),
    unless it or a sublayer takes integer inputs (`Embedding`).

    Keras's ops promote `bool @ float32` to float32, so `Dense` on a
    bool array works there; torch's do not, so the engine casts here,
    once, before `call`. Decided once per layer, after `build`."""
    flag: bool | None = layer.__dict__.get("_promotes_inputs_flag")
    if flag is None:
        if not layer.built:
            return False
        from lamina.engine.layer import Layer  # layer.py imports this module

        layers = [m for m in layer.modules() if isinstance(m, Layer)]
        flag = not any(sub._keeps_input_dtype for sub in layers) and any(
            p.is_floating_point() for p in layer.parameters()
        )
        object.__setattr__(layer, "_promotes_inputs_flag", flag)
    return flag


def promote_one(layer: Layer, x: Any) -> Any:
    if isinstance(x, torch.Tensor) and not (
        x.is_floating_point() or x.is_complex()
    ):
        x = _cast_keeping_mask(x, layer._compute_torch_dtype)
    return x


def to_compute_dtype(layer: Layer, x: Any) -> Any:
    if isinstance(x, torch.Tensor) and x.dtype == torch.float32:
        x = _cast_keeping_mask(x, layer._compute_torch_dtype)
    return x


def has_non_float(args: tuple[Any, ...]) -> bool:
    """Whether any tensor in `args` is bool or integer (one float tensor,
    the common call, is answered without walking a structure)."""
    if len(args) == 1 and isinstance(args[0], torch.Tensor):
        return not (args[0].is_floating_point() or args[0].is_complex())
    return any(
        isinstance(x, torch.Tensor)
        and not (x.is_floating_point() or x.is_complex())
        for x in tree.flatten(args)
    )


def device_type(args: tuple[Any, ...]) -> str:
    """The device type of the first tensor in `args` (for autocast)."""
    for x in tree.flatten(args):
        if isinstance(x, torch.Tensor):
            return str(x.device.type)
    return "cpu"
