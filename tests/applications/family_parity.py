"""Keras-parity checks for an application builder (mobilenet_v3,
efficientnet, efficientnet_v2, convnext, nasnet): the same arguments build
the Keras model and ours; layer names, weight shapes, outputs after copying
Keras's (randomized) weights, and a weights file Keras wrote in the layout
of its published ImageNet files are compared."""

import h5py
import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy

RTOL = 1e-4
ATOL = 1e-4


@pytest.fixture
def channels_first():
    """Both libraries in the `channels_first` image format for one test."""
    before = lamina.config.image_data_format(), keras.config.image_data_format()
    lamina.config.set_image_data_format("channels_first")
    keras.config.set_image_data_format("channels_first")
    yield
    lamina.config.set_image_data_format(before[0])
    keras.config.set_image_data_format(before[1])


def build_pair(keras_fn, lamina_fn, **kwargs):
    """Both models from the same arguments, each after a fresh naming
    session so that unnamed layers get the same auto names."""
    keras.backend.clear_session()
    theirs = keras_fn(**kwargs)
    lamina.backend.clear_session()
    ours = lamina_fn(**kwargs)
    return theirs, ours


def random_weights(model, seed=0):
    """Random values for every weight; positive ones for variances, so
    batch normalization's moving statistics are exercised too."""
    rng = np.random.default_rng(seed)
    values = []
    for w in model.weights:
        shape = tuple(w.shape)
        if "variance" in w.path:
            values.append(rng.uniform(0.5, 1.5, shape).astype("float32"))
        else:
            values.append((0.3 * rng.standard_normal(shape)).astype("float32"))
    return values


def images(shape, seed=1, low=0.0, high=255.0):
    return (
        np.random.default_rng(seed).uniform(low, high, shape).astype("float32")
    )


def check_structure(theirs, ours):
    assert [layer.name for layer in ours.layers] == [
        layer.name for layer in theirs.layers
    ]
    assert [tuple(w.shape) for w in ours.get_weights()] == [
        tuple(w.shape) for w in theirs.get_weights()
    ]
    assert ours.name == theirs.name


def check_outputs(theirs, ours, x, rtol=RTOL, atol=ATOL, seed=0):
    """Copy random weights into both; outputs agree for inference."""
    values = random_weights(theirs, seed)
    theirs.set_weights(values)
    ours.set_weights(values)
    expected = to_numpy(theirs(x, training=False))
    got = ours(x, training=False).detach().cpu().numpy()
    assert got.shape == expected.shape
    np.testing.assert_allclose(
        got, expected, rtol=rtol, atol=_atol(expected, atol)
    )
    return expected


def _atol(expected, atol=ATOL):
    """Float32 rounding grows with the largest activation: random weights
    through a deep network give outputs in the thousands, next to small
    ones that carry the same absolute error."""
    return max(atol, 1e-6 * float(np.abs(expected).max()))


def save_published_layout(keras_model, path):
    """Write Keras's weights as its published ImageNet `.h5` files are
    laid out (the legacy per-layer `layer_names`/`weight_names` groups)."""
    from keras.src.legacy.saving import legacy_h5_format

    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, keras_model)
    return str(path)


def check_weights_file(keras_fn, lamina_fn, tmp_path, x, **kwargs):
    """`weights=<path>` of a file Keras wrote fills our model so it
    computes what Keras's does."""
    keras.backend.clear_session()
    theirs = keras_fn(weights=None, **kwargs)
    theirs.set_weights(random_weights(theirs, seed=3))
    path = save_published_layout(theirs, tmp_path / "published.h5")
    lamina.backend.clear_session()
    ours = lamina_fn(weights=path, **kwargs)
    expected = to_numpy(theirs(x, training=False))
    got = ours(x, training=False).detach().cpu().numpy()
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=_atol(expected))


def check_imagenet_file(
    keras_fn, lamina_fn, tmp_path, monkeypatch, x, **kwargs
):
    """`weights="imagenet"` asks `get_file` for the file Keras asks for
    (name, URL, hash, `cache_subdir="models"`) and loads it as Keras does.
    Both downloads are replaced by a file Keras wrote with random weights
    in the published layout."""
    import keras.src.utils.file_utils as keras_files

    import lamina.utils.file_utils as lamina_files

    keras.backend.clear_session()
    source = keras_fn(weights=None, **kwargs)
    source.set_weights(random_weights(source, seed=5))
    path = save_published_layout(source, tmp_path / "imagenet.h5")
    requests = []

    def fake_get_file(fname=None, origin=None, **options):
        requests.append((fname, origin, options))
        return path

    monkeypatch.setattr(keras_files, "get_file", fake_get_file)
    monkeypatch.setattr(lamina_files, "get_file", fake_get_file)
    theirs, ours = build_pair(keras_fn, lamina_fn, weights="imagenet", **kwargs)
    (k_name, k_origin, k_opts), (l_name, l_origin, l_opts) = requests
    assert (l_name, l_origin) == (k_name, k_origin)
    assert l_opts["file_hash"] == k_opts["file_hash"]
    assert l_opts["cache_subdir"] == k_opts["cache_subdir"] == "models"
    expected = to_numpy(theirs(x, training=False))
    got = ours(x, training=False).detach().cpu().numpy()
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=_atol(expected))
    return k_name
