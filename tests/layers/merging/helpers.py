"""Shared oracle helpers for the merging tests: build the same merge in
Keras and in lamina, on the same data, and compare."""

import numpy as np
import torch

from tests.keras_oracle import keras, to_numpy


def tensor(x, mask=None):
    """A fresh torch tensor from `x`, with `mask` attached Keras-style."""
    t = torch.tensor(np.asarray(x))
    if mask is not None:
        t._keras_mask = torch.tensor(np.asarray(mask))
    return t


def random_inputs(rng, shapes, masks=None):
    """Float32 arrays of `shapes`, plus masks (None, or a list where each
    entry is None or a boolean array over the input's leading axes)."""
    arrays = [rng.normal(size=s).astype("float32") for s in shapes]
    masks = masks or [None] * len(shapes)
    return arrays, masks


def run_both(keras_cls_name, lamina_cls, arrays, masks, **kwargs):
    """Eager outputs `(keras, lamina)` of the same merge."""
    k_out = getattr(keras.layers, keras_cls_name)(**kwargs)(
        [tensor(a, m) for a, m in zip(arrays, masks)]
    )
    l_out = lamina_cls(**kwargs)([tensor(a, m) for a, m in zip(arrays, masks)])
    return k_out, l_out


def assert_same(k_out, l_out, atol=1e-5):
    np.testing.assert_allclose(
        to_numpy(l_out), to_numpy(k_out), atol=atol, rtol=1e-5
    )
    k_mask = getattr(k_out, "_keras_mask", None)
    l_mask = getattr(l_out, "_keras_mask", None)
    assert (k_mask is None) == (l_mask is None), (k_mask, l_mask)
    if k_mask is not None:
        np.testing.assert_array_equal(to_numpy(l_mask), to_numpy(k_mask))


def symbolic_shapes(keras_cls_name, lamina_cls, shapes, **kwargs):
    """Output shapes of the layer called on `Input`s, Keras and lamina."""
    import lamina

    k = getattr(keras.layers, keras_cls_name)(**kwargs)(
        [keras.Input(s) for s in shapes]
    )
    out = lamina_cls(**kwargs)([lamina.Input(s) for s in shapes])
    return tuple(k.shape), tuple(out.shape)


def same_config(keras_layer, lamina_layer):
    k = dict(keras_layer.get_config())
    m = dict(lamina_layer.get_config())
    k.pop("name")
    m.pop("name")
    assert m == k


# Shape/mask cases every elementwise merge is checked on: equal shapes,
# three inputs, a size-1 axis, a lower-rank input, and masks.
ELEMENTWISE_CASES = [
    ([(2, 3, 4), (2, 3, 4)], None),
    ([(2, 3, 4), (2, 3, 4), (2, 3, 4)], None),
    ([(2, 3, 4), (2, 1, 4)], None),
    ([(2, 3, 4), (2, 4)], None),
    ([(2, 5, 3), (2, 5, 3)], "both"),
    ([(2, 5, 3), (2, 5, 3)], "first"),
]


def case_masks(rng, shapes, which):
    if which is None:
        return None
    masks = [rng.random(s[:2]) > 0.4 for s in shapes]
    if which == "first":
        masks[1:] = [None] * (len(masks) - 1)
    return masks


def check_elementwise(keras_name, lamina_cls, rng, shapes, which):
    arrays, _ = random_inputs(rng, shapes)
    masks = case_masks(rng, shapes, which) or [None] * len(shapes)
    assert_same(*run_both(keras_name, lamina_cls, arrays, masks))
    k_shape, l_shape = symbolic_shapes(
        keras_name, lamina_cls, [s[1:] for s in shapes]
    )
    assert l_shape == k_shape


def check_round_trip(keras_name, lamina_cls, **kwargs):
    import json

    layer = lamina_cls(**kwargs)
    same_config(getattr(keras.layers, keras_name)(**kwargs), layer)
    config = json.loads(json.dumps(layer.get_config()))
    clone = lamina_cls.from_config(config)
    assert clone.get_config() == json.loads(json.dumps(layer.get_config()))
    # Keras reads lamina's config, and the other way round.
    getattr(keras.layers, keras_name).from_config(config)
