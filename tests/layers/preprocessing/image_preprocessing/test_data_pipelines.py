"""The augmentation layers outside a model: on NumPy input, pickled, and
inside `torch.utils.data.DataLoader` workers (where torch users put
augmentation), with no CUDA touched in the worker."""

import pickle

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, Dataset

import lamina
from tests.layers.preprocessing.image_preprocessing.augment_parity import (
    images,
)

LAYERS = [
    lambda: lamina.layers.RandomFlip(seed=1),
    lambda: lamina.layers.RandomRotation(0.2, seed=1),
    lambda: lamina.layers.RandomZoom(0.2, seed=1),
    lambda: lamina.layers.RandomTranslation(0.1, 0.1, seed=1),
    lambda: lamina.layers.RandomCrop(5, 5, seed=1),
    lambda: lamina.layers.RandomContrast(0.3, seed=1),
    lambda: lamina.layers.RandomBrightness(0.3, seed=1),
    lambda: lamina.layers.RandomHue(0.3, seed=1),
    lambda: lamina.layers.RandomColorJitter(contrast_factor=0.3, seed=1),
    lambda: lamina.layers.Equalization(),
    lambda: lamina.layers.RandomErasing(seed=1),
    lambda: lamina.layers.RandomElasticTransform(seed=1),
    lambda: lamina.layers.RandAugment(seed=1),
    lambda: lamina.layers.AugMix(seed=1),
    lambda: lamina.layers.Pipeline(
        [
            lamina.layers.RandomFlip(seed=2),
            lamina.layers.RandomShear(0.2, seed=2),
        ]
    ),
]


@pytest.mark.parametrize("make", LAYERS)
def test_numpy_in_tensor_out_and_pickle(make):
    layer = make()
    x = images((2, 8, 8, 3))
    out = layer(x)  # NumPy in, outside any model
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float32
    assert layer(x[0]).shape[-1] == 3  # one image, unbatched
    copy = pickle.loads(pickle.dumps(layer))
    # The pickled copy carries the seed state: both draw the same next.
    assert torch.equal(copy(x), layer(x))


def test_uint8_numpy_images():
    x = (images((2, 8, 8, 3))).astype("uint8")
    out = lamina.layers.RandomRotation(0.2, seed=0)(x)
    assert out.dtype == torch.float32 and out.shape == (2, 8, 8, 3)


class _Images(Dataset):
    def __init__(self, augment):
        self.data = images((6, 8, 8, 3))
        self.augment = augment

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        image = self.augment(self.data[index])
        return image, torch.cuda.is_initialized()


def test_inside_dataloader_workers():
    augment = lamina.layers.Pipeline(
        [
            lamina.layers.RandomFlip("horizontal", seed=3),
            lamina.layers.RandomRotation(0.1, seed=3),
            lamina.layers.RandomContrast(0.2, seed=3),
        ]
    )
    loader = DataLoader(_Images(augment), batch_size=3, num_workers=1)
    batches = list(loader)
    assert [tuple(b.shape) for b, _ in batches] == [(3, 8, 8, 3)] * 2
    assert not any(flag.any() for _, flag in batches)  # no CUDA in workers
    # The worker ran the layer: the images changed.
    assert not np.allclose(batches[0][0].numpy(), _Images(None).data[:3])


def test_batched_augmentation_in_the_collate_step():
    """The batched way: augment whole batches after collation."""
    augment = lamina.layers.RandomZoom(0.2, seed=4)
    data = torch.from_numpy(images((8, 8, 8, 3)))
    loader = DataLoader(
        data,
        batch_size=4,
        num_workers=1,
        collate_fn=lambda items: augment(torch.stack(items)),
    )
    assert [tuple(b.shape) for b in loader] == [(4, 8, 8, 3)] * 2
