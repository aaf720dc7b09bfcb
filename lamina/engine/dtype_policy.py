"""Dtype policies: the variable dtype and the compute dtype of a layer.

`"float32"` keeps both in float32; `"mixed_float16"` / `"mixed_bfloat16"`
keep weights in float32 and compute under `torch.autocast`.
"""

from __future__ import annotations

from typing import Any

from lamina import config
from lamina.utils.dtype_utils import standardize_dtype

_global_policy: dict[str, Any] = {"policy": None}


class DTypePolicy:
    """A dtype policy for a layer.

    Args:
        name: a dtype name (`"float32"`, `"bfloat16"`, ...) or
            `"mixed_float16"` / `"mixed_bfloat16"`. Defaults to
            `lamina.config.floatx()`.

    Example:

    >>> import lamina
    >>> p = lamina.DTypePolicy("mixed_bfloat16")
    >>> p.compute_dtype, p.variable_dtype
    ('bfloat16', 'float32')
    """

    _keras_module = "keras"

    def __init__(self, name: str | None = None):
        name = config.floatx() if name is None else name
        if not isinstance(name, str):
            name = standardize_dtype(name)
        if name.startswith("mixed_"):
            compute = name[len("mixed_") :]
            if compute not in ("float16", "bfloat16"):
                raise ValueError(
                    "Invalid dtype policy name: mixed policies are "
                    "'mixed_float16' and 'mixed_bfloat16'. "
                    f"Received: name={name!r}"
                )
            self._compute, self._variable = compute, "float32"
        else:
            self._compute = self._variable = standardize_dtype(name)
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    @property
    def compute_dtype(self) -> str:
        return self._compute

    @property
    def variable_dtype(self) -> str:
        return self._variable

    @property
    def is_mixed(self) -> bool:
        return self._compute != self._variable

    @property
    def quantization_mode(self) -> str | None:
        """`None`; quantized policies name their mode (`"int8"`, ...)."""
        return None

    def convert_input(self, x: Any, autocast: bool, dtype: Any) -> Any:
        """`x` cast to `dtype` when it is a floating tensor and `autocast`
        is on; anything else unchanged."""
        import torch

        from lamina.utils.dtype_utils import to_torch_dtype

        if (
            autocast
            and isinstance(x, torch.Tensor)
            and x.dtype.is_floating_point
        ):
            target = to_torch_dtype(standardize_dtype(dtype))
            if x.dtype != target:
                return x.to(target)
        return x

    def get_config(self) -> dict[str, Any]:
        return {"name": self._name}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "DTypePolicy":
        return cls(**config)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self._name)

    def __repr__(self) -> str:
        # FloatDTypePolicy shows as the class it aliases, as in Keras.
        name = type(self).__name__
        name = "DTypePolicy" if name == "FloatDTypePolicy" else name
        return f'<{name} "{self._name}">'


class FloatDTypePolicy(DTypePolicy):
    """Keras's former name for a plain (float or mixed) `DTypePolicy`."""


def get(identifier: Any) -> DTypePolicy:
    """A policy from None (the global one), a name (`"mixed_float16"`,
    `"int8_from_float32"`), a serialized dict or a policy."""
    if identifier is None:
        return global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        if "class_name" in identifier:
            from lamina.dtype_policies import deserialize

            return deserialize(identifier)
        return DTypePolicy(identifier.get("name"))
    if isinstance(identifier, str) and "_from_" in identifier:
        from lamina.engine import quantized_dtype_policy as quantized

        return quantized.from_name(identifier)
    return DTypePolicy(identifier)


def global_policy() -> DTypePolicy:
    policy = _global_policy["policy"]
    return policy if policy is not None else DTypePolicy(config.floatx())


def set_global_policy(policy: Any) -> None:
    _global_policy["policy"] = None if policy is None else get(policy)
