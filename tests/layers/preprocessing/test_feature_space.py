"""FeatureSpace: the composition Keras documents (features sorted by name,
then crosses; one-hot sizes from each preprocessor), against the same
computation written out with the preprocessing layers, which are checked
against Keras in their own tests. Keras's FeatureSpace itself needs
TensorFlow to run, so configs are what is compared with Keras directly."""

import numpy as np
import pytest
import torch

import lamina
from lamina import layers
from lamina.utils.dataset import Dataset
from tests.keras_oracle import keras

FeatureSpace = lamina.utils.FeatureSpace


def _data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "f": rng.normal(size=n).astype("float32"),
        "norm": rng.normal(3, 2, size=n).astype("float32"),
        "resc": rng.uniform(0, 10, size=n).astype("float32"),
        "disc": rng.uniform(0, 1, size=n).astype("float32"),
        "icat": rng.integers(0, 5, size=n),
        "scat": rng.choice(["red", "green", "blue", "cyan"], size=n),
        "ihash": rng.integers(0, 100, size=n),
        "shash": rng.choice(["a", "b", "c", "d", "e"], size=n),
    }


def _space(**kwargs):
    return FeatureSpace(
        {
            "f": "float",
            "norm": "float_normalized",
            "resc": FeatureSpace.float_rescaled(scale=0.1, offset=-1.0),
            "disc": "float_discretized",
            "icat": "integer_categorical",
            "scat": FeatureSpace.string_categorical(max_tokens=4),
            "ihash": "integer_hashed",
            "shash": "string_hashed",
        },
        crosses=[("icat", "scat")],
        crossing_dim=6,
        hashing_dim=7,
        num_discretization_bins=3,
        **kwargs,
    )


def _one_hot(indices, size):
    return np.eye(size, dtype="float32")[np.asarray(indices).reshape(-1)]


def _expected(data, space):
    col = {k: v.reshape(-1, 1) for k, v in data.items()}
    col["scat"] = col["scat"].astype(object)
    col["shash"] = col["shash"].astype(object)
    norm = layers.Normalization(axis=-1)
    norm.adapt(col["norm"])
    disc = layers.Discretization(num_bins=3)
    disc.adapt(col["disc"])
    icat = layers.IntegerLookup()
    icat.adapt(col["icat"])
    scat = layers.StringLookup(max_tokens=4)
    scat.adapt(col["scat"])
    icat_idx, scat_idx = icat(col["icat"]), scat(col["scat"])
    crossed = layers.HashedCrossing(6)([icat_idx, scat_idx])
    parts = {
        "disc": _one_hot(disc(col["disc"]), 3),
        "f": col["f"],
        "icat": _one_hot(icat_idx, icat.vocabulary_size()),
        "ihash": _one_hot(layers.Hashing(7)(col["ihash"]), 7),
        "norm": norm(col["norm"]).numpy(),
        "resc": col["resc"] * 0.1 - 1.0,
        "scat": _one_hot(scat_idx, scat.vocabulary_size()),
        "shash": _one_hot(layers.Hashing(7)(col["shash"]), 7),
        "icat_X_scat": _one_hot(crossed, 6),
    }
    return parts


def test_concat_is_the_sorted_features_then_the_crosses():
    data = _data()
    space = _space()
    space.adapt(data)
    parts = _expected(data, space)
    expected = np.concatenate([parts[k] for k in parts], axis=-1)
    got = space(data)
    assert isinstance(got, torch.Tensor) and got.dtype == torch.float32
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-6, atol=1e-6)


def test_dict_mode_and_int_outputs():
    data = _data(seed=1)
    space = _space(output_mode="dict")
    space.adapt(data)
    parts = _expected(data, space)
    got = space(data)
    assert list(got) == list(parts)
    for key, value in parts.items():
        np.testing.assert_allclose(got[key].numpy(), value, atol=1e-6)
    ints = FeatureSpace(
        {"icat": FeatureSpace.integer_categorical(output_mode="int")},
        output_mode="dict",
    )
    ints.adapt({"icat": data["icat"]})
    lookup = layers.IntegerLookup()
    lookup.adapt(data["icat"].reshape(-1, 1))
    np.testing.assert_array_equal(
        ints({"icat": data["icat"]})["icat"].numpy(),
        lookup(data["icat"].reshape(-1, 1)).numpy(),
    )


def test_one_sample_of_scalars_gives_unbatched_outputs():
    data = _data(seed=2)
    space = _space()
    space.adapt(data)
    one = {
        k: v[3] if v.dtype.kind != "U" else str(v[3]) for k, v in data.items()
    }
    np.testing.assert_allclose(
        space(one).numpy(), space(data)[3].numpy(), atol=1e-6
    )


def test_symbolic_features_build_a_model_with_the_same_numbers():
    data = _data(seed=3)
    space = _space()
    space.adapt(data)
    inputs = space.get_inputs()
    assert sorted(inputs) == sorted(data)
    model = lamina.Model(inputs, space.get_encoded_features())
    columns = {k: v.reshape(-1, 1) for k, v in data.items()}
    for key in ("scat", "shash"):
        columns[key] = columns[key].astype(object)
    np.testing.assert_allclose(
        model.predict(columns, verbose=0), space(data).numpy(), atol=1e-6
    )


def test_adapt_from_batches_of_a_dataset_matches_adapt_from_a_dict():
    data = _data(seed=4)
    from_dict, from_batches = _space(), _space()
    from_dict.adapt(data)
    labelled = Dataset.from_tensor_slices((data, np.zeros(40))).batch(8)
    from_batches.adapt(labelled)
    np.testing.assert_allclose(
        from_batches(data).numpy(), from_dict(data).numpy(), atol=1e-6
    )


def test_config_matches_keras_and_loads_kerass():
    spec = {"a": "float_normalized", "b": "float_discretized", "c": "float"}
    ours = FeatureSpace(spec, num_discretization_bins=4)
    theirs = keras.utils.FeatureSpace(spec, num_discretization_bins=4)
    mine, keras_config = ours.get_config(), theirs.get_config()
    assert list(mine) == list(keras_config)
    for key in ("output_mode", "crosses", "crossing_dim", "hashing_dim"):
        assert mine[key] == keras_config[key]
    for name in spec:
        a, b = mine["features"][name], keras_config["features"][name]
        assert a["class_name"] == b["class_name"] == "Feature"
        assert a["config"]["output_mode"] == b["config"]["output_mode"]
        assert (
            a["config"]["preprocessor"]["class_name"]
            == b["config"]["preprocessor"]["class_name"]
        )
        assert (
            a["config"]["preprocessor"]["config"]["name"]
            == b["config"]["preprocessor"]["config"]["name"]
        )
    rebuilt = FeatureSpace.from_config(keras_config)
    assert (
        rebuilt.get_config()["features"]["b"]["config"]["preprocessor"][
            "config"
        ]["num_bins"]
        == 4
    )


def test_save_and_load_model_round_trip(tmp_path):
    data = _data(seed=5)
    space = _space()
    space.adapt(data)
    path = str(tmp_path / "space.keras")
    space.save(path)
    loaded = lamina.models.load_model(path)
    assert isinstance(loaded, FeatureSpace)
    np.testing.assert_allclose(
        loaded(data).numpy(), space(data).numpy(), atol=1e-6
    )


def test_bad_input():
    with pytest.raises(ValueError, match="cannot be None or empty"):
        FeatureSpace({})
    with pytest.raises(ValueError, match="output_mode=.*'list'"):
        FeatureSpace({"a": "float"}, output_mode="list")
    with pytest.raises(ValueError, match="feature 'a'.*Received: 'floaty'"):
        FeatureSpace({"a": "floaty"})
    with pytest.raises(ValueError, match="unknown features"):
        FeatureSpace({"a": "float"}, crosses=[("a", "b")])
    with pytest.raises(ValueError, match="output_mode=.*'bits'"):
        FeatureSpace.feature("float32", layers.Identity(), "bits")
    space = FeatureSpace({"a": "float_normalized"})
    with pytest.raises(ValueError, match=r"call `\.adapt\(dataset\)`"):
        space({"a": np.ones(2)})
    space.adapt({"a": np.arange(4.0)})
    with pytest.raises(ValueError, match="only be called with a dict"):
        space(np.ones(2))
    with pytest.raises(ValueError, match="no feature 'a'"):
        space({"b": np.ones(2)})
    with pytest.raises(ValueError, match="can only be called on a dict"):
        FeatureSpace({"a": "float_normalized"}).adapt(3)
    odd = FeatureSpace(
        {"a": FeatureSpace.feature("float32", layers.Identity(), "one_hot")}
    )
    with pytest.raises(ValueError, match="should return an integer dtype"):
        odd({"a": np.ones(2)})
    ints = FeatureSpace(
        {"a": FeatureSpace.integer_categorical(output_mode="int")}
    )
    with pytest.raises(ValueError, match="Cannot concatenate features"):
        ints.adapt({"a": np.arange(4)})
