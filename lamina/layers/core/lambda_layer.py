"""`Lambda`: wraps an arbitrary function as a layer."""

from __future__ import annotations

import codecs
from typing import Any, Callable
import inspect
import marshal
import types

from lamina import config as lamina_config
from lamina.engine import shape_inference
from lamina.engine.layer import Layer
from lamina.engine.symbolic import SymbolicTensor
from lamina.errors import invalid_argument
from lamina.saving import serialization
from lamina.saving import special_values
from lamina.utils import tree
from lamina.utils.dtype_utils import standardize_dtype

_FUNCTION_KEYS = ("function", "output_shape", "mask")


def _is_shape(value) -> bool:
    return isinstance(value, (tuple, list)) and all(
        d is None or (isinstance(d, int) and not isinstance(d, bool))
        for d in value
    )


def _map_shapes(fn, shapes):
    """Apply `fn` to each shape of a (nested) structure of shapes."""
    if _is_shape(shapes):
        return fn(tuple(shapes))
    if isinstance(shapes, dict):
        return {k: _map_shapes(fn, v) for k, v in shapes.items()}
    return type(shapes)(_map_shapes(fn, s) for s in shapes)


def _function_config(fn):
    """Keras's form: a Python lambda as its bytecode, anything else (a
    registered function, a lamina op) by name."""
    if isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>":
        code = codecs.encode(marshal.dumps(fn.__code__), "base64")
        closure = (
            None
            if not fn.__closure__
            else tuple(cell.cell_contents for cell in fn.__closure__)
        )
        return {
            "class_name": "__lambda__",
            "config": {
                "code": code.decode("ascii"),
                "defaults": fn.__defaults__,
                "closure": closure,
            },
        }
    return serialization.serialize_keras_object(fn)


class Lambda(Layer):
    """Wraps an arbitrary expression as a `Layer` object.

    Best suited to simple operations and quick experiments; prefer a
    `Layer` subclass for anything that must be saved and reloaded. A
    Python `lambda` is saved as its bytecode, which only loads in the same
    Python version and, being code, only with `safe_mode=False` (or after
    `lamina.config.enable_unsafe_deserialization()`).

    Args:
        function: the function to evaluate; it receives the layer's input
            (a tensor or a list of tensors) as first argument, and may
            return one tensor or several. If it takes `mask` or `training`
            arguments, they are passed.
        output_shape: the output shape, if it should not be inferred by
            tracing `function`. A tuple (or a list of tuples, for several
            outputs) without the batch axis, or a function mapping the
            full input shape to the full output shape.
        mask: None (no mask), a tensor to use as the output mask, or a
            function `mask(inputs, previous_mask)` returning it.
        arguments: optional dict of keyword arguments for `function`.

    Input shape:
        Anything `function` accepts.

    Output shape:
        Given by `output_shape`, or inferred from `function`.

    Example:

    >>> import torch, lamina
    >>> square = lamina.layers.Lambda(lambda x: x ** 2)
    >>> square(torch.tensor([[1.0, 2.0]]))
    tensor([[1., 4.]])
    """

    def __init__(
        self,
        function: Callable[..., Any],
        output_shape: Any = None,
        mask: Any = None,
        arguments: dict[str, Any] | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if not callable(function):
            raise ValueError(
                invalid_argument("Lambda", "function", "a callable", function)
            )
        if arguments is not None and not isinstance(arguments, dict):
            raise ValueError(
                invalid_argument(
                    "Lambda",
                    "arguments",
                    "a dict of keyword arguments",
                    arguments,
                )
            )
        self.function = function
        self.arguments = arguments or {}
        self.mask = mask
        self.supports_masking = mask is not None
        self._output_shape = output_shape
        try:
            params: Any = inspect.signature(function).parameters
        except (TypeError, ValueError):  # some builtins have no signature
            params = {}
        self._fn_expects_mask_arg = "mask" in params
        self._fn_expects_training_arg = "training" in params
        self.built = True

    def call(self, inputs: Any, mask: Any = None, training: Any = None) -> Any:
        kwargs = dict(self.arguments)
        if self._fn_expects_mask_arg:
            kwargs["mask"] = mask
        if self._fn_expects_training_arg:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    # -- shapes ------------------------------------------------------------

    def compute_output_shape(self, input_shape: Any) -> Any:
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch = tree.flatten(input_shape)[0]
        return _map_shapes(lambda s: (batch,) + s, self._output_shape)

    def compute_output_spec(self, *args: Any, **kwargs: Any) -> Any:
        if self._output_shape is None:
            return shape_inference.compute_output_spec(
                self.__call__, args, kwargs, owner=self
            )
        # A given `output_shape` replaces tracing `function`.
        inputs = args[0] if args else kwargs["inputs"]
        shapes = tree.map_structure(lambda x: tuple(x.shape), inputs)
        outputs = _map_shapes(
            lambda s: SymbolicTensor(s, dtype=self.compute_dtype),
            self.compute_output_shape(shapes),
        )
        self._attach_symbolic_mask(inputs, outputs)
        return outputs

    def _attach_symbolic_mask(self, inputs, outputs) -> None:
        if self.mask is None:
            return
        if callable(self.mask):
            masks = [
                getattr(x, "_keras_mask", None) for x in tree.flatten(inputs)
            ]
            previous = (
                None
                if all(m is None for m in masks)
                else tree.map_structure(
                    lambda x: getattr(x, "_keras_mask", None), inputs
                )
            )
            mask = shape_inference.compute_output_spec(
                self.mask, (inputs, previous), {}, owner=self
            )
        else:
            mask = SymbolicTensor(
                tuple(self.mask.shape), dtype=standardize_dtype(self.mask.dtype)
            )
        flat_out = tree.flatten(outputs)
        flat_mask = (
            tree.flatten(mask)
            if tree.is_nested(mask)
            else [mask] * len(flat_out)
        )
        for out, m in zip(flat_out, flat_mask):
            if isinstance(m, SymbolicTensor):
                m.record_history = False
                out._keras_mask = m

    # -- config ------------------------------------------------------------

    def get_config(self) -> dict:
        config = {
            **super().get_config(),
            "function": _function_config(self.function),
        }
        if self._output_shape is not None:
            config["output_shape"] = (
                _function_config(self._output_shape)
                if callable(self._output_shape)
                else self._output_shape
            )
        if self.mask is not None:
            config["mask"] = (
                _function_config(self.mask)
                if callable(self.mask)
                else serialization.serialize_keras_object(self.mask)
            )
        config["arguments"] = serialization.serialize_keras_object(
            self.arguments
        )
        return config

    @classmethod
    def from_config(
        cls,
        config: dict[str, Any],
        custom_objects: dict[str, Any] | None = None,
        safe_mode: bool | None = None,
    ) -> Lambda:
        """Rebuild a `Lambda`; a serialized Python lambda (code) is refused
        unless `safe_mode=False` or unsafe deserialization is enabled."""
        config = dict(config)
        if safe_mode is None:
            safe_mode = serialization.in_safe_mode()
        safe = (
            safe_mode is not False
            and not lamina_config.unsafe_deserialization_enabled()
        )
        for key in _FUNCTION_KEYS:
            if isinstance(config.get(key), dict):
                config[key] = _load(config, key, safe, custom_objects)
        if isinstance(config.get("output_shape"), list):
            config["output_shape"] = _as_shape(config["output_shape"])
        if "arguments" in config:
            config["arguments"] = serialization.deserialize_keras_object(
                config["arguments"], custom_objects=custom_objects
            )
        return super().from_config(config)

    def extra_repr(self) -> str:
        return f"function={getattr(self.function, '__name__', self.function)}"


def _as_shape(value):
    """JSON turns shape tuples into lists: turn them back."""
    if _is_shape(value):
        return tuple(value)
    return [_as_shape(v) for v in value]


def _load(config: dict, key: str, safe: bool, custom_objects):
    value = config[key]
    if value.get("class_name") != "__lambda__":
        try:
            return serialization.deserialize_keras_object(
                value, custom_objects=custom_objects, safe_mode=safe
            )
        except TypeError:
            # lamina ops (`lamina.ops.square`) are saved by bare name.
            from lamina import ops

            name = value.get("config")
            if isinstance(name, str) and name in getattr(ops, "__all__", ()):
                return getattr(ops, name)
            raise
    if safe:
        raise ValueError(
            f"Layer '{config.get('name')}' (Lambda): refused to deserialize "
            f"the Python lambda stored in its `{key}`. A lambda is saved as "
            "bytecode, and loading it could execute arbitrary code. If you "
            "trust the source of this config, pass `safe_mode=False` to the "
            "loading function, or call "
            "`lamina.config.enable_unsafe_deserialization()`."
        )
    inner = value["config"]
    code = (
        inner["value"]
        if "value" in inner
        else (inner["code"], inner.get("defaults"), inner.get("closure"))
    )
    # One loader for all of lamina's serialized lambdas (same globals,
    # same closure handling), so a Lambda runs like any other lambda.
    return special_values.decode("__lambda__", {"value": code}, safe_mode=False)
