"""What `Layer.__init_subclass__` installs on each layer class, and the
context `Layer.__call__` adds to an error raised inside `call`.

A subclass's `__init__` is wrapped to record its arguments (the automatic
`get_config`), its `build` to mark the layer built, and the parameters of
its `call` are read once (whether it takes `training` and `mask`).
"""

from __future__ import annotations

import functools
import inspect
from typing import TYPE_CHECKING, Any, Callable, NoReturn

from lamina import config
from lamina.engine import name_scope
from lamina.engine import quantization_hooks as quant
from lamina.errors import format_value

if TYPE_CHECKING:
    from lamina.engine.layer import Layer


def call_signature_info(cls: type[Layer]) -> dict[str, Any]:
    params = inspect.signature(cls.call).parameters
    names = [n for n in params if n != "self"]
    return {
        "training": "training" in params,
        "mask": "mask" in params,
        "training_default": (
            params["training"].default
            if "training" in params
            and params["training"].default is not inspect.Parameter.empty
            else None
        ),
        "first_arg": names[0] if names else None,
    }


def record_init_args(init: Callable[..., None]) -> Callable[..., None]:
    """Wrap a subclass `__init__` to remember its arguments (outermost
    call only), for the automatic `get_config` of simple custom layers."""

    @functools.wraps(init)
    def wrapped(self: Layer, *args: Any, **kwargs: Any) -> None:
        if not hasattr(self, "_init_args_recorded"):
            object.__setattr__(self, "_init_args_recorded", True)
            arguments: dict[str, Any] | None
            try:
                bound = inspect.signature(init).bind(self, *args, **kwargs)
                arguments = dict(bound.arguments)
                arguments.pop("self", None)
                extra = arguments.pop("kwargs", {})
                arguments.update(extra)
            except TypeError:
                arguments = None
            object.__setattr__(self, "_init_arguments", arguments)
        init(self, *args, **kwargs)

    return wrapped


def mark_built(build: Callable[..., Any]) -> Callable[..., Any]:
    """A layer is built once any `build` returns, also one called by
    hand (so a later call does not build again and redraw weights)."""

    @functools.wraps(build)
    def wrapped(self: Layer, *args: Any, **kwargs: Any) -> Any:
        # Weights made here (and by sublayers built here) get this
        # layer's name in their `path`, as in Keras.
        with name_scope.layer_scope(self):
            result = build(self, *args, **kwargs)
            outermost = getattr(type(self).build, "__wrapped__", 0) is build
            if outermost and self.quantization_mode and not self._is_quantized:
                quant.build_quantized(self)  # a layer of a quantized model
        self.built = True
        return result

    return wrapped


def raise_with_context(
    layer: Layer,
    error: Exception,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> NoReturn:
    """Re-raise `error` with the layer and the call's arguments named (as
    Keras does), once: an error already given context passes unchanged."""
    if getattr(error, "_lamina_context", False) or (
        not config.is_traceback_filtering_enabled()
    ):
        raise error
    received = ", ".join(
        [f"inputs={format_value(a)}" for a in args[:1]]
        + [
            f"{k}={format_value(v)}"
            for k, v in kwargs.items()
            if k != "mask" or v is not None
        ]
    )
    message = (
        f"Exception encountered when calling {type(layer).__name__}.call() "
        f"(layer '{layer.name}').\n\n{error}\n\nArguments received by "
        f"{type(layer).__name__}.call(): {received}"
    )
    try:
        new = type(error)(message)
    except Exception:  # noqa: BLE001 - exotic constructors keep the original
        setattr(error, "_lamina_context", True)
        raise error  # noqa: B904 - the original error, unchanged
    setattr(new, "_lamina_context", True)
    raise new.with_traceback(error.__traceback__) from error
