import pytest

from lamina import applications
from tests.applications.parity import assert_parity, keras


def test_resnet50v2_matches_keras(rng):
    assert_parity(
        applications.ResNet50V2,
        keras.applications.ResNet50V2,
        (32, 32, 3),
        rng,
        include_top=False,
        pooling="max",
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", ["ResNet101V2", "ResNet152V2"])
def test_deeper_resnet_v2_have_keras_layers(name, rng):
    assert_parity(
        getattr(applications.resnet_v2, name),
        getattr(keras.applications.resnet_v2, name),
        (32, 32, 3),
        rng,
        compare_outputs=False,
        include_top=False,
    )
