import pytest

from lamina import applications
from tests.applications.parity import assert_parity, keras


@pytest.mark.parametrize(
    "kwargs",
    [
        {"include_top": True, "classes": 6, "alpha": 0.5},
        {"include_top": False, "pooling": "avg", "depth_multiplier": 2},
    ],
)
def test_mobilenet_matches_keras(kwargs, rng):
    assert_parity(
        applications.MobileNet,
        keras.applications.MobileNet,
        (32, 32, 3),
        rng,
        **kwargs,
    )


def test_mobilenet_pretrained_arguments():
    with pytest.raises(ValueError, match="depth_multiplier=2"):
        applications.MobileNet(depth_multiplier=2, include_top=False)
    with pytest.raises(ValueError, match="alpha=0.3"):
        applications.MobileNet(alpha=0.3, include_top=False)
