"""ConvNeXt Tiny … XLarge, and its LayerScale and StochasticDepth layers,
against Keras 3's (torch backend)."""

import numpy as np
import pytest
import torch

from keras.src.applications import convnext as keras_convnext
from lamina.applications import convnext
from lamina.applications.layer_scale import LayerScale
from lamina.applications.stochastic_depth import StochasticDepth
from tests.applications import family_parity as fp
from tests.keras_oracle import keras, to_numpy

CASES = [
    (
        "ConvNeXtTiny",
        dict(input_shape=(32, 32, 3), include_top=True, classes=5),
        (32, 32),
    ),
    # No input shape, odd sides, no in-model normalization.
    (
        "ConvNeXtSmall",
        dict(include_top=False, pooling="max", include_preprocessing=False),
        (33, 35),
    ),
]


@pytest.mark.parametrize("fn,kwargs,sides", CASES)
def test_matches_keras(fn, kwargs, sides):
    theirs, ours = fp.build_pair(
        getattr(keras.applications, fn),
        getattr(convnext, fn),
        weights=None,
        **kwargs,
    )
    fp.check_structure(theirs, ours)
    fp.check_outputs(theirs, ours, fp.images((2, *sides, 3)))


@pytest.mark.slow
@pytest.mark.parametrize(
    "fn", ["ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtXLarge"]
)
def test_big_variants_names_and_shapes(fn):
    theirs, ours = fp.build_pair(
        getattr(keras.applications, fn),
        getattr(convnext, fn),
        weights=None,
        include_top=False,
        input_shape=(32, 32, 3),
    )
    fp.check_structure(theirs, ours)


def test_imagenet_weights_are_keras_file(tmp_path, monkeypatch):
    name = fp.check_imagenet_file(
        keras.applications.ConvNeXtTiny,
        convnext.ConvNeXtTiny,
        tmp_path,
        monkeypatch,
        fp.images((2, 32, 32, 3)),
        input_shape=(32, 32, 3),
        include_top=False,
        pooling="avg",
    )
    assert name == "convnext_tiny_notop.h5"


def test_layer_scale_matches_keras():
    x = fp.images((2, 3, 4), low=-1, high=1)
    theirs = keras_convnext.LayerScale(0.25, 4)
    ours = LayerScale(0.25, 4)
    expected = to_numpy(theirs(x))
    np.testing.assert_allclose(to_numpy(ours(torch.from_numpy(x))), expected)
    assert ours.get_config() == {**theirs.get_config(), "name": ours.name}


def test_stochastic_depth_matches_keras():
    x = fp.images((64, 2, 3), low=1, high=2)
    theirs = keras_convnext.StochasticDepth(0.25)
    ours = StochasticDepth(0.25, seed=3)
    np.testing.assert_array_equal(
        to_numpy(ours(torch.from_numpy(x), training=False)),
        to_numpy(theirs(x, training=False)),
    )
    out = to_numpy(ours(torch.from_numpy(x), training=True))
    # Whole samples are dropped or scaled by 1 / keep, as in Keras.
    kept = np.all(np.isclose(out, x / 0.75), axis=(1, 2))
    dropped = np.all(out == 0, axis=(1, 2))
    assert np.all(kept | dropped) and kept.any() and dropped.any()
    assert ours.get_config()["drop_path_rate"] == 0.25
    with pytest.raises(ValueError, match="drop_path_rate"):
        StochasticDepth(1.5)


def test_preprocess_input_is_identity_as_in_keras():
    x = fp.images((2, 4, 4, 3))
    expected = keras.applications.convnext.preprocess_input(x.copy())
    np.testing.assert_array_equal(convnext.preprocess_input(x), expected)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(input_shape=(31, 32, 3), include_top=False), "at least 32x32"),
        (dict(weights="no/such/file.h5"), "weights"),
        (dict(weights="imagenet", classes=10), "classes"),
        (dict(weights="imagenet", name="mine"), "convnext_tiny"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        convnext.ConvNeXtTiny(**{"weights": None, **kwargs})


def test_channels_first_is_refused(monkeypatch):
    import lamina

    monkeypatch.setattr(
        lamina.config, "image_data_format", lambda: "channels_first"
    )
    with pytest.raises(ValueError, match="channels_first"):
        convnext.ConvNeXtTiny(weights=None)
