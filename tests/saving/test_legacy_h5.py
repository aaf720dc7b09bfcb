"""Legacy Keras `.h5` files: written by Keras 3 (the oracle, at test time)
and by tf.keras 2.x (hand-written configs following its format, with
weights, checked against NumPy)."""

import base64
import json
import marshal
import os
import warnings

import h5py
import numpy as np
import pytest

import lamina
from lamina.saving import archive_checks
from lamina.saving import legacy_config
from tests.keras_oracle import keras

# -- helpers ------------------------------------------------------------------


def _glorot():
    return {"class_name": "GlorotUniform", "config": {"seed": None}}


def _zeros():
    return {"class_name": "Zeros", "config": {}}


def _dense(name, units, activation="linear", **extra):
    config = {
        "name": name,
        "trainable": True,
        "dtype": "float32",
        "units": units,
        "activation": activation,
        "use_bias": True,
        "kernel_initializer": _glorot(),
        "bias_initializer": _zeros(),
        "kernel_regularizer": None,
        "bias_regularizer": None,
        "activity_regularizer": None,
        "kernel_constraint": None,
        "bias_constraint": None,
        **extra,
    }
    return {"class_name": "Dense", "config": config}


def _batch_norm(name, axis):
    ones = {"class_name": "Ones", "config": {}}
    return {
        "class_name": "BatchNormalization",
        "config": {
            "name": name,
            "trainable": True,
            "dtype": "float32",
            "axis": axis,
            "momentum": 0.99,
            "epsilon": 0.001,
            "center": True,
            "scale": True,
            "beta_initializer": _zeros(),
            "gamma_initializer": ones,
            "moving_mean_initializer": _zeros(),
            "moving_variance_initializer": ones,
            "beta_regularizer": None,
            "gamma_regularizer": None,
            "beta_constraint": None,
            "gamma_constraint": None,
        },
    }


def _input(name, batch_shape, dtype="float32"):
    return {
        "class_name": "InputLayer",
        "config": {
            "batch_input_shape": batch_shape,
            "dtype": dtype,
            "sparse": False,
            "ragged": False,
            "name": name,
        },
    }


def _node(entry, *inputs):
    """A functional layer entry with tf.keras 2.x's nested-list node."""
    return {
        **entry,
        "name": entry["config"]["name"],
        "inbound_nodes": [[[n, i, 0, {}] for n, i in inputs]] if inputs else [],
    }


def write_tf2_h5(
    path, model_config, weights, training_config=None, keras_version="2.11.0"
):
    """Write a file as tf.keras 2.x's `model.save("m.h5")` did; `weights`
    maps layer name → list of (weight name, array), `None` for a
    weights-only file (`save_weights("w.h5")`)."""
    with h5py.File(path, "w") as f:
        if model_config is not None:
            f.attrs["keras_version"] = keras_version
            f.attrs["backend"] = "tensorflow"
            f.attrs["model_config"] = json.dumps(model_config).encode()
            if training_config is not None:
                f.attrs["training_config"] = json.dumps(
                    training_config
                ).encode()
            group = f.create_group("model_weights")
        else:
            group = f
        group.attrs["layer_names"] = [n.encode() for n in weights]
        group.attrs["backend"] = b"tensorflow"
        group.attrs["keras_version"] = keras_version.encode()
        for name, items in weights.items():
            layer = group.create_group(name)
            layer.attrs["weight_names"] = (
                [w.encode() for w, _ in items] if items else np.asarray([])
            )
            for weight_name, value in items:
                layer.create_dataset(weight_name, data=value)


def _randomize(model, rng):
    for w in model.weights:
        value = rng.normal(size=tuple(w.shape)).astype("float32") * 0.5
        if "variance" in w.path:
            value = np.abs(value) + 0.5
        w.assign(value)


def _predict(model, x):
    out = model.predict(x, verbose=0)
    return (
        [np.asarray(o) for o in out]
        if isinstance(out, list)
        else np.asarray(out)
    )


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _bn(x, gamma, beta, mean, var, eps=1e-3):
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def _lstm(x, kernel, recurrent, bias):
    units = recurrent.shape[0]
    h = np.zeros((x.shape[0], units))
    c = np.zeros((x.shape[0], units))
    for t in range(x.shape[1]):
        z = x[:, t] @ kernel + h @ recurrent + bias
        i, f, g, o = (z[:, k * units : (k + 1) * units] for k in range(4))
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
    return h


def _conv2d_valid(x, kernel, bias):
    kh, kw = kernel.shape[:2]
    out_h, out_w = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    out = np.zeros((x.shape[0], out_h, out_w, kernel.shape[3]))
    for i in range(out_h):
        for j in range(out_w):
            patch = x[:, i : i + kh, j : j + kw, :]
            out[:, i, j] = np.einsum("bhwc,hwco->bo", patch, kernel)
    return out + bias


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


# -- files written by Keras 3 -------------------------------------------------


def _keras_functional():
    image = keras.Input((6, 6, 2), name="image")
    tokens = keras.Input((5,), name="tokens", dtype="int32")
    a = keras.layers.Conv2D(3, 3, activation="relu")(image)
    a = keras.layers.BatchNormalization()(a)
    a = keras.layers.GlobalAveragePooling2D()(a)
    b = keras.layers.Embedding(10, 4)(tokens)
    b = keras.layers.LSTM(3)(b)
    out = keras.layers.Dense(2)(keras.layers.Concatenate()([a, b]))
    return keras.Model([image, tokens], out)


def test_keras3_functional_model_predicts_the_same(tmp_path, rng):
    model = _keras_functional()
    _randomize(model, rng)
    path = str(tmp_path / "m.h5")
    model.save(path)
    loaded = lamina.models.load_model(path)
    x = [
        rng.normal(size=(3, 6, 6, 2)).astype("float32"),
        rng.integers(0, 10, (3, 5)).astype("int32"),
    ]
    np.testing.assert_allclose(
        _predict(loaded, x), _predict(model, x), rtol=1e-5, atol=1e-5
    )
    assert sorted(layer.name for layer in loaded.layers) == sorted(
        layer.name for layer in model.layers
    )


def test_keras3_sequential_compiles_and_warns_about_optimizer(tmp_path, rng):
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(3, activation="relu"),
            keras.layers.BatchNormalization(),
            keras.layers.Dense(2),
        ]
    )
    _randomize(model, rng)
    model.compile(keras.optimizers.Adam(0.01), "mse", metrics=["mae"])
    model.optimizer.build(model.trainable_variables)
    path = str(tmp_path / "m.h5")
    model.save(path)
    with pytest.warns(UserWarning, match="optimizer state stored in"):
        loaded = lamina.saving.load_model(path)
    x = rng.normal(size=(5, 4)).astype("float32")
    np.testing.assert_allclose(
        _predict(loaded, x), _predict(model, x), rtol=1e-5, atol=1e-5
    )
    assert type(loaded.optimizer).__name__ == "Adam"
    assert float(loaded.optimizer.learning_rate) == pytest.approx(0.01)
    logs = loaded.evaluate(x, np.zeros((5, 2)), verbose=0, return_dict=True)
    assert set(logs) == {"loss", "mae"}
    uncompiled = lamina.saving.load_model(path, compile=False)
    assert not uncompiled.compiled


def test_keras3_recurrent_and_nested_weights_in_legacy_order(tmp_path, rng):
    # A nested Sequential with a frozen first layer stores its weights as
    # [trainable..., non-trainable...]: the second Dense comes first.
    inner = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(3)],
        name="inner",
    )
    inner.layers[0].trainable = False
    x_in = keras.Input((5, 2))
    h = keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True))(
        x_in
    )
    h = keras.layers.GRU(3)(h)
    model = keras.Model(x_in, keras.layers.Dense(2)(inner(h)))
    _randomize(model, rng)
    path = str(tmp_path / "m.h5")
    model.save(path)
    loaded = lamina.saving.load_model(path, compile=False)
    x = rng.normal(size=(2, 5, 2)).astype("float32")
    np.testing.assert_allclose(
        _predict(loaded, x), _predict(model, x), rtol=1e-5, atol=1e-5
    )


def _keras_weights_file(path, model):
    from keras.src.legacy.saving import legacy_h5_format

    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)


def _lamina_mlp(units=(3, 2), names=("a", "b")):
    return lamina.Sequential(
        [
            lamina.Input((4,)),
            lamina.layers.Dense(units[0], activation="relu", name=names[0]),
            lamina.layers.Dense(units[1], name=names[1]),
        ]
    )


def _keras_mlp(rng):
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(3, activation="relu", name="a"),
            keras.layers.Dense(2, name="b"),
        ]
    )
    _randomize(model, rng)
    return model


def test_weights_only_file_loads_by_order_and_by_name(tmp_path, rng):
    source = _keras_mlp(rng)
    path = str(tmp_path / "w.h5")
    _keras_weights_file(path, source)
    x = rng.normal(size=(3, 4)).astype("float32")
    by_order = _lamina_mlp(names=("first", "second"))
    by_order.load_weights(path)  # names differ: matched by order
    np.testing.assert_allclose(
        _predict(by_order, x), _predict(source, x), rtol=1e-5, atol=1e-6
    )
    by_name = _lamina_mlp(names=("b_other", "b"), units=(3, 2))
    before = by_name.layers[0].get_weights()
    by_name.load_weights(path, by_name=True)
    np.testing.assert_array_equal(
        by_name.layers[0].kernel.detach(), before[0]
    )  # no 'b_other' in the file
    np.testing.assert_allclose(
        by_name.layers[1].get_weights()[0], source.layers[1].get_weights()[0]
    )


def test_weights_of_a_full_model_file_load(tmp_path, rng):
    source = _keras_mlp(rng)
    path = str(tmp_path / "m.h5")
    source.save(path)
    target = _lamina_mlp()
    lamina.saving.load_weights(target, path)
    x = rng.normal(size=(3, 4)).astype("float32")
    np.testing.assert_allclose(
        _predict(target, x), _predict(source, x), rtol=1e-5, atol=1e-6
    )


def test_weight_mismatch_lists_layer_and_shapes(tmp_path, rng):
    path = str(tmp_path / "w.h5")
    _keras_weights_file(path, _keras_mlp(rng))
    with pytest.raises(
        ValueError,
        match=r"layer 'a' \(Dense\) weight "
        r"'.*kernel': checkpoint has \(4, 3\), layer expects "
        r"\(4, 5\)",
    ):
        _lamina_mlp(units=(5, 2)).load_weights(path)
    target = lamina.Sequential(
        [
            lamina.Input((4,)),
            lamina.layers.Dense(3, use_bias=False),
            lamina.layers.Dense(2),
        ]
    )
    before = target.get_weights()
    with pytest.raises(
        ValueError,
        match=r"expects 1 weight\(s\) "
        r"\[\(4, 3\)\]; the file has 2 for 'a'",
    ):
        target.load_weights(path)
    with pytest.warns(UserWarning, match="These layers were skipped"):
        target.load_weights(path, skip_mismatch=True)
    np.testing.assert_array_equal(target.get_weights()[0], before[0])
    assert not np.array_equal(target.get_weights()[1], before[1])
    three = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(3)])
    with pytest.raises(ValueError, match="layer count mismatch"):
        three.load_weights(path)


# -- files written by tf.keras 2.x (hand-written) ---------------------------

TF2_TRAINING_CONFIG = {
    "loss": {
        "class_name": "CategoricalCrossentropy",
        "config": {
            "reduction": "auto",
            "name": "categorical_crossentropy",
            "from_logits": False,
            "label_smoothing": 0.0,
        },
    },
    "metrics": [
        [
            {
                "class_name": "MeanMetricWrapper",
                "config": {
                    "name": "accuracy",
                    "dtype": "float32",
                    "fn": "categorical_accuracy",
                },
            }
        ]
    ],
    "weighted_metrics": None,
    "loss_weights": None,
    "optimizer_config": {
        "class_name": "Custom>Adam",
        "config": {
            "name": "Adam",
            "weight_decay": None,
            "clipnorm": None,
            "global_clipnorm": None,
            "clipvalue": None,
            "use_ema": False,
            "ema_momentum": 0.99,
            "ema_overwrite_frequency": None,
            "jit_compile": True,
            "is_legacy_optimizer": False,
            "learning_rate": 0.005,
            "beta_1": 0.9,
            "beta_2": 0.999,
            "epsilon": 1e-07,
            "amsgrad": False,
        },
    },
}


def _tf2_mlp(rng, with_input_layer):
    dense = _dense("dense", 3, "relu")
    if not with_input_layer:
        dense["config"]["batch_input_shape"] = [None, 4]
    layers = [
        dense,
        _batch_norm("batch_normalization", [1]),
        _dense("dense_1", 2, "softmax"),
    ]
    if with_input_layer:
        layers.insert(0, _input("dense_input", [None, 4]))
    config = {
        "class_name": "Sequential",
        "config": {"name": "sequential", "layers": layers},
    }
    w = {
        k: rng.normal(size=s)
        for k, s in (
            ("k0", (4, 3)),
            ("b0", (3,)),
            ("g", (3,)),
            ("be", (3,)),
            ("m", (3,)),
            ("k1", (3, 2)),
            ("b1", (2,)),
        )
    }
    w["v"] = np.abs(rng.normal(size=3)) + 0.5
    weights = {
        "dense": [("dense/kernel:0", w["k0"]), ("dense/bias:0", w["b0"])],
        "batch_normalization": [
            ("batch_normalization/gamma:0", w["g"]),
            ("batch_normalization/beta:0", w["be"]),
            ("batch_normalization/moving_mean:0", w["m"]),
            ("batch_normalization/moving_variance:0", w["v"]),
        ],
        "dense_1": [("dense_1/kernel:0", w["k1"]), ("dense_1/bias:0", w["b1"])],
    }
    if with_input_layer:
        weights = {"dense_input": [], **weights}

    def reference(x):
        h = np.maximum(x @ w["k0"] + w["b0"], 0)
        h = _bn(h, w["g"], w["be"], w["m"], w["v"])
        return _softmax(h @ w["k1"] + w["b1"])

    return config, weights, reference


@pytest.mark.parametrize("with_input_layer", [True, False])
def test_tf2_sequential_loads_and_compiles(tmp_path, rng, with_input_layer):
    config, weights, reference = _tf2_mlp(rng, with_input_layer)
    path = str(tmp_path / "m.h5")
    write_tf2_h5(path, config, weights, TF2_TRAINING_CONFIG)
    model = lamina.saving.load_model(path)
    x = rng.normal(size=(5, 4)).astype("float32")
    np.testing.assert_allclose(
        _predict(model, x), reference(x), rtol=1e-4, atol=1e-5
    )
    assert float(model.optimizer.learning_rate) == pytest.approx(0.005)
    y = np.eye(2)[[0, 1, 1, 0, 1]]
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert set(logs) == {"loss", "accuracy"}
    if with_input_layer:  # Keras 3 fails on the other form (its bug)
        # The oracle reads the same hand-written file the same way.
        oracle = keras.models.load_model(path, compile=False)
        np.testing.assert_allclose(
            _predict(oracle, x), reference(x), rtol=1e-4, atol=1e-5
        )


def test_tf2_sequential_conv2d_without_input_layer(tmp_path, rng):
    conv = {
        "class_name": "Conv2D",
        "config": {
            "name": "conv2d",
            "trainable": True,
            "dtype": "float32",
            "batch_input_shape": [None, 5, 5, 2],
            "filters": 3,
            "kernel_size": [3, 3],
            "strides": [1, 1],
            "padding": "valid",
            "data_format": "channels_last",
            "dilation_rate": [1, 1],
            "groups": 1,
            "activation": "linear",
            "use_bias": True,
            "kernel_initializer": _glorot(),
            "bias_initializer": _zeros(),
            "kernel_regularizer": None,
            "bias_regularizer": None,
            "activity_regularizer": None,
            "kernel_constraint": None,
            "bias_constraint": None,
        },
    }
    flatten = {
        "class_name": "Flatten",
        "config": {
            "name": "flatten",
            "trainable": True,
            "dtype": "float32",
            "data_format": "channels_last",
        },
    }
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "sequential",
            "layers": [conv, flatten, _dense("dense", 1)],
        },
    }
    kernel, bias = rng.normal(size=(3, 3, 2, 3)), rng.normal(size=3)
    dense_k, dense_b = rng.normal(size=(27, 1)), rng.normal(size=1)
    write_tf2_h5(
        str(tmp_path / "m.h5"),
        config,
        {
            "conv2d": [("conv2d/kernel:0", kernel), ("conv2d/bias:0", bias)],
            "flatten": [],
            "dense": [("dense/kernel:0", dense_k), ("dense/bias:0", dense_b)],
        },
    )
    model = lamina.saving.load_model(str(tmp_path / "m.h5"))
    x = rng.normal(size=(2, 5, 5, 2)).astype("float32")
    expected = _conv2d_valid(x, kernel, bias).reshape(2, -1) @ dense_k + dense_b
    np.testing.assert_allclose(
        _predict(model, x), expected, rtol=1e-4, atol=1e-5
    )


def _tf2_functional_config():
    embedding = {
        "class_name": "Embedding",
        "config": {
            "name": "embedding",
            "trainable": True,
            "dtype": "float32",
            "batch_input_shape": [None, 5],
            "input_dim": 10,
            "output_dim": 4,
            "embeddings_initializer": {
                "class_name": "RandomUniform",
                "config": {"minval": -0.05, "maxval": 0.05, "seed": None},
            },
            "embeddings_regularizer": None,
            "activity_regularizer": None,
            "embeddings_constraint": None,
            "mask_zero": False,
            "input_length": 5,
        },
    }
    lstm = {
        "class_name": "LSTM",
        "config": {
            "name": "lstm",
            "trainable": True,
            "dtype": "float32",
            "return_sequences": False,
            "return_state": False,
            "go_backwards": False,
            "stateful": False,
            "unroll": False,
            "time_major": False,
            "units": 3,
            "activation": "tanh",
            "recurrent_activation": "sigmoid",
            "use_bias": True,
            "kernel_initializer": _glorot(),
            "recurrent_initializer": {
                "class_name": "Orthogonal",
                "config": {"gain": 1.0, "seed": None},
            },
            "bias_initializer": _zeros(),
            "unit_forget_bias": True,
            "kernel_regularizer": None,
            "recurrent_regularizer": None,
            "bias_regularizer": None,
            "activity_regularizer": None,
            "kernel_constraint": None,
            "recurrent_constraint": None,
            "bias_constraint": None,
            "dropout": 0.0,
            "recurrent_dropout": 0.0,
            "implementation": 2,
        },
    }
    leaky = {
        "class_name": "LeakyReLU",
        "config": {
            "name": "leaky_re_lu",
            "trainable": True,
            "dtype": "float32",
            "alpha": 0.2,
        },
    }
    concat = {
        "class_name": "Concatenate",
        "config": {
            "name": "concatenate",
            "trainable": True,
            "dtype": "float32",
            "axis": -1,
        },
    }
    layers = [
        _node(_input("tokens", [None, 5])),
        _node(_input("features", [None, 2])),
        _node(embedding, ("tokens", 0)),
        _node(lstm, ("embedding", 0)),
        _node(_dense("dense", 3), ("features", 0)),
        _node(leaky, ("dense", 0)),
        _node(concat, ("lstm", 0), ("leaky_re_lu", 0)),
        _node(_dense("dense_1", 1), ("concatenate", 0)),
    ]
    return {
        "class_name": "Functional",
        "config": {
            "name": "model",
            "layers": layers,
            "input_layers": [["tokens", 0, 0], ["features", 0, 0]],
            "output_layers": [["dense_1", 0, 0]],
        },
    }


def test_tf2_functional_embedding_lstm_matches_numpy(tmp_path, rng):
    emb = rng.normal(size=(10, 4))
    kernel, recurrent = rng.normal(size=(4, 12)), rng.normal(size=(3, 12))
    lstm_b = rng.normal(size=12)
    k0, b0 = rng.normal(size=(2, 3)), rng.normal(size=3)
    k1, b1 = rng.normal(size=(6, 1)), rng.normal(size=1)
    weights = {
        "tokens": [],
        "features": [],
        "embedding": [("embedding/embeddings:0", emb)],
        "lstm": [
            ("lstm/lstm_cell/kernel:0", kernel),
            ("lstm/lstm_cell/recurrent_kernel:0", recurrent),
            ("lstm/lstm_cell/bias:0", lstm_b),
        ],
        "dense": [("dense/kernel:0", k0), ("dense/bias:0", b0)],
        "leaky_re_lu": [],
        "concatenate": [],
        "dense_1": [("dense_1/kernel:0", k1), ("dense_1/bias:0", b1)],
    }
    path = str(tmp_path / "m.h5")
    write_tf2_h5(path, _tf2_functional_config(), weights)
    model = lamina.saving.load_model(path)
    tokens = rng.integers(0, 10, (3, 5))
    features = rng.normal(size=(3, 2)).astype("float32")
    h = np.concatenate(
        [
            _lstm(emb[tokens], kernel, recurrent, lstm_b),
            np.where((z := features @ k0 + b0) > 0, z, 0.2 * z),
        ],
        axis=-1,
    )
    np.testing.assert_allclose(
        _predict(model, [tokens, features]), h @ k1 + b1, rtol=1e-4, atol=1e-5
    )
    assert model.layers[3].get_config()["units"] == 3


def test_tf2_nested_model_node_indices(tmp_path, rng):
    # tf.keras 2.x numbers a nested model's calls from 1: its node 0 is
    # the one linking its own Input to its output.
    inner = {
        "class_name": "Functional",
        "config": {
            "name": "inner",
            "layers": [
                _node(_input("inner_in", [None, 3])),
                _node(_dense("inner_dense", 2), ("inner_in", 0)),
            ],
            "input_layers": [["inner_in", 0, 0]],
            "output_layers": [["inner_dense", 0, 0]],
        },
    }
    config = {
        "class_name": "Functional",
        "config": {
            "name": "outer",
            "layers": [
                _node(_input("x", [None, 3])),
                _node(inner, ("x", 0)),
                _node(_dense("head", 1), ("inner", 1)),
            ],
            "input_layers": [["x", 0, 0]],
            "output_layers": [["head", 0, 0]],
        },
    }
    k0, b0 = rng.normal(size=(3, 2)), rng.normal(size=2)
    k1, b1 = rng.normal(size=(2, 1)), rng.normal(size=1)
    write_tf2_h5(
        str(tmp_path / "m.h5"),
        config,
        {
            "x": [],
            "inner": [("inner_dense/kernel:0", k0), ("inner_dense/bias:0", b0)],
            "head": [("head/kernel:0", k1), ("head/bias:0", b1)],
        },
    )
    model = lamina.saving.load_model(str(tmp_path / "m.h5"))
    x = rng.normal(size=(4, 3)).astype("float32")
    np.testing.assert_allclose(
        _predict(model, x), (x @ k0 + b0) @ k1 + b1, rtol=1e-4, atol=1e-5
    )


def _tf2_gru(name):
    return {
        "class_name": "GRU",
        "config": {
            "name": name,
            "trainable": True,
            "dtype": "float32",
            "return_sequences": False,
            "return_state": False,
            "go_backwards": False,
            "stateful": False,
            "unroll": False,
            "time_major": False,
            "units": 2,
            "activation": "tanh",
            "recurrent_activation": "sigmoid",
            "use_bias": True,
            "kernel_initializer": _glorot(),
            "recurrent_initializer": {
                "class_name": "Orthogonal",
                "config": {"gain": 1.0, "seed": None},
            },
            "bias_initializer": _zeros(),
            "kernel_regularizer": None,
            "recurrent_regularizer": None,
            "bias_regularizer": None,
            "activity_regularizer": None,
            "kernel_constraint": None,
            "recurrent_constraint": None,
            "bias_constraint": None,
            "dropout": 0.0,
            "recurrent_dropout": 0.0,
            "implementation": 2,
            "reset_after": True,
        },
    }


def test_tf2_wrappers_match_keras(tmp_path, rng):
    distributed = {
        "class_name": "TimeDistributed",
        "config": {
            "name": "time_distributed",
            "trainable": True,
            "dtype": "float32",
            "layer": _dense("dense", 3),
        },
    }
    bidirectional = {
        "class_name": "Bidirectional",
        "config": {
            "name": "bidirectional",
            "trainable": True,
            "dtype": "float32",
            "layer": _tf2_gru("gru"),
            "merge_mode": "concat",
        },
    }
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "s",
            "layers": [
                _input("in", [None, 4, 3]),
                distributed,
                bidirectional,
                _dense("head", 1),
            ],
        },
    }
    shapes = [
        (3, 3),
        (3,),
        (3, 6),
        (2, 6),
        (2, 6),
        (3, 6),
        (2, 6),
        (2, 6),
        (4, 1),
        (1,),
    ]
    values = [rng.normal(size=s).astype("float32") * 0.5 for s in shapes]
    names = (
        ["time_distributed/kernel:0", "time_distributed/bias:0"]
        + [
            f"bidirectional/{d}_gru/gru_cell/{w}:0"
            for d in ("forward", "backward")
            for w in ("kernel", "recurrent_kernel", "bias")
        ]
        + ["head/kernel:0", "head/bias:0"]
    )
    pairs = list(zip(names, values))
    write_tf2_h5(
        str(tmp_path / "m.h5"),
        config,
        {
            "time_distributed": pairs[:2],
            "bidirectional": pairs[2:8],
            "head": pairs[8:],
        },
    )
    model = lamina.saving.load_model(str(tmp_path / "m.h5"))
    oracle = keras.Sequential(
        [
            keras.Input((4, 3)),
            keras.layers.TimeDistributed(keras.layers.Dense(3)),
            keras.layers.Bidirectional(keras.layers.GRU(2)),
            keras.layers.Dense(1),
        ]
    )
    oracle.set_weights(values)
    x = rng.normal(size=(2, 4, 3)).astype("float32")
    np.testing.assert_allclose(
        _predict(model, x), _predict(oracle, x), rtol=1e-5, atol=1e-5
    )


def test_tf2_weights_only_file(tmp_path, rng):
    _, weights, reference = _tf2_mlp(rng, with_input_layer=False)
    path = str(tmp_path / "w.h5")
    write_tf2_h5(path, None, weights)
    model = lamina.Sequential(
        [
            lamina.Input((4,)),
            lamina.layers.Dense(3, activation="relu"),
            lamina.layers.BatchNormalization(),
            lamina.layers.Dense(2, activation="softmax"),
        ]
    )
    model.load_weights(path)
    x = rng.normal(size=(3, 4)).astype("float32")
    np.testing.assert_allclose(
        _predict(model, x), reference(x), rtol=1e-4, atol=1e-5
    )


def test_uncompilable_training_config_warns_and_loads(tmp_path, rng):
    config, weights, _ = _tf2_mlp(rng, with_input_layer=True)
    path = str(tmp_path / "m.h5")
    write_tf2_h5(
        path,
        config,
        weights,
        {**TF2_TRAINING_CONFIG, "loss": "my_private_loss"},
    )
    with pytest.warns(UserWarning, match="loaded uncompiled.*training_config"):
        model = lamina.saving.load_model(path)
    assert not model.compiled


# -- safety and bad input -----------------------------------------------------


def _lambda_config(fn):
    code = base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii")
    return {
        "class_name": "Sequential",
        "config": {
            "name": "s",
            "layers": [
                _input("in", [None, 2]),
                {
                    "class_name": "Lambda",
                    "config": {
                        "name": "lambda",
                        "trainable": True,
                        "dtype": "float32",
                        "function": [code, None, None],
                        "function_type": "lambda",
                        "module": "__main__",
                        "output_shape": None,
                        "output_shape_type": "raw",
                        "output_shape_module": None,
                        "arguments": {},
                    },
                },
            ],
        },
    }


def test_lambda_bytecode_refused_unless_safe_mode_false(tmp_path):
    path = str(tmp_path / "m.h5")
    write_tf2_h5(
        path, _lambda_config(lambda x: x * 3.0), {"in": [], "lambda": []}
    )
    with pytest.raises(ValueError, match=r"m\.h5.*safe_mode=False"):
        lamina.saving.load_model(path)
    model = lamina.saving.load_model(path, safe_mode=False)
    np.testing.assert_allclose(
        _predict(model, np.ones((1, 2), "float32")), [[3.0, 3.0]]
    )


@pytest.mark.parametrize(
    "class_name, match",
    [
        ("MyPrivateLayer", "MyPrivateLayer"),
        ("TFOpLambda", "TFOpLambda: tf.keras recorded a raw TensorFlow"),
    ],
)
def test_unknown_class_names_it(tmp_path, class_name, match):
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "s",
            "layers": [
                _input("in", [None, 2]),
                {"class_name": class_name, "config": {"name": "odd"}},
            ],
        },
    }
    path = str(tmp_path / "m.h5")
    write_tf2_h5(path, config, {"in": [], "odd": []})
    with pytest.raises(ValueError, match=match) as info:
        lamina.saving.load_model(path)
    assert "m.h5" in str(info.value)


def test_custom_objects_resolve_user_classes(tmp_path):
    class Triple(lamina.layers.Layer):
        def call(self, x):
            return x * 3.0

    config = {
        "class_name": "Sequential",
        "config": {
            "name": "s",
            "layers": [
                _input("in", [None, 2]),
                {
                    "class_name": "Triple",
                    "config": {"name": "triple", "trainable": True},
                },
            ],
        },
    }
    path = str(tmp_path / "m.h5")
    write_tf2_h5(path, config, {"in": [], "triple": []})
    model = lamina.saving.load_model(path, custom_objects={"Triple": Triple})
    np.testing.assert_allclose(
        _predict(model, np.ones((1, 2), "float32")), [[3.0, 3.0]]
    )


def test_not_a_model_suggests_load_weights(tmp_path, rng):
    path = str(tmp_path / "w.h5")
    write_tf2_h5(path, None, _tf2_mlp(rng, False)[1])
    with pytest.raises(
        ValueError,
        match=r"w\.h5.*no `model_config`.*"
        r"load_weights",
    ):
        lamina.saving.load_model(path)
    other = str(tmp_path / "data.h5")
    with h5py.File(other, "w") as f:
        f.create_dataset("x", data=np.zeros(3))
    with pytest.raises(ValueError, match="not a file written by Keras"):
        lamina.saving.load_model(other)
    with pytest.raises(ValueError, match="not a Keras weights file"):
        _lamina_mlp().load_weights(other)


def test_truncated_and_foreign_files_name_the_file(tmp_path, rng):
    config, weights, _ = _tf2_mlp(rng, True)
    good = tmp_path / "good.h5"
    write_tf2_h5(str(good), config, weights)
    data = good.read_bytes()
    cut = tmp_path / "cut.h5"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"cut\.h5"):
        lamina.saving.load_model(str(cut))
    garbage = tmp_path / "garbage.h5"
    garbage.write_bytes(b"not an hdf5 file at all" * 10)
    with pytest.raises(ValueError, match=r"garbage\.h5.*not a valid HDF5"):
        lamina.saving.load_model(str(garbage))
    zipped = tmp_path / "model.h5"
    zipped.write_bytes(b"PK\x03\x04" + b"\0" * 40)
    with pytest.raises(ValueError, match="zip archive"):
        lamina.saving.load_model(str(zipped))
    with pytest.raises(FileNotFoundError, match="missing.h5"):
        lamina.saving.load_model(str(tmp_path / "missing.h5"))


def test_links_and_tampered_shapes_are_refused(tmp_path, rng):
    config, weights, _ = _tf2_mlp(rng, True)
    path = str(tmp_path / "m.h5")
    write_tf2_h5(path, config, weights)
    with h5py.File(path, "a") as f:
        f["model_weights/dense/extra"] = h5py.ExternalLink("/etc/x.h5", "/")
    with pytest.raises(ValueError, match="ExternalLink"):
        lamina.saving.load_model(path)
    weights["dense"][0] = ("dense/kernel:0", np.zeros((4, 7)))
    write_tf2_h5(path, config, weights)
    with pytest.raises(
        ValueError,
        match=r"layer 'dense' \(Dense\).*"
        r"checkpoint has \(4, 7\), layer expects \(4, 3\)",
    ):
        lamina.saving.load_model(path)


def test_config_size_depth_and_version_limits(tmp_path, rng, monkeypatch):
    config, weights, _ = _tf2_mlp(rng, True)
    path = str(tmp_path / "m.h5")
    write_tf2_h5(path, config, weights)
    monkeypatch.setattr(archive_checks, "MAX_JSON_BYTES", 100)
    with pytest.raises(ValueError, match="model_config.*more than the limit"):
        lamina.saving.load_model(path)
    monkeypatch.undo()
    deep = {"class_name": "Sequential", "config": {"name": "s", "layers": []}}
    for _ in range(300):
        deep = {"class_name": "Sequential", "config": {"layers": [deep]}}
    write_tf2_h5(path, deep, {})
    with pytest.raises(ValueError, match="nested more than"):
        lamina.saving.load_model(path)
    write_tf2_h5(path, config, weights, keras_version="1.2.2")
    with pytest.raises(ValueError, match="Keras 1 files are not supported"):
        lamina.saving.load_model(path)


def test_converter_refuses_time_major_and_bad_nodes():
    gru = _tf2_gru("gru")
    gru["config"]["time_major"] = True
    with pytest.raises(ValueError, match="'gru' \\(GRU\\).*time_major=True"):
        legacy_config.convert_model_config(gru)
    bad = {
        "class_name": "Functional",
        "config": {
            "name": "m",
            "layers": [
                _node(_input("x", [None, 2])),
                {
                    **_dense("d", 1),
                    "name": "d",
                    "inbound_nodes": [[["x", "0"]]],
                },
            ],
            "input_layers": [["x", 0, 0]],
            "output_layers": [["d", 0, 0]],
        },
    }
    with pytest.raises(ValueError, match="inbound node must list"):
        legacy_config.convert_model_config(bad)


def test_converter_turns_keyword_tensors_into_references():
    attention = {"class_name": "MultiHeadAttention", "config": {"name": "a"}}
    config = {
        "class_name": "Functional",
        "config": {
            "name": "m",
            "layers": [
                _node(_input("q", [None, 3, 2])),
                _node(_input("v", [None, 3, 2])),
                {
                    **attention,
                    "name": "a",
                    "inbound_nodes": [
                        [
                            [
                                "q",
                                0,
                                0,
                                {
                                    "value": ["v", 0, 0],
                                    "window": ["same", 1, 2],
                                },
                            ]
                        ]
                    ],
                },
            ],
            "input_layers": [["q", 0, 0], ["v", 0, 0]],
            "output_layers": [["a", 0, 0]],
        },
    }
    out = legacy_config.convert_model_config(config)["config"]
    node = out["layers"][2]["inbound_nodes"][0]
    assert node["args"][0]["config"]["keras_history"] == ["q", 0, 0]
    assert node["kwargs"]["value"]["config"]["keras_history"] == ["v", 0, 0]
    assert node["kwargs"]["window"] == ["same", 1, 2]  # not a layer
    assert out["output_layers"] == ["a", 0, 0]
    assert out["layers"][0]["config"]["batch_shape"] == [None, 3, 2]


def test_converter_leaves_keras3_configs_alone():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    config = {"class_name": "Sequential", "config": model.get_config()}
    assert legacy_config.convert_model_config(config) == config


# -- writing --------------------------------------------------------------


def _lamina_functional():
    x = lamina.Input((4,))
    h = lamina.layers.Dense(3, activation="relu")(x)
    h = lamina.layers.BatchNormalization()(h)
    return lamina.Model(x, lamina.layers.Dense(2)(h))


def _lamina_sequential():
    return lamina.Sequential(
        [
            lamina.Input((4,)),
            lamina.layers.Dense(3, activation="relu"),
            lamina.layers.BatchNormalization(),
            lamina.layers.Dense(2),
        ]
    )


@pytest.mark.parametrize("build", [_lamina_functional, _lamina_sequential])
def test_saved_h5_reads_in_keras_and_lamina(tmp_path, rng, build):
    model = build()
    model.set_weights(
        [np.abs(rng.normal(size=w.shape)) + 0.1 for w in model.get_weights()]
    )
    model.compile(lamina.optimizers.SGD(0.05), "mse", metrics=["mae"])
    path = str(tmp_path / "out.h5")
    with pytest.warns(UserWarning, match="legacy HDF5"):
        model.save(path)
    x = rng.normal(size=(3, 4)).astype("float32")
    oracle = keras.models.load_model(path, compile=False)
    np.testing.assert_allclose(
        _predict(oracle, x), _predict(model, x), rtol=1e-5, atol=1e-6
    )
    again = lamina.saving.load_model(path)
    np.testing.assert_allclose(
        _predict(again, x), _predict(model, x), rtol=1e-6
    )
    assert float(again.optimizer.learning_rate) == pytest.approx(0.05)
    with pytest.raises(FileExistsError, match="overwrite=False"):
        lamina.saving.save_model(model, path, overwrite=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lamina.saving.save_model(model, path, include_optimizer=False)
    with h5py.File(path) as f:
        assert "training_config" not in f.attrs


def test_saved_recurrent_and_frozen_nested_h5_reads_in_keras(tmp_path, rng):
    inner = lamina.Sequential(
        [lamina.Input((6,)), lamina.layers.Dense(4), lamina.layers.Dense(3)],
        name="inner",
    )
    inner.layers[0].trainable = False  # legacy order: second Dense first
    x = lamina.Input((5, 2))
    h = lamina.layers.Bidirectional(
        lamina.layers.LSTM(3, return_sequences=True)
    )(x)
    h = lamina.layers.BatchNormalization()(lamina.layers.GRU(6)(h))
    model = lamina.Model(x, lamina.layers.Dense(2)(inner(h)))
    model.set_weights(
        [
            np.abs(rng.normal(size=w.shape)) * 0.5 + 0.1
            for w in model.get_weights()
        ]
    )
    path = str(tmp_path / "m.hdf5")
    with pytest.warns(UserWarning, match="legacy HDF5"):
        lamina.saving.save_model(model, path)
    x = rng.normal(size=(2, 5, 2)).astype("float32")
    oracle = keras.models.load_model(path, compile=False)
    np.testing.assert_allclose(
        _predict(oracle, x), _predict(model, x), rtol=1e-5, atol=1e-6
    )


def test_model_checkpoint_writes_legacy_h5(tmp_path, rng):
    model = _lamina_mlp()
    model.compile("sgd", "mse")
    path = str(tmp_path / "ckpt.h5")
    x, y = rng.normal(size=(8, 4)), rng.normal(size=(8, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        model.fit(
            x,
            y,
            epochs=1,
            verbose=0,
            callbacks=[lamina.callbacks.ModelCheckpoint(path)],
        )
    assert os.path.exists(path)
    np.testing.assert_allclose(
        _predict(lamina.saving.load_model(path, compile=False), x),
        _predict(model, x),
        rtol=1e-6,
    )
