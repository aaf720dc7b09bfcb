"""MixUp, CutMix, RandAugment, AugMix, Pipeline, MaxNumBoundingBoxes and
CLAHE against Keras 3."""

import random

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras
from tests.layers.preprocessing.image_preprocessing.augment_parity import (
    _clone,
    assert_close,
    both,
    identity_in_inference,
    images,
    same_config,
    same_signature,
    same_transformation,
)

X = np.round(images((4, 9, 7, 3)))
LABELS = np.eye(4, dtype="float32")


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("MixUp", {}),
        ("MixUp", {"alpha": 0.7}),
        ("CutMix", {}),
        ("CutMix", {"factor": (0.2, 0.6), "data_format": "channels_first"}),
    ],
)
def test_mixing_layers_match_keras(name, kwargs):
    x = (
        X.transpose(0, 3, 1, 2).copy()
        if kwargs.get("data_format") == "channels_first"
        else X
    )
    same_transformation(name, kwargs, x)
    theirs, ours = both(name, {**kwargs, "seed": 77})
    for _ in range(2):  # seeded: Keras's images and labels
        got = ours(
            {
                "images": torch.from_numpy(x.copy()),
                "labels": torch.from_numpy(LABELS),
            }
        )
        expected = theirs({"images": x.copy(), "labels": LABELS.copy()})
        assert_close(got["images"], expected["images"])
        assert_close(got["labels"], expected["labels"], atol=1e-6)
    same_signature(name)
    same_config(name, kwargs)
    identity_in_inference(name, kwargs, x)


@pytest.mark.parametrize("kwargs", [{}, {"num_ops": 4, "factor": 0.8}])
def test_rand_augment_draws_and_applies_as_keras(kwargs):
    """Same draws as Keras for a seed; applying them gives what Keras's
    own sublayers give one after the other. (Keras's fused loop runs
    every operation and selects with `where`, and two of its operations
    change their inputs in place, so its output drifts from that.)"""
    for seed in range(4):
        theirs, ours = both("RandAugment", {**kwargs, "seed": seed})
        drawn = theirs.get_random_transformation(torch.from_numpy(X))
        mine = ours.get_random_transformation(torch.from_numpy(X))
        assert mine["layer_idxes"].tolist() == drawn["layer_idxes"].tolist()
        names = list(drawn["transforms"])
        expected = torch.from_numpy(X.copy())
        for pick in drawn["layer_idxes"].tolist():
            expected = getattr(theirs, names[pick]).transform_images(
                expected.clone(), _clone(drawn["transforms"][names[pick]])
            )
        assert_close(
            ours.transform_images(torch.from_numpy(X.copy()), mine), expected
        )
    same_signature("RandAugment")
    same_config("RandAugment", kwargs)


@pytest.mark.parametrize(
    "kwargs", [{"chain_depth": 1}, {"all_ops": False, "num_chains": 2}]
)
@pytest.mark.parametrize("python_seed", [0, 1, 2])
def test_aug_mix_applies_kerass_transformation(kwargs, python_seed):
    """Keras picks the operations with Python's `random`: seeded here.
    (Chains where a warp feeds Equalization or Posterization are avoided:
    those bin pixel values, so float32 rounding differences of 1e-5 in
    the warp can move a pixel to the next bin.)"""
    random.seed(python_seed)
    theirs, ours = both("AugMix", kwargs)
    drawn = theirs.get_random_transformation(torch.from_numpy(X))
    warps = {"random_shear", "random_translation", "random_rotation"}
    binning = {"equalization", "random_posterization"}
    for chain in drawn["chain_transforms"]:
        names = [step["layer_name"] for step in chain]
        for i, name in enumerate(names):
            assert not (name in binning and warps & set(names[:i]))
    assert_close(
        ours.transform_images(torch.from_numpy(X.copy()), _clone(drawn)),
        theirs.transform_images(torch.from_numpy(X.copy()), _clone(drawn)),
    )
    first = lamina.layers.AugMix(seed=3, **kwargs)(torch.from_numpy(X))
    again = lamina.layers.AugMix(seed=3, **kwargs)(torch.from_numpy(X))
    assert torch.equal(first, again)
    same_signature("AugMix")
    same_config("AugMix", kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"clip_limit": 2.0, "tile_grid_size": (3, 4)},
        {"clip_limit": 0, "tile_grid_size": (2, 2)},
    ],
)
def test_clahe_gives_kerass_numbers(kwargs):
    name = "ContrastLimitedAdaptiveHistogramEqualization"
    x = np.round(images((2, 17, 13, 3)))
    low_contrast = np.round(100 + images((2, 16, 16, 3), high=20))
    theirs, ours = both(name, kwargs)
    for data in (x, x[0], low_contrast):
        assert_close(ours(torch.from_numpy(data.copy())), theirs(data.copy()))
    same_signature(name)
    same_config(name, kwargs)


def test_clahe_channels_first():
    name = "ContrastLimitedAdaptiveHistogramEqualization"
    x = np.round(images((2, 3, 12, 10)))
    theirs, ours = both(
        name, {"data_format": "channels_first", "tile_grid_size": (2, 3)}
    )
    assert_close(ours(torch.from_numpy(x.copy())), theirs(x.copy()))


@pytest.mark.parametrize("max_number", [1, 3])
def test_max_num_bounding_boxes(max_number):
    boxes = {
        "boxes": np.array(
            [[[1, 2, 3, 4], [5, 6, 7, 8]], [[1, 1, 2, 2], [0, 0, 1, 1]]],
            "float32",
        ),
        "labels": np.array([[1, 2], [3, 4]], "int32"),
    }
    theirs, ours = both(
        "MaxNumBoundingBoxes",
        {"max_number": max_number, "bounding_box_format": "xyxy"},
    )
    got = ours({"images": X[:2], "bounding_boxes": dict(boxes)})
    expected = theirs({"images": X[:2], "bounding_boxes": dict(boxes)})
    for key in ("boxes", "labels"):
        assert_close(
            got["bounding_boxes"][key], expected["bounding_boxes"][key]
        )
    same_signature("MaxNumBoundingBoxes")
    same_config("MaxNumBoundingBoxes", {"max_number": 3})


def test_boxes_need_a_format():
    with pytest.raises(ValueError, match="bounding box format"):
        lamina.layers.MaxNumBoundingBoxes(2)(
            {
                "images": X,
                "bounding_boxes": {
                    "boxes": np.zeros((4, 1, 4)),
                    "labels": np.zeros((4, 1)),
                },
            }
        )


def test_pipeline_matches_keras_and_configs_travel():
    same_signature("Pipeline")
    theirs = keras.layers.Pipeline(
        [keras.layers.RandomFlip(seed=1), keras.layers.AutoContrast()]
    )
    ours = lamina.layers.Pipeline.from_config(theirs.get_config())
    assert ours.get_config() == theirs.get_config()
    again = keras.layers.Pipeline.from_config(ours.get_config())
    assert again.get_config() == theirs.get_config()
    fresh = lamina.layers.Pipeline(
        [lamina.layers.RandomFlip(seed=1), lamina.layers.AutoContrast()]
    )
    assert_close(fresh(torch.from_numpy(X.copy())), theirs(X.copy()))
    assert_close(
        fresh(torch.from_numpy(X.copy()), training=False),
        theirs(X.copy(), training=False),
    )


def test_pipeline_on_a_dict_and_bad_config():
    pipeline = lamina.layers.Pipeline(
        [lamina.layers.MixUp(seed=0), lamina.layers.RandomFlip(seed=0)]
    )
    out = pipeline({"images": X, "labels": LABELS})
    assert out["images"].shape == X.shape and out["labels"].shape == (4, 4)
    with pytest.raises(ValueError, match="`layers` key"):
        lamina.layers.Pipeline.from_config({"name": "p"})
