"""`lamina.distribution.DataParallel`: Keras's attributes and layouts,
one active distribution shared with `lamina.distribute`, and `fit` on a
one-process group equal to plain `fit`."""

import numpy as np
import pytest

import lamina
from lamina.distribute import data_parallel
from lamina.distribution import DataParallel
from lamina.distribution import DeviceMesh
from tests.keras_oracle import keras


@pytest.mark.parametrize("devices", [["cpu:0"], ["cpu:0", "cpu:1", "cpu:2"]])
def test_attributes_match_keras(devices):
    ours = DataParallel(devices=devices)
    theirs = keras.distribution.DataParallel(devices=devices)
    assert ours.batch_dim_name == theirs.batch_dim_name == "batch"
    assert ours.num_model_replicas == theirs.num_model_replicas
    assert repr(ours) == repr(theirs)
    assert (
        ours.get_data_layout((8, 3)).axes == theirs.get_data_layout((8, 3)).axes
    )
    weight = lamina.layers.Dense(2)
    weight.build((None, 3))
    assert ours.get_variable_layout(weight.kernel).axes == (None, None)
    assert ours.get_tensor_layout("x") is None
    assert ours.distribute_dataset([1, 2]) == [1, 2]
    assert ours.data_shard_id == 0 and ours.num_processes == 1


def test_mesh_argument():
    mesh = DeviceMesh((2, 1), ["data", "model"], ["cpu:0", "cpu:1"])
    with pytest.warns(UserWarning, match="Expect the input mesh to be 1D"):
        strategy = DataParallel(device_mesh=mesh)
    assert strategy.batch_dim_name == "data"
    with pytest.raises(ValueError, match="instance of `DeviceMesh`"):
        DataParallel(device_mesh="mesh")


def test_one_active_distribution_in_both_packages():
    strategy = DataParallel()
    lamina.distribution.set_distribution(strategy)
    assert lamina.distribute.distribution() is strategy
    assert lamina.distribution.distribution() is strategy
    with DataParallel().scope():
        assert lamina.distribution.distribution() is not strategy
    assert lamina.distribution.distribution() is strategy
    lamina.distribution.set_distribution(None)
    assert lamina.distribution.distribution() is None


def _fit(seed=3):
    lamina.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(40, 4)).astype("float32")
    y = rng.normal(size=(40, 2)).astype("float32")
    model = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(2)])
    model.compile(lamina.optimizers.SGD(0.1), "mse", metrics=["mae"])
    history = model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    return history.history, model.get_weights()


def test_fit_on_one_process_group_equals_plain_fit(one_process_group):
    plain_history, plain_weights = _fit()
    lamina.distribution.set_distribution(DataParallel())
    history, weights = _fit()
    for key in plain_history:
        np.testing.assert_allclose(history[key], plain_history[key], rtol=1e-6)
    for a, b in zip(weights, plain_weights):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_mesh_must_have_a_device_per_process(one_process_group, monkeypatch):
    strategy = DataParallel(devices=["cpu:0", "cpu:1", "cpu:2"])
    monkeypatch.setattr(type(strategy), "world_size", property(lambda s: 2))
    with pytest.raises(ValueError, match="needs 2 devices"):
        strategy.loop(lamina.Sequential([lamina.layers.Dense(1)]))


def test_scope_restores_the_state_before_it(monkeypatch):
    # Under torchrun with no explicit choice, leaving a scope goes back to
    # torchrun's default data parallelism, not to "off".
    monkeypatch.setenv("WORLD_SIZE", "2")
    data_parallel._STATE.update(explicit=False, value=None, auto=None)
    inner = DataParallel(devices=["cpu:0", "cpu:1"])
    with inner.scope():
        assert lamina.distribution.distribution() is inner
    after = lamina.distribution.distribution()
    assert (
        isinstance(after, lamina.distribute.DataParallel) and after is not inner
    )
