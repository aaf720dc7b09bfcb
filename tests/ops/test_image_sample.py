import numpy as np
import pytest
import torch

import lamina
from lamina.ops import image
from tests.ops.helpers import assert_same
from tests.ops.helpers import kops
from tests.ops.helpers import rand
from tests.ops.image_helpers import check_image

FILL_MODES = ["constant", "nearest", "wrap", "mirror", "reflect"]


@pytest.mark.parametrize("fill_mode", FILL_MODES)
@pytest.mark.parametrize("order", [0, 1])
@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_map_coordinates_matches_keras(fill_mode, order, dtype):
    x = rand((5, 6), dtype, 0, 50)
    gen = np.random.default_rng(1)
    coords = gen.uniform(-4, 10, size=(2, 3, 4)).astype("float32")
    check_image(
        "map_coordinates",
        x,
        coords,
        order,
        fill_mode,
        1.5 if dtype == "float32" else 7,
    )


def test_map_coordinates_3d_matches_keras():
    x = rand((3, 4, 5))
    coords = np.random.default_rng(2).uniform(-1, 5, (3, 6)).astype("float32")
    check_image("map_coordinates", x, coords, 1, "mirror")


TRANSFORMS = [
    [1.0, 0.0, 1.5, 0.0, 1.0, -0.5, 0.0, 0.0],
    [0.9, -0.3, 1.0, 0.2, 1.1, -1.0, 0.0, 0.0],
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
@pytest.mark.parametrize("fill_mode", FILL_MODES)
def test_affine_transform_matches_keras(data_format, interpolation, fill_mode):
    shape = (2, 6, 7, 3) if data_format == "channels_last" else (2, 3, 6, 7)
    transform = np.array(TRANSFORMS, "float32")
    check_image(
        "affine_transform",
        rand(shape),
        transform,
        interpolation,
        fill_mode,
        0.5,
        data_format,
        atol=1e-5,
    )


def test_affine_transform_single_image_and_transform():
    check_image(
        "affine_transform",
        rand((6, 7, 2)),
        np.array(TRANSFORMS[1], "float32"),
        atol=1e-5,
    )


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_perspective_transform_matches_keras(data_format, interpolation):
    shape = (2, 8, 8, 2) if data_format == "channels_last" else (2, 2, 8, 8)
    start = np.array([[0, 0], [7, 0], [7, 7], [0, 7]], "float32")
    end = np.array([[1, 0.5], [6, 1], [7, 6], [0, 7]], "float32")
    check_image(
        "perspective_transform",
        rand(shape),
        start,
        end,
        interpolation,
        0.25,
        data_format,
        atol=1e-4,
    )


@pytest.mark.parametrize("fill_mode", ["reflect", "constant"])
def test_elastic_transform_matches_keras_on_the_same_draws(fill_mode):
    # Keras's torch backend draws the field from torch's global
    # generator (its `seed` is unused eagerly): reseed before each call.
    x = rand((2, 9, 9, 2))
    torch.manual_seed(3)
    theirs = kops.image.elastic_transform(x, 5.0, 1.0, fill_mode=fill_mode)
    torch.manual_seed(3)
    ours = image.elastic_transform(x, 5.0, 1.0, fill_mode=fill_mode)
    assert_same(ours, theirs, atol=1e-4)


def test_elastic_transform_seed_is_reproducible():
    x = rand((9, 9, 1))
    a = image.elastic_transform(x, seed=7)
    b = image.elastic_transform(x, seed=7)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.array_equal(a.numpy(), x)


def test_affine_transform_gradient_flows_to_images():
    x = torch.tensor(rand((1, 5, 5, 1)), requires_grad=True)
    image.affine_transform(x, TRANSFORMS[1]).sum().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0


def test_symbolic_sampling():
    x = lamina.Input((6, 7, 3))
    out = image.affine_transform(x, np.array(TRANSFORMS[0], "float32"))
    assert tuple(out.shape) == (None, 6, 7, 3)


def test_sampling_errors():
    with pytest.raises(
        ValueError,
        match=r"`fill_mode` of "
        r"ops.image.affine_transform.*fill_mode='edge'",
    ):
        image.affine_transform(
            np.ones((3, 3, 1)), TRANSFORMS[0], fill_mode="edge"
        )
    with pytest.raises(
        ValueError,
        match=r"`transform` of "
        r"ops.image.affine_transform: expected shape \(8,\)",
    ):
        image.affine_transform(np.ones((3, 3, 1)), np.ones(6))
    with pytest.raises(
        ValueError,
        match=r"first dimension of `coordinates`"
        r" must equal the rank",
    ):
        image.map_coordinates(np.ones((3, 3)), np.ones((3, 2)), 1)
    with pytest.raises(NotImplementedError, match=r"order=3"):
        image.map_coordinates(np.ones((3, 3)), np.ones((2, 2)), 3)
    with pytest.raises(
        ValueError,
        match=r"`start_points` of "
        r"ops.image.perspective_transform",
    ):
        image.perspective_transform(
            np.ones((3, 3, 1)), np.ones((3, 2)), np.ones((3, 2))
        )
