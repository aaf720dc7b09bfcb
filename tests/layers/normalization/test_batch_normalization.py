import numpy as np
import pytest
import torch

import lamina
from lamina.layers.normalization.batch_normalization import BatchNormalization
from tests.keras_oracle import keras
from tests.keras_oracle import to_numpy
from tests.layers.normalization.helpers import assert_same_weights
from tests.layers.normalization.helpers import built_pair
from tests.layers.normalization.helpers import check_against_keras
from tests.layers.parity import check_round_trip
from tests.layers.parity import compare_configs
from tests.layers.parity import compare_symbolic
from tests.layers.parity import random_input

CASES = [
    ({}, (6, 3)),  # 2-D input
    ({}, (2, 3, 4, 5)),  # channels_last image
    ({"axis": 1}, (2, 3, 4, 5)),  # channels_first image
    ({"axis": 1}, (4, 3, 5)),
    ({"axis": -2, "epsilon": 0.1}, (2, 3, 4, 5)),  # a middle axis
    ({"center": False, "momentum": 0.5}, (3, 4, 2)),
    ({"scale": False}, (2, 3, 3, 2, 4)),  # 3-D volume
    ({"center": False, "scale": False, "axis": 1}, (2, 3, 5, 2)),
]


@pytest.mark.parametrize("kwargs,shape", CASES)
def test_inference_matches_keras(kwargs, shape):
    k_layer, l_layer = built_pair(
        "BatchNormalization", BatchNormalization, kwargs, shape
    )
    check_against_keras(k_layer, l_layer, shape, training=False)
    # Inference leaves the moving statistics alone.
    assert_same_weights(k_layer, l_layer)


@pytest.mark.parametrize("kwargs,shape", CASES)
def test_training_matches_keras(kwargs, shape):
    k_layer, l_layer = built_pair(
        "BatchNormalization", BatchNormalization, kwargs, shape
    )
    for step in range(3):
        check_against_keras(
            k_layer, l_layer, shape, seed=10 * step, training=True
        )
    assert_same_weights(k_layer, l_layer)


def test_moving_statistics_use_biased_variance():
    layer = BatchNormalization(momentum=0.0)
    x = torch.tensor([[0.0], [2.0]])
    layer(x, training=True)
    assert layer.moving_mean.tolist() == [1.0]
    # Population variance of [0, 2] is 1 (the unbiased estimate would be 2).
    assert layer.moving_variance.tolist() == pytest.approx([1.0], abs=1e-6)


def test_single_example_batch_trains_like_keras():
    k_layer, l_layer = built_pair(
        "BatchNormalization", BatchNormalization, {}, (1, 3)
    )
    check_against_keras(k_layer, l_layer, (1, 3), training=True)
    assert_same_weights(k_layer, l_layer)


def test_inference_is_default_and_train_mode_trains():
    layer = BatchNormalization()
    x = torch.from_numpy(random_input((8, 3)) * 3 + 2)
    layer(x)
    assert layer.moving_mean.abs().max().item() == 0.0
    layer.train()
    out = layer(x)
    assert layer.moving_mean.abs().max().item() > 0.0
    assert out.mean(0).abs().max().item() < 1e-5


@pytest.mark.parametrize("shape", [(4, 5, 3), (3, 6, 2)])
def test_mask_in_training_matches_keras(shape):
    rng = np.random.default_rng(3)
    mask = rng.uniform(size=shape[:-1]) > 0.4
    k_layer, l_layer = built_pair(
        "BatchNormalization", BatchNormalization, {}, shape
    )
    for step in range(2):
        x = random_input(shape, step)
        k_out = k_layer(x, training=True, mask=mask)
        l_out = l_layer(
            torch.from_numpy(x), training=True, mask=torch.from_numpy(mask)
        )
        np.testing.assert_allclose(
            to_numpy(l_out), to_numpy(k_out), rtol=1e-5, atol=1e-5
        )
    assert_same_weights(k_layer, l_layer)


def test_mask_in_inference_is_ignored_and_propagated():
    layer = BatchNormalization()
    x = torch.from_numpy(random_input((2, 4, 3)))
    mask = torch.tensor([[True, True, False, False]] * 2)
    x._keras_mask = mask
    out = layer(x)
    assert torch.equal(out._keras_mask, mask)
    torch.testing.assert_close(out, layer(x.detach().clone()))


def test_trainable_false_means_inference_mode():
    k_layer, l_layer = built_pair(
        "BatchNormalization", BatchNormalization, {}, (5, 3)
    )
    k_layer.trainable = False
    l_layer.trainable = False
    before = l_layer.get_weights()
    check_against_keras(k_layer, l_layer, (5, 3), training=True)
    for old, new in zip(before, l_layer.get_weights()):
        np.testing.assert_array_equal(old, new)
    assert l_layer.trainable_weights == []


def test_weights_order_names_and_trainability():
    layer = BatchNormalization()
    layer(torch.zeros(2, 4))
    names = [layer._weight_info[a]["name"] for a in layer._weight_info]
    assert names == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [tuple(w.shape) for w in layer.weights] == [(4,)] * 4
    assert len(layer.trainable_weights) == 2
    assert not layer.moving_mean.requires_grad
    assert set(layer.state_dict()) == set(names)
    layer = BatchNormalization(center=False)
    layer(torch.zeros(2, 4))
    assert len(layer.get_weights()) == 3 and layer.beta is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"axis": 1, "momentum": 0.9, "epsilon": 1e-5, "center": False},
        {
            "beta_initializer": "random_normal",
            "gamma_regularizer": "l2",
            "beta_constraint": "non_neg",
            "moving_variance_initializer": "zeros",
        },
        {
            "renorm": True,
            "renorm_clipping": {"rmax": 2.0},
            "renorm_momentum": 0.5,
        },
    ],
)
def test_config_matches_keras_and_round_trips(kwargs):
    k_layer = keras.layers.BatchNormalization(**kwargs)
    l_layer = BatchNormalization(**kwargs)
    compare_configs(k_layer, l_layer)
    check_round_trip(
        BatchNormalization, keras.layers.BatchNormalization, l_layer
    )
    again = BatchNormalization.from_config(k_layer.get_config())
    assert again.get_config() == l_layer.get_config() | {"name": k_layer.name}


@pytest.mark.parametrize(
    "kwargs,shape",
    [
        ({}, (None, 3)),
        ({"axis": 1}, (3, None, None)),
        ({}, (None, 4, 2)),
    ],
)
def test_symbolic_shapes(kwargs, shape):
    compare_symbolic(
        lambda: keras.layers.BatchNormalization(**kwargs),
        lambda: BatchNormalization(**kwargs),
        shape,
    )


def test_in_functional_model_and_regularizer_losses():
    inputs = lamina.Input((5, 3))
    layer = BatchNormalization(gamma_regularizer="l2")
    model = lamina.Model(inputs, layer(inputs))
    out = model(torch.ones(2, 5, 3))
    assert tuple(out.shape) == (2, 5, 3)
    assert len(layer.losses) == 1
    assert layer.losses[0].item() == pytest.approx(0.01 * 3)


@pytest.mark.parametrize(
    "clipping", [None, {"rmax": 1.2, "rmin": 0.9, "dmax": 0.1}]
)
def test_renorm_matches_keras(clipping):
    kwargs = {
        "renorm": True,
        "renorm_clipping": clipping,
        "renorm_momentum": 0.8,
        "momentum": 0.7,
    }
    shape = (6, 4, 3)
    k_layer, l_layer = built_pair(
        "BatchNormalization", BatchNormalization, kwargs, shape
    )
    assert len(l_layer.get_weights()) == 7
    for step in range(3):
        check_against_keras(k_layer, l_layer, shape, seed=step, training=True)
    assert_same_weights(k_layer, l_layer)
    check_against_keras(k_layer, l_layer, shape, training=False)


def test_synchronized_in_a_process_group_matches_local():
    import torch.distributed as dist

    dist.init_process_group(
        "gloo", store=dist.HashStore(), rank=0, world_size=1
    )
    try:
        x = random_input((6, 4, 3))
        cot = random_input((6, 4, 3), 1)
        results = []
        for sync in (False, True):
            layer = BatchNormalization(synchronized=sync)
            xt = torch.tensor(x, requires_grad=True)
            out = layer(xt, training=True)
            (out * torch.from_numpy(cot)).sum().backward()
            results.append((out.detach(), xt.grad, layer.get_weights()))
    finally:
        dist.destroy_process_group()
    (o1, g1, w1), (o2, g2, w2) = results
    torch.testing.assert_close(o2, o1, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(g2, g1, rtol=1e-4, atol=1e-5)
    for a, b in zip(w1, w2):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
    assert BatchNormalization(synchronized=True).get_config()["synchronized"]


def test_channels_last_view_is_free():
    from lamina.layers.normalization.normalization_utils import (
        channels_first_view,
    )

    x = torch.randn(2, 3, 4, 5)
    view, restore = channels_first_view(x, 3)
    assert view.data_ptr() == x.data_ptr() and view.shape == (24, 5)
    assert restore(view).shape == x.shape
    nchw = x.permute(0, 3, 1, 2)
    view, _ = channels_first_view(nchw, 1)
    assert view is nchw


def test_half_precision_policy_computes_in_float32():
    layer = BatchNormalization(dtype="mixed_bfloat16")
    x = torch.from_numpy(random_input((8, 3)) * 100)
    out = layer(x, training=True)
    assert out.dtype == torch.bfloat16
    assert layer.moving_mean.dtype == torch.float32
    ref = (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=False) + 1e-3)
    torch.testing.assert_close(out.float(), ref, rtol=2e-2, atol=2e-2)


def test_axis_out_of_range():
    with pytest.raises(
        ValueError,
        match=r"axis 3 is out of bounds.*"
        r"input_shape=\(2, 3, 4\)",
    ):
        BatchNormalization(axis=3)(torch.zeros(2, 3, 4))
    with pytest.raises(ValueError, match="axis -4"):
        BatchNormalization(axis=-4)(torch.zeros(2, 3, 4))


def test_unknown_channel_dimension():
    with pytest.raises(
        ValueError,
        match=r"BatchNormalization.*known size "
        r"on axis 2.*\(None, 4, None\)",
    ):
        BatchNormalization()(lamina.Input((4, None)))


def test_bad_arguments():
    with pytest.raises(ValueError, match="axis"):
        BatchNormalization(axis="last")
    with pytest.raises(ValueError, match="renorm_clipping.*rmin"):
        BatchNormalization(renorm=True, renorm_clipping={"rmin": 2, "rmax": 1})
    with pytest.raises(ValueError, match="renorm_clipping.*'foo'"):
        BatchNormalization(renorm=True, renorm_clipping={"foo": 1})


def test_mask_of_wrong_rank():
    with pytest.raises(ValueError, match=r"mask.shape=\(2, 4, 3\)"):
        BatchNormalization()(
            torch.zeros(2, 4, 3),
            training=True,
            mask=torch.ones(2, 4, 3, dtype=torch.bool),
        )


def test_channel_mismatch_after_build():
    layer = BatchNormalization()
    layer(torch.zeros(2, 3))
    with pytest.raises(ValueError, match="expected axis -1 .* value 3"):
        layer(torch.zeros(2, 4))


def test_fit_predict_and_keras_files_match_keras(tmp_path):
    x = random_input((16, 5, 5, 2)) * 2 + 1
    y = random_input((16, 2), 1)

    def build(lib):
        layers = lib.layers
        return lib.Sequential(
            [
                lib.Input((5, 5, 2)),
                layers.BatchNormalization(),
                layers.LayerNormalization(),
                layers.GlobalAveragePooling2D(),
            ]
        )

    k_model, l_model = build(keras), build(lamina)
    l_model.set_weights(k_model.get_weights())
    for model in (k_model, l_model):
        model.compile(optimizer="sgd", loss="mse")
        model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    # fit trains the moving statistics like Keras (4 steps of SGD).
    for k, m in zip(k_model.get_weights(), l_model.get_weights()):
        np.testing.assert_allclose(m, k, rtol=1e-4, atol=1e-5)
    expected = k_model.predict(x, verbose=0)
    l_model.save(tmp_path / "lamina.keras")
    k_model.save(tmp_path / "keras.keras")
    for out in (
        l_model.predict(x, verbose=0),
        keras.models.load_model(tmp_path / "lamina.keras").predict(
            x, verbose=0
        ),
        lamina.saving.load_model(tmp_path / "keras.keras").predict(
            x, verbose=0
        ),
    ):
        np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
