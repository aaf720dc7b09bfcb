import pytest

from lamina import applications
from tests.applications.parity import assert_parity, keras


@pytest.mark.parametrize(
    "kwargs",
    [
        {"include_top": True, "classes": 3, "alpha": 0.35},
        {"include_top": False, "pooling": "max", "alpha": 1.3},
    ],
)
def test_mobilenet_v2_matches_keras(kwargs, rng):
    assert_parity(
        applications.MobileNetV2,
        keras.applications.MobileNetV2,
        (33, 33, 3),
        rng,
        **kwargs,
    )


@pytest.mark.parametrize("include_top", [True, False])
def test_mobilenet_v2_takes_its_side_from_a_symbolic_input_tensor(include_top):
    import lamina

    inputs = lamina.Input((96, 96, 3))
    model = applications.MobileNetV2(
        input_tensor=inputs, weights=None, include_top=include_top, classes=2
    )
    theirs = keras.applications.MobileNetV2(
        input_tensor=keras.Input((96, 96, 3)),
        weights=None,
        include_top=include_top,
        classes=2,
    )
    assert model.name == theirs.name
    assert model.inputs[0] is inputs


def test_mobilenet_v2_bad_arguments():
    import lamina

    with pytest.raises(ValueError, match="alpha=0.2"):
        applications.MobileNetV2(alpha=0.2, include_top=False)
    with pytest.raises(ValueError, match="must equal input_shape"):
        applications.MobileNetV2(
            input_tensor=lamina.Input((64, 64, 3)),
            input_shape=(32, 32, 3),
            weights=None,
        )


@pytest.fixture
def channels_first():
    import lamina

    before = lamina.config.image_data_format(), keras.config.image_data_format()
    lamina.config.set_image_data_format("channels_first")
    keras.config.set_image_data_format("channels_first")
    yield
    lamina.config.set_image_data_format(before[0])
    keras.config.set_image_data_format(before[1])


def test_mobilenet_v2_channels_first_matches_keras(channels_first, rng):
    assert_parity(
        applications.MobileNetV2,
        keras.applications.MobileNetV2,
        (3, 33, 33),
        rng,
        include_top=True,
        classes=3,
        alpha=0.35,
    )
