"""EfficientNetV2 B0–B3, S, M, L against Keras 3's (torch backend)."""

import numpy as np
import pytest

from lamina.applications import efficientnet_v2
from tests.applications import family_parity as fp
from tests.applications.family_parity import channels_first  # noqa: F401
from tests.keras_oracle import keras

CASES = [
    # B variants: V1's mean/std normalization inside the model.
    (
        "EfficientNetV2B0",
        dict(input_shape=(32, 32, 3), include_top=True, classes=5),
        (32, 32),
    ),
    # S: scaling to [-1, 1]; no input shape, odd sides.
    ("EfficientNetV2S", dict(include_top=False, pooling="avg"), (33, 35)),
]


@pytest.mark.parametrize("fn,kwargs,sides", CASES)
def test_matches_keras(fn, kwargs, sides):
    theirs, ours = fp.build_pair(
        getattr(keras.applications, fn),
        getattr(efficientnet_v2, fn),
        weights=None,
        **kwargs,
    )
    fp.check_structure(theirs, ours)
    fp.check_outputs(theirs, ours, fp.images((2, *sides, 3)))


@pytest.mark.slow
@pytest.mark.parametrize(
    "fn", ["EfficientNetV2B3", "EfficientNetV2M", "EfficientNetV2L"]
)
def test_big_variants_names_and_shapes(fn):
    theirs, ours = fp.build_pair(
        getattr(keras.applications, fn),
        getattr(efficientnet_v2, fn),
        weights=None,
        include_top=False,
        input_shape=(32, 32, 3),
    )
    fp.check_structure(theirs, ours)


def test_imagenet_weights_are_keras_file(tmp_path, monkeypatch):
    name = fp.check_imagenet_file(
        keras.applications.EfficientNetV2B0,
        efficientnet_v2.EfficientNetV2B0,
        tmp_path,
        monkeypatch,
        fp.images((2, 32, 32, 3)),
        input_shape=(32, 32, 3),
        include_top=False,
        include_preprocessing=False,
    )
    assert name == "efficientnetv2-b0_notop.h5"


def test_channels_first_matches_keras(channels_first):  # noqa: F811
    theirs, ours = fp.build_pair(
        keras.applications.EfficientNetV2B0,
        efficientnet_v2.EfficientNetV2B0,
        weights=None,
        input_shape=(3, 33, 35),
        include_top=False,
        pooling="avg",
    )
    fp.check_structure(theirs, ours)
    fp.check_outputs(theirs, ours, fp.images((2, 3, 33, 35)))


def test_preprocess_input_is_identity_as_in_keras():
    x = fp.images((2, 4, 4, 3))
    expected = keras.applications.efficientnet_v2.preprocess_input(x.copy())
    np.testing.assert_array_equal(efficientnet_v2.preprocess_input(x), expected)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(input_shape=(32, 8, 3), include_top=False), "at least 32x32"),
        (dict(weights="no/such/file.h5"), "weights"),
        (dict(weights="imagenet", classes=10), "classes"),
        (dict(include_top=True, input_shape=(None, None, 3)), "static"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        efficientnet_v2.EfficientNetV2B0(**{"weights": None, **kwargs})
