"""The dataset builders: file order, labels and splits against Keras's own
indexing code, pixels against keras.utils.load_img + keras.ops resize,
windows against the examples of Keras's docstring. (Keras's builders
themselves need TensorFlow or Grain, which the test environment lacks.)"""

import importlib
import wave

import numpy as np
import pytest
import torch

import lamina
from lamina import utils
from lamina.utils.dataset import Dataset
from tests.keras_oracle import keras

keras_ds = importlib.import_module("keras.src.utils.dataset_utils")


@pytest.fixture
def image_dir(tmp_path, rng):
    for cls, n in (("cats", 3), ("dogs", 4)):
        (tmp_path / cls).mkdir()
        for i in range(n):
            h, w = rng.integers(5, 12, size=2)
            pixels = rng.integers(0, 256, size=(h, w, 3)).astype("uint8")
            keras.utils.save_img(
                tmp_path / cls / f"{i}.png", pixels, scale=False
            )
    (tmp_path / "cats" / "notes.txt").write_text("not an image")
    return tmp_path


@pytest.fixture
def text_dir(tmp_path):
    for cls in ("neg", "pos"):
        (tmp_path / cls).mkdir()
        for i in range(3):
            (tmp_path / cls / f"{i}.txt").write_text(f"{cls} review number {i}")
    return tmp_path


@pytest.mark.parametrize("shuffle,seed", [(False, None), (True, 3), (True, 9)])
def test_index_directory_matches_keras(image_dir, shuffle, seed):
    from lamina.utils.dataset_utils import index_directory

    formats = (".png", ".jpg")
    ours = index_directory(
        str(image_dir),
        "inferred",
        formats,
        shuffle=shuffle,
        seed=seed,
        verbose=False,
    )
    theirs = keras_ds.index_directory(
        str(image_dir), "inferred", formats, shuffle=shuffle, seed=seed
    )
    assert ours[0] == theirs[0]
    np.testing.assert_array_equal(ours[1], theirs[1])
    assert ours[2] == theirs[2]


@pytest.mark.parametrize("subset", ["training", "validation"])
def test_validation_split_matches_keras(image_dir, subset):
    ds = utils.image_dataset_from_directory(
        image_dir,
        image_size=(4, 4),
        validation_split=0.3,
        subset=subset,
        seed=5,
        verbose=False,
    )
    paths, labels, _ = keras_ds.index_directory(
        str(image_dir), "inferred", (".png",), shuffle=True, seed=5
    )
    want, _ = keras_ds.get_training_or_validation_split(
        paths, labels, 0.3, subset
    )
    assert ds.file_paths == want


def test_images_and_labels(image_dir):
    ds = utils.image_dataset_from_directory(
        image_dir,
        image_size=(6, 5),
        batch_size=3,
        shuffle=False,
        label_mode="categorical",
        verbose=False,
    )
    assert ds.class_names == ["cats", "dogs"] and len(ds) == 3
    images, labels = next(iter(ds))
    assert images.shape == (3, 6, 5, 3) and images.dtype == torch.float32
    assert labels.tolist() == [[1, 0], [1, 0], [1, 0]]
    for image, path in zip(images, ds.file_paths):
        raw = keras.utils.img_to_array(keras.utils.load_img(path))
        want = keras.ops.image.resize(raw, (6, 5), antialias=False)
        np.testing.assert_allclose(
            image.numpy(),
            keras.ops.convert_to_numpy(want),
            rtol=1e-5,
            atol=1e-3,
        )


def test_image_options(image_dir):
    both = utils.image_dataset_from_directory(
        image_dir,
        image_size=(4, 4),
        color_mode="grayscale",
        label_mode="binary",
        validation_split=0.5,
        subset="both",
        seed=1,
        data_format="channels_first",
        crop_to_aspect_ratio=True,
        verbose=False,
    )
    train, val = both
    x, y = next(iter(train))
    assert x.shape[1:] == (1, 4, 4) and y.shape[1:] == (1,)
    assert len(train.file_paths) + len(val.file_paths) == 7
    assert not set(train.file_paths) & set(val.file_paths)
    only_x = utils.image_dataset_from_directory(
        image_dir,
        labels=None,
        image_size=(3, 3),
        batch_size=None,
        pad_to_aspect_ratio=True,
        verbose=False,
    )
    assert next(iter(only_x)).shape == (3, 3, 3)


def test_fit_takes_the_dataset(image_dir):
    ds = utils.image_dataset_from_directory(
        image_dir, image_size=(4, 4), batch_size=4, seed=0, verbose=False
    )
    model = lamina.Sequential(
        [
            lamina.Input((4, 4, 3)),
            lamina.layers.Rescaling(1 / 255),
            lamina.layers.Flatten(),
            lamina.layers.Dense(2),
        ]
    )
    model.compile(
        "sgd", lamina.losses.SparseCategoricalCrossentropy(from_logits=True)
    )
    history = model.fit(ds.prefetch(2).cache(), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert model.predict(ds.map(lambda x, y: x), verbose=0).shape == (7, 2)
    assert len(model.evaluate(ds, verbose=0, return_dict=True)) >= 1


def test_text_dataset(text_dir):
    ds = utils.text_dataset_from_directory(
        text_dir, batch_size=4, shuffle=False, max_length=7, verbose=False
    )
    texts, labels = next(iter(ds))
    assert texts.tolist() == ["neg rev"] * 3 + ["pos rev"]
    assert labels.tolist() == [0, 0, 0, 1]
    assert ds.class_names == ["neg", "pos"]
    full = utils.text_dataset_from_directory(
        text_dir, shuffle=False, batch_size=None, verbose=False
    )
    assert next(iter(full))[0] == "neg review number 0"


def test_audio_dataset(tmp_path):
    for cls, lengths in (("no", (5, 8)), ("yes", (3,))):
        (tmp_path / cls).mkdir()
        for i, n in enumerate(lengths):
            samples = (np.arange(n) * 1000).astype("<i2")
            with wave.open(str(tmp_path / cls / f"{i}.wav"), "wb") as f:
                f.setnchannels(1)
                f.setsampwidth(2)
                f.setframerate(16000)
                f.writeframes(samples.tobytes())
    ds = lamina.utils.audio_dataset_from_directory(
        tmp_path, batch_size=3, shuffle=False, verbose=False
    )
    audio, labels = next(iter(ds))
    assert audio.shape == (3, 8, 1) and labels.tolist() == [0, 0, 1]
    np.testing.assert_allclose(
        audio[0, :, 0].numpy(), np.r_[np.arange(5) * 1000 / 32768, [0] * 3]
    )
    cut = lamina.utils.audio_dataset_from_directory(
        tmp_path,
        batch_size=None,
        shuffle=False,
        output_sequence_length=4,
        verbose=False,
    )
    assert next(iter(cut))[0].shape == (4, 1)
    with pytest.raises(ValueError, match="does not resample"):
        list(
            lamina.utils.audio_dataset_from_directory(
                tmp_path, sampling_rate=8000, verbose=False
            )
        )


def test_timeseries_matches_keras_docstring_examples():
    data = np.arange(100)
    ds = utils.timeseries_dataset_from_array(
        data[:-10],
        data[10:],
        sequence_length=10,
        sampling_rate=2,
        batch_size=128,
    )
    inputs, targets = next(iter(ds))
    np.testing.assert_array_equal(inputs[0], np.arange(0, 20, 2))
    assert int(targets[0]) == 10
    assert inputs.shape == (72, 10)
    x = utils.timeseries_dataset_from_array(
        np.arange(10),
        None,
        3,
        sequence_stride=2,
        start_index=1,
        end_index=9,
        batch_size=None,
    )
    assert [w.tolist() for w in x] == [[1, 2, 3], [3, 4, 5], [5, 6, 7]]
    s = utils.timeseries_dataset_from_array(
        np.arange(20), np.arange(20), 4, shuffle=True, seed=2, batch_size=5
    )
    pairs = [(int(w[0]), int(t)) for b in s for w, t in zip(*b)]
    assert sorted(p[0] for p in pairs) == list(range(17))
    assert all(a == b for a, b in pairs)


def test_timeseries_errors():
    with pytest.raises(ValueError, match="`sampling_rate` must be in"):
        utils.timeseries_dataset_from_array(
            np.arange(5), None, 2, sampling_rate=0
        )
    with pytest.raises(ValueError, match="`end_index`"):
        utils.timeseries_dataset_from_array(np.arange(5), None, 2, end_index=7)
    with pytest.raises(ValueError, match="`format`"):
        utils.timeseries_dataset_from_array(
            np.arange(5), None, 2, format="grain"
        )


def test_split_dataset_sizes_match_keras():
    x = np.arange(20).reshape(10, 2)
    for kwargs in (
        {"left_size": 0.7},
        {"right_size": 3},
        {"left_size": 4, "right_size": 6},
    ):
        left, right = utils.split_dataset((x, np.arange(10)), **kwargs)
        kl, kr = keras.utils.split_dataset(
            (x, np.arange(10)), preferred_backend="torch", **kwargs
        )
        assert (len(left), len(right)) == (len(kl), len(kr))
    left, right = utils.split_dataset(x, left_size=0.5, shuffle=True, seed=1)
    values = sorted(int(r[0]) for r in list(left) + list(right))
    assert values == list(range(0, 20, 2))
    ordered, _ = utils.split_dataset(list("abcde"), left_size=2)
    assert list(ordered) == ["a", "b"]
    with pytest.raises(ValueError, match="`left_size` of split_dataset"):
        utils.split_dataset(x, left_size=1.5)
    with pytest.raises(ValueError, match="give `left_size`"):
        utils.split_dataset(x)


def test_dataset_methods():
    ds = Dataset.from_tensor_slices(np.arange(10))
    assert [int(v) for v in ds.take(3)] == [0, 1, 2]
    assert [int(v) for v in ds.skip(8)] == [8, 9]
    evens = ds.filter(lambda v: v % 2 == 0)
    assert ds.filter(lambda v: v > 0).cardinality() == -2
    assert [int(v) for v in evens] == [0, 2, 4, 6, 8]
    batches = ds.batch(4)
    assert [b.tolist() for b in batches.unbatch().batch(5)] == [
        list(range(5)),
        list(range(5, 10)),
    ]
    assert ds.repeat().cardinality() == -1 and len(ds.repeat(2)) == 20
    shuffled = ds.shuffle(10, seed=0)
    first, second = list(shuffled), list(shuffled)
    assert sorted(int(v) for v in first) == list(range(10))
    assert [int(v) for v in first] != [int(v) for v in second]
    assert len(ds.concatenate(ds.take(2))) == 12
    assert next(ds.batch(10).as_numpy_iterator()).dtype == np.int64
    loader = torch.utils.data.DataLoader(ds.batch(5), batch_size=None)
    assert [b.shape for b in loader] == [torch.Size([5])] * 2
    with pytest.raises(TypeError, match="length of this Dataset is unknown"):
        len(evens)
    with pytest.raises(ValueError, match="`batch_size` of Dataset.batch"):
        ds.batch(0)
