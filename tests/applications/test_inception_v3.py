from lamina import applications
from tests.applications.parity import assert_parity, keras


def test_inception_v3_matches_keras(rng):
    assert_parity(
        applications.InceptionV3,
        keras.applications.InceptionV3,
        (75, 75, 3),
        rng,
        include_top=False,
        pooling="max",
    )
