"""Weight initializers (`keras.initializers`), and their registry.

`get(identifier)` turns what a layer's `*_initializer=` argument may hold (a
name, a config dict, a class, an instance, a function, a tensor) into a
callable `initializer(shape, dtype=None)`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import torch

from lamina.initializers.constant_initializers import Constant as Constant
from lamina.initializers.constant_initializers import Identity as Identity
from lamina.initializers.constant_initializers import Ones as Ones
from lamina.initializers.constant_initializers import Zeros as Zeros
from lamina.initializers.initializer import Initializer as Initializer
from lamina.initializers.initializer import standardize_shape
from lamina.initializers.random_initializers import Orthogonal as Orthogonal
from lamina.initializers.random_initializers import RandomNormal as RandomNormal
from lamina.initializers.random_initializers import (
    RandomUniform as RandomUniform,
)
from lamina.initializers.random_initializers import (
    TruncatedNormal as TruncatedNormal,
)
from lamina.initializers.variance_scaling import GlorotNormal as GlorotNormal
from lamina.initializers.variance_scaling import GlorotUniform as GlorotUniform
from lamina.initializers.variance_scaling import HeNormal as HeNormal
from lamina.initializers.variance_scaling import HeUniform as HeUniform
from lamina.initializers.variance_scaling import LecunNormal as LecunNormal
from lamina.initializers.variance_scaling import LecunUniform as LecunUniform
from lamina.initializers.variance_scaling import (
    VarianceScaling as VarianceScaling,
)
from lamina.saving.object_registry import ObjectRegistry

# The STFT kernel initializer (issue 15).
from lamina.initializers.stft import STFT as STFT  # noqa: E402
from lamina.utils.dtype_utils import to_torch_dtype

# Keras's snake_case aliases of the classes (`keras.initializers.zeros`).
constant = Constant
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
he_normal = HeNormal
he_uniform = HeUniform
identity = Identity
IdentityInitializer = Identity
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
ones = Ones
orthogonal = Orthogonal
OrthogonalInitializer = Orthogonal
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
zeros = Zeros
STFTInitializer = STFT
stft = STFT

_SNAKE_NAMES = {
    Initializer: "initializer",
    Constant: "constant",
    Identity: "identity",
    Ones: "ones",
    Zeros: "zeros",
    GlorotNormal: "glorot_normal",
    GlorotUniform: "glorot_uniform",
    HeNormal: "he_normal",
    HeUniform: "he_uniform",
    LecunNormal: "lecun_normal",
    LecunUniform: "lecun_uniform",
    Orthogonal: "orthogonal",
    RandomNormal: "random_normal",
    RandomUniform: "random_uniform",
    TruncatedNormal: "truncated_normal",
    VarianceScaling: "variance_scaling",
}
# Every name Keras accepts for a built-in initializer -> its class.
ALL_OBJECTS_DICT: dict[str, type] = {c.__name__: c for c in _SNAKE_NAMES}
ALL_OBJECTS_DICT.update({name: c for c, name in _SNAKE_NAMES.items()})
ALL_OBJECTS_DICT.update(
    {
        "IdentityInitializer": Identity,
        "OrthogonalInitializer": Orthogonal,
        "normal": RandomNormal,
        "uniform": RandomUniform,
        "one": Ones,
        "zero": Zeros,
        "STFT": STFT,
        "STFTInitializer": STFT,
        "stft": STFT,
    }
)
_REGISTRY = ObjectRegistry(
    "initializer",
    ALL_OBJECTS_DICT,
    expected=(
        "an initializer name (e.g. 'he_normal'), a config dict, an "
        "Initializer class or instance, a function or a tensor"
    ),
)


def serialize(initializer: Any) -> Any:
    """The initializer's Keras config dict (`{"module", "class_name", ...}`).

    Example:

    >>> import lamina
    >>> lamina.initializers.serialize(lamina.initializers.Ones())["class_name"]
    'Ones'
    """
    return _REGISTRY.serialize(initializer)


def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """The initializer described by `config` (a name or a config dict).

    Args:
        config: a name such as `"glorot_uniform"`, or a serialized dict.
        custom_objects: extra names for user classes and functions.

    Returns:
        An initializer instance (or a registered function).
    """
    return _REGISTRY.deserialize(config, custom_objects)


def _from_tensor(value: Any) -> Callable:
    value = (
        value
        if isinstance(value, torch.Tensor)
        else torch.as_tensor(np.asarray(value))
    )

    def initialize_fn(shape, dtype=None):
        if standardize_shape(shape, "initializer") != tuple(value.shape):
            raise ValueError(
                f"Expected `shape` to be {tuple(value.shape)} for a tensor "
                f"used as initializer. Received: shape={shape}"
            )
        target = value.dtype if dtype is None else to_torch_dtype(dtype)
        return value.detach().clone().to(target)

    return initialize_fn


def get(identifier: Any) -> Any:
    """Resolve an initializer identifier to a callable.

    Args:
        identifier: None, a name (`"he_normal"`), a config dict, an
            `Initializer` class (instantiated) or instance, a function
            `fn(shape, dtype=None)`, or a tensor/array (returned by the
            initializer; the shape must match).

    Returns:
        A callable `(shape, dtype=None) -> torch.Tensor`, or None.

    Example:

    >>> import lamina
    >>> lamina.initializers.get("glorot_uniform")
    GlorotUniform(seed=None, input_axes=None, output_axes=None)
    """
    if identifier is None:
        return None
    if isinstance(identifier, (torch.Tensor, np.ndarray, np.generic)):
        return _from_tensor(identifier)
    return _REGISTRY.get(identifier)


__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Identity",
    "IdentityInitializer",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "Orthogonal",
    "OrthogonalInitializer",
    "RandomNormal",
    "RandomUniform",
    "STFT",
    "STFTInitializer",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "constant",
    "deserialize",
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "serialize",
    "stft",
    "truncated_normal",
    "variance_scaling",
    "zeros",
]
