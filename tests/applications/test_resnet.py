import pytest

from lamina import applications
from tests.applications.parity import assert_parity, keras


@pytest.mark.parametrize(
    "kwargs",
    [
        {"include_top": False, "pooling": "avg"},
        {"include_top": True, "classes": 7, "classifier_activation": None},
    ],
)
def test_resnet50_matches_keras(kwargs, rng):
    assert_parity(
        applications.ResNet50,
        keras.applications.ResNet50,
        (32, 32, 3),
        rng,
        **kwargs,
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", ["ResNet101", "ResNet152"])
def test_deeper_resnets_have_keras_layers(name, rng):
    assert_parity(
        getattr(applications.resnet, name),
        getattr(keras.applications.resnet, name),
        (32, 32, 3),
        rng,
        compare_outputs=False,
        include_top=False,
    )


def test_resnet50_module_is_an_alias():
    assert applications.resnet50.ResNet50 is applications.resnet.ResNet50
    assert applications.ResNet50 is applications.resnet.ResNet50
    assert (
        applications.resnet50.preprocess_input
        is applications.resnet.preprocess_input
    )
