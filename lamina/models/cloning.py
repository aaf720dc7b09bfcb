"""`clone_model`: the same architecture with new layers and new weights."""

from __future__ import annotations

import inspect
from typing import Any, Callable

from lamina.engine.layer import Layer
from lamina.engine.symbolic import SymbolicTensor
from lamina.layers.core.input_layer import Input
from lamina.layers.core.input_layer import InputLayer
from lamina.models.model import Model
from lamina.models.sequential import Sequential
from lamina.utils import tree


def clone_model(
    model: Model,
    input_tensors: Any = None,
    clone_function: Callable | None = None,
    call_function: Callable | None = None,
    recursive: bool = False,
    **kwargs: Any,
) -> Model:
    """Clone a Sequential or functional model: new layers, new weights.

    Each layer is rebuilt by `clone_function` (default:
    `layer.__class__.from_config(layer.get_config())`, which gives fresh
    weights), and the graph is replayed on new inputs. A compiled model's
    clone is compiled the same way (with a new optimizer). A subclassed
    model is rebuilt from its config.

    Args:
        model: a `Sequential` or functional `Model` (or a subclassed model
            with `get_config`, without the two arguments below).
        input_tensors: symbolic tensors to build the clone on, with the
            structure of `model.input` (one tensor for Sequential); new
            `Input`s by default.
        clone_function: `fn(layer) -> layer` used for each layer except
            the inputs; return the same layer to share it.
        call_function: `fn(layer, *args, **kwargs)` used to call each
            cloned layer (functional models only); default
            `layer(*args, **kwargs)`.
        recursive: clone nested Sequential/functional models with
            `clone_model` (and the same functions) instead of
            `clone_function`.

    Returns:
        The new model.

    Example:

    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(2)])
    >>> clone = lamina.models.clone_model(model)
    >>> clone.output_shape, clone.layers[0] is model.layers[0]
    ((None, 2), False)
    """
    cache = kwargs.pop("cache", None)
    _check_arguments(model, kwargs)
    wrapped = _wrap_clone_function(
        clone_function, call_function, recursive, {} if cache is None else cache
    )
    if isinstance(model, Sequential):
        if call_function is not None:
            raise ValueError(
                "`call_function` is not supported with Sequential models: "
                "their layers are listed, not called, at construction. Use "
                f"it with functional models only. Received model "
                f"'{model.name}' of type Sequential."
            )
        return _clone_sequential(model, wrapped, input_tensors)
    # A graph model with its own get_config is rebuilt from that config,
    # unless the caller asks to rebuild its graph (as Keras does).
    if model.is_graph_network and (
        type(model).get_config is Model.get_config
        or clone_function is not None
        or input_tensors is not None
    ):
        return _clone_functional(model, wrapped, input_tensors, call_function)
    if (
        clone_function is not None
        or input_tensors is not None
        or call_function is not None
    ):
        raise ValueError(
            "Arguments `clone_function`, `call_function` and `input_tensors`"
            " are only supported for Sequential and functional models. "
            f"Received model '{model.name}' of type {type(model).__name__}."
        )
    return _clone_by_config(model)


def _check_arguments(model: Any, kwargs: dict) -> None:
    if kwargs:
        raise ValueError(
            "clone_model() got unexpected keyword argument(s): "
            f"{sorted(kwargs)}"
        )
    if not isinstance(model, Model):
        raise ValueError(
            "Invalid `model` argument of clone_model: expected a lamina "
            f"Model. Received: model={model!r:.200}"
        )


def _wrap_clone_function(clone_function, call_function, recursive, cache):
    if clone_function is not None and not callable(clone_function):
        raise ValueError(
            "Invalid `clone_function` argument of clone_model: expected a "
            f"callable. Received: clone_function={clone_function!r}"
        )

    def default(layer):
        return layer.__class__.from_config(layer.get_config())

    fn = clone_function or default

    def wrapped(layer):
        if id(layer) in cache:
            return cache[id(layer)]
        if (
            recursive
            and isinstance(layer, Model)
            and (isinstance(layer, Sequential) or layer.is_graph_network)
        ):
            clone = clone_model(
                layer,
                clone_function=clone_function,
                recursive=True,
                call_function=None
                if isinstance(layer, Sequential)
                else call_function,
                cache=cache,
            )
        else:
            clone = fn(layer)
        cache[id(layer)] = clone
        return clone

    return wrapped


def _input_like(layer: InputLayer) -> SymbolicTensor:
    return Input(
        batch_shape=layer.batch_shape,
        dtype=layer.dtype,
        name=layer.name,
        optional=layer.optional,
    )


def _clone_sequential(model: Sequential, clone, input_tensors) -> Sequential:
    layers = [clone(layer) for layer in model.layers]
    if input_tensors is not None:
        if isinstance(input_tensors, (list, tuple)):
            if len(input_tensors) != 1:
                raise ValueError(
                    "Argument `input_tensors` of clone_model must hold a "
                    "single tensor for a Sequential model. Received "
                    f"{len(input_tensors)} tensors."
                )
            input_tensors = input_tensors[0]
        if not isinstance(input_tensors, SymbolicTensor):
            raise ValueError(
                "Argument `input_tensors` of clone_model must be a symbolic "
                "tensor (from `lamina.Input`). Received: input_tensors="
                f"{input_tensors!r:.200}"
            )
        layers = [input_tensors] + layers
    elif model._input_layer is not None:
        layers = [_input_like(model._input_layer)] + layers
    new = Sequential(layers, name=model.name, trainable=model.trainable)
    _compile_like(model, new)
    return new


def _clone_functional(model: Model, clone, input_tensors, call_function):
    if input_tensors is not None:
        flat = tree.flatten(input_tensors)
        if not all(isinstance(x, SymbolicTensor) for x in flat):
            raise ValueError(
                "All entries in `input_tensors` of clone_model must be "
                "symbolic tensors (from `lamina.Input`). Received: "
                f"input_tensors={input_tensors!r:.200}"
            )
        if len(flat) != len(model._graph.inputs):
            raise ValueError(
                "`input_tensors` of clone_model must have the structure of "
                f"model.input ({len(model._graph.inputs)} tensors). "
                f"Received {len(flat)} tensors."
            )
    else:
        input_tensors = tree.map_structure(
            lambda t: _input_like(t._keras_history.operation),
            model._inputs_struct,
        )
        flat = tree.flatten(input_tensors)
    memo = {id(t): new for t, new in zip(model._graph.inputs, flat)}
    call = call_function or (lambda layer, *a, **k: layer(*a, **k))
    for node in model._graph.nodes:
        op = node.operation
        # Raw ops on symbolic tensors hold no weights: they are reused.
        new_op = clone(op) if isinstance(op, Layer) else op
        args, kwargs = node.map_arguments(memo)
        out = call(new_op, *args, **kwargs)
        for t, v in zip(node.outputs, tree.flatten(out)):
            memo[id(t)] = v
    outputs = tree.pack_sequence_as(
        model._outputs_struct,
        [memo[id(t)] for t in tree.flatten(model._outputs_struct)],
    )
    cls = type(model) if _functional_like(type(model)) else Model
    new = cls(input_tensors, outputs, name=model.name)
    _compile_like(model, new)
    return new


def _functional_like(cls: Any) -> bool:
    """Whether `cls(inputs, outputs, name=...)` builds a graph model (a
    subclass with its own constructor is rebuilt as a plain `Model`, as
    Keras does)."""
    if cls is Model:
        return True
    params = list(inspect.signature(cls.__init__).parameters)[1:3]
    return params == ["inputs", "outputs"]


def _clone_by_config(model: Model) -> Model:
    from lamina.saving import serialization

    config = serialization.serialize_keras_object(model)
    config.pop("compile_config", None)
    new = serialization.deserialize_keras_object(
        config, custom_objects={type(model).__name__: type(model)}
    )
    _compile_like(model, new)
    return new


def _compile_like(model: Model, new: Model) -> None:
    if not getattr(model, "compiled", False):
        return
    from lamina.saving import saving_api

    compile_config = saving_api.model_config(model).get("compile_config")
    if compile_config:
        saving_api.compile_from_config(new, compile_config)
