import numpy as np
import pytest
import torch

import lamina
from lamina.layers import Rescaling
from tests.keras_oracle import keras
from tests.layers.parity import assert_close, full_parity, compare_symbolic
from tests.layers.preprocessing.helpers import archive_both_ways


@pytest.mark.parametrize(
    "kwargs,shape",
    [
        ({"scale": 1 / 255.0}, (2, 4, 4, 3)),
        ({"scale": 2.0, "offset": -1.0}, (3, 5)),
        ({"scale": [1.0, 2.0, 3.0], "offset": [0.0, 1.0, 2.0]}, (2, 4, 3)),
    ],
)
def test_matches_keras(kwargs, shape):
    full_parity("Rescaling", Rescaling, kwargs, shape)


def test_integer_inputs_give_floats():
    x = np.arange(6, dtype="int32").reshape(2, 3)
    ours = Rescaling(0.5, 1.0)(torch.from_numpy(x))
    assert ours.dtype == torch.float32
    assert_close(ours, keras.layers.Rescaling(0.5, 1.0)(x))
    shape = compare_symbolic(
        lambda: keras.layers.Rescaling(0.5),
        lambda: Rescaling(0.5),
        (3,),
        dtype="int32",
    )
    assert shape == (None, 3)
    assert Rescaling(0.5)(lamina.Input((3,), dtype="int32")).dtype == "float32"


def test_numpy_scale_config_round_trip():
    config = keras.layers.Rescaling(np.array([1.0, 2.0])).get_config()
    layer = Rescaling.from_config(config)
    np.testing.assert_allclose(np.asarray(layer.scale), [1.0, 2.0])


def test_archive_both_ways(tmp_path):
    x = np.random.default_rng(0).random((2, 3, 3, 2)).astype("float32")
    archive_both_ways(
        lambda lib: lib.layers.Rescaling([1.0, 2.0], offset=0.5),
        (3, 3, 2),
        x,
        tmp_path,
    )


def test_trains_inside_fit():
    model = lamina.Sequential(
        [lamina.Input((3,)), Rescaling(0.1), lamina.layers.Dense(1)]
    )
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((4, 3), "float32")
    history = model.fit(x, np.zeros((4, 1)), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
