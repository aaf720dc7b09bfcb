"""NASNetMobile and NASNetLarge against Keras 3's (torch backend).

Keras refuses `NASNetMobile` on torch; its own `nasnet.NASNet` with the
mobile settings (what `NASNetMobile` calls on other backends) is the
oracle here."""

import numpy as np
import pytest

from keras.src.applications import nasnet as keras_nasnet
from lamina.applications import nasnet
from tests.applications import family_parity as fp
from tests.keras_oracle import keras


def keras_mobile(
    input_shape=None,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="nasnet_mobile",
):
    """Keras's `NASNetMobile` without its torch-backend refusal."""
    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return keras_nasnet.NASNet(
        input_shape,
        penultimate_filters=1056,
        num_blocks=4,
        stem_block_filters=32,
        skip_reduction=False,
        filter_multiplier=2,
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        pooling=pooling,
        classes=classes,
        default_size=224,
        classifier_activation=classifier_activation,
        name=name,
    )


CASES = [
    (dict(input_shape=(32, 32, 3), include_top=True, classes=5), (32, 32)),
    # Odd sides: the adjust block's two half-grids and the corrective
    # paddings follow each size.
    (dict(input_shape=(47, 45, 3), include_top=False), (47, 45)),
]


@pytest.mark.parametrize("kwargs,sides", CASES)
def test_mobile_matches_keras(kwargs, sides):
    theirs, ours = fp.build_pair(
        keras_mobile, nasnet.NASNetMobile, weights=None, **kwargs
    )
    fp.check_structure(theirs, ours)
    fp.check_outputs(theirs, ours, fp.images((2, *sides, 3)))


def test_keras_refuses_mobile_on_torch_and_we_do_not():
    with pytest.raises(ValueError, match="torch backend"):
        keras.applications.NASNetMobile(weights=None)


@pytest.mark.slow
def test_large_names_and_shapes():
    theirs, ours = fp.build_pair(
        keras.applications.NASNetLarge,
        nasnet.NASNetLarge,
        weights=None,
        include_top=False,
        input_shape=(32, 32, 3),
    )
    fp.check_structure(theirs, ours)


def test_imagenet_weights_are_keras_file(tmp_path, monkeypatch):
    name = fp.check_imagenet_file(
        keras_mobile,
        nasnet.NASNetMobile,
        tmp_path,
        monkeypatch,
        fp.images((2, 32, 32, 3)),
        input_shape=(32, 32, 3),
        include_top=False,
        pooling="max",
    )
    assert name == "nasnet_mobile_no_top.h5"


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_preprocess_input_matches_keras(data_format):
    x = fp.images((2, 4, 4, 3))
    expected = keras.applications.nasnet.preprocess_input(
        x.copy(), data_format=data_format
    )
    got = nasnet.preprocess_input(x.copy(), data_format=data_format)
    np.testing.assert_allclose(got, expected, rtol=1e-6)


@pytest.mark.parametrize(
    "builder,kwargs,match",
    [
        ("NASNetMobile", dict(input_shape=(31, 32, 3)), "at least 32x32"),
        ("NASNetMobile", dict(weights="no/such/file.h5"), "weights"),
        ("NASNetLarge", dict(weights="imagenet", classes=10), "classes"),
        (
            "NASNetLarge",
            dict(weights="imagenet", input_shape=(None, None, 3)),
            "static",
        ),
        (
            "NASNetLarge",
            dict(
                weights="imagenet", include_top=True, input_shape=(224, 224, 3)
            ),
            r"\(331, 331, 3\)",
        ),
    ],
)
def test_bad_arguments(builder, kwargs, match):
    with pytest.raises(ValueError, match=match):
        getattr(nasnet, builder)(**{"weights": None, **kwargs})


def test_penultimate_filters_must_divide():
    args = dict(
        input_shape=(32, 32, 3),
        include_top=False,
        weights=None,
        input_tensor=None,
        pooling=None,
        classes=1000,
        classifier_activation=None,
        name="n",
    )
    with pytest.raises(ValueError, match="multiple of 24"):
        nasnet.NASNet(args, penultimate_filters=1000)
