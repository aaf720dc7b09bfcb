"""The RNN cell protocol: checking a cell, calling one step of it.

A cell is anything with `call(inputs, states)` returning `(output,
new_states)` and a `state_size` (an int, or a list with one entry per
state): the built-in cells, a user's `Layer` subclass, or a plain object.
Its `call` may also take `training` and `constants`.
"""

from __future__ import annotations

from typing import Any

import inspect

from lamina.engine import call_context
from lamina.layers.recurrent.base_rnn_cell import BaseRNNCell
import torch


def check_cell(cell: Any, owner: str, arg: str = "cell") -> None:
    """A ValueError naming `owner` unless `cell` has a `call` method and a
    `state_size` made of positive integers."""
    if not callable(getattr(cell, "call", None)):
        raise ValueError(
            f"{owner}: an RNN cell must have a `call(inputs, states)` "
            f"method. Received: {arg}={cell!r}"
        )
    size = getattr(cell, "state_size", None)
    if size is None or not _valid_size(size):
        raise ValueError(
            f"{owner}: an RNN cell must have a `state_size` attribute, a "
            "positive integer or a list of them (one per state). "
            f"Received: {arg}={cell!r} with state_size={size!r}"
        )


def _valid_size(size) -> bool:
    if isinstance(size, (list, tuple)):
        return len(size) > 0 and all(_valid_size(s) for s in size)
    return isinstance(size, int) and not isinstance(size, bool) and size > 0


# Cell class -> the names its `call` takes ("**" for any): the loop asks
# at every step. (A plain dict, which Dynamo traces, not `lru_cache`.)
_CALL_PARAMETERS: dict = {}


def _call_parameters(cls) -> tuple:
    try:
        params = inspect.signature(cls.call).parameters
    except (TypeError, ValueError):
        return ()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return ("**",)
    return tuple(params)


def accepts(cell: Any, argument: str) -> bool:
    """Whether the cell's `call` takes `argument` (e.g. `constants`)."""
    cls = type(cell)
    params = _CALL_PARAMETERS.get(cls)
    if params is None:
        params = _CALL_PARAMETERS[cls] = _call_parameters(cls)
    return argument in params or "**" in params


def call_cell(
    cell: Any,
    inputs: torch.Tensor,
    states: Any,
    training: bool | None = None,
    constants: Any = None,
) -> Any:
    """One step of `cell`, passing `training` and `constants` only to a
    cell whose `call` takes them.

    Built-in cells run their `call` directly (the RNN built them and
    checked the inputs once); a shape trace, a mixed-precision policy and
    every other cell go through the full `Layer.__call__`.
    """
    kwargs = {}
    if training is not None and accepts(cell, "training"):
        kwargs["training"] = training
    if constants is not None:
        kwargs["constants"] = constants
    if (
        isinstance(cell, BaseRNNCell)
        and cell.built
        and not call_context.is_tracing()
        and not cell.dtype_policy.is_mixed
    ):
        return cell.call(inputs, states, **kwargs)
    fn = cell if callable(cell) else cell.call
    return fn(inputs, states, **kwargs)


def reset_dropout_masks(cell: Any) -> None:
    """Forget the per-sequence dropout masks of `cell` (and of the cells
    it stacks) once a sequence is done."""
    for sub in getattr(cell, "cells", None) or [cell]:
        if sub is not cell:
            reset_dropout_masks(sub)
        elif hasattr(sub, "reset_dropout_mask"):
            sub.reset_dropout_mask()
            sub.reset_recurrent_dropout_mask()


def state_template(cell: Any) -> list:
    """The nesting of the states an RNN passes to `cell` and returns, as
    Keras builds it: a list for a cell, one entry per stacked cell (a list
    for a cell with `get_initial_state` or several states, else a single
    tensor). Leaves are the state sizes."""
    cells = getattr(cell, "cells", None)
    if cells is None:
        return list(_flat_sizes(cell.state_size))
    return [
        list(_flat_sizes(c.state_size))
        if hasattr(c, "get_initial_state")
        or isinstance(c.state_size, (list, tuple))
        else c.state_size
        for c in cells
    ]


def _flat_sizes(size) -> list:
    if isinstance(size, (list, tuple)):
        return [leaf for s in size for leaf in _flat_sizes(s)]
    return [size]


def has_default_initial_state(cell: Any) -> bool:
    """Whether the cell's initial states are plain zeros (so the RNN can
    make them on the inputs' device directly)."""
    cells = getattr(cell, "cells", None)
    if cells is not None and hasattr(cell, "state_size"):
        return all(has_default_initial_state(c) for c in cells)
    method = getattr(type(cell), "get_initial_state", None)
    return method is None or method is BaseRNNCell.get_initial_state
