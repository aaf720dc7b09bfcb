"""`TextVectorization` against Keras 3: Keras needs TensorFlow for it, so
the expected outputs, vocabularies, idf weights and configs come from
Keras 3.15.1 + TensorFlow 2.21 (`keras_tf_goldens.py`)."""

import pickle

import numpy as np
import pytest
import torch

from lamina.layers import TextVectorization
from tests.layers.preprocessing.goldens_helper import (
    BY_ID,
    GOLDENS,
    build,
    call,
    case_ids,
    check_case,
)


@pytest.mark.parametrize("case_id", case_ids("tv_"))
def test_matches_keras(case_id):
    check_case(case_id)


@pytest.mark.parametrize("case_id", ["tv_adapt_1d", "tv_count"])
def test_python_lists(case_id):
    check_case(case_id, as_numpy=False)


def test_callables():
    def standardize(x):
        return np.char.upper(x)

    def split(x):
        return [s.split("-") for s in x.tolist()]

    layer = TextVectorization(standardize=standardize, split=split)
    layer.adapt(["a-b-a", "c-a"])
    assert layer.get_vocabulary() == ["", "[UNK]", "A", "C", "B"]
    assert layer(["a-c-q", "b"]).tolist() == [[2, 3, 1], [4, 0, 0]]


def test_adapt_on_batches():
    layer = TextVectorization()
    layer.adapt(iter([["x y", "y"], np.array(["z y"]), ["w"]]), steps=2)
    assert layer.get_vocabulary() == ["", "[UNK]", "y", "z", "x"]


def test_bad_input():
    with pytest.raises(
        ValueError,
        match=r"`output_mode` of "
        r"TextVectorization.*Received: output_mode='one_hot'",
    ):
        TextVectorization(output_mode="one_hot")
    with pytest.raises(
        ValueError,
        match=r"`standardize` of Text.*"
        r"Received: standardize='upper'",
    ):
        TextVectorization(standardize="upper")
    with pytest.raises(ValueError, match=r"`split` of TextVectorization"):
        TextVectorization(split="comma")
    with pytest.raises(ValueError, match=r"`ngrams` of TextVectorization"):
        TextVectorization(ngrams="2")
    with pytest.raises(ValueError, match=r"`output_sequence_length` of "):
        TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(ValueError, match=r"`ragged` of TextVectorization"):
        TextVectorization(ragged=True)
    layer = TextVectorization(name="tv")
    with pytest.raises(
        ValueError,
        match=r"TextVectorization 'tv' has no "
        r"vocabulary",
    ):
        layer(["a b"])
    layer.adapt(["a b"])
    with pytest.raises(
        TypeError,
        match=r"TextVectorization 'tv' expects "
        r"string inputs",
    ):
        layer(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match=r"last axis of size 1.*\(1, 2\)"):
        layer(np.array([["a", "b"]]))


class _Sentences(torch.utils.data.Dataset):
    def __init__(self, layer):
        self.layer = layer

    def __len__(self):
        return 2

    def __getitem__(self, i):
        return self.layer(["the cat ate", "dog"][i : i + 1])[0]


def test_pickle_and_dataloader_workers():
    case = BY_ID["tv_seq_len"]
    layer = build(case)
    again = pickle.loads(pickle.dumps(layer))
    assert call(again, case).tolist() == GOLDENS["tv_seq_len"]["output"]
    loader = torch.utils.data.DataLoader(
        _Sentences(layer), batch_size=2, num_workers=1
    )
    (batch,) = list(loader)
    assert (
        batch.tolist()
        == call(layer, {"input": ["the cat ate", "dog"]}).tolist()
    )


def test_text_classification_as_in_keras_guides(tmp_path):
    import lamina as keras

    texts = np.array(
        [
            "a great movie",
            "terrible plot",
            "great fun",
            "bad and boring",
            "loved it",
            "hated it",
        ]
    )
    labels = np.array([1, 0, 1, 0, 1, 0], "float32")
    vectorize = keras.layers.TextVectorization(
        max_tokens=100, output_mode="int", output_sequence_length=6
    )
    vectorize.adapt(texts)
    model = keras.Sequential(
        [
            keras.Input(shape=(1,), dtype="string"),
            vectorize,
            keras.layers.Embedding(100, 8),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(texts, labels, epochs=2, batch_size=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    path = str(tmp_path / "classifier.keras")
    model.save(path)
    again = keras.saving.load_model(path)
    np.testing.assert_allclose(
        again.predict(texts, verbose=0),
        model.predict(texts, verbose=0),
        rtol=1e-6,
    )
