import pytest

from lamina import applications
from lamina.applications import inception_resnet_v2
from tests.applications.parity import assert_parity, keras


@pytest.mark.slow
def test_inception_resnet_v2_matches_keras(rng):
    assert_parity(
        applications.InceptionResNetV2,
        keras.applications.InceptionResNetV2,
        (75, 75, 3),
        rng,
        include_top=False,
        pooling="avg",
    )


def test_custom_scale_layer_config():
    layer = inception_resnet_v2.CustomScaleLayer(0.17, name="scale")
    assert layer.get_config()["scale"] == 0.17
    assert layer.name == "scale"


def test_unknown_block_type():
    import lamina

    with pytest.raises(ValueError, match="Received: block_type='block99'"):
        inception_resnet_v2.inception_resnet_block(
            lamina.Input((8, 8, 32)), 0.1, "block99", 1
        )
