"""Learning-rate schedules (`keras.optimizers.schedules`)."""

from __future__ import annotations

from typing import Any

from lamina.optimizers.schedules.learning_rate_schedule import (
    CosineDecay as CosineDecay,
)
from lamina.optimizers.schedules.learning_rate_schedule import (
    CosineDecayRestarts as CosineDecayRestarts,
)
from lamina.optimizers.schedules.learning_rate_schedule import (
    ExponentialDecay as ExponentialDecay,
)
from lamina.optimizers.schedules.learning_rate_schedule import (
    InverseTimeDecay as InverseTimeDecay,
)
from lamina.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule as LearningRateSchedule,
)
from lamina.optimizers.schedules.learning_rate_schedule import (
    PiecewiseConstantDecay as PiecewiseConstantDecay,
)
from lamina.optimizers.schedules.learning_rate_schedule import (
    PolynomialDecay as PolynomialDecay,
)
from lamina.saving import serialization

__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LearningRateSchedule",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "deserialize",
    "serialize",
]


def serialize(learning_rate_schedule: LearningRateSchedule) -> dict:
    """Serialize a schedule into Keras's `{"module", "class_name", ...}` form.

    Example:

    >>> import lamina
    >>> s = lamina.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
    >>> lamina.optimizers.schedules.serialize(s)["class_name"]
    'ExponentialDecay'
    """
    return serialization.serialize_keras_object(learning_rate_schedule)


def deserialize(
    config: dict, custom_objects: dict | None = None
) -> LearningRateSchedule:
    """Rebuild a schedule from `serialize`'s output (or Keras's).

    Example:

    >>> import lamina
    >>> s = lamina.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
    >>> config = lamina.optimizers.schedules.serialize(s)
    >>> lamina.optimizers.schedules.deserialize(config).decay_rate
    0.5
    """
    obj: Any = serialization.deserialize_keras_object(
        config, custom_objects=custom_objects
    )
    if not isinstance(obj, LearningRateSchedule) and not callable(obj):
        raise ValueError(
            "Could not interpret learning rate schedule config: expected a "
            f"LearningRateSchedule. Received: config={config!r}"
        )
    return obj
