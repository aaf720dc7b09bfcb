"""RandomFlip, RandomRotation, RandomZoom, RandomTranslation, RandomCrop
against Keras 3: same transformation -> same images; same seed -> Keras's
numbers; configs, archives, inference and bad arguments."""

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.layers.preprocessing.helpers import archive_both_ways
from tests.layers.preprocessing.image_preprocessing.augment_parity import (
    identity_in_inference,
    images,
    same_config,
    same_seed,
    same_signature,
    same_transformation,
)

CASES = [
    ("RandomFlip", {}),
    ("RandomFlip", {"mode": "horizontal"}),
    ("RandomFlip", {"mode": "vertical", "data_format": "channels_first"}),
    ("RandomRotation", {"factor": 0.3}),
    (
        "RandomRotation",
        {"factor": (-0.2, 0.4), "fill_mode": "constant", "fill_value": 3.0},
    ),
    ("RandomRotation", {"factor": 0.3, "fill_mode": "wrap"}),
    (
        "RandomRotation",
        {"factor": 0.3, "fill_mode": "nearest", "interpolation": "nearest"},
    ),
    ("RandomRotation", {"factor": 0.3, "data_format": "channels_first"}),
    ("RandomZoom", {"height_factor": 0.5, "width_factor": (-0.3, 0.4)}),
    ("RandomZoom", {"height_factor": (-0.5, -0.2), "fill_mode": "constant"}),
    (
        "RandomZoom",
        {"height_factor": 0.4, "fill_mode": "wrap", "interpolation": "nearest"},
    ),
    ("RandomTranslation", {"height_factor": 0.5, "width_factor": 0.5}),
    (
        "RandomTranslation",
        {
            "height_factor": (-0.3, 0.1),
            "width_factor": 0.2,
            "fill_mode": "nearest",
        },
    ),
    (
        "RandomTranslation",
        {
            "height_factor": 0.5,
            "width_factor": 0.5,
            "fill_mode": "wrap",
            "interpolation": "nearest",
        },
    ),
    ("RandomCrop", {"height": 4, "width": 5}),
    ("RandomCrop", {"height": 12, "width": 5}),
    ("RandomCrop", {"height": 4, "width": 3, "data_format": "channels_first"}),
]


def _input(kwargs, batched=True):
    shape = (
        (3, 3, 9, 7)
        if kwargs.get("data_format") == "channels_first"
        else (3, 9, 7, 3)
    )
    x = images(shape)
    return x if batched else x[0]


@pytest.mark.parametrize("name,kwargs", CASES)
def test_same_transformation_same_images(name, kwargs):
    same_transformation(name, kwargs, _input(kwargs))


@pytest.mark.parametrize("name,kwargs", CASES)
def test_same_seed_gives_kerass_numbers(name, kwargs):
    same_seed(name, kwargs, _input(kwargs))
    same_seed(name, kwargs, _input(kwargs, batched=False))


@pytest.mark.parametrize("name,kwargs", CASES)
def test_config_both_ways(name, kwargs):
    same_signature(name)
    same_config(name, kwargs)


@pytest.mark.parametrize(
    "name,kwargs", [c for c in CASES if c[0] != "RandomCrop"]
)
def test_identity_in_inference(name, kwargs):
    identity_in_inference(name, kwargs, _input(kwargs))


def test_random_crop_inference_crops_to_the_target():
    x = images((2, 9, 7, 3))
    ours = lamina.layers.RandomCrop(4, 5)
    out = ours(torch.from_numpy(x), training=False)
    theirs = keras.layers.RandomCrop(4, 5)
    # Keras's documented inference output: its centre window, resized.
    expected = theirs.transform_images(
        torch.from_numpy(x),
        theirs.get_random_transformation(torch.from_numpy(x), training=False),
        training=True,
    )
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-5)
    model = lamina.Sequential([lamina.Input((9, 7, 3)), ours])
    assert model.predict(x, verbose=0).shape == (2, 4, 5, 3)


@pytest.mark.parametrize(
    "name,args",
    [
        ("RandomFlip", ("horizontal",)),
        ("RandomRotation", (0.2,)),
        ("RandomZoom", (0.2,)),
        ("RandomTranslation", (0.1, 0.2)),
    ],
)
def test_archive_both_ways(name, args, tmp_path):
    x = images((2, 8, 6, 3))
    archive_both_ways(
        lambda lib: getattr(lib.layers, name)(*args), (8, 6, 3), x, tmp_path
    )


def test_transfer_learning_guide_block():
    """Keras's transfer-learning guide: augmentation inside the model."""
    augmentation = lamina.Sequential(
        [
            lamina.layers.RandomFlip("horizontal"),
            lamina.layers.RandomRotation(0.1),
        ]
    )
    inputs = lamina.Input((12, 12, 3))
    x = augmentation(inputs)
    x = lamina.layers.Rescaling(1 / 127.5, offset=-1)(x)
    x = lamina.layers.GlobalAveragePooling2D()(x)
    model = lamina.Model(inputs, lamina.layers.Dense(1)(x))
    model.compile(optimizer="adam", loss="mse")
    data = images((8, 12, 12, 3))
    model.fit(data, np.zeros((8, 1)), epochs=1, batch_size=4, verbose=0)
    out = augmentation(torch.from_numpy(data), training=True)
    assert out.shape == (8, 12, 12, 3)
    assert not torch.equal(out, torch.from_numpy(data))
    assert torch.equal(
        augmentation(torch.from_numpy(data), training=False),
        torch.from_numpy(data),
    )


def test_flip_and_rotation_distribution():
    x = torch.arange(4.0).reshape(1, 1, 4, 1).expand(4000, 1, 4, 1)
    flipped = lamina.layers.RandomFlip("horizontal", seed=3)(x)
    share = (flipped[:, 0, 0, 0] == 3.0).float().mean().item()
    assert abs(share - 0.5) < 0.03
    layer = lamina.layers.RandomRotation((-0.1, 0.25), seed=4)
    angles = layer.get_random_transformation(torch.zeros(4000, 4, 4, 1))[
        "angle"
    ]
    assert (
        abs(angles.min().item() + 36) < 1 and abs(angles.max().item() - 90) < 1
    )
    assert abs(angles.mean().item() - 27) < 2


def test_training_argument_in_a_model():
    model = lamina.Sequential(
        [lamina.Input((6, 6, 3)), lamina.layers.RandomRotation(0.5, seed=1)]
    )
    x = torch.from_numpy(images((2, 6, 6, 3)))
    assert torch.equal(model(x), x)  # inference by default
    assert not torch.equal(model(x, training=True), x)


@pytest.mark.parametrize(
    "make,match",
    [
        (
            lambda: lamina.layers.RandomRotation(0.2, fill_mode="bogus"),
            "fill_mode",
        ),
        (
            lambda: lamina.layers.RandomZoom(0.2, interpolation="bicubic"),
            "interpolation",
        ),
        (
            lambda: lamina.layers.RandomTranslation(
                0.2, 0.1, fill_mode="mirror"
            ),
            "fill_mode",
        ),
    ],
)
def test_unknown_modes(make, match):
    # Keras raises NotImplementedError; ours is also a ValueError.
    with pytest.raises(NotImplementedError, match=match):
        make()
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize(
    "make,match",
    [
        (
            lambda: lamina.layers.RandomRotation(1.5),
            "`factor` of RandomRotation",
        ),
        (
            lambda: lamina.layers.RandomZoom(-1.0),
            "`height_factor` of RandomZoom",
        ),
        (lambda: lamina.layers.RandomZoom(0.1, (0.2, 3)), "width_factor"),
        (lambda: lamina.layers.RandomTranslation(0.1, 1.2), "width_factor"),
        (lambda: lamina.layers.RandomFlip("diagonal"), "`mode` of RandomFlip"),
        (lambda: lamina.layers.RandomCrop(0, 3), "`height` of RandomCrop"),
        (lambda: lamina.layers.RandomContrast(1.5), "`factor` of RandomContr"),
        (
            lambda: lamina.layers.RandomBrightness(0.2, value_range=(1,)),
            "value_range",
        ),
    ],
)
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_rank():
    with pytest.raises(ValueError, match="rank 3 .* or rank 4"):
        lamina.layers.RandomFlip()(torch.zeros(2, 3))


def test_vision_transformer_example_block(tmp_path):
    """Keras's ViT example's augmentation block (Normalization adapted on
    the data, Resizing, flip, rotation, zoom): fits, saves, and Keras
    loads it with the same predictions."""
    layers = lamina.layers
    x = images((8, 16, 16, 3))
    augmentation = lamina.Sequential(
        [
            layers.Normalization(),
            layers.Resizing(12, 12),
            layers.RandomFlip("horizontal"),
            layers.RandomRotation(factor=0.02),
            layers.RandomZoom(height_factor=0.2, width_factor=0.2),
        ],
        name="data_augmentation",
    )
    augmentation.layers[0].adapt(x)
    inputs = lamina.Input((16, 16, 3))
    hidden = layers.GlobalAveragePooling2D()(augmentation(inputs))
    model = lamina.Model(inputs, layers.Dense(3)(hidden))
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, np.zeros((8, 3)), batch_size=4, epochs=1, verbose=0)
    model.save(str(tmp_path / "vit.keras"))
    theirs = keras.saving.load_model(str(tmp_path / "vit.keras"), compile=False)
    np.testing.assert_allclose(
        np.asarray(theirs.predict(x, verbose=0)),
        model.predict(x, verbose=0),
        rtol=1e-4,
        atol=1e-4,
    )
