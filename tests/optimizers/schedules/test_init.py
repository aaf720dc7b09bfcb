"""`lamina.optimizers.schedules.serialize / deserialize`."""

import pytest

import lamina
from tests.keras_oracle import keras

S = lamina.optimizers.schedules


def test_round_trip():
    schedule = S.PolynomialDecay(0.1, 10, cycle=True)
    clone = S.deserialize(S.serialize(schedule))
    assert isinstance(clone, S.PolynomialDecay)
    assert clone.get_config() == schedule.get_config()


def test_deserialize_rejects_a_non_schedule():
    with pytest.raises(ValueError, match="learning rate schedule"):
        S.deserialize(
            {
                "class_name": "SGD",
                "module": "keras.optimizers",
                "config": {},
                "registered_name": None,
            }
        )


def test_exports_match_keras():
    names = {
        n for n in dir(keras.optimizers.schedules) if not n.startswith("_")
    }
    assert sorted(S.__all__) == sorted(names)
    assert all(hasattr(S, n) for n in S.__all__)
