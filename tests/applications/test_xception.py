from lamina import applications
from tests.applications.parity import assert_parity, keras


def test_xception_matches_keras(rng):
    assert_parity(
        applications.Xception,
        keras.applications.Xception,
        (71, 71, 3),
        rng,
        include_top=False,
        pooling="avg",
    )


def test_xception_with_top_has_keras_layers(rng):
    assert_parity(
        applications.Xception,
        keras.applications.Xception,
        (71, 71, 3),
        rng,
        compare_outputs=False,
        classes=3,
    )
