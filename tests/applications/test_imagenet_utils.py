import hashlib
import inspect
import json

import numpy as np
import pytest
import torch

from lamina.applications import imagenet_utils
from tests.keras_oracle import keras, to_numpy

from keras.src.applications import imagenet_utils as keras_utils  # noqa: E402


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("ndim", [3, 4])
def test_preprocess_matches_keras(mode, data_format, ndim, rng):
    shape = (2, 5, 4, 3)[4 - ndim :]
    if data_format == "channels_first":
        shape = shape[:-3] + (3, 5, 4)
    x = rng.uniform(0, 255, shape).astype("float32")
    expected = keras_utils.preprocess_input(x.copy(), data_format, mode)
    ours = imagenet_utils.preprocess_input(x.copy(), data_format, mode)
    np.testing.assert_allclose(ours, expected, rtol=1e-6, atol=1e-6)
    tensor = imagenet_utils.preprocess_input(torch.tensor(x), data_format, mode)
    np.testing.assert_allclose(to_numpy(tensor), expected, rtol=1e-6, atol=1e-5)


def test_preprocess_numpy_in_place_and_integer_input(rng):
    x = rng.uniform(0, 255, (1, 2, 2, 3)).astype("float32")
    out = imagenet_utils.preprocess_input(x, mode="tf")
    assert out is x  # Keras overwrites a float array
    ints = rng.integers(0, 255, (1, 2, 2, 3)).astype("uint8")
    expected = keras_utils.preprocess_input(ints.copy(), mode="caffe")
    ours = imagenet_utils.preprocess_input(ints.copy(), mode="caffe")
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, expected, rtol=1e-6)


def test_preprocess_tensor_is_not_modified():
    x = torch.full((1, 2, 2, 3), 255.0)
    imagenet_utils.preprocess_input(x, mode="torch")
    assert float(x.min()) == 255.0


def test_preprocess_in_a_functional_model(rng):
    import lamina

    inputs = lamina.Input((4, 4, 3))
    outputs = imagenet_utils.preprocess_input(inputs, mode="caffe")
    model = lamina.Model(inputs, outputs)
    x = rng.uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    expected = keras_utils.preprocess_input(x.copy(), mode="caffe")
    np.testing.assert_allclose(to_numpy(model(x)), expected, rtol=1e-6)


def test_preprocess_bad_arguments():
    x = np.zeros((1, 2, 2, 3), "float32")
    with pytest.raises(ValueError, match="Received: mode=bgr"):
        imagenet_utils.preprocess_input(x, mode="bgr")
    with pytest.raises(ValueError, match="Received: data_format=nhwc"):
        imagenet_utils.preprocess_input(x, data_format="nhwc")


def _fake_index():
    return {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}


def test_decode_predictions_matches_keras(monkeypatch, rng):
    index = _fake_index()
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", index)
    monkeypatch.setattr(keras_utils, "CLASS_INDEX", index)
    preds = rng.uniform(size=(3, 1000)).astype("float32")
    ours = imagenet_utils.decode_predictions(preds, top=4)
    assert ours == keras_utils.decode_predictions(preds, top=4)
    from_tensor = imagenet_utils.decode_predictions(torch.tensor(preds), top=4)
    assert from_tensor == ours


def test_decode_predictions_reads_keras_cache(keras_home, monkeypatch):
    path = keras_home / "models" / "imagenet_class_index.json"
    path.write_text(json.dumps(_fake_index()))
    # The real file's hash cannot match the fake file: check with its own.
    digest = hashlib.md5(path.read_bytes()).hexdigest()
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_HASH", digest)
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    preds = np.zeros((1, 1000), "float32")
    preds[0, 7] = 1.0
    top = imagenet_utils.decode_predictions(preds, top=1)
    assert top == [[("n00000007", "class_7", np.float32(1.0))]]


def test_class_index_source_is_keras():
    assert imagenet_utils.CLASS_INDEX_PATH == keras_utils.CLASS_INDEX_PATH
    source = inspect.getsource(keras_utils.decode_predictions)
    assert f'file_hash="{imagenet_utils.CLASS_INDEX_HASH}"' in source


def test_decode_predictions_bad_shape():
    with pytest.raises(
        ValueError, match=r"Received array with shape: \(2, 10\)"
    ):
        imagenet_utils.decode_predictions(np.zeros((2, 10)))


SHAPE_CASES = [
    # input_shape, default, min, format, require_flatten, weights
    (None, 224, 32, "channels_last", True, "imagenet"),
    (None, 224, 32, "channels_last", False, None),
    (None, 224, 32, "channels_first", False, None),
    ((64, 48, 3), 224, 32, "channels_last", False, "imagenet"),
    ((3, 64, 48), 224, 32, "channels_first", False, None),
    ((64, 64, 1), 224, 32, "channels_last", True, None),
    ((None, None, 3), 299, 75, "channels_last", False, None),
]


@pytest.mark.parametrize("case", SHAPE_CASES)
def test_obtain_input_shape_matches_keras(case):
    ours = imagenet_utils.obtain_input_shape(*case)
    assert ours == tuple(keras_utils.obtain_input_shape(*case))


BAD_SHAPES = [
    ((100, 100, 3), 224, 32, "channels_last", True, "imagenet", "should be"),
    ((16, 64, 3), 224, 32, "channels_last", False, None, "at least 32x32"),
    ((3, 64, 16), 224, 32, "channels_first", False, None, "at least 32x32"),
    ((64, 64, 1), 224, 32, "channels_last", False, "imagenet", "3 channels"),
    ((64, 64), 224, 32, "channels_last", False, None, "three integers"),
    ((None, None, 3), 224, 32, "channels_last", True, None, "static"),
]


@pytest.mark.parametrize("case", BAD_SHAPES)
def test_obtain_input_shape_errors_like_keras(case):
    *args, message = case
    with pytest.raises(ValueError, match=message):
        imagenet_utils.obtain_input_shape(*args)
    with pytest.raises(ValueError, match=message):
        keras_utils.obtain_input_shape(*args)


def test_obtain_input_shape_warns_on_odd_channels():
    with pytest.warns(UserWarning, match="with 5 input channels"):
        imagenet_utils.obtain_input_shape(
            (64, 64, 5), 224, 32, "channels_last", False, None
        )


def test_correct_pad_matches_keras():
    for shape in [(None, 7, 7, 3), (None, 8, 6, 3), (None, None, None, 3)]:
        ours = imagenet_utils.correct_pad(keras.KerasTensor(shape), 3)
        assert ours == keras_utils.correct_pad(keras.KerasTensor(shape), 3)


def test_validate_activation():
    imagenet_utils.validate_activation("softmax", "imagenet")
    imagenet_utils.validate_activation(None, "imagenet")
    imagenet_utils.validate_activation("relu", None)
    with pytest.raises(ValueError, match="classifier_activation=relu"):
        imagenet_utils.validate_activation("relu", "imagenet")
