import json

import numpy as np
import pytest
import torch

import lamina
from lamina.layers.merging.dot import Dot
from tests.keras_oracle import keras
from tests.layers.merging import helpers


@pytest.mark.parametrize(
    "axes,shapes",
    [
        (1, [(2, 4), (2, 4)]),
        (-1, [(2, 3, 4), (2, 5, 4)]),
        ((1, 2), [(2, 3, 5), (2, 6, 3)]),
        ((2, 1), [(2, 3, 4), (2, 4)]),
        ((1, 1), [(2, 4), (2, 4, 3)]),
        ((1, -1), [(2, 3, 4, 2), (2, 5, 3)]),
    ],
)
@pytest.mark.parametrize("normalize", [False, True])
def test_matches_keras(rng, axes, shapes, normalize):
    arrays, masks = helpers.random_inputs(rng, shapes)
    helpers.assert_same(
        *helpers.run_both(
            "Dot", Dot, arrays, masks, axes=axes, normalize=normalize
        )
    )
    k_shape, l_shape = helpers.symbolic_shapes(
        "Dot", Dot, [s[1:] for s in shapes], axes=axes
    )
    assert l_shape == k_shape


def test_zero_vector_normalizes_to_zero():
    out = Dot(axes=1, normalize=True)([torch.zeros(1, 3), torch.ones(1, 3)])
    assert out.tolist() == [[0.0]]


def test_masks_are_dropped():
    x = torch.ones(1, 2, 3)
    x._keras_mask = torch.tensor([[True, False]])
    out = Dot(axes=2)([x, torch.ones(1, 4, 3)])
    assert getattr(out, "_keras_mask", None) is None


@pytest.mark.parametrize("axes", [1, (1, 2), [2, 1]])
def test_config_round_trip(axes):
    helpers.check_round_trip("Dot", Dot, axes=axes, normalize=True)
    config = json.loads(json.dumps(Dot(axes=axes).get_config()))
    assert Dot.from_config(config).axes == json.loads(json.dumps(axes))


@pytest.mark.parametrize(
    "axes,match",
    [
        (5, r"cannot reduce axis 5 of input 0 with shape \(None, 3, 4\)"),
        (0, r"cannot reduce axis 0 of input 0.*non-batch axis"),
        ((1, -4), r"cannot reduce axis -4 of input 1"),
    ],
)
def test_axes_out_of_range(axes, match):
    with pytest.raises(ValueError, match=r"'dot.*' \(Dot\) " + match):
        Dot(axes=axes)([lamina.Input((3, 4)), lamina.Input((3, 4))])


def test_mismatched_sizes():
    with pytest.raises(
        ValueError,
        match=r"\(Dot\) received incompatible "
        r"input shapes: axis 1 of input 0 "
        r"has size 3, axis 1 of input 1 "
        r"has size 4",
    ):
        Dot(axes=1)([lamina.Input((3,)), lamina.Input((4,))])


def test_needs_two_inputs():
    with pytest.raises(
        ValueError,
        match=r"\(Dot\) should be called on a "
        r"list of 2 inputs",
    ):
        Dot(axes=1)([torch.ones(2, 3)] * 3)


def test_rank_one_inputs_refused():
    with pytest.raises(ValueError, match=r"input of rank >= 2"):
        Dot(axes=-1)([torch.ones(3), torch.ones(3)])


@pytest.mark.parametrize("axes", ["1", (1, 2, 3), (1.0, 2), None])
def test_bad_axes_argument(axes):
    with pytest.raises(
        ValueError,
        match=r"`axes` of Dot: expected an "
        r"integer or a pair of integers",
    ):
        Dot(axes=axes)


def test_keras_dot_output_matches_on_model(rng):
    a, b = (rng.normal(size=(3, 4)).astype("float32") for _ in range(2))
    ka, kb = keras.Input((4,)), keras.Input((4,))
    k_model = keras.Model([ka, kb], keras.layers.Dot(axes=1)([ka, kb]))
    la, lb = lamina.Input((4,)), lamina.Input((4,))
    l_model = lamina.Model([la, lb], Dot(axes=1)([la, lb]))
    np.testing.assert_allclose(
        l_model([torch.tensor(a), torch.tensor(b)]).numpy(),
        keras.ops.convert_to_numpy(k_model([a, b])),
        atol=1e-5,
    )
