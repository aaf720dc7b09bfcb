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
    return lib.Sequential(
        [
            lib.Input((4,)),
            lib.layers.Dense(3),
            lib.layers.Dropout(0.1),
            lib.layers.Dense(2),
        ]
    )


def _recurrent(lib):
    x = lib.Input((5, 3))
    h = lib.layers.Bidirectional(lib.layers.LSTM(4, return_sequences=True))(x)
    h = lib.layers.GRU(3)(h)
    return lib.Model(x, lib.layers.Dense(2)(h))


def _attention(lib):
    x = lib.Input((5, 4))
    h = lib.layers.MultiHeadAttention(2, 3)(x, x)
    h = lib.layers.LayerNormalization()(h)
    return lib.Model(x, lib.layers.GlobalAveragePooling1D()(h))


def _convolutional(lib):
    return lib.Sequential(
        [
            lib.Input((6, 6, 2)),
            lib.layers.Conv2D(3, 3),
            lib.layers.BatchNormalization(),
            lib.layers.MaxPooling2D(),
            lib.layers.Flatten(),
            lib.layers.Dense(2),
        ]
    )


def _input(build, rng):
    shape = {
        _recurrent: (3, 5, 3),
        _attention: (3, 5, 4),
        _convolutional: (3, 6, 6, 2),
    }.get(build, (3, 4))
    return rng.normal(size=shape).astype("float32")


BUILDS = [_functional, _sequential, _recurrent, _attention, _convolutional]


@pytest.mark.parametrize("build", BUILDS)
def test_keras_file_loads_in_lamina(build, tmp_path, rng):
    k_model, l_model = build(keras), build(lamina)
    path = str(tmp_path / "k.weights.h5")
    k_model.save_weights(path)
    l_model.load_weights(path)
    x = _input(build, rng)
    np.testing.assert_allclose(
        l_model(x).detach().numpy(), to_numpy(k_model(x)), rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("build", BUILDS)
def test_lamina_file_loads_in_keras(build, tmp_path, rng):
    k_model, l_model = build(keras), build(lamina)
    path = str(tmp_path / "l.weights.h5")
    l_model.save_weights(path)
    k_model.load_weights(path)
    x = _input(build, rng)
    np.testing.assert_allclose(
        l_model(x).detach().numpy(), to_numpy(k_model(x)), rtol=1e-5, atol=1e-6
    )


def test_mismatch_is_reported_with_shapes(tmp_path):
    path = str(tmp_path / "m.weights.h5")
    lamina.Sequential(
        [lamina.Input((4,)), lamina.layers.Dense(3)]
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
    with pytest.raises(ValueError, match="bad.weights.h5.*not an HDF5"):
        model.load_weights(str(bad))
    with pytest.raises(FileNotFoundError, match="missing.weights.h5"):
        model.load_weights(str(tmp_path / "missing.weights.h5"))


def test_write_is_atomic(tmp_path, monkeypatch):
    path = str(tmp_path / "a.weights.h5")
    model = _sequential(lamina)
    model.save_weights(path)
    before = open(path, "rb").read()

    from lamina.saving import keras_archive

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(keras_archive, "save_state", boom)
    with pytest.raises(OSError, match="disk full"):
        model.save_weights(path)
    assert open(path, "rb").read() == before
    assert [p for p in os.listdir(tmp_path) if p.endswith(".tmp")] == []
    with h5py.File(path) as f:
        assert "layers" in f


class _Subclassed(lamina.Model):
    def __init__(self, lib_layers, **kwargs):
        super().__init__(**kwargs)
        self.encoder = lib_layers.Dense(3, activation="relu")
        self.blocks = [lib_layers.Dense(3), lib_layers.Dense(2)]

    def call(self, x):
        h = self.encoder(x)
        for block in self.blocks:
            h = block(h)
        return h


def _keras_subclassed():
    class Subclassed(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.encoder = keras.layers.Dense(3, activation="relu")
            self.blocks = [keras.layers.Dense(3), keras.layers.Dense(2)]

        def call(self, x):
            h = self.encoder(x)
            for block in self.blocks:
                h = block(h)
            return h

    return Subclassed()


def test_subclassed_model_both_ways(tmp_path, rng):
    k_model, l_model = _keras_subclassed(), _Subclassed(lamina.layers)
    x = rng.normal(size=(3, 4)).astype("float32")
    k_model(x), l_model(x)
    k_model.save_weights(str(tmp_path / "k.weights.h5"))
    l_model.load_weights(str(tmp_path / "k.weights.h5"))
    np.testing.assert_allclose(
        l_model(x).detach().numpy(), to_numpy(k_model(x)), rtol=1e-5, atol=1e-6
    )
    with h5py.File(str(tmp_path / "k.weights.h5")) as f:
        assert "encoder/vars/0" in f  # attribute paths, as Keras writes
    fresh = _Subclassed(lamina.layers)
    fresh(x)
    fresh.save_weights(str(tmp_path / "l.weights.h5"))
    k_model.load_weights(str(tmp_path / "l.weights.h5"))
    np.testing.assert_allclose(
        fresh(x).detach().numpy(), to_numpy(k_model(x)), rtol=1e-5, atol=1e-6
    )


def test_optimizer_state_from_keras(tmp_path, rng):
    """A trained Keras model's weights file carries Adam's moments; fit
    continued in lamina matches fit continued in Keras."""
    x = rng.normal(size=(16, 4)).astype("float32")
    y = rng.normal(size=(16, 2)).astype("float32")
    k_model, l_model = _sequential(keras), _sequential(lamina)
    for m in (k_model, l_model):
        m.compile(optimizer="adam", loss="mse")
    k_model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    l_model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    k_model.save_weights(str(tmp_path / "k.weights.h5"))
    l_model.load_weights(str(tmp_path / "k.weights.h5"))
    for m in (k_model, l_model):
        m.layers[1].rate = 0.0  # no dropout randomness in the comparison
    k_model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    l_model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    for a, b in zip(l_model.get_weights(), k_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_saved_file_mode_follows_umask(tmp_path):
    path = str(tmp_path / "p.weights.h5")
    _sequential(lamina).save_weights(path)
    mask = os.umask(0)
    os.umask(mask)
    assert os.stat(path).st_mode & 0o777 == 0o666 & ~mask


def _bfloat16(lib):
    return lib.Sequential(
        [
            lib.Input((3,)),
            lib.layers.Dense(2, dtype="bfloat16"),
            lib.layers.Dense(4, dtype="bfloat16"),
        ]
    )


def test_bfloat16_weights_both_ways(tmp_path, rng):
    k_model, l_model = _bfloat16(keras), _bfloat16(lamina)
    assert [w.dtype for w in l_model.get_weights()] == [
        w.dtype for w in k_model.get_weights()
    ]
    k_model.save_weights(str(tmp_path / "k.weights.h5"))
    l_model.save_weights(str(tmp_path / "l.weights.h5"))
    from_keras, from_lamina = _bfloat16(lamina), _bfloat16(keras)
    from_keras.load_weights(str(tmp_path / "k.weights.h5"))
    from_lamina.load_weights(str(tmp_path / "l.weights.h5"))
    x = rng.normal(size=(2, 3)).astype("float32")

    def out(t):
        return t.detach().float().cpu().numpy()

    np.testing.assert_array_equal(out(from_keras(x)), out(k_model(x)))
    np.testing.assert_array_equal(out(from_lamina(x)), out(l_model(x)))
    path = str(tmp_path / "m.keras")
    l_model.save(path)
    reloaded = keras.saving.load_model(path)
    np.testing.assert_array_equal(out(reloaded(x)), out(l_model(x)))
