"""Building an attention layer from its three inputs' shapes.

`MultiHeadAttention` and `GroupQueryAttention` build from the shapes of
`query`, `value` and (optionally) `key`, as in Keras, where the base
`Layer.__call__` would hand `build` the first input's shape only; the
shapes are recorded as Keras's `build_config` (`{"shapes_dict": ...}`), so
`.keras` files load into either library.
"""

from __future__ import annotations

from typing import Any

import torch

from lamina.engine.layer import Layer
from lamina.engine.mixin_host import LayerHost


class QueryValueKeyBuild(LayerHost):
    """Mixin (before `Layer` in the bases): `build(query_shape,
    value_shape, key_shape=None)` runs on the first call, and its shapes
    are the layer's build config. `build` sets `self._shapes_dict`."""

    _shapes_dict: dict | None = None

    def __call__(
        self, query: Any, value: Any, key: Any = None, **kwargs: Any
    ) -> Any:
        if not self.built:
            tensors = (query, value, key)
            self.build(
                *[None if x is None else tuple(x.shape) for x in tensors]
            )
            device = next(
                (
                    x.device
                    for x in tensors
                    if isinstance(x, torch.Tensor) and x.device.type != "meta"
                ),
                None,
            )
            if device is not None:
                self.to(device)
        outputs = Layer.__call__(self, query, value, key, **kwargs)
        if kwargs.get("return_attention_scores"):
            # The query's mask belongs to the output only (as in Keras).
            outputs[1]._keras_mask = None
        return outputs

    def record_build_shapes(
        self, query_shape: Any, value_shape: Any, key_shape: Any
    ) -> None:
        """Store the shapes `build` received, as Keras's `shapes_dict`."""
        self._shapes_dict = {
            "query_shape": tuple(query_shape),
            "value_shape": tuple(value_shape),
        }
        if key_shape is not None:
            self._shapes_dict["key_shape"] = tuple(key_shape)

    def get_build_config(self) -> dict | None:
        if self._shapes_dict is None:
            return None
        return {"shapes_dict": dict(self._shapes_dict)}

    def build_from_config(self, config: dict) -> None:
        if config.get("shapes_dict") and not self.built:
            self.build(**config["shapes_dict"])


def mask_of(x: Any) -> Any:
    """The Keras mask attached to `x`, or None."""
    return getattr(x, "_keras_mask", None)


def unmasked(x: torch.Tensor) -> torch.Tensor:
    """`x` without its Keras mask (a view, so the caller's tensor keeps
    it): the projections must neither see nor pass on the input's mask."""
    return x.view_as(x) if mask_of(x) is not None else x
