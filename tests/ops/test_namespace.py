"""lamina.ops and lamina.ops.numpy hold Keras's NumPy-style and core names
with Keras's signatures (the nn/image/linalg/signal names are checked by
their own tests)."""

import inspect

import pytest

import lamina.ops as lops
from tests.keras_oracle import keras

kops = keras.ops
_SIGNAL = {
    "fft",
    "fft2",
    "ifft2",
    "rfft",
    "irfft",
    "stft",
    "istft",
    "extract_sequences",
}


def _public(module):
    return {n for n in dir(module) if not n.startswith("_")}


def _other_families():
    return (
        _public(kops.nn)
        | _public(kops.image)
        | _public(kops.linalg)
        | _SIGNAL
        | {"nn", "image", "linalg", "numpy"}
    )


NUMPY_NAMES = sorted(_public(kops.numpy))
CORE_NAMES = sorted(_public(kops) - _other_families())


def _params(fn):
    return [
        (p.name, p.kind, p.default)
        for p in inspect.signature(fn).parameters.values()
    ]


def test_numpy_namespace_has_every_keras_name():
    assert sorted(set(NUMPY_NAMES) - _public(lops.numpy)) == []


def test_ops_has_every_keras_numpy_and_core_name():
    assert sorted(set(CORE_NAMES) - _public(lops)) == []


@pytest.mark.parametrize("name", sorted(set(NUMPY_NAMES) | set(CORE_NAMES)))
def test_signature_matches_keras(name):
    theirs = getattr(kops, name)
    ours = getattr(lops, name)
    if inspect.isclass(theirs) or not callable(theirs):
        return
    assert _params(ours) == _params(theirs)
    if name in NUMPY_NAMES:
        assert getattr(lops.numpy, name) is ours


def test_numpy_inputs_of_object_dtype_and_strings_raise_type_error():
    import numpy as np

    bad = np.array([object(), 1], dtype=object)
    for name, args in [
        ("ravel", (bad,)),
        ("nansum", (bad,)),
        ("hypot", (bad, 1.0)),
        ("unique", ("abc",)),
        ("median", ("abc",)),
        ("isclose", (bad, bad)),
    ]:
        with pytest.raises(TypeError, match="Received"):
            getattr(lops, name)(*args)


def test_new_ops_build_a_functional_model():
    import warnings

    import numpy as np
    import torch

    import lamina

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no eager fallback while tracing
        inp = lamina.Input((4, 6))
        y = lops.rearrange(inp, "b h w -> b (w h)")
        y = lops.nan_to_num(lops.divide_no_nan(y, y))
        z = lops.median(y, axis=-1, keepdims=True) + lops.nanmean(
            y, axis=-1, keepdims=True
        )
        halves = lops.hsplit(y, 2)
        w = lops.vstack([halves[0], halves[1]])
        model = lamina.Model(inp, [z, w, lops.logaddexp(y, 1.0)])
    assert [o.shape for o in model.outputs] == [
        (None, 1),
        (None, 12),
        (None, 24),
    ]
    x = np.random.default_rng(0).random((3, 4, 6)).astype("float32")
    z_out, w_out, l_out = model(torch.as_tensor(x))
    flat = x.transpose(0, 2, 1).reshape(3, 24)
    ones = np.ones_like(flat)
    np.testing.assert_allclose(z_out.numpy(), np.full((3, 1), 2.0))
    np.testing.assert_allclose(
        w_out.numpy(), np.vstack([ones[:, :12], ones[:, 12:]])
    )
    np.testing.assert_allclose(
        l_out.numpy(), np.logaddexp(ones, 1.0), rtol=1e-6
    )
