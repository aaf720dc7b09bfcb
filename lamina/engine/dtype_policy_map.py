"""`DTypePolicyMap`: per-layer dtype policies, keyed by layer path."""

from __future__ import annotations

import re
from collections.abc import Iterator, MutableMapping
from typing import Any

from lamina.engine import dtype_policy as policies


class DTypePolicyMap(
    policies.DTypePolicy, MutableMapping[str, policies.DTypePolicy]
):
    """A dict from layer paths (or regular expressions over them) to dtype
    policies, itself usable as a policy (the default one's dtypes).

    A lookup returns the policy of the exact key, else of the one key
    whose pattern `re.search`-matches the path, else the default policy.

    Args:
        default_policy: the policy of unmatched paths; `None` means the
            global policy.
        policy_map: an initial `{path: policy}` dict.

    >>> from lamina import dtype_policies
    >>> m = dtype_policies.DTypePolicyMap("bfloat16", {"dense.*": "float16"})
    >>> m["dense_1/kernel"].name, m["conv"].name, m.name
    ('float16', 'bfloat16', 'map_bfloat16')
    """

    _keras_module = "keras.dtype_policies"

    def __init__(
        self,
        default_policy: Any = None,
        policy_map: dict[str, Any] | None = None,
    ):
        if isinstance(default_policy, DTypePolicyMap):
            raise ValueError(  # noqa: TRY004 - Keras raises ValueError
                "Invalid value for argument `default_policy` of "
                "DTypePolicyMap: a DTypePolicyMap cannot be the default. "
                f"Received: default_policy={default_policy!r}"
            )
        if policy_map is not None and not isinstance(policy_map, dict):
            raise TypeError(
                "Invalid value for argument `policy_map` of DTypePolicyMap: "
                f"expected a dict. Received: policy_map={policy_map!r}"
            )
        self._default_policy_arg = default_policy
        self._default_policy = policies.get(default_policy)
        super().__init__(self._default_policy.name)
        self._name = "map_" + self._default_policy.name
        self._compute = self._default_policy.compute_dtype
        self._variable = self._default_policy.variable_dtype
        self._policy_map: dict[str, policies.DTypePolicy] = {}
        for key, value in (policy_map or {}).items():
            self[key] = value

    @property
    def default_policy(self) -> policies.DTypePolicy:
        return policies.get(self._default_policy)

    @property
    def quantization_mode(self) -> str | None:
        return self._default_policy.quantization_mode

    def __getitem__(self, key: str) -> policies.DTypePolicy:
        if key in self._policy_map:
            return self._policy_map[key]
        matches = [k for k in self._policy_map if re.search(k, key)]
        if len(matches) > 1:
            raise ValueError(
                f"Path '{key}' matches several keys of the DTypePolicyMap: "
                f"{matches}. Make the keys more specific."
            )
        if matches:
            return self._policy_map[matches[0]]
        return self.default_policy

    def __setitem__(self, key: str, policy: Any) -> None:
        if key in self._policy_map:
            raise ValueError(
                f"Key '{key}' is already in the DTypePolicyMap; delete it "
                "first to replace its policy."
            )
        if isinstance(policy, DTypePolicyMap):
            raise ValueError(  # noqa: TRY004 - Keras raises ValueError
                "A DTypePolicyMap cannot hold another DTypePolicyMap. "
                f"Received: policy={policy!r} for key {key!r}"
            )
        self._policy_map[key] = policies.get(policy)

    def __delitem__(self, key: str) -> None:
        del self._policy_map[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._policy_map)

    def __len__(self) -> int:
        return len(self._policy_map)

    def __contains__(self, key: object) -> bool:
        return key in self._policy_map

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def get_config(self) -> dict[str, Any]:
        from lamina.dtype_policies import serialize

        default = self._default_policy_arg
        if isinstance(default, policies.DTypePolicy):
            default = serialize(default)
        return {
            "default_policy": default,
            "policy_map": {
                k: serialize(v) for k, v in self._policy_map.items()
            },
        }

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: Any = None
    ) -> DTypePolicyMap:
        from lamina.dtype_policies import deserialize

        config = dict(config)
        default = config.get("default_policy")
        if isinstance(default, dict):
            config["default_policy"] = deserialize(default, custom_objects)
        config["policy_map"] = {
            k: deserialize(v, custom_objects) if isinstance(v, dict) else v
            for k, v in (config.get("policy_map") or {}).items()
        }
        return cls(**config)

    def __repr__(self) -> str:
        items = list(self._policy_map.items())
        return (
            f"<DTypePolicyMap default_policy={self._default_policy.name}"
            f", mapping={items}>"
        )
