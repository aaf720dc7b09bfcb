"""Activation functions (`keras.activations`), and their registry.

`get(identifier)` turns what a layer's `activation=` argument may hold (None,
a name, a config dict, a callable) into a function.
"""

from __future__ import annotations

from typing import Any, Callable

from lamina.activations.activations import celu as celu
from lamina.activations.activations import elu as elu
from lamina.activations.activations import exponential as exponential
from lamina.activations.activations import gelu as gelu
from lamina.activations.activations import hard_silu as hard_silu
from lamina.activations.activations import hard_swish as hard_swish
from lamina.activations.activations import leaky_relu as leaky_relu
from lamina.activations.activations import linear as linear
from lamina.activations.activations import mish as mish
from lamina.activations.activations import relu as relu
from lamina.activations.activations import relu6 as relu6
from lamina.activations.activations import selu as selu
from lamina.activations.activations import silu as silu
from lamina.activations.activations import softplus as softplus
from lamina.activations.activations import softsign as softsign
from lamina.activations.activations import sparse_plus as sparse_plus
from lamina.activations.activations import squareplus as squareplus
from lamina.activations.activations import swish as swish
from lamina.activations.softmax import log_softmax as log_softmax
from lamina.activations.softmax import softmax as softmax
from lamina.activations.softmax import sparsemax as sparsemax
from lamina.activations.squashing import glu as glu
from lamina.activations.squashing import hard_shrink as hard_shrink
from lamina.activations.squashing import hard_sigmoid as hard_sigmoid
from lamina.activations.squashing import hard_tanh as hard_tanh
from lamina.activations.squashing import log_sigmoid as log_sigmoid
from lamina.activations.squashing import sigmoid as sigmoid
from lamina.activations.squashing import soft_shrink as soft_shrink
from lamina.activations.squashing import sparse_sigmoid as sparse_sigmoid
from lamina.activations.squashing import tanh as tanh
from lamina.activations.squashing import tanh_shrink as tanh_shrink
from lamina.activations.squashing import threshold as threshold
from lamina.saving.object_registry import ObjectRegistry

_FUNCTIONS = (
    celu,
    elu,
    exponential,
    gelu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_tanh,
    leaky_relu,
    linear,
    log_sigmoid,
    log_softmax,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    soft_shrink,
    softmax,
    softplus,
    softsign,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    squareplus,
    tanh,
    tanh_shrink,
    threshold,
)
# Name -> function; a function's own `__name__` is its serialized name.
ALL_OBJECTS_DICT: dict[str, Callable] = {fn.__name__: fn for fn in _FUNCTIONS}
ALL_OBJECTS_DICT["swish"] = silu
ALL_OBJECTS_DICT["hard_swish"] = hard_silu
_REGISTRY = ObjectRegistry(
    "activation function",
    ALL_OBJECTS_DICT,
    expected="an activation name (e.g. 'relu'), a config dict or a callable",
    instantiate=False,
    any_config=True,
)


def serialize(activation: Callable) -> Any:
    """The serialized form of an activation, as Keras writes it.

    Built-in activations serialize to their name (`"relu"`; aliases to the
    canonical name, `swish` -> `"silu"`); other functions and callable
    objects to a config dict.

    Args:
        activation: a function or a callable object with `get_config()`.

    Returns:
        A string or a dict.

    Example:

    >>> import lamina
    >>> lamina.activations.serialize(lamina.activations.swish)
    'silu'
    """
    name = getattr(activation, "__name__", None)
    if name is not None and ALL_OBJECTS_DICT.get(name) is activation:
        return name
    try:
        return _REGISTRY.serialize(activation)
    except TypeError as e:
        raise ValueError(
            f"Cannot serialize activation {activation!r}: it is neither a "
            "function nor an object with `get_config()`. Use a named "
            "function or register it with "
            "`@lamina.saving.register_keras_serializable()`."
        ) from e


def deserialize(config: Any, custom_objects: dict | None = None) -> Callable:
    """The activation function named by `config` (a name or a dict).

    Args:
        config: a name such as `"relu"`, or a serialized dict.
        custom_objects: extra names for user functions.

    Returns:
        The function (or callable object).
    """
    return _REGISTRY.deserialize(config, custom_objects)


def get(identifier: Any) -> Callable:
    """Resolve an activation identifier to a callable.

    Args:
        identifier: None (the linear activation), a name, a config dict or
            a callable (returned as it is).

    Returns:
        A callable.

    Example:

    >>> import lamina
    >>> lamina.activations.get("relu") is lamina.activations.relu
    True
    >>> lamina.activations.get(None) is lamina.activations.linear
    True
    """
    if identifier is None:
        return linear
    return _REGISTRY.get(identifier)


__all__ = [
    "celu",
    "deserialize",
    "elu",
    "exponential",
    "gelu",
    "get",
    "glu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "linear",
    "log_sigmoid",
    "log_softmax",
    "mish",
    "relu",
    "relu6",
    "selu",
    "serialize",
    "sigmoid",
    "silu",
    "soft_shrink",
    "softmax",
    "softplus",
    "softsign",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "squareplus",
    "swish",
    "tanh",
    "tanh_shrink",
    "threshold",
]
