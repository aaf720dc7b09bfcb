"""MobileNetV3Small/Large against Keras 3's (torch backend)."""

import numpy as np
import pytest

from lamina.applications import mobilenet_v3
from tests.applications import family_parity as fp
from tests.applications.family_parity import channels_first  # noqa: F401
from tests.keras_oracle import keras

SIDE = dict(input_shape=(32, 32, 3))
CASES = [
    ("MobileNetV3Small", dict(SIDE, include_top=True, classes=7), (32, 32)),
    # No input shape: the feature map's sides stay unknown (as in Keras).
    ("MobileNetV3Small", dict(include_top=False, alpha=0.75), (40, 48)),
    (
        "MobileNetV3Large",
        dict(SIDE, include_top=False, minimalistic=True, pooling="avg"),
        (32, 32),
    ),
    (
        "MobileNetV3Large",
        dict(
            SIDE,
            include_top=True,
            classes=5,
            alpha=1.25,
            include_preprocessing=False,
            classifier_activation=None,
        ),
        (32, 32),
    ),
]


@pytest.mark.parametrize("fn,kwargs,sides", CASES)
def test_matches_keras(fn, kwargs, sides):
    theirs, ours = fp.build_pair(
        getattr(keras.applications, fn),
        getattr(mobilenet_v3, fn),
        weights=None,
        **kwargs,
    )
    fp.check_structure(theirs, ours)
    assert ours.output.shape == tuple(theirs.output.shape)
    fp.check_outputs(theirs, ours, fp.images((2, *sides, 3)))


def test_input_tensor_keeps_earlier_layers():
    import lamina

    inputs = lamina.Input((32, 32, 3))
    x = lamina.layers.Rescaling(2.0, name="double")(inputs)
    model = mobilenet_v3.MobileNetV3Small(
        weights=None, input_tensor=x, include_top=False
    )
    assert model.layers[1].name == "double"
    assert model.input[0] is inputs


def test_weights_file_in_published_layout(tmp_path):
    fp.check_weights_file(
        keras.applications.MobileNetV3Small,
        mobilenet_v3.MobileNetV3Small,
        tmp_path,
        fp.images((2, 32, 32, 3)),
        input_shape=(32, 32, 3),
        include_top=True,
        classes=3,
    )


def test_imagenet_weights_are_keras_file(tmp_path, monkeypatch):
    # Both libraries warn that the weights were made for 224x224.
    with pytest.warns(UserWarning, match="224"):
        name = fp.check_imagenet_file(
            keras.applications.MobileNetV3Large,
            mobilenet_v3.MobileNetV3Large,
            tmp_path,
            monkeypatch,
            fp.images((2, 32, 32, 3)),
            input_shape=(32, 32, 3),
            include_top=False,
            alpha=0.75,
        )
    assert name == "weights_mobilenet_v3_large_224_0.75_float_no_top_v2.h5"


def test_channels_first_matches_keras(channels_first):  # noqa: F811
    theirs, ours = fp.build_pair(
        keras.applications.MobileNetV3Small,
        mobilenet_v3.MobileNetV3Small,
        weights=None,
        input_shape=(3, 33, 35),
        include_top=True,
        classes=3,
    )
    fp.check_structure(theirs, ours)
    fp.check_outputs(theirs, ours, fp.images((2, 3, 33, 35)))


def test_preprocess_input_is_identity_as_in_keras():
    x = fp.images((2, 4, 4, 3))
    expected = keras.applications.mobilenet_v3.preprocess_input(x.copy())
    np.testing.assert_array_equal(mobilenet_v3.preprocess_input(x), expected)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(input_shape=(16, 32, 3)), "at least 32x32"),
        (dict(weights="no/such/file.h5"), "weights"),
        (dict(weights="imagenet", classes=10), "classes"),
        (
            dict(weights="imagenet", alpha=0.5, include_top=False),
            "alpha can be one of",
        ),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        mobilenet_v3.MobileNetV3Small(**{"weights": None, **kwargs})
