import pytest

from lamina import applications
from tests.applications.parity import assert_parity, keras


def test_densenet121_matches_keras(rng):
    assert_parity(
        applications.DenseNet121,
        keras.applications.DenseNet121,
        (32, 32, 3),
        rng,
        include_top=True,
        classes=4,
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", ["DenseNet169", "DenseNet201"])
def test_bigger_densenets_have_keras_layers(name, rng):
    assert_parity(
        getattr(applications.densenet, name),
        getattr(keras.applications.densenet, name),
        (32, 32, 3),
        rng,
        compare_outputs=False,
        include_top=False,
    )


def test_densenet_refuses_channels_first(monkeypatch):
    import lamina

    monkeypatch.setattr(
        lamina.config, "image_data_format", lambda: "channels_first"
    )
    with pytest.raises(ValueError, match="DenseNet121 does not support"):
        applications.DenseNet121(weights=None)
