import numpy as np
import pytest
import torch

import lamina
from lamina.layers.core.masking import Masking
from lamina.layers.merging.concatenate import Concatenate
from tests.keras_oracle import keras
from tests.layers.merging import helpers


@pytest.mark.parametrize(
    "axis,shapes",
    [
        (-1, [(2, 3, 4), (2, 3, 2)]),
        (1, [(2, 3, 4), (2, 5, 4)]),
        (2, [(2, 3, 4), (2, 3, 1), (2, 3, 2)]),
        (-2, [(2, 3, 4), (2, 2, 4)]),
    ],
)
@pytest.mark.parametrize("which", [None, "both", "first"])
def test_matches_keras(rng, axis, shapes, which):
    arrays, _ = helpers.random_inputs(rng, shapes)
    masks = helpers.case_masks(rng, shapes, which) or [None] * len(shapes)
    helpers.assert_same(
        *helpers.run_both("Concatenate", Concatenate, arrays, masks, axis=axis)
    )
    k_shape, l_shape = helpers.symbolic_shapes(
        "Concatenate", Concatenate, [s[1:] for s in shapes], axis=axis
    )
    assert l_shape == k_shape


def test_unknown_sizes():
    out = Concatenate(axis=1)([lamina.Input((None, 4)), lamina.Input((5, 4))])
    assert out.shape == (None, None, 4)
    out = Concatenate()([lamina.Input((None, 4)), lamina.Input((5, 2))])
    assert out.shape == (None, 5, 6)


def test_symbolic_mask_shape():
    x = lamina.Input((5, 3))
    masked = Masking()(x)
    out = Concatenate(axis=1)([masked, lamina.Input((2, 3))])
    assert out._keras_mask.shape == (None, 7)
    kx = keras.Input((5, 3))
    k_out = keras.layers.Concatenate(axis=1)(
        [keras.layers.Masking()(kx), keras.Input((2, 3))]
    )
    assert tuple(k_out._keras_mask.shape) == (None, 7)


def test_config_round_trip():
    helpers.check_round_trip("Concatenate", Concatenate, axis=1)


def test_mismatched_shapes():
    with pytest.raises(
        ValueError,
        match=r"\(Concatenate\) requires inputs "
        r"with matching shapes.*axis 2 has "
        r"sizes \[4, 3\]",
    ):
        Concatenate(axis=1)([lamina.Input((3, 4)), lamina.Input((5, 3))])


def test_mismatched_ranks():
    with pytest.raises(ValueError, match=r"the inputs have ranks \[2, 3\]"):
        Concatenate()([torch.ones(2, 3), torch.ones(2, 3, 1)])


def test_axis_out_of_range():
    with pytest.raises(
        ValueError,
        match=r"axis 3 is out of range for "
        r"inputs of rank 3",
    ):
        Concatenate(axis=3)([lamina.Input((3, 4)), lamina.Input((3, 4))])


def test_bad_axis_argument():
    with pytest.raises(
        ValueError,
        match=r"`axis` of Concatenate.*"
        r"Received: axis='1'",
    ):
        Concatenate(axis="1")


def test_mask_list_length_checked():
    with pytest.raises(ValueError, match=r"expected one mask per input"):
        Concatenate().compute_mask(
            [torch.ones(1, 2)] * 2, [torch.ones(1, dtype=torch.bool)]
        )


def test_all_unmasked_gives_no_mask():
    out = Concatenate()([torch.ones(1, 2), torch.ones(1, 2)])
    assert getattr(out, "_keras_mask", None) is None
    np.testing.assert_array_equal(out.numpy(), np.ones((1, 4)))
