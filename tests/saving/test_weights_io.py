"""`.weights.h5` files, both directions with Keras 3."""

import os

import h5py
import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras, to_numpy


def _functional(lib):
    x = lib.Input((4,))
    inner_in = lib.Input((4,))
    inner = lib.Model(inner_in, lib.layers.Dense(3)(inner_in))
    h = lib.layers.Dense(5, activation="relu")(inner(x))
    return lib.Model(x, lib.layers.Dense(2)(h))


def _sequential(lib):
    return lib.Sequential([lib.Input((4,)), lib.layers.Dense(3),
                           lib.layers.Dropout(0.1), lib.layers.Dense(2)])


@pytest.mark.parametrize("build", [_functional, _sequential])
def test_keras_file_loads_in_lamina(build, tmp_path, rng):
    k_model, l_model = build(keras), build(lamina)
    path = str(tmp_path / "k.weights.h5")
    k_model.save_weights(path)
    l_model.load_weights(path)
    x = rng.normal(size=(3, 4)).astype("float32")
    np.testing.assert_allclose(l_model(x).detach().numpy(),
                               to_numpy(k_model(x)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("build", [_functional, _sequential])
def test_lamina_file_loads_in_keras(build, tmp_path, rng):
    k_model, l_model = build(keras), build(lamina)
    path = str(tmp_path / "l.weights.h5")
    l_model.save_weights(path)
    k_model.load_weights(path)
    x = rng.normal(size=(3, 4)).astype("float32")
    np.testing.assert_allclose(l_model(x).detach().numpy(),
                               to_numpy(k_model(x)), rtol=1e-5, atol=1e-6)


def test_mismatch_is_reported_with_shapes(tmp_path):
    path = str(tmp_path / "m.weights.h5")
    lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(3)]
                      ).save_weights(path)
    other = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(5)])
    with pytest.raises(ValueError, match=r"size mismatch.*\(4, 3\).*\(4, 5\)"):
        other.load_weights(path)


def test_bad_suffix_and_corrupt_file(tmp_path):
    model = _sequential(lamina)
    with pytest.raises(ValueError, match="weights.h5"):
        model.save_weights(str(tmp_path / "w.h5"))
    bad = tmp_path / "bad.weights.h5"
    bad.write_bytes(b"not an h5 file")
    with pytest.raises(ValueError, match="Could not read"):
        model.load_weights(str(bad))


def test_write_is_atomic(tmp_path, monkeypatch):
    path = str(tmp_path / "a.weights.h5")
    model = _sequential(lamina)
    model.save_weights(path)
    before = open(path, "rb").read()

    from lamina.saving import weights_io

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(weights_io, "_write_model", boom)
    with pytest.raises(OSError, match="disk full"):
        model.save_weights(path)
    assert open(path, "rb").read() == before
    assert [p for p in os.listdir(tmp_path) if p.endswith(".tmp")] == []
    with h5py.File(path) as f:
        assert "layers" in f
