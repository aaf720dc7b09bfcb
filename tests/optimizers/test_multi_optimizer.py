"""MultiOptimizer and OptimizerMap against Keras 3: routing by path,
updates, variable order, configs, `.keras` files both ways, errors; and
the `optimizers.legacy` names."""

import json
import warnings

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy


def _map(lib, kind):
    o = lib.optimizers
    if kind == "patterns":
        mapping = o.OptimizerMap(o.SGD(0.1, momentum=0.9))
        # A model loaded from a file has no "sequential/" in its weights'
        # paths (in Keras too), so the patterns accept both.
        mapping["(sequential/)?enc/.*"] = o.Adam(0.01)
        mapping["(sequential/)?dec/bias"] = o.RMSprop(0.05)
        return mapping
    if kind == "dict":
        return o.OptimizerMap(
            o.Adam(0.02), {"sequential/dec/kernel": o.SGD(0.3)}
        )
    # A callable: one Adam for the kernels, one SGD for the biases.
    adam, sgd = o.Adam(0.01), o.SGD(0.2)
    return lambda v: adam if v.path.endswith("kernel") else sgd


def _model(lib):
    # Named: the patterns match paths, and auto names depend on what else
    # the process built.
    return lib.Sequential(
        [
            lib.Input((3,)),
            lib.layers.Dense(4, name="enc"),
            lib.layers.Dense(2, name="dec"),
        ],
        name="sequential",
    )


@pytest.mark.parametrize("kind", ["patterns", "dict", "callable"])
@pytest.mark.parametrize("scale", [None, 4.0])
def test_training_matches_keras(rng, kind, scale):
    k_model, m_model = _model(keras), _model(lamina)
    m_model.set_weights(k_model.get_weights())
    k_opt = keras.optimizers.MultiOptimizer(_map(keras, kind), scale)
    m_opt = lamina.optimizers.MultiOptimizer(_map(lamina, kind), scale)
    k_model.compile(k_opt, "mse")
    m_model.compile(m_opt, "mse")
    x = rng.standard_normal((8, 3)).astype("float32")
    y = rng.standard_normal((8, 2)).astype("float32")
    k_model.fit(x, y, batch_size=4, epochs=2, verbose=0, shuffle=False)
    m_model.fit(x, y, batch_size=4, epochs=2, verbose=0, shuffle=False)
    for a, b in zip(m_model.get_weights(), k_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert int(m_opt.iterations) == int(to_numpy(k_opt.iterations)) == 4
    assert [type(o).__name__ for o in m_opt.optimizers] == [
        type(o).__name__ for o in k_opt.optimizers
    ]
    assert [int(o.iterations) for o in m_opt.optimizers] == [
        int(to_numpy(o.iterations)) for o in k_opt.optimizers
    ]
    k_vars = [to_numpy(v) for v in k_opt.variables]
    m_vars = [v.numpy() for v in m_opt.variables]
    assert [v.shape for v in m_vars] == [v.shape for v in k_vars]
    for a, b in zip(m_vars, k_vars):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_configs_round_trip_both_ways():
    k_opt = keras.optimizers.MultiOptimizer(_map(keras, "patterns"))
    m_opt = lamina.optimizers.MultiOptimizer(_map(lamina, "patterns"))
    k_json = json.loads(json.dumps(keras.optimizers.serialize(k_opt)))
    m_json = json.loads(json.dumps(lamina.optimizers.serialize(m_opt)))
    assert m_json["class_name"] == k_json["class_name"] == "MultiOptimizer"
    assert m_json["module"] == k_json["module"]
    m_map, k_map = (c["config"]["optimizer_map"] for c in (m_json, k_json))
    assert m_map["class_name"] == k_map["class_name"] == "OptimizerMap"
    assert list(m_map["config"]["optimizer_map"]) == list(
        k_map["config"]["optimizer_map"]
    )
    for config in (k_json, m_json):
        ours = lamina.optimizers.deserialize(config)
        theirs = keras.optimizers.deserialize(config)
        assert [type(o).__name__ for o in ours.optimizers] == [
            type(o).__name__ for o in theirs.optimizers
        ]
        assert ours.name == theirs.name
        assert ours._optimizer_map["sequential/enc/kernel"].get_config() == (
            pytest.approx(
                theirs._optimizer_map["sequential/enc/kernel"].get_config()
            )
        )


def _fitted(lib, rng):
    model = _model(lib)
    model.compile(lib.optimizers.MultiOptimizer(_map(lib, "patterns")), "mse")
    x = rng.standard_normal((4, 3)).astype("float32")
    model.fit(x, np.ones((4, 2), "float32"), verbose=0)
    return model


def _optimizer_values(opt):
    return [to_numpy(v) for v in opt.variables]


def test_keras_files_both_ways(rng, tmp_path):
    k_model = _fitted(keras, rng)
    k_model.save(tmp_path / "k.keras")
    loaded = lamina.saving.load_model(tmp_path / "k.keras")
    assert isinstance(loaded.optimizer, lamina.optimizers.MultiOptimizer)
    expected = _optimizer_values(k_model.optimizer)
    for a, b in zip(_optimizer_values(loaded.optimizer), expected):
        np.testing.assert_array_equal(a, b)
    m_model = _fitted(lamina, rng)
    m_model.save(tmp_path / "m.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = keras.saving.load_model(tmp_path / "m.keras")
    expected = _optimizer_values(m_model.optimizer)
    got = _optimizer_values(again.optimizer)
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        np.testing.assert_array_equal(a, b)


def test_map_lookup_matches_keras():
    maps = []
    for lib in (keras, lamina):
        o = lib.optimizers
        mapping = o.OptimizerMap(o.RMSprop(name="rms"))
        mapping["encoder/layer_0/dense"] = o.Adam(name="adam")
        mapping["encoder/.*"] = o.SGD(name="sgd")
        mapping["decoder"] = o.Adam(name="adam_2")
        maps.append(mapping)
    for key in (
        "decoder",
        "encoder/layer_0/dense",
        "encoder/layer_0/attention/query",
        "decoder/layer_0/dense",
        "encoder",
    ):
        assert maps[1][key].name == maps[0][key].name
    assert len(maps[1]) == len(maps[0]) == 3
    assert list(maps[1]) == list(maps[0])
    del maps[1]["decoder"]
    assert maps[1]["decoder"].name == "rms"


@pytest.mark.parametrize("lib", [keras, lamina], ids=["keras", "lamina"])
def test_bad_maps(lib):
    o = lib.optimizers
    with pytest.raises(TypeError, match="default_optimizer"):
        o.OptimizerMap("adam")
    with pytest.raises(TypeError, match="optimizer_map"):
        o.OptimizerMap(o.SGD(), [("a", o.SGD())])
    mapping = o.OptimizerMap(o.SGD(), {"a.*": o.SGD(), "ab.*": o.Adam()})
    with pytest.raises(ValueError, match="Multiple optimizers"):
        mapping["abc"]
    with pytest.raises(ValueError, match="already exists"):
        mapping["a.*"] = o.SGD()
    with pytest.raises(ValueError, match="string"):
        mapping[3] = o.SGD()
    with pytest.raises(ValueError, match="Optimizer instance"):
        mapping["b"] = "sgd"
    with pytest.raises(ValueError, match="LossScaleOptimizer"):
        mapping["b"] = o.LossScaleOptimizer(o.SGD())
    with pytest.raises(ValueError, match="MultiOptimizer"):
        mapping["b"] = o.MultiOptimizer(o.OptimizerMap(o.SGD()))


def test_learning_rate_is_refused():
    opt = lamina.optimizers.MultiOptimizer(_map(lamina, "dict"))
    with pytest.raises(AttributeError, match="cannot be accessed"):
        opt.learning_rate
    with pytest.raises(AttributeError, match="cannot be set"):
        opt.learning_rate = 0.1


def test_gradient_count_must_match():
    w = [torch.nn.Parameter(torch.ones(2)) for _ in range(2)]
    w[0].path, w[1].path = "a", "b"
    opt = lamina.optimizers.MultiOptimizer(
        lamina.optimizers.OptimizerMap(lamina.optimizers.SGD(0.1))
    )
    opt.build(w)
    with pytest.raises(ValueError, match="Received 1 gradients and 2"):
        opt.apply([torch.ones(2)], w[:1])


def test_map_returning_a_wrapper_is_refused():
    lso = lamina.optimizers.LossScaleOptimizer(lamina.optimizers.SGD())
    opt = lamina.optimizers.MultiOptimizer(lambda v: lso)
    w = torch.nn.Parameter(torch.ones(2))
    w.path = "w"
    with pytest.raises(ValueError, match="LossScaleOptimizer cannot be used"):
        opt.build([w])


@pytest.mark.parametrize(
    "name", ["Adagrad", "Adam", "Ftrl", "Optimizer", "RMSprop", "SGD"]
)
def test_legacy_names_raise_as_in_keras(name):
    with pytest.raises(ImportError) as theirs:
        getattr(keras.optimizers.legacy, name)(learning_rate=0.1)
    with pytest.raises(ImportError) as ours:
        getattr(lamina.optimizers.legacy, name)(learning_rate=0.1)
    assert str(ours.value).startswith(str(theirs.value))
    assert sorted(lamina.optimizers.legacy.__all__) == sorted(
        n for n in dir(keras.optimizers.legacy) if not n.startswith("_")
    )
