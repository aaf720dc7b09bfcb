"""The `weights` argument: Keras's published files (same name, URL, cache
folder and hash, read from Keras's cache offline), local files in the
published layout, and the errors for arguments that cannot work."""

import h5py
import numpy as np
import pytest

from lamina import applications
from lamina.applications import weights as weights_lib
from tests.applications.parity import _randomize_keras
from tests.keras_oracle import keras, to_numpy


class _Stop(Exception):
    pass


def _recorder(calls):
    def get_file(fname=None, origin=None, **kwargs):
        calls.append((fname, origin, kwargs))
        raise _Stop

    return get_file


def _published_file(monkeypatch, ours, theirs, **kwargs):
    """The `get_file` call each library makes for `weights="imagenet"`."""
    from keras.src.utils import file_utils as keras_file_utils

    from lamina.utils import file_utils

    our_calls, their_calls = [], []
    monkeypatch.setattr(file_utils, "get_file", _recorder(our_calls))
    monkeypatch.setattr(keras_file_utils, "get_file", _recorder(their_calls))
    for fn, calls in ((ours, our_calls), (theirs, their_calls)):
        with pytest.raises(_Stop):
            fn(weights="imagenet", **kwargs)
    return our_calls, their_calls


FAST = [
    ("VGG16", {"include_top": False, "input_shape": (32, 32, 3)}),
    ("ResNet50", {"include_top": False, "input_shape": (32, 32, 3)}),
    ("Xception", {"include_top": False, "input_shape": (71, 71, 3)}),
    ("InceptionV3", {"include_top": False, "input_shape": (75, 75, 3)}),
    ("DenseNet121", {"include_top": False, "input_shape": (32, 32, 3)}),
    ("MobileNet", {"alpha": 0.25, "input_shape": (128, 128, 3)}),
    ("MobileNetV2", {"alpha": 0.35, "input_shape": (96, 96, 3)}),
    ("MobileNetV2", {"include_top": False, "input_shape": (40, 40, 3)}),
]
SLOW = [
    ("VGG19", {"include_top": False, "input_shape": (32, 32, 3)}),
    ("ResNet101", {"include_top": False, "input_shape": (32, 32, 3)}),
    ("ResNet152", {"include_top": False, "input_shape": (32, 32, 3)}),
    ("ResNet50V2", {"include_top": False, "input_shape": (32, 32, 3)}),
    ("ResNet101V2", {"include_top": False, "input_shape": (32, 32, 3)}),
    ("ResNet152V2", {"include_top": False, "input_shape": (32, 32, 3)}),
    ("DenseNet169", {"include_top": False, "input_shape": (32, 32, 3)}),
    ("DenseNet201", {"include_top": False, "input_shape": (32, 32, 3)}),
    ("InceptionResNetV2", {"include_top": False, "input_shape": (75, 75, 3)}),
    ("ResNet50", {}),
    ("MobileNet", {"include_top": False, "alpha": 0.75}),
]


def _check_same_file(monkeypatch, name, kwargs):
    ours, theirs = _published_file(
        monkeypatch,
        getattr(applications, name),
        getattr(keras.applications, name),
        **kwargs,
    )
    assert len(ours) == len(theirs) == 1
    (fname, origin, options), (k_fname, k_origin, k_options) = (
        ours[0],
        theirs[0],
    )
    assert (fname, origin) == (k_fname, k_origin)
    assert options["cache_subdir"] == k_options["cache_subdir"] == "models"
    assert options.get("file_hash") == k_options.get("file_hash")


@pytest.mark.filterwarnings("ignore:`input_shape` is undefined or non-square")
@pytest.mark.parametrize("name, kwargs", FAST)
def test_imagenet_file_is_keras_file(name, kwargs, monkeypatch):
    _check_same_file(monkeypatch, name, kwargs)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:`input_shape` is undefined or non-square")
@pytest.mark.parametrize("name, kwargs", SLOW)
def test_imagenet_file_is_keras_file_large(name, kwargs, monkeypatch):
    _check_same_file(monkeypatch, name, kwargs)


def _save_published_layout(model, path):
    """Write `model`'s weights as Keras publishes them: the legacy `.h5`
    layout (`layer_names`, then one group per layer)."""
    from keras.src.legacy.saving import legacy_h5_format

    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)


def _keras_mobilenet(rng, alpha=0.25, shape=(128, 128, 3)):
    model = keras.applications.MobileNet(
        weights=None, include_top=False, alpha=alpha, input_shape=shape
    )
    _randomize_keras(model, rng)
    return model


def _assert_same_outputs(ours, theirs, shape, rng):
    x = rng.uniform(-1, 1, (2, *shape)).astype("float32")
    np.testing.assert_allclose(
        to_numpy(ours.predict(x, verbose=0)),
        to_numpy(theirs.predict(x, verbose=0)),
        rtol=1e-4,
        atol=1e-4,
    )


def test_imagenet_weights_come_from_keras_cache_offline(keras_home, rng):
    # MobileNet's published files have no hash, so a file in the cache
    # under the published name is used as it is.
    theirs = _keras_mobilenet(rng)
    _save_published_layout(
        theirs, keras_home / "models" / "mobilenet_2_5_128_tf_no_top.h5"
    )
    ours = applications.MobileNet(
        weights="imagenet",
        include_top=False,
        alpha=0.25,
        input_shape=(128, 128, 3),
    )
    _assert_same_outputs(ours, theirs, (128, 128, 3), rng)


def test_weights_path_in_published_layout(tmp_path, rng):
    theirs = keras.applications.ResNet50(
        weights=None, include_top=False, input_shape=(32, 32, 3)
    )
    _randomize_keras(theirs, rng)
    path = tmp_path / "resnet50_notop.h5"
    _save_published_layout(theirs, path)
    ours = applications.ResNet50(
        weights=str(path), include_top=False, input_shape=(32, 32, 3)
    )
    _assert_same_outputs(ours, theirs, (32, 32, 3), rng)


def test_weights_path_keras3_weights_file(tmp_path, rng):
    theirs = keras.applications.MobileNetV2(
        weights=None, include_top=True, classes=3, input_shape=(32, 32, 3)
    )
    _randomize_keras(theirs, rng)
    path = tmp_path / "m.weights.h5"
    theirs.save_weights(str(path))
    ours = applications.MobileNetV2(
        weights=path, include_top=True, classes=3, input_shape=(32, 32, 3)
    )
    _assert_same_outputs(ours, theirs, (32, 32, 3), rng)


@pytest.mark.parametrize("other", ["alpha", "architecture"])
def test_file_of_another_architecture_is_refused_whole(other, tmp_path, rng):
    path = tmp_path / "other.h5"
    if other == "alpha":
        _save_published_layout(_keras_mobilenet(rng, 0.5, (32, 32, 3)), path)
    else:
        theirs = keras.applications.VGG16(
            weights=None, include_top=False, input_shape=(32, 32, 3)
        )
        _save_published_layout(theirs, path)
    ours = applications.MobileNet(
        weights=None, include_top=False, alpha=0.25, input_shape=(32, 32, 3)
    )
    before = [w.copy() for w in ours.get_weights()]
    with pytest.raises(
        ValueError, match="does not fit model 'mobilenet_0.25_32'"
    ):
        weights_lib.load_weights(ours, str(path))
    for old, new in zip(before, ours.get_weights()):
        np.testing.assert_array_equal(old, new)  # nothing half-loaded
    with pytest.raises(ValueError, match="does not fit"):
        applications.MobileNet(
            weights=str(path),
            include_top=False,
            alpha=0.25,
            input_shape=(32, 32, 3),
        )


def test_imagenet_with_top_needs_1000_classes():
    with pytest.raises(ValueError, match="Received classes=10") as info:
        applications.ResNet50(weights="imagenet", classes=10)
    assert "include_top=False" in str(info.value)


def test_unknown_weights_value():
    with pytest.raises(ValueError, match="Received: weights='imagenet21k'"):
        applications.VGG16(weights="imagenet21k")


@pytest.mark.parametrize(
    "name, shape, minimum",
    [
        ("ResNet50", (31, 64, 3), 32),
        ("Xception", (70, 71, 3), 71),
        ("InceptionV3", (75, 74, 3), 75),
        ("MobileNetV2", (16, 16, 3), 32),
    ],
)
def test_input_shape_below_minimum(name, shape, minimum):
    message = f"at least {minimum}x{minimum}; Received: input_shape="
    with pytest.raises(ValueError, match=message):
        getattr(applications, name)(
            weights=None, include_top=False, input_shape=shape
        )


def test_pretrained_top_with_other_activation(tmp_path):
    with pytest.raises(ValueError, match="classifier_activation=relu"):
        applications.MobileNetV2(
            weights="imagenet",
            classifier_activation="relu",
            input_shape=(96, 96, 3),
        )


def test_imagenet_with_top_needs_default_shape():
    with pytest.raises(ValueError, match=r"should be \(224, 224, 3\)"):
        applications.VGG16(weights="imagenet", input_shape=(64, 64, 3))


def test_unpublished_side_warns_and_names_the_224_file(monkeypatch):
    from lamina.utils import file_utils

    calls = []
    monkeypatch.setattr(file_utils, "get_file", _recorder(calls))
    with pytest.warns(UserWarning, match="Weights for input shape"):
        with pytest.raises(_Stop):
            applications.MobileNetV2(include_top=False, input_shape=(40, 40, 3))
    assert calls[0][0].endswith("_1.0_224_no_top.h5")
