"""The data of one `fit` call: its arguments (`FitArguments`), the
training data and the validation data, split off the arrays when
`validation_split` asks for it."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import torch

from lamina.trainers import loop_setup
from lamina.trainers.data_adapters import unpack_x_y_sample_weight
from lamina.trainers.data_adapters.array_data_adapter import (
    train_validation_split,
)
from lamina.trainers.run_hooks import RunHooks
from lamina.utils import tree


@dataclasses.dataclass(frozen=True)
class FitArguments:
    """The arguments of one `fit` call, as Keras 3's `Model.fit` names
    them; frozen, so no helper changes what the caller asked for."""

    x: Any = None
    y: Any = None
    batch_size: int | None = None
    epochs: int = 1
    verbose: Any = "auto"
    callbacks: Any = None
    validation_split: float = 0.0
    validation_data: Any = None
    shuffle: Any = True
    class_weight: dict | None = None
    sample_weight: Any = None
    initial_epoch: int = 0
    steps_per_epoch: int | None = None
    validation_steps: int | None = None
    validation_batch_size: int | None = None
    validation_freq: Any = 1


def _split_validation(x, y, sample_weight, validation_split):
    if not 0.0 < validation_split < 1.0:
        raise ValueError(
            "`validation_split` must be a float in the open interval (0, 1)."
            f" Received: validation_split={validation_split}"
        )
    if not _is_arrays(x):
        raise ValueError(
            "`validation_split` is only supported for NumPy arrays and "
            f"tensors; received x of type {type(x).__name__}. Pass "
            "`validation_data` instead."
        )
    train, val = train_validation_split((x, y, sample_weight), validation_split)
    return train, val


def _is_arrays(x) -> bool:
    return all(
        isinstance(t, (np.ndarray, torch.Tensor, list)) for t in tree.flatten(x)
    )


def fit_data(run: RunHooks, device: Any, args: FitArguments) -> tuple:
    """The training data and the validation data (or None) of a fit."""
    (x, y, sample_weight), validation_data = _validation_data(args)
    data = loop_setup.data_for(
        run,
        device,
        "fit",
        x,
        y,
        sample_weight,
        batch_size=args.batch_size,
        shuffle=args.shuffle,
        class_weight=args.class_weight,
    )
    if validation_data is None:
        return data, None
    vx, vy, vsw = unpack_x_y_sample_weight(validation_data)
    val_data = loop_setup.data_for(
        run,
        device,
        "fit (validation_data)",
        vx,
        vy,
        vsw,
        batch_size=args.validation_batch_size or args.batch_size,
    )
    return data, val_data


def _validation_data(args: FitArguments) -> tuple:
    """`((x, y, sample_weight), validation_data)`, split off the arrays
    when `validation_split` asks for it."""
    arrays = (args.x, args.y, args.sample_weight)
    if args.validation_split and args.validation_data is None:
        return _split_validation(*arrays, args.validation_split)
    return arrays, args.validation_data


__all__ = ["FitArguments", "fit_data"]
