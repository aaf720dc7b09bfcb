"""Type and range checks on the arguments of `compile`, `fit`,
`evaluate` and `predict`, made before any step runs.

The rule is Keras 3's behaviour, argument by argument (checked against
Keras 3.15 on its torch backend):

- where Keras refuses a value, lamina refuses it with the same error type
  (`ValueError` for a batch size of 2.5, `True` or -4, for `x=None`, for
  `validation_freq=0`; `TypeError` for a fractional `epochs`), but with
  one message naming the argument, what was expected and what was
  received;
- where Keras accepts a value that cannot mean what the caller wants
  (`epochs=-3` trains nothing, `shuffle="x"`, `steps_per_execution=0`),
  lamina accepts it too and says so in a `LaminaWarning`.

NumPy integers count as integers (Keras refuses `np.int64(4)` as a batch
size; nothing is gained by refusing it).
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

from lamina.errors import LaminaWarning, invalid_argument

_VERBOSE = ("auto", 0, 1, 2)


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _positive_int(
    value: Any, arg: str, method: str, error: type = ValueError
) -> None:
    """`value` must be None or an integer >= 1."""
    if value is None:
        return
    if not _is_int(value):
        raise error(
            invalid_argument(method, arg, "a positive integer or None", value)
        )
    if value < 1:
        raise ValueError(
            invalid_argument(method, arg, "a positive integer or None", value)
        )


def _integer(value: Any, arg: str, method: str) -> None:
    if not _is_int(value):
        # Python's own error when Keras hands the value to `range`.
        raise TypeError(invalid_argument(method, arg, "an integer", value))


def _warn(method: str, arg: str, value: Any, why: str, depth: int = 0) -> None:
    # stacklevel: this, the check (and `depth` helpers), the Model
    # method, then the caller's line.
    warnings.warn(
        f"`{method}` received {arg}={value!r}: {why}",
        LaminaWarning,
        stacklevel=4 + depth,
    )


def _check_x(x: Any, method: str) -> None:
    if x is None:
        raise ValueError(
            invalid_argument(
                method,
                "x",
                "the input data (arrays, tensors, a dataset or a generator)",
                x,
            )
        )


def _check_verbose(verbose: Any, method: str) -> None:
    if isinstance(verbose, bool) or verbose not in _VERBOSE:
        raise ValueError(
            invalid_argument(method, "verbose", "'auto', 0, 1 or 2", verbose)
        )


def check_fit(
    x: Any,
    batch_size: Any,
    epochs: Any,
    verbose: Any,
    validation_split: Any,
    shuffle: Any,
    class_weight: Any,
    initial_epoch: Any,
    steps_per_epoch: Any,
    validation_steps: Any,
    validation_batch_size: Any,
    validation_freq: Any,
) -> None:
    """Check `Model.fit`'s arguments (see the module docstring)."""
    method = "Model.fit"
    _check_x(x, method)
    _positive_int(batch_size, "batch_size", method)
    _integer(epochs, "epochs", method)
    _integer(initial_epoch, "initial_epoch", method)
    _check_verbose(verbose, method)
    if isinstance(validation_split, bool) or not isinstance(
        validation_split, numbers.Real
    ):
        raise TypeError(
            invalid_argument(
                method,
                "validation_split",
                "a float in [0, 1)",
                validation_split,
            )
        )
    _positive_int(steps_per_epoch, "steps_per_epoch", method, TypeError)
    _positive_int(validation_steps, "validation_steps", method, TypeError)
    _positive_int(validation_batch_size, "validation_batch_size", method)
    _check_validation_freq(validation_freq, method)
    if class_weight is not None and not isinstance(class_weight, dict):
        raise TypeError(
            invalid_argument(
                method,
                "class_weight",
                "a dict {class index: weight} or None",
                class_weight,
            )
        )
    _warn_fit(epochs, initial_epoch, shuffle, method)


def _warn_fit(
    epochs: int, initial_epoch: int, shuffle: Any, method: str
) -> None:
    """The values Keras accepts silently although they cannot mean what
    the caller wants."""
    if initial_epoch < 0:
        _warn(
            method,
            "initial_epoch",
            initial_epoch,
            "epochs are counted from 0.",
            depth=1,
        )
    if epochs <= max(initial_epoch, 0):
        _warn(
            method,
            "epochs",
            epochs,
            f"with initial_epoch={initial_epoch}"
            " no epoch runs (`epochs` is the index of the last epoch, not "
            "a count).",
            depth=1,
        )
    if not isinstance(shuffle, bool) and shuffle != "batch":
        _warn(
            method,
            "shuffle",
            shuffle,
            "expected True, False or 'batch'; it is read as a truth value.",
            depth=1,
        )


def _check_validation_freq(freq: Any, method: str) -> None:
    items = freq if isinstance(freq, (list, tuple, set, range)) else [freq]
    if not isinstance(freq, (list, tuple, set, range)) and not _is_int(freq):
        raise ValueError(
            invalid_argument(
                method,
                "validation_freq",
                "a positive integer or a list of epoch numbers",
                freq,
            )
        )
    if not all(_is_int(i) and i >= 1 for i in items):
        raise ValueError(
            invalid_argument(
                method,
                "validation_freq",
                "a positive integer or a list of positive epoch numbers",
                freq,
            )
        )


def check_evaluate(x: Any, batch_size: Any, verbose: Any, steps: Any) -> None:
    """Check `Model.evaluate`'s arguments."""
    method = "Model.evaluate"
    _check_x(x, method)
    _positive_int(batch_size, "batch_size", method)
    _check_verbose(verbose, method)
    _positive_int(steps, "steps", method, TypeError)


def check_predict(x: Any, batch_size: Any, verbose: Any, steps: Any) -> None:
    """Check `Model.predict`'s arguments."""
    method = "Model.predict"
    _check_x(x, method)
    _positive_int(batch_size, "batch_size", method)
    _check_verbose(verbose, method)
    _positive_int(steps, "steps", method, TypeError)


def check_compile(
    metrics: Any,
    weighted_metrics: Any,
    loss_weights: Any,
    run_eagerly: Any,
    steps_per_execution: Any,
    jit_compile: Any,
    auto_scale_loss: Any,
) -> None:
    """Check `Model.compile`'s arguments (the optimizer and the losses
    are checked where they are resolved)."""
    method = "Model.compile"
    for arg, value in (
        ("metrics", metrics),
        ("weighted_metrics", weighted_metrics),
    ):
        if value is not None and not isinstance(value, (list, tuple, dict)):
            raise ValueError(
                invalid_argument(method, arg, "a list, tuple or dict", value)
            )
    if loss_weights is not None and (
        isinstance(loss_weights, bool)
        or (not isinstance(loss_weights, (numbers.Real, list, tuple, dict)))
    ):
        raise ValueError(
            invalid_argument(
                method,
                "loss_weights",
                "a float (one output) or a list, tuple or dict of floats",
                loss_weights,
            )
        )
    if not _is_int(steps_per_execution) or steps_per_execution < 1:
        _warn(
            method,
            "steps_per_execution",
            steps_per_execution,
            "expected a positive integer; lamina runs one step per "
            "execution instead.",
        )
    for arg, value, allowed in (
        ("run_eagerly", run_eagerly, (True, False)),
        ("jit_compile", jit_compile, (True, False, "auto")),
        ("auto_scale_loss", auto_scale_loss, (True, False)),
    ):
        if not any(
            value is a or (isinstance(a, str) and value == a) for a in allowed
        ):
            _warn(
                method,
                arg,
                value,
                f"expected one of {allowed}; it is read as a truth value.",
            )
