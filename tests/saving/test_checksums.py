"""Every dataset lamina writes carries HDF5's Fletcher-32 checksum, so a
damaged byte inside the weights is detected on load instead of loading
other values; Keras 3 reads these files, and lamina reads Keras's
(issue 19)."""

import os
import warnings
import zipfile

import h5py
import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras


def _model(module):
    model = module.Sequential(
        [
            module.Input((4,)),
            module.layers.Dense(3, activation="relu"),
            module.layers.Dense(2),
        ]
    )
    model.compile(module.optimizers.Adam(0.01), "mse")
    return model


def _trained(module):
    model = _model(module)
    model.fit(
        np.ones((8, 4), "float32"),
        np.ones((8, 2), "float32"),
        epochs=1,
        verbose=0,
    )
    return model


def _datasets(f):
    found = []
    f.visititems(
        lambda name, obj: (
            found.append(obj) if isinstance(obj, h5py.Dataset) else None
        )
    )
    return found


def _save(model, path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the legacy-format warning
        if path.endswith(".weights.h5"):
            model.save_weights(path)
        else:
            model.save(path)


@pytest.mark.parametrize("name", ["m.weights.h5", "m.h5", "m.keras"])
def test_every_array_dataset_has_a_checksum(tmp_path, name):
    path = str(tmp_path / name)
    _save(_trained(lamina), path)
    if name.endswith(".keras"):
        with zipfile.ZipFile(path) as zf:
            zf.extract("model.weights.h5", tmp_path)
        path = str(tmp_path / "model.weights.h5")
    with h5py.File(path, "r") as f:
        arrays = [d for d in _datasets(f) if d.shape]
        assert len(arrays) >= 4
        assert all(d.fletcher32 for d in arrays)


def test_a_flipped_byte_in_the_weights_is_detected(tmp_path):
    model = _model(lamina)
    pattern = np.arange(12, dtype="float32").reshape(4, 3) + 0.5
    model.layers[0].kernel.assign(pattern)
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    with open(path, "rb") as f:
        data = bytearray(f.read())
    at = data.find(pattern.tobytes())
    assert at > 0
    data[at + 17] ^= 0x01  # one bit of one kernel value
    with open(path, "wb") as f:
        f.write(data)
    target = _model(lamina)
    before = target.get_weights()
    with pytest.raises(ValueError, match="the data of .*dense.*is damaged"):
        target.load_weights(path)
    for a, b in zip(before, target.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", ["m.weights.h5", "m.keras", "m.h5"])
def test_keras_reads_lamina_checksummed_files(tmp_path, name):
    path = str(tmp_path / name)
    source = _trained(lamina)
    _save(source, path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if name.endswith(".weights.h5"):
            loaded = _model(keras)
            loaded.load_weights(path)
        else:
            # compile=False: the checksums concern the weights (Keras 3.15
            # cannot rebuild the string loss of a legacy training_config).
            loaded = keras.saving.load_model(path, compile=False)
    for a, b in zip(source.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(a, np.asarray(b))


@pytest.mark.parametrize("name", ["m.weights.h5", "m.keras", "m.h5"])
def test_lamina_reads_keras_files(tmp_path, name):
    path = str(tmp_path / name)
    source = _trained(keras)
    _save(source, path)
    if name.endswith(".weights.h5"):
        loaded = _model(lamina)
        loaded.load_weights(path)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loaded = lamina.saving.load_model(path)
    for a, b in zip(source.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(np.asarray(a), b)
    assert os.path.getsize(path) > 0
