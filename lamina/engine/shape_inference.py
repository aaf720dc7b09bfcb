"""Symbolic → concrete shape inference: the only tracer in lamina.

Output shapes of symbolic calls come from running the real `call` on
`meta`-device tensors (no arithmetic). Unknown sizes (`None`) are filled
with two different values and traced twice: a size that follows the fill
is unknown in the output too. While a trace runs (`call_context.state.trace`,
per thread), each layer registers its weights with it and torch calls see
meta copies (`meta_weights.py`): the live module is never written. When a call
cannot run on meta tensors (data-dependent shapes, tensors made on the CPU
inside `call`) the trace is repeated eagerly on zeros, with a warning.
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Any, Callable, Iterator

import torch

from lamina.engine import call_context
from lamina.engine.meta_weights import MetaWeights
from lamina.engine.symbolic import SymbolicTensor
from lamina.engine.symbolic_scope import SymbolicScope
from lamina.errors import LaminaWarning
from lamina.utils import tree
from lamina.utils.dtype_utils import standardize_dtype

# Unknown dimensions are traced twice, with these sizes; a dimension that
# differs between the traces is unknown. They must stay far enough apart
# that a strided op (`floor((n - k) / s) + 1`) cannot map both to the same
# length for any practical stride (up to ~120), yet small enough that the
# eager fallback can afford to run at them.
_FILLS = (83, 211)
_warned: set[str] = set()


@contextlib.contextmanager
def tracing() -> Iterator[MetaWeights]:
    """Run a shape trace in this thread (a nested one joins the outer)."""
    state = call_context.state
    if state.trace is not None:
        yield state.trace
        return
    with MetaWeights() as trace, SymbolicScope():  # as Keras's opens one
        state.trace = trace
        try:
            yield trace
        finally:
            state.trace = None


def _to_concrete(x: Any, fill: int, device: str) -> Any:
    if not isinstance(x, SymbolicTensor):
        return x
    shape = tuple(fill if d is None else d for d in x.shape)
    t = torch.zeros(shape, dtype=x.torch_dtype, device=device)
    if x._keras_mask is not None:
        setattr(t, "_keras_mask", _to_concrete(x._keras_mask, fill, device))
    return t


def _has_unknown(args: Any) -> bool:
    return any(
        isinstance(x, SymbolicTensor) and None in x.shape
        for x in tree.flatten(args)
    )


def _run(
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    fill: int,
    device: str,
) -> Any:
    c_args = tree.map_structure(lambda x: _to_concrete(x, fill, device), args)
    c_kwargs = tree.map_structure(
        lambda x: _to_concrete(x, fill, device), kwargs
    )
    if device == "meta":
        with tracing():
            return fn(*c_args, **c_kwargs)
    with torch.no_grad():
        return fn(*c_args, **c_kwargs)


def _merge(first: Any, second: Any | None) -> Any:
    """Concrete outputs of the traces → symbolic tensors."""

    def convert(a: Any, b: Any) -> Any:
        if not isinstance(a, torch.Tensor):
            return a
        shape: list[int | None] = list(a.shape)
        if b is not None:
            shape = [d if d == e else None for d, e in zip(a.shape, b.shape)]
        out = SymbolicTensor(shape, dtype=standardize_dtype(a.dtype))
        mask = getattr(a, "_keras_mask", None)
        if isinstance(mask, torch.Tensor):
            b_mask = getattr(b, "_keras_mask", None) if b is not None else None
            out._keras_mask = out_mask = convert(mask, b_mask)
            out_mask.record_history = False
        return out

    if second is None:
        return tree.map_structure(lambda a: convert(a, None), first)
    flat = [
        convert(a, b) for a, b in zip(tree.flatten(first), tree.flatten(second))
    ]
    return tree.pack_sequence_as(first, flat)


def compute_output_spec(
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    owner: Any = None,
) -> Any:
    """Symbolic outputs of `fn(*args, **kwargs)` for symbolic inputs."""
    fills = _FILLS if _has_unknown((args, kwargs)) else _FILLS[:1]
    try:
        outs = [_run(fn, args, kwargs, f, "meta") for f in fills]
    except (ValueError, TypeError):
        # The layer's own validation (or the engine's): a real error in
        # the user's graph, not a limit of the meta device.
        raise
    except Exception as meta_error:  # noqa: BLE001 - retried eagerly below
        key = type(owner).__name__ if owner is not None else repr(fn)
        if key not in _warned:
            _warned.add(key)
            warnings.warn(
                f"Shape inference for {key} could not run on the meta "
                f"device ({type(meta_error).__name__}: {meta_error}); "
                "tracing it eagerly on zeros instead. Create tensors in "
                "`call` with `device=inputs.device` to avoid this.",
                LaminaWarning,
                stacklevel=3,
            )
        outs = [_run(fn, args, kwargs, f, "cpu") for f in fills]
    return _merge(outs[0], outs[1] if len(outs) > 1 else None)
