"""The top-level scope names against Keras 3: `name_scope`, `device`,
`StatelessScope`, `SymbolicScope`."""

import numpy as np
import pytest
import torch

import lamina
from lamina.engine.symbolic_scope import in_symbolic_scope
from tests.keras_oracle import keras, to_numpy


def _paths(lib, deduplicate=True):
    with lib.name_scope("outer"):
        with lib.name_scope("block", deduplicate=deduplicate):
            dense = lib.layers.Dense(2, name="proj")
            dense.build((None, 3))
        with lib.name_scope("x", override_parent="elsewhere/deep"):
            other = lib.layers.Dense(2, name="o")
            other.build((None, 3))
    return [w.path for w in dense.weights + other.weights]


def test_name_scope_paths_match_keras():
    assert _paths(lamina) == _paths(keras)
    assert _paths(lamina)[0] == "outer/block/proj/kernel"


def test_name_scope_deduplicates_same_caller_like_keras():
    for lib in (lamina, keras):
        owner = object()
        with lib.name_scope("a", caller=owner):
            with lib.name_scope("a", caller=owner):
                dense = lib.layers.Dense(1, name="d")
                dense.build((None, 1))
            with lib.name_scope("a", caller=owner, deduplicate=False):
                again = lib.layers.Dense(1, name="e")
                again.build((None, 1))
        assert dense.kernel.path == "a/d/kernel"
        assert again.kernel.path == "a/a/e/kernel"


@pytest.mark.parametrize("name", ["a/b", 3])
def test_name_scope_bad_name(name):
    for lib in (lamina, keras):
        with pytest.raises(ValueError, match="cannot contain"):
            lib.name_scope(name)


def test_device_places_weights_and_tensors():
    with lamina.device("cpu"):
        layer = lamina.layers.Dense(2)
        layer.build((None, 3))
        made = torch.zeros(2)
    assert layer.kernel.device.type == made.device.type == "cpu"
    with lamina.device("meta"):
        assert torch.ones(2).device.type == "meta"
    assert torch.ones(2).device.type == "cpu"


def test_device_bad_name_like_keras():
    for lib in (lamina, keras):
        with pytest.raises(ValueError, match="device_name"):
            with lib.device(3):
                pass


def _dense_pair(rng):
    k = keras.layers.Dense(2)
    m = lamina.layers.Dense(2)
    k.build((None, 3))
    m.build((None, 3))
    m.set_weights(k.get_weights())
    values = [rng.standard_normal(w.shape).astype("float32") for w in k.weights]
    return k, m, values


def test_stateless_scope_reads_mapped_values_like_keras(rng):
    k, m, values = _dense_pair(rng)
    before = [w.detach().clone() for w in m.weights]
    x = rng.standard_normal((4, 3)).astype("float32")
    with keras.StatelessScope(list(zip(k.weights, values))):
        k_out = k(x)
    with lamina.StatelessScope(list(zip(m.weights, values))):
        m_out = m(torch.tensor(x))
    np.testing.assert_allclose(to_numpy(m_out), to_numpy(k_out), 1e-5, 1e-6)
    for w, b in zip(m.weights, before):
        assert torch.equal(w.detach(), b)


def test_stateless_scope_collects_assignments_like_keras(rng):
    k, m, values = _dense_pair(rng)
    before = [w.detach().clone() for w in m.weights]
    scopes = []
    for lib, layer in ((keras, k), (lamina, m)):
        with lib.StatelessScope(list(zip(layer.weights, values))) as scope:
            layer.kernel.assign(layer.kernel * 2)
            layer.bias.assign_add(np.ones(2, "float32"))
            inside = to_numpy(layer(np.ones((1, 3), "float32")))
        scopes.append((scope, inside))
    np.testing.assert_allclose(scopes[1][1], scopes[0][1], 1e-5, 1e-6)
    for kw, mw in zip(k.weights, m.weights):
        np.testing.assert_allclose(
            to_numpy(scopes[1][0].get_current_value(mw)),
            to_numpy(scopes[0][0].get_current_value(kw)),
            1e-6,
        )
    for w, b in zip(m.weights, before):
        assert torch.equal(w.detach(), b)


def test_stateless_scope_keeps_batchnorm_updates_aside(rng):
    layer = lamina.layers.BatchNormalization()
    layer.build((None, 3))
    mapping = [(w, w.detach().clone()) for w in layer.weights]
    x = torch.tensor(rng.standard_normal((8, 3)).astype("float32"))
    with lamina.StatelessScope(mapping) as scope:
        layer(x, training=True)
    assert torch.equal(layer.moving_mean, torch.zeros(3))
    assert not torch.equal(
        scope.get_current_value(layer.moving_mean), torch.zeros(3)
    )


def test_unmapped_assignment_is_collected_not_applied():
    variable = lamina.Variable(torch.zeros(2), requires_grad=False)
    with lamina.StatelessScope() as scope:
        variable.assign(torch.ones(2))
        assert torch.equal(variable.detach(), torch.ones(2))
    assert torch.equal(variable.detach(), torch.zeros(2))
    assert torch.equal(scope.get_current_value(variable), torch.ones(2))


def test_stateless_scope_bad_mapping_like_keras():
    k = keras.Variable(np.zeros((2,), "float32"))
    m = lamina.Variable(torch.zeros(2))
    for lib, variable in ((keras, k), (lamina, m)):
        with pytest.raises(ValueError, match="must be Variable instances"):
            lib.StatelessScope([(np.zeros(2), np.zeros(2))])
        with pytest.raises(ValueError, match="shape that matches"):
            lib.StatelessScope([(variable, np.zeros(3, "float32"))])


def test_symbolic_scope():
    assert not in_symbolic_scope()
    with lamina.SymbolicScope():
        with lamina.SymbolicScope():
            assert in_symbolic_scope()
        assert in_symbolic_scope()
    assert not in_symbolic_scope()
    seen = []

    class Probe(lamina.layers.Layer):
        def call(self, x):
            seen.append(in_symbolic_scope())
            return x

    Probe()(lamina.Input((2,)))
    Probe()(torch.ones(1, 2))
    # Shape inference runs in a symbolic scope, as Keras's does.
    assert seen[0] is True and seen[-1] is False


@pytest.mark.parametrize("collect", [False, True])
def test_stateless_scope_losses_like_keras(collect):
    results = []
    for lib in (keras, lamina):
        layer = lib.layers.Dense(2, activity_regularizer="l2")
        layer.build((None, 3))
        mapping = [
            (w, np.ones(tuple(w.shape), "float32")) for w in layer.weights
        ]
        with lib.StatelessScope(mapping, collect_losses=collect) as scope:
            layer(np.ones((2, 3), "float32"))
        results.append(
            ([float(to_numpy(x)) for x in scope.losses], len(layer.losses))
        )
    (k_losses, k_layer), (m_losses, m_layer) = results
    np.testing.assert_allclose(m_losses, k_losses, 1e-6)
    assert m_layer == k_layer == 0
    assert len(m_losses) == (1 if collect else 0)
