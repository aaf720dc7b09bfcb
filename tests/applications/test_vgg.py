import pytest

from lamina import applications
from tests.applications.parity import assert_parity, keras


@pytest.mark.parametrize(
    "kwargs",
    [
        {"include_top": False, "pooling": "max"},
        {"include_top": True, "classes": 5},
    ],
)
def test_vgg16_matches_keras(kwargs, rng):
    assert_parity(
        applications.VGG16,
        keras.applications.VGG16,
        (32, 32, 3),
        rng,
        **kwargs,
    )


def test_vgg19_matches_keras(rng):
    assert_parity(
        applications.VGG19,
        keras.applications.VGG19,
        (32, 40, 3),
        rng,
        include_top=False,
    )
