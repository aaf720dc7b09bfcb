"""The base optimizer arguments (their order, their checks) and default
names."""

from __future__ import annotations

from typing import Any

from lamina.engine import naming
from lamina.errors import invalid_argument


# Keras lists these after each optimizer's own arguments, in this order, so
# `SGD(0.1, 0.9, True, 1e-4)` binds `weight_decay` as it does in Keras.
BASE_ARGUMENTS = (
    "weight_decay",
    "clipnorm",
    "clipvalue",
    "global_clipnorm",
    "use_ema",
    "ema_momentum",
    "ema_overwrite_frequency",
    "loss_scale_factor",
    "gradient_accumulation_steps",
    "name",
)


def base_arguments(arguments: dict) -> dict:
    """The base `Optimizer` arguments among a subclass's `locals()`."""
    return {key: arguments[key] for key in BASE_ARGUMENTS if key in arguments}


def auto_name(class_name: str) -> str:
    """Keras's default object name: snake case, made unique by a suffix
    (one counter shared with layers, as in Keras).

    Example:

    >>> from lamina.optimizers.argument_checks import auto_name
    >>> auto_name("RMSpropDemo")
    'rm_sprop_demo'
    """
    return naming.auto_name(naming.to_snake_case(class_name))


def check_accumulation(cls: type, steps: Any) -> None:
    """`gradient_accumulation_steps` is None or an int >= 2."""
    if steps and (
        isinstance(steps, bool) or not isinstance(steps, int) or steps < 2
    ):
        raise ValueError(
            invalid_argument(
                cls,
                "gradient_accumulation_steps",
                "an integer >= 2 or None",
                steps,
            )
        )


def check_ema(cls: type, momentum: Any, frequency: Any) -> None:
    """With `use_ema`, `ema_momentum` is in [0, 1] and
    `ema_overwrite_frequency` is None or an int >= 1."""
    if not 0 <= momentum <= 1:
        raise ValueError(
            invalid_argument(cls, "ema_momentum", "a float in [0, 1]", momentum)
        )
    if frequency and (not isinstance(frequency, int) or frequency < 1):
        raise ValueError(
            invalid_argument(
                cls,
                "ema_overwrite_frequency",
                "an integer >= 1 or None",
                frequency,
            )
        )


def check_clipping(
    cls: type, clipnorm: Any, clipvalue: Any, global_clipnorm: Any
) -> None:
    """At most one of the three clipping arguments is set."""
    given = [a is not None for a in (clipnorm, clipvalue, global_clipnorm)]
    if sum(given) > 1:
        raise ValueError(
            f"Invalid arguments for {cls.__name__}: only one of `clipnorm`, "
            "`clipvalue` and `global_clipnorm` can be set. Received: "
            f"clipnorm={clipnorm}, clipvalue={clipvalue}, "
            f"global_clipnorm={global_clipnorm}"
        )
