"""The colour and intensity layers against Keras 3: deterministic ones
give Keras's numbers; random ones give Keras's output for Keras's drawn
transformation and, seeded, Keras's numbers end to end."""

import numpy as np
import pytest
import torch

import lamina
from tests.layers.preprocessing.helpers import archive_both_ways
from tests.layers.preprocessing.image_preprocessing.augment_parity import (
    assert_close,
    both,
    identity_in_inference,
    images,
    same_config,
    same_seed,
    same_signature,
    same_transformation,
)

LAST, FIRST = (3, 9, 7, 3), (3, 3, 9, 7)

RANDOM = [
    ("RandomContrast", {"factor": 0.5}, LAST, 255),
    (
        "RandomContrast",
        {"factor": (0.2, 0.9), "data_format": "channels_first"},
        FIRST,
        255,
    ),
    ("RandomBrightness", {"factor": 0.3}, LAST, 255),
    (
        "RandomBrightness",
        {"factor": (-0.5, 0.2), "value_range": (0, 1)},
        LAST,
        1,
    ),
    ("RandomHue", {"factor": 0.5}, LAST, 255),
    (
        "RandomHue",
        {
            "factor": (0.2, 0.9),
            "value_range": (0, 1),
            "data_format": "channels_first",
        },
        FIRST,
        1,
    ),
    ("RandomSaturation", {"factor": 0.5}, LAST, 255),
    (
        "RandomSaturation",
        {"factor": (0.1, 0.9), "data_format": "channels_first"},
        FIRST,
        255,
    ),
    ("RandomColorDegeneration", {"factor": 0.5}, LAST, 255),
    (
        "RandomColorDegeneration",
        {"factor": (0.1, 0.9), "data_format": "channels_first"},
        FIRST,
        255,
    ),
    (
        "Solarization",
        {"addition_factor": 0.3, "threshold_factor": (0.2, 0.8)},
        LAST,
        255,
    ),
    (
        "Solarization",
        {
            "addition_factor": 0.3,
            "threshold_factor": 0.5,
            "value_range": (0, 1),
        },
        LAST,
        1,
    ),
    ("RandomInvert", {}, LAST, 255),
    ("RandomInvert", {"factor": 0.5, "value_range": (0, 1)}, LAST, 1),
    ("RandomGrayscale", {"factor": 1.0}, LAST, 255),
    (
        "RandomGrayscale",
        {"factor": 0.5, "data_format": "channels_first"},
        FIRST,
        255,
    ),
    ("RandomPosterization", {"factor": 4}, LAST, 255),
    ("RandomPosterization", {"factor": (3, 3), "value_range": (0, 1)}, LAST, 1),
    ("RandomSharpness", {"factor": 0.7}, LAST, 255),
    (
        "RandomSharpness",
        {"factor": (0.1, 0.9), "data_format": "channels_first"},
        FIRST,
        255,
    ),
    ("RandomGaussianBlur", {}, LAST, 255),
    (
        "RandomGaussianBlur",
        {
            "factor": 0.5,
            "kernel_size": 5,
            "sigma": (0.2, 0.9),
            "data_format": "channels_first",
        },
        FIRST,
        255,
    ),
]

JITTER = [
    {
        "brightness_factor": 0.2,
        "contrast_factor": 0.3,
        "saturation_factor": 0.4,
        "hue_factor": 0.3,
    },
    {"contrast_factor": 0.3, "hue_factor": 0.3},
]

DETERMINISTIC = [
    ("AutoContrast", {}, 255),
    ("AutoContrast", {"value_range": (0, 1)}, 1),
    ("Equalization", {}, 255),
    ("Equalization", {"bins": 64, "value_range": (0, 1)}, 1),
    ("Solarization", {}, 255),
    ("RandomInvert", {"factor": (1.0, 1.0)}, 255),
    ("RandomGrayscale", {"factor": 1.0}, 255),
    ("RandomPosterization", {"factor": (2, 2)}, 255),
]


@pytest.mark.parametrize("name,kwargs,shape,high", RANDOM)
def test_same_transformation_same_images(name, kwargs, shape, high):
    same_transformation(name, kwargs, images(shape, high=high))


@pytest.mark.parametrize("name,kwargs,shape,high", RANDOM)
def test_same_seed_gives_kerass_numbers(name, kwargs, shape, high):
    x = images(shape, high=high)
    same_seed(name, kwargs, x)
    same_seed(name, kwargs, x[0])


@pytest.mark.parametrize("kwargs", JITTER)
def test_color_jitter_same_seed(kwargs):
    x = images(LAST)
    same_seed("RandomColorJitter", kwargs, x)
    same_config("RandomColorJitter", kwargs)


@pytest.mark.parametrize("name,kwargs,high", DETERMINISTIC)
def test_deterministic_layers_give_kerass_numbers(name, kwargs, high):
    x = images(LAST, high=high)
    if high == 255:
        x = np.round(x)  # integer pixel values, as images have
    theirs, ours = both(name, kwargs)
    assert_close(ours(torch.from_numpy(x.copy())), theirs(x.copy()))


def test_equalization_channels_first_and_flat_channel():
    x = np.round(images(FIRST))
    x[:, 1] = 7.0  # one flat channel stays as it is
    theirs, ours = both("Equalization", {"data_format": "channels_first"})
    out = ours(torch.from_numpy(x.copy()))
    assert_close(out, theirs(x.copy()))
    assert torch.equal(out[:, 1], torch.full_like(out[:, 1], 7.0))


@pytest.mark.parametrize("name,kwargs,shape,high", RANDOM)
def test_config_both_ways(name, kwargs, shape, high):
    same_signature(name)
    same_config(name, kwargs)


@pytest.mark.parametrize("name", ["AutoContrast", "Equalization"])
def test_deterministic_configs(name):
    same_signature(name)
    same_config(name, {"value_range": (0, 1)})


@pytest.mark.parametrize("name,kwargs,shape,high", RANDOM)
def test_identity_in_inference(name, kwargs, shape, high):
    identity_in_inference(name, kwargs, images(shape, high=high))


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("RandomContrast", {"factor": 0.2}),
        ("RandomHue", {"factor": 0.2}),
        ("Solarization", {"addition_factor": 0.2}),
        ("RandomGaussianBlur", {"factor": 0.5}),
    ],
)
def test_archive_both_ways(name, kwargs, tmp_path):
    # (Not Equalization: Keras 3.15 cannot build it on a symbolic input,
    # its compute_output_spec returns the input tensor itself.)
    x = np.round(images((2, 6, 5, 3)))
    archive_both_ways(
        lambda lib: getattr(lib.layers, name)(**kwargs), (6, 5, 3), x, tmp_path
    )


def test_same_distribution_as_keras():
    """Over many draws: the same share of inverted images and the same
    brightness offsets as Keras (unseeded layers)."""
    x = np.zeros((4000, 1, 1, 3), "float32")
    for factor in (0.3, 0.8):
        ours = lamina.layers.RandomInvert(factor=(factor, factor))
        share = (ours(torch.from_numpy(x))[:, 0, 0, 0] > 0).float().mean()
        assert abs(share.item() - factor) < 0.03
    theirs, ours = both("RandomBrightness", {"factor": (-0.2, 0.4)})
    ours_delta = ours(torch.from_numpy(x + 100))[:, 0, 0, 0].numpy() - 100
    keras_delta = np.asarray(theirs(x + 100))[:, 0, 0, 0] - 100
    for stat in (np.mean, np.std, np.min, np.max):
        # 5 standard errors of 4000 draws (the delta spans 153).
        assert abs(stat(ours_delta) - stat(keras_delta)) < 5.0


@pytest.mark.parametrize(
    "make,match",
    [
        (lambda: lamina.layers.RandomHue(1.5), "`factor` of RandomHue"),
        (lambda: lamina.layers.RandomSaturation(-2), "`factor` of RandomSatu"),
        (lambda: lamina.layers.RandomGrayscale(1.5), "`factor` of RandomGray"),
        (
            lambda: lamina.layers.RandomPosterization(9),
            "`factor` of RandomPost",
        ),
        (
            lambda: lamina.layers.Solarization(addition_factor=2),
            "`addition_factor` of Solarization",
        ),
        (
            lambda: lamina.layers.RandomGaussianBlur(kernel_size=4),
            "`kernel_size` of RandomGaussianBlur",
        ),
        (lambda: lamina.layers.AutoContrast(value_range=3), "value_range"),
        (
            lambda: lamina.layers.Equalization(value_range=(1, 2, 3)),
            "value_range",
        ),
    ],
)
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize(
    "name",
    [
        "RandomHue",
        "RandomSaturation",
        "RandomColorDegeneration",
        "RandomGrayscale",
    ],
)
def test_wrong_channel_count(name):
    layer = getattr(lamina.layers, name)(
        **({} if name == "RandomGrayscale" else {"factor": 0.5})
    )
    with pytest.raises(
        ValueError, match="expects images with (1 or )?3 channels"
    ):
        layer(torch.zeros(2, 4, 4, 4))


def test_grayscale_takes_one_channel_images_as_keras():
    x = images((2, 4, 4, 1))
    theirs, ours = both("RandomGrayscale", {"factor": 1.0})
    assert_close(ours(torch.from_numpy(x.copy())), theirs(x.copy()))
