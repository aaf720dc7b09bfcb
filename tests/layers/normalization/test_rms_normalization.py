import numpy as np
import pytest
import torch

import lamina
from lamina.layers.normalization.rms_normalization import RMSNormalization
from tests.keras_oracle import keras
from tests.layers.normalization.helpers import assert_same_weights
from tests.layers.normalization.helpers import built_pair
from tests.layers.normalization.helpers import check_against_keras
from tests.layers.parity import check_round_trip
from tests.layers.parity import compare_configs
from tests.layers.parity import compare_symbolic
from tests.layers.parity import random_input

# Only trailing axes: there Keras's torch backend is `F.rms_norm`; for other
# axes it reuses `F.rms_norm` over the last axis (a Keras bug), so lamina is
# checked against the formula instead (`test_non_trailing_axes`).
CASES = [
    ({}, (3, 5)),
    ({"axis": -1, "epsilon": 1e-3}, (2, 3, 4)),
    ({"axis": [1, 2]}, (2, 3, 4)),
    ({"axis": (-2, -1)}, (2, 2, 3, 4)),
]


@pytest.mark.parametrize("kwargs,shape", CASES)
def test_matches_keras(kwargs, shape):
    k_layer, l_layer = built_pair(
        "RMSNormalization", RMSNormalization, kwargs, shape
    )
    assert_same_weights(k_layer, l_layer)
    check_against_keras(k_layer, l_layer, shape)
    compare_configs(k_layer, l_layer)
    check_round_trip(RMSNormalization, keras.layers.RMSNormalization, l_layer)


def test_non_trailing_axes():
    x = random_input((2, 3, 4, 5))
    layer = RMSNormalization(axis=[1, 3])
    layer(torch.zeros(2, 3, 4, 5))
    scale = np.random.default_rng(0).normal(size=(3, 5)).astype("float32")
    layer.set_weights([scale])
    expected = x / np.sqrt((x**2).mean(axis=(1, 3), keepdims=True) + 1e-6)
    expected = expected * scale[None, :, None, :]
    out = layer(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_fit_step_matches_keras():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(8, 5)).astype("float32")
    y = rng.normal(size=(8, 5)).astype("float32")
    models = []
    for lib in (keras, lamina):
        inputs = lib.Input((5,))
        model = lib.Model(inputs, lib.layers.RMSNormalization()(inputs))
        model.compile(optimizer=lib.optimizers.SGD(0.1), loss="mse")
        model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
        models.append(model)
    for k, m in zip(
        models[0].get_weights(), models[1].get_weights(), strict=True
    ):
        np.testing.assert_allclose(m, k, rtol=1e-5, atol=1e-6)


def test_config_before_build_and_from_keras():
    k_layer = keras.layers.RMSNormalization(axis=[1, 2], epsilon=1e-4)
    l_layer = RMSNormalization(axis=[1, 2], epsilon=1e-4)
    compare_configs(k_layer, l_layer)
    from_keras = RMSNormalization.from_config(k_layer.get_config())
    assert from_keras.get_config() == k_layer.get_config()


def test_symbolic():
    compare_symbolic(
        lambda: keras.layers.RMSNormalization(),
        lambda: RMSNormalization(),
        (None, 3),
    )


def test_half_precision_keeps_dtype():
    out = RMSNormalization(dtype="float16")(torch.ones(2, 3).half())
    assert out.dtype == torch.float16


def test_bad_arguments():
    with pytest.raises(
        ValueError,
        match=r"RMSNormalization.*axis 2 is out "
        r"of bounds",
    ):
        RMSNormalization(axis=2)(torch.ones(2, 3))
    with pytest.raises(TypeError, match=r"`axis` of RMSNormalization"):
        RMSNormalization(axis="last")
    with pytest.raises(
        ValueError,
        match=r"`epsilon` of RMSNormalization.*"
        r"Received: epsilon=-1",
    ):
        RMSNormalization(epsilon=-1.0)
