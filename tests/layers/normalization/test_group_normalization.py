import pytest
import torch

import lamina
from lamina.layers.normalization.group_normalization import GroupNormalization
from tests.keras_oracle import keras
from tests.layers.normalization.helpers import built_pair
from tests.layers.normalization.helpers import check_against_keras
from tests.layers.parity import check_round_trip
from tests.layers.parity import compare_configs
from tests.layers.parity import compare_symbolic
from tests.layers.parity import random_input


@pytest.mark.parametrize(
    "kwargs,shape",
    [
        ({"groups": 2}, (3, 6)),  # 2-D input
        ({"groups": 3}, (2, 5, 6)),  # sequence, channels last
        ({"groups": 2}, (2, 4, 5, 4)),  # image, channels last
        ({"groups": 4, "axis": 1}, (2, 8, 3, 5)),  # channels first
        ({"groups": 1, "epsilon": 0.1}, (2, 3, 4, 6)),
        ({"groups": -1}, (2, 5, 3)),  # instance norm
        ({"groups": 2, "axis": 2}, (2, 3, 4, 5)),  # a middle axis
        ({"groups": 2, "center": False}, (2, 3, 2, 2, 4)),
        ({"groups": 3, "scale": False, "axis": -3}, (2, 6, 4, 3)),
    ],
)
def test_matches_keras(kwargs, shape):
    k_layer, l_layer = built_pair(
        "GroupNormalization", GroupNormalization, kwargs, shape
    )
    check_against_keras(k_layer, l_layer, shape, rtol=1e-4, atol=1e-4)
    compare_configs(k_layer, l_layer)


def test_instance_norm_sets_groups_like_keras():
    layer = GroupNormalization(groups=-1)
    assert layer.get_config()["groups"] == -1
    layer(torch.zeros(2, 4, 5))
    assert layer.groups == 5
    k_layer = keras.layers.GroupNormalization(groups=-1)
    k_layer.build((2, 4, 5))
    assert k_layer.get_config()["groups"] == layer.get_config()["groups"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"groups": 4, "axis": 1, "epsilon": 1e-5, "center": False},
        {
            "groups": 2,
            "gamma_initializer": "random_normal",
            "beta_regularizer": "l2",
            "gamma_constraint": "non_neg",
        },
    ],
)
def test_config_round_trips(kwargs):
    k_layer = keras.layers.GroupNormalization(**kwargs)
    l_layer = GroupNormalization(**kwargs)
    compare_configs(k_layer, l_layer)
    check_round_trip(
        GroupNormalization, keras.layers.GroupNormalization, l_layer
    )
    from_keras = GroupNormalization.from_config(k_layer.get_config())
    assert from_keras.get_config() == k_layer.get_config()


@pytest.mark.parametrize(
    "kwargs,shape",
    [
        ({"groups": 2}, (None, 4)),
        ({"groups": 2}, (None, None, 4)),
        ({"groups": 3, "axis": 1}, (6, None, None)),
    ],
)
def test_symbolic_shapes(kwargs, shape):
    compare_symbolic(
        lambda: keras.layers.GroupNormalization(**kwargs),
        lambda: GroupNormalization(**kwargs),
        shape,
    )


def test_channels_last_runs_on_a_view():
    layer = GroupNormalization(groups=2)
    x = torch.from_numpy(random_input((2, 3, 4, 6)))
    layer(x)
    view, restore = layer._channels_first(x)
    assert view.data_ptr() == x.data_ptr()
    assert view.is_contiguous(memory_format=torch.channels_last)
    assert torch.equal(restore(view), x)


def test_weights():
    layer = GroupNormalization(groups=2)
    layer(torch.zeros(2, 3, 4))
    assert [tuple(w.shape) for w in layer.weights] == [(4,), (4,)]
    assert [layer._weight_info[a]["name"] for a in layer._weight_info] == [
        "gamma",
        "beta",
    ]


def test_groups_must_divide_channels():
    with pytest.raises(
        ValueError,
        match=r"GroupNormalization.*groups=3 does"
        r" not divide the number of channels \(4\).*"
        r"input_shape=\(2, 5, 4\)",
    ):
        GroupNormalization(groups=3)(torch.zeros(2, 5, 4))


def test_groups_larger_than_channels():
    with pytest.raises(
        ValueError,
        match=r"groups=8 is more than the number "
        r"of channels \(4\)",
    ):
        GroupNormalization(groups=8)(torch.zeros(2, 5, 4))


@pytest.mark.parametrize("groups", [0, -2, 1.5, True])
def test_bad_groups(groups):
    with pytest.raises(
        ValueError,
        match=r"`groups` of GroupNormalization.*"
        r"Received: groups=",
    ):
        GroupNormalization(groups=groups)


def test_bad_axes():
    with pytest.raises(
        ValueError,
        match=r"axis 3 is out of bounds.*"
        r"input_shape=\(2, 5, 4\)",
    ):
        GroupNormalization(groups=1, axis=3)(torch.zeros(2, 5, 4))
    with pytest.raises(ValueError, match="cannot be the batch axis"):
        GroupNormalization(groups=1, axis=0)(torch.zeros(2, 5, 4))
    with pytest.raises(ValueError, match=r"known size on axis 2"):
        GroupNormalization(groups=1)(lamina.Input((3, None)))


def test_half_precision_policy():
    layer = GroupNormalization(groups=2, dtype="mixed_bfloat16")
    x = torch.from_numpy(random_input((2, 3, 4)))
    out = layer(x)
    assert out.dtype == torch.bfloat16
    ref = GroupNormalization(groups=2)(x)
    torch.testing.assert_close(out.float(), ref, atol=5e-2, rtol=0)
