"""`.keras` files of the text and lookup layers, both ways with Keras.

Keras runs these layers only with TensorFlow, which the tests do not have:
`goldens/text_model.keras` and its outputs were written by Keras 3.15.1 +
TensorFlow 2.21 (`keras_tf_goldens.py`, `text_model`). lamina must load that
file and give Keras's outputs, and write the same archive: the same asset
members with the same bytes, and the same weight entries (`idf_weights`)."""

import io
import os
import zipfile

import h5py
import numpy as np
import pytest

import lamina
from tests.layers.preprocessing.goldens_helper import GOLDENS_FILE
from tests.layers.preprocessing.keras_tf_goldens import IDS, TEXTS, text_model

KERAS_FILE = os.path.join(
    os.path.dirname(__file__), "goldens", "text_model.keras"
)
EXPECTED = GOLDENS_FILE["text_model_outputs"]


def _check_outputs(model):
    outputs = model.predict([np.array(TEXTS), np.array(IDS)], verbose=0)
    assert len(outputs) == len(EXPECTED)
    for ours, theirs in zip(outputs, EXPECTED):
        np.testing.assert_allclose(ours, np.asarray(theirs), rtol=1e-6)


def _weights(data: bytes) -> dict:
    found = {}
    with h5py.File(io.BytesIO(data)) as f:
        f.visititems(
            lambda name, obj: found.__setitem__(
                name,
                np.asarray(obj[()]) if isinstance(obj, h5py.Dataset) else None,
            )
        )
    return found


def test_loads_the_file_keras_wrote():
    _check_outputs(lamina.saving.load_model(KERAS_FILE))


def test_writes_the_archive_keras_writes(tmp_path):
    model = text_model(lamina)
    _check_outputs(model)
    path = str(tmp_path / "lamina.keras")
    model.save(path)
    ours, theirs = zipfile.ZipFile(path), zipfile.ZipFile(KERAS_FILE)
    assets = sorted(n for n in theirs.namelist() if n.startswith("assets/"))
    assert (
        sorted(n for n in ours.namelist() if n.startswith("assets/")) == assets
    )
    for name in assets:
        assert ours.read(name) == theirs.read(name), name
    mine = _weights(ours.read("model.weights.h5"))
    keras_weights = _weights(theirs.read("model.weights.h5"))
    assert sorted(mine) == sorted(keras_weights)
    for key, value in keras_weights.items():
        if value is not None:
            np.testing.assert_allclose(mine[key], value, rtol=1e-6)
    _check_outputs(lamina.saving.load_model(path))


def test_layer_round_trip_of_a_given_vocabulary(tmp_path):
    inputs = lamina.Input(shape=(2,), dtype="string")
    layer = lamina.layers.StringLookup(vocabulary=["a", "b"], invert=False)
    model = lamina.Model(inputs, layer(inputs))
    path = str(tmp_path / "given.keras")
    model.save(path)
    assert not [
        n for n in zipfile.ZipFile(path).namelist() if n.startswith("assets/")
    ]  # the vocabulary is in config
    again = lamina.saving.load_model(path)
    assert again.predict(np.array([["b", "z"]]), verbose=0).tolist() == [[2, 0]]


def test_string_inputs_in_fit_and_shuffled_batches():
    text = lamina.Input(shape=(1,), dtype="string")
    vectorize = lamina.layers.TextVectorization(output_mode="count")
    vectorize.adapt(["good movie", "bad movie", "good good"])
    out = lamina.layers.Dense(1, activation="sigmoid")(vectorize(text))
    model = lamina.Model(text, out)
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    x = np.array([["good movie"], ["bad movie"], ["good good"], ["bad"]])
    y = np.array([[1.0], [0.0], [1.0], [0.0]])
    history = model.fit(x, y, batch_size=2, epochs=2, shuffle=True, verbose=0)
    assert len(history.history["loss"]) == 2


def test_a_vocabulary_file_outside_the_archive_is_a_plain_path(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("a\nb\n", encoding="utf-8")
    layer = lamina.layers.StringLookup(vocabulary=str(path))
    with pytest.raises(ValueError, match=r"`vocabulary` of StringLookup"):
        lamina.layers.StringLookup(vocabulary=str(tmp_path / "none.txt"))
    assert layer.get_vocabulary() == ["[UNK]", "a", "b"]


def test_hashing_and_crossing_in_a_saved_model(tmp_path):
    # Keras 3.15.1 + TensorFlow 2.21 loaded this file written by lamina and
    # gave these bins (checked by hand; the tests have no TensorFlow).
    text = lamina.Input(shape=(1,), dtype="string", name="t")
    ids = lamina.Input(shape=(1,), dtype="int64", name="i")
    outputs = [
        lamina.layers.Hashing(num_bins=7, salt=3)(text),
        lamina.layers.HashedCrossing(num_bins=11)((text, ids)),
    ]
    model = lamina.Model([text, ids], outputs)
    path = str(tmp_path / "hashing.keras")
    model.save(path)
    x = [np.array([["a"], ["b"]]), np.array([[3], [9]])]
    for out in (
        model.predict(x, verbose=0),
        lamina.saving.load_model(path).predict(x, verbose=0),
    ):
        assert [o.tolist() for o in out] == [[[3], [1]], [[4], [6]]]
