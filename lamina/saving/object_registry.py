"""One family's names and its `get` / `serialize` / `deserialize`.

Seven families (activations, initializers, regularizers, constraints,
losses, metrics, optimizers) resolve identifiers by the same rules, so the
rules live here once:

- a name is looked up in the custom objects first (the `custom_objects`
  argument, an open `CustomObjectScope`, then the global registry of
  `register_keras_serializable`), then in the family's built-in names;
- a dict is a serialized object, rebuilt by `deserialize_keras_object`
  with the family's names as its module objects;
- a class resolves to an instance made with its defaults (in the families
  whose objects are instances);
- a callable the family accepts is returned as it is;
- anything else raises one message for every family: "Could not interpret
  {kind} identifier: ...", saying what was expected and what was received.

Each family's `__init__.py` keeps Keras's three public functions, each
delegating here after what only that family does (activations serialize a
built-in to its name, optimizers wrap `torch.optim`, metrics wrap a
function in `MeanMetricWrapper`).
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

from lamina.saving import registration
from lamina.saving import serialization


class ObjectRegistry:
    """The identifier rules of one family.

    Args:
        kind: the family's word in messages (`"loss"`, `"activation
            function"`).
        objects: built-in name -> class or function.
        expected: what an identifier may be, for the error message.
        instantiate: whether a class resolves to an instance of it.
        accept: which resolved objects the family takes (any callable by
            default).
        fold_case: whether built-in names match case-insensitively
            (optimizers, as in Keras); `objects` keys are then lower-case.
        functions: the names a serialized function (`{"class_name":
            "function", ...}`) may have, when they differ from `objects`
            (metrics: `"hinge"` names a class, but a saved `hinge` is the
            function).
        any_config: whether `get` takes a dict of any serialized callable
            (a layer's config too), as Keras's `activations.get` does.

    Example:

    >>> registry = ObjectRegistry("shape", {"square": lambda x: x * x},
    ...                           expected="a shape name")
    >>> registry.get("square")(3)
    9
    >>> registry.get("circle")
    Traceback (most recent call last):
    ...
    ValueError: Could not interpret shape identifier: 'circle'. Expected a shape name. Received: identifier='circle'
    """

    def __init__(
        self,
        kind: str,
        objects: dict[str, Any],
        *,
        expected: str,
        instantiate: bool = True,
        accept: Callable[[Any], bool] = callable,
        fold_case: bool = False,
        functions: dict[str, Any] | None = None,
        any_config: bool = False,
    ) -> None:
        self.kind = kind
        self.objects = objects
        self.expected = expected
        self.instantiate = instantiate
        self.accept = accept
        self.fold_case = fold_case
        self.functions = objects if functions is None else functions
        self.any_config = any_config

    def error(self, identifier: Any) -> ValueError:
        return ValueError(
            f"Could not interpret {self.kind} identifier: {identifier!r}. "
            f"Expected {self.expected}. Received: identifier={identifier!r}"
        )

    def serialize(self, obj: Any) -> Any:
        return serialization.serialize_keras_object(obj)

    def deserialize(
        self, config: Any, custom_objects: dict | None = None
    ) -> Any:
        """Rebuild from a name or a serialized dict. A built-in class named
        by a bare name comes back as an instance made with its defaults; a
        custom object named so comes back as it is (Keras's rule)."""
        if self.fold_case:
            config = self._folded(config)
        is_function = (
            isinstance(config, dict) and config.get("class_name") == "function"
        )
        obj = serialization.deserialize_keras_object(
            config,
            custom_objects=custom_objects,
            module_objects=self.functions if is_function else self.objects,
        )
        if isinstance(obj, str) or not (
            inspect.isclass(obj) or self.accept(obj)
        ):
            raise self.error(config)
        return obj

    def get(self, identifier: Any) -> Any:
        """Resolve a name, a dict, a class or an object to one the family
        takes."""
        if isinstance(identifier, dict) and self.any_config:
            obj = serialization.deserialize_keras_object(identifier)
        elif isinstance(identifier, (dict, str)):
            obj = self.deserialize(identifier)
        else:
            obj = identifier
        if self.instantiate and inspect.isclass(obj):
            obj = obj()
        if self.accept(obj):
            return obj
        raise self.error(identifier)

    def _folded(self, config: Any) -> Any:
        """Built-in names in lower case, unless a custom object has the
        name as given."""
        name = config.get("class_name") if isinstance(config, dict) else config
        if not isinstance(name, str) or name.lower() not in self.objects:
            return config
        registered = (
            config.get("registered_name") if isinstance(config, dict) else None
        )
        if registration.get_registered_object(registered or name) is not None:
            return config
        if isinstance(config, dict):
            return {**config, "class_name": name.lower()}
        return name.lower()
