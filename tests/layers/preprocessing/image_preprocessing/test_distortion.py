"""RandomShear, RandomPerspective, RandomElasticTransform and
RandomErasing against Keras 3."""

import pytest
import torch
from keras.src.backend.torch import image as keras_image

import lamina
from lamina.layers.preprocessing.image_preprocessing import (
    random_elastic_transform,
)
from tests.layers.preprocessing.image_preprocessing.augment_parity import (
    assert_close,
    identity_in_inference,
    images,
    same_config,
    same_seed,
    same_signature,
    same_transformation,
)

LAST, FIRST = (3, 9, 7, 3), (3, 3, 9, 7)

CASES = [
    ("RandomShear", {"x_factor": 0.3, "y_factor": 0.2}, LAST),
    (
        "RandomShear",
        {
            "x_factor": (0.1, 0.5),
            "fill_mode": "constant",
            "data_format": "channels_first",
        },
        FIRST,
    ),
    (
        "RandomShear",
        {"y_factor": 0.4, "fill_mode": "wrap", "interpolation": "nearest"},
        LAST,
    ),
    ("RandomPerspective", {}, LAST),
    (
        "RandomPerspective",
        {
            "factor": 0.5,
            "scale": 0.4,
            "fill_value": 3.0,
            "interpolation": "nearest",
            "data_format": "channels_first",
        },
        FIRST,
    ),
    ("RandomErasing", {}, LAST),
    (
        "RandomErasing",
        {"factor": 0.7, "scale": (0.1, 0.5), "fill_value": 9.0},
        LAST,
    ),
    ("RandomErasing", {"fill_value": (1, 2, 3)}, LAST),
    ("RandomErasing", {"data_format": "channels_first"}, FIRST),
]


@pytest.mark.parametrize("name,kwargs,shape", CASES)
def test_same_transformation_same_images(name, kwargs, shape):
    same_transformation(name, kwargs, images(shape))


@pytest.mark.parametrize("name,kwargs,shape", CASES)
def test_same_seed_gives_kerass_numbers(name, kwargs, shape):
    same_seed(name, kwargs, images(shape))
    same_seed(name, kwargs, images(shape)[0])


@pytest.mark.parametrize("name,kwargs,shape", CASES)
def test_config_both_ways(name, kwargs, shape):
    same_signature(name)
    # Keras 3.15 cannot load RandomShear's own config (it stores (-f, f)
    # and refuses negative values); lamina loads both.
    same_config(name, kwargs, keras_loads_it=name != "RandomShear")


@pytest.mark.parametrize(
    "name,kwargs,shape", CASES + [("RandomElasticTransform", {}, LAST)]
)
def test_identity_in_inference(name, kwargs, shape):
    identity_in_inference(name, kwargs, images(shape))


@pytest.mark.parametrize(
    "fill_mode", ["reflect", "wrap", "constant", "nearest", "mirror"]
)
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_elastic_warp_matches_keras(fill_mode, interpolation):
    """Keras draws the fields from torch's global generator: draw the
    same fields, then both warp alike."""
    x = torch.from_numpy(images((2, 12, 10, 3)))
    alpha, sigma = 3.0, 1.2
    torch.manual_seed(5)
    expected = keras_image.elastic_transform(
        x.clone(),
        alpha,
        sigma,
        interpolation,
        fill_mode,
        7.0,
        data_format="channels_last",
    )
    torch.manual_seed(5)
    dx = torch.normal(0.0, 1.0, size=(2, 12, 10))
    dy = torch.normal(0.0, 1.0, size=(2, 12, 10))
    got = random_elastic_transform.elastic_transform(
        x, dx, dy, alpha, sigma, interpolation, fill_mode, 7.0, "channels_last"
    )
    assert_close(got, expected)


def test_elastic_is_seeded_and_configurable():
    x = torch.from_numpy(images((2, 16, 16, 3)))
    make = lamina.layers.RandomElasticTransform
    first = make(factor=(1.0, 1.0), seed=3)(x)
    again = make(factor=(1.0, 1.0), seed=3)(x)
    assert torch.equal(first, again) and not torch.equal(first, x)
    same_signature("RandomElasticTransform")
    same_config("RandomElasticTransform", {"scale": 0.5, "fill_mode": "mirror"})


def test_erasing_area_distribution():
    layer = lamina.layers.RandomErasing(
        factor=(1.0, 1.0), scale=(0.1, 0.3), fill_value=0.0, seed=2
    )
    out = layer(torch.ones(2000, 20, 20, 1))
    erased = (out == 0).float().mean(dim=(1, 2, 3))
    # Each side is sqrt(U(0.1, 0.3)) of the image: the mean area is 0.2.
    assert abs(erased.mean().item() - 0.2) < 0.02


@pytest.mark.parametrize(
    "make,match",
    [
        (lambda: lamina.layers.RandomShear(x_factor=1.5), "`x_factor`"),
        (lambda: lamina.layers.RandomShear(fill_mode="mirror"), "fill_mode"),
        (lambda: lamina.layers.RandomPerspective(scale=2), "`scale`"),
        (
            lambda: lamina.layers.RandomPerspective(interpolation="bicubic"),
            "interpolation",
        ),
        (
            lambda: lamina.layers.RandomElasticTransform(fill_mode="edge"),
            "fill_mode",
        ),
        (lambda: lamina.layers.RandomErasing(fill_value=(1, 2)), "fill_value"),
        (lambda: lamina.layers.RandomErasing(factor=3), "`factor`"),
    ],
)
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()
