import pytest
import torch

import lamina
from lamina.layers.regularization.spatial_dropout import SpatialDropout1D
from lamina.layers.regularization.spatial_dropout import SpatialDropout2D
from lamina.layers.regularization.spatial_dropout import SpatialDropout3D
from tests.keras_oracle import keras
from tests.layers.parity import full_parity

CLASSES = {1: SpatialDropout1D, 2: SpatialDropout2D, 3: SpatialDropout3D}


@pytest.mark.parametrize(
    "rank, kwargs",
    [
        (1, {"rate": 0.5}),
        (1, {"rate": 0.2, "seed": 4}),
        (2, {"rate": 0.5}),
        (2, {"rate": 0.3, "data_format": "channels_first", "seed": 1}),
        (3, {"rate": 0.5}),
        (3, {"rate": 0.1, "data_format": "channels_first"}),
    ],
)
def test_parity_in_inference(rank, kwargs):
    shape = (2,) + (3,) * rank + (4,)
    full_parity(
        f"SpatialDropout{rank}D",
        CLASSES[rank],
        kwargs,
        shape,
        symbolic=[shape[1:], (None,) * rank + (4,)],
    )


@pytest.mark.parametrize(
    "rank, data_format",
    [
        (1, None),  # SpatialDropout1D is channels_last only, as in Keras
        (2, "channels_last"),
        (2, "channels_first"),
        (3, "channels_last"),
        (3, "channels_first"),
    ],
)
def test_drops_whole_feature_maps(rank, data_format):
    kwargs = {} if rank == 1 else {"data_format": data_format}
    channels_first = data_format == "channels_first"
    spatial = (5,) * rank
    shape = (50, 40, *spatial) if channels_first else (50, *spatial, 40)
    layer = CLASSES[rank](0.4, seed=3, **kwargs)
    y = layer(torch.ones(shape), training=True)
    maps = y.movedim(1, -1) if channels_first else y
    maps = maps.reshape(50, -1, 40)  # (batch, positions, channels)
    assert (maps == maps[:, :1, :]).all()  # one decision per map
    dropped = float((maps[:, 0, :] == 0).float().mean())
    assert abs(dropped - 0.4) < 0.05
    assert torch.allclose(maps[maps != 0], torch.tensor(1 / 0.6))


def test_no_seed_uses_global_generator():
    layer = SpatialDropout2D(0.5)
    lamina.config.set_random_seed(9)
    first = layer(torch.ones(4, 3, 3, 8), training=True)
    lamina.config.set_random_seed(9)
    torch.testing.assert_close(
        first, layer(torch.ones(4, 3, 3, 8), training=True)
    )


def test_identity_in_inference():
    x = torch.randn(2, 3, 4)
    assert SpatialDropout1D(0.5)(x) is x


def test_config_is_keras_short_form():
    config = SpatialDropout2D(0.5, name="sd").get_config()
    assert config == {
        "rate": 0.5,
        "seed": None,
        "name": "sd",
        "dtype": "float32",
        "data_format": "channels_last",
    }


def test_signature_has_no_kwargs_as_in_keras():
    # Keras's spatial dropouts take (rate, [data_format,] seed, name, dtype)
    # only, so `input_shape=` is a TypeError in both libraries.
    with pytest.raises(TypeError, match="input_shape"):
        keras.layers.SpatialDropout1D(0.5, input_shape=(3, 4))
    with pytest.raises(TypeError, match="input_shape"):
        SpatialDropout1D(0.5, input_shape=(3, 4))
    model = lamina.Sequential([lamina.Input((3, 4)), SpatialDropout1D(0.5)])
    assert model.output_shape == (None, 3, 4)


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_wrong_rank(rank):
    with pytest.raises(ValueError, match=f"expected ndim={rank + 2}"):
        CLASSES[rank](0.5)(torch.zeros((2,) * (rank + 1)))


def test_bad_rate_and_data_format():
    with pytest.raises(ValueError, match="rate"):
        SpatialDropout2D(2.0)
    with pytest.raises(ValueError, match="data_format"):
        SpatialDropout3D(0.5, data_format="nchw")
