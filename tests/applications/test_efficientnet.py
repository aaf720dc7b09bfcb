"""EfficientNetB0–B7 against Keras 3's (torch backend)."""

import numpy as np
import pytest

from lamina.applications import efficientnet
from tests.applications import family_parity as fp
from tests.keras_oracle import keras

CASES = [
    (
        "EfficientNetB0",
        dict(input_shape=(32, 32, 3), include_top=True, classes=5),
        (32, 32),
    ),
    # No input shape, odd sides: the stride-2 padding follows each size.
    ("EfficientNetB2", dict(include_top=False, pooling="max"), (33, 35)),
]


@pytest.mark.parametrize("fn,kwargs,sides", CASES)
def test_matches_keras(fn, kwargs, sides):
    theirs, ours = fp.build_pair(
        getattr(keras.applications, fn),
        getattr(efficientnet, fn),
        weights=None,
        **kwargs,
    )
    fp.check_structure(theirs, ours)
    fp.check_outputs(theirs, ours, fp.images((2, *sides, 3)))


@pytest.mark.slow
@pytest.mark.parametrize("fn", ["EfficientNetB5", "EfficientNetB7"])
def test_big_variants_names_and_shapes(fn):
    theirs, ours = fp.build_pair(
        getattr(keras.applications, fn),
        getattr(efficientnet, fn),
        weights=None,
        include_top=False,
        input_shape=(32, 32, 3),
    )
    fp.check_structure(theirs, ours)


def test_weights_file_in_published_layout(tmp_path):
    fp.check_weights_file(
        keras.applications.EfficientNetB0,
        efficientnet.EfficientNetB0,
        tmp_path,
        fp.images((2, 32, 32, 3)),
        input_shape=(32, 32, 3),
        include_top=False,
        pooling="avg",
    )


def test_imagenet_weights_are_keras_file(tmp_path, monkeypatch):
    name = fp.check_imagenet_file(
        keras.applications.EfficientNetB0,
        efficientnet.EfficientNetB0,
        tmp_path,
        monkeypatch,
        fp.images((2, 32, 32, 3)),
        input_shape=(32, 32, 3),
        include_top=False,
    )
    assert name == "efficientnetb0_notop.h5"


def test_preprocess_input_is_identity_as_in_keras():
    x = fp.images((2, 4, 4, 3))
    expected = keras.applications.efficientnet.preprocess_input(x.copy())
    np.testing.assert_array_equal(efficientnet.preprocess_input(x), expected)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(input_shape=(16, 32, 3), include_top=False), "at least 32x32"),
        (dict(weights="no/such/file.h5"), "weights"),
        (dict(weights="imagenet", classes=10), "classes"),
        (dict(classifier_activation="relu", weights="imagenet"), "softmax"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        efficientnet.EfficientNetB0(**{"weights": None, **kwargs})
