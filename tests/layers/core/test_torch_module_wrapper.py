"""`TorchModuleWrapper` against Keras 3's, given the same torch module."""

import copy

import numpy as np
import pytest
import torch

import lamina
from lamina.layers.core.torch_module_wrapper import TorchModuleWrapper
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy


def _modules():
    torch.manual_seed(0)
    return [
        (torch.nn.Linear(4, 3), (4,), (3,)),
        (torch.nn.Conv2d(2, 3, 3, padding=1), (2, 5, 5), (3, 5, 5)),
    ]


def _fit(lib, module, in_shape, out_shape, x, y):
    inputs = lib.Input(in_shape)
    outputs = lib.layers.TorchModuleWrapper(
        module, output_shape=(None, *out_shape)
    )(inputs)
    model = lib.Model(inputs, outputs)
    model.compile(optimizer=lib.optimizers.SGD(0.1), loss="mse")
    model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    return model


@pytest.mark.parametrize("case", range(2))
def test_fit_matches_keras(case):
    module, in_shape, out_shape = _modules()[case]
    rng = np.random.default_rng(case)
    x = rng.normal(size=(8, *in_shape)).astype("float32")
    y = rng.normal(size=(8, *out_shape)).astype("float32")
    k_model = _fit(keras, copy.deepcopy(module), in_shape, out_shape, x, y)
    l_model = _fit(lamina, copy.deepcopy(module), in_shape, out_shape, x, y)
    for k, m in zip(k_model.get_weights(), l_model.get_weights(), strict=True):
        np.testing.assert_allclose(m, k, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        l_model.predict(x, verbose=0),
        to_numpy(k_model.predict(x, verbose=0)),
        rtol=1e-5,
        atol=1e-6,
    )


def test_weights_are_the_module_parameters():
    module = torch.nn.Linear(4, 3)
    k_layer = keras.layers.TorchModuleWrapper(copy.deepcopy(module))
    l_layer = TorchModuleWrapper(module)
    assert [tuple(w.shape) for w in l_layer.trainable_weights] == [
        tuple(w.shape) for w in k_layer.trainable_weights
    ]
    assert l_layer.trainable_weights[0] is module.weight
    module.bias.requires_grad_(False)
    assert len(l_layer.trainable_weights) == 1


def test_symbolic_shapes():
    module = torch.nn.Conv2d(2, 3, 3, padding=1)
    k_out = keras.layers.TorchModuleWrapper(
        copy.deepcopy(module), output_shape=(None, 3, 5, 5)
    )(keras.Input((2, 5, 5)))
    l_out = TorchModuleWrapper(module, output_shape=(None, 3, 5, 5))(
        lamina.Input((2, 5, 5))
    )
    assert tuple(l_out.shape) == tuple(k_out.shape) == (None, 3, 5, 5)


def test_symbolic_shape_traced_without_output_shape():
    # Keras requires `output_shape` here; lamina traces the module.
    layer = TorchModuleWrapper(torch.nn.Conv2d(2, 3, 3, stride=2))
    assert tuple(layer(lamina.Input((2, 7, 7))).shape) == (None, 3, 3, 3)


def test_training_flag_sets_module_mode():
    layer = TorchModuleWrapper(torch.nn.Dropout(0.5))
    layer(torch.ones(2, 3), training=True)
    assert layer.module.training
    out = layer(torch.ones(2, 3), training=False)
    assert not layer.module.training and torch.equal(out, torch.ones(2, 3))


def test_config_keys_match_keras_and_round_trip_unsafe():
    module = torch.nn.Linear(4, 3)
    k_conf = keras.layers.TorchModuleWrapper(
        copy.deepcopy(module), name="w", output_shape=(None, 3)
    ).get_config()
    l_layer = TorchModuleWrapper(module, name="w", output_shape=(None, 3))
    l_conf = l_layer.get_config()
    assert set(l_conf) == set(k_conf)
    assert {k: v for k, v in l_conf.items() if k != "module"} == {
        k: v for k, v in k_conf.items() if k != "module"
    }
    for conf in (l_conf, k_conf):
        again = TorchModuleWrapper.from_config(conf, safe_mode=False)
        assert isinstance(again.module, torch.nn.Linear)
        torch.testing.assert_close(again.module.weight, module.weight)


def test_safe_mode_refuses_the_pickled_module():
    conf = TorchModuleWrapper(torch.nn.Linear(4, 3), name="w").get_config()
    with pytest.raises(
        ValueError,
        match=r"'w' \(TorchModuleWrapper\).*"
        r"refused.*safe_mode=False",
    ):
        TorchModuleWrapper.from_config(conf)
    with pytest.raises(ValueError, match="refused"):
        lamina.layers.deserialize(
            lamina.layers.serialize(TorchModuleWrapper(torch.nn.Linear(4, 3)))
        )
    with lamina.saving.serialization.SafeModeScope(False):
        assert TorchModuleWrapper.from_config(conf).name == "w"


def test_bad_module():
    with pytest.raises(
        ValueError,
        match=r"`module` of TorchModuleWrapper.*"
        r"Received: module=",
    ):
        TorchModuleWrapper("linear")
    with pytest.raises(ValueError, match="LazyModule"):
        TorchModuleWrapper(torch.nn.LazyLinear(3))
