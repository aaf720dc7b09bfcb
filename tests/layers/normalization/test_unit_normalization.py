import numpy as np
import pytest
import torch

import lamina
from lamina.layers.normalization.unit_normalization import UnitNormalization
from tests.keras_oracle import keras
from tests.layers.normalization.helpers import check_against_keras
from tests.layers.parity import check_round_trip
from tests.layers.parity import compare_configs
from tests.layers.parity import compare_symbolic
from tests.layers.parity import full_parity


@pytest.mark.parametrize(
    "kwargs,shape",
    [
        ({}, (3, 5)),
        ({"axis": 1}, (2, 3, 4)),
        ({"axis": [1, 2]}, (2, 3, 4)),
        ({"axis": (-1, 1)}, (2, 3, 2, 4)),
        ({"axis": 0}, (4, 3)),
    ],
)
def test_matches_keras(kwargs, shape):
    full_parity("UnitNormalization", UnitNormalization, kwargs, shape)
    check_against_keras(
        keras.layers.UnitNormalization(**kwargs),
        UnitNormalization(**kwargs),
        shape,
    )


def test_unit_norm_and_zero_rows():
    x = torch.tensor([[3.0, 4.0], [0.0, 0.0]], requires_grad=True)
    out = UnitNormalization()(x)
    np.testing.assert_allclose(
        out.detach().numpy(), [[0.6, 0.8], [0, 0]], rtol=1e-6
    )
    out.sum().backward()
    assert torch.isfinite(x.grad).all()


def test_any_rank_after_first_call():
    layer = UnitNormalization()
    layer(torch.ones(2, 3))
    out = layer(torch.ones(2, 2, 4))
    torch.testing.assert_close(out.norm(dim=-1), torch.ones(2, 2))


def test_config():
    for kwargs in ({}, {"axis": [1, 2]}):
        k_layer = keras.layers.UnitNormalization(**kwargs)
        l_layer = UnitNormalization(**kwargs)
        compare_configs(k_layer, l_layer)
        check_round_trip(
            UnitNormalization, keras.layers.UnitNormalization, l_layer
        )
        from_keras = UnitNormalization.from_config(k_layer.get_config())
        assert from_keras.get_config() == k_layer.get_config()


def test_symbolic():
    compare_symbolic(
        lambda: keras.layers.UnitNormalization(axis=[1, 2]),
        lambda: UnitNormalization(axis=[1, 2]),
        (None, 3),
    )


def test_bad_axis():
    with pytest.raises(
        ValueError,
        match=r"UnitNormalization.*axis 2 is out "
        r"of bounds.*input_shape=\(2, 3\)",
    ):
        UnitNormalization(axis=2)(torch.ones(2, 3))
    with pytest.raises(ValueError, match=r"axis -3 is out of bounds"):
        UnitNormalization(axis=-3)(lamina.Input((3,)))
    with pytest.raises(TypeError, match=r"`axis` of UnitNormalization"):
        UnitNormalization(axis="last")
