"""ReversibleEmbedding against Keras 3."""

import inspect

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras, to_numpy

CASES = [
    {},
    {"tie_weights": False},
    {"logit_soft_cap": 2.0},
    {"tie_weights": False, "logit_soft_cap": 0.5, "mask_zero": True},
    {"reverse_dtype": "float16"},
]


def _pair(**kwargs):
    ours = lamina.layers.ReversibleEmbedding(9, 4, **kwargs)
    theirs = keras.layers.ReversibleEmbedding(9, 4, **kwargs)
    return ours, theirs


@pytest.mark.parametrize("kwargs", CASES)
def test_forward_and_reverse_match_keras(kwargs):
    rng = np.random.default_rng(0)
    ours, theirs = _pair(**kwargs)
    ids = rng.integers(0, 9, (2, 5))
    ids[0, -1] = 0
    theirs(ids)
    ours(torch.as_tensor(ids))
    assert [w.shape for w in ours.get_weights()] == [
        w.shape for w in theirs.get_weights()
    ]
    # Scaled weights so the soft cap bites.
    ours.set_weights([w * 40 for w in theirs.get_weights()])
    theirs.set_weights([w * 40 for w in theirs.get_weights()])
    got = ours(torch.as_tensor(ids))
    expected = theirs(ids)
    np.testing.assert_allclose(
        got.detach().numpy(), to_numpy(expected), rtol=1e-5, atol=1e-6
    )
    if kwargs.get("mask_zero"):
        np.testing.assert_array_equal(
            got._keras_mask.numpy(), to_numpy(expected._keras_mask)
        )
    hidden = rng.standard_normal((2, 5, 4)).astype("float32")
    got = ours(torch.as_tensor(hidden), reverse=True)
    expected = to_numpy(theirs(hidden, reverse=True))
    assert str(got.dtype).removeprefix("torch.") == str(expected.dtype)
    assert tuple(got.shape) == (2, 5, 9)
    tol = 2e-3 if "reverse_dtype" in kwargs else 1e-5
    np.testing.assert_allclose(
        got.detach().numpy(), expected, rtol=tol, atol=tol
    )
    assert ours.compute_output_shape((2, 5, 4), reverse=True) == tuple(
        theirs.compute_output_shape((2, 5, 4), reverse=True)
    )


def test_weights_config_and_signature_match_keras():
    keras.utils.clear_session()
    lamina.utils.clear_session()
    ours, theirs = _pair(tie_weights=False, logit_soft_cap=3.0)
    ours.build()
    theirs.build()
    assert [(w.path, tuple(w.shape)) for w in ours.weights] == [
        (w.path, tuple(w.shape)) for w in theirs.weights
    ]
    assert ours.get_config() == theirs.get_config()
    back = lamina.layers.ReversibleEmbedding.from_config(theirs.get_config())
    assert (back.tie_weights, back.logit_soft_cap) == (False, 3.0)

    def params(cls):
        return [
            (p.name, p.kind, p.default)
            for p in inspect.signature(cls).parameters.values()
        ]

    assert params(lamina.layers.ReversibleEmbedding) == params(
        keras.layers.ReversibleEmbedding
    )


@pytest.mark.parametrize("tie", [True, False])
def test_keras_files_both_ways(tie, tmp_path):
    rng = np.random.default_rng(2)
    ids = rng.integers(0, 9, (2, 5))

    def model(lib):
        inputs = lib.Input((5,), dtype="int32")
        layer = lib.layers.ReversibleEmbedding(9, 4, tie_weights=tie)
        return lib.Model(inputs, layer(layer(inputs), reverse=True))

    k_model, l_model = model(keras), model(lamina)
    l_model.set_weights(k_model.get_weights())
    expected = to_numpy(k_model.predict(ids, verbose=0))
    np.testing.assert_allclose(
        to_numpy(l_model.predict(ids, verbose=0)),
        expected,
        rtol=1e-5,
        atol=1e-6,
    )
    l_model.save(str(tmp_path / "l.keras"))
    k_model.save(str(tmp_path / "k.keras"))
    for loaded in (
        keras.saving.load_model(str(tmp_path / "l.keras")),
        lamina.saving.load_model(str(tmp_path / "k.keras")),
    ):
        np.testing.assert_allclose(
            to_numpy(loaded.predict(ids, verbose=0)),
            expected,
            rtol=1e-5,
            atol=1e-6,
        )


def test_bad_arguments():
    with pytest.raises(
        ValueError, match="logit_soft_cap.*Received: logit_soft_cap=-1"
    ):
        lamina.layers.ReversibleEmbedding(5, 2, logit_soft_cap=-1)
    with pytest.raises(ValueError, match="LoRA"):
        lamina.layers.ReversibleEmbedding(5, 2, lora_rank=2)
