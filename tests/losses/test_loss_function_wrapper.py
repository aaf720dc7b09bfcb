import numpy as np
import pytest
import torch

import lamina
from lamina.losses import LossFunctionWrapper
from tests.keras_oracle import keras
from tests.losses import parity
from keras.src.losses.losses import LossFunctionWrapper as KerasWrapper


def my_error(y_true, y_pred, power=2.0):
    return torch.mean(torch.abs(y_true - y_pred) ** power, dim=-1)


@pytest.mark.parametrize("kwargs", [{}, {"power": 3.0}])
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", None])
@pytest.mark.parametrize(
    "shapes", [((4, 3), (4, 3)), ((4,), (4, 1)), ((4, 1), (4,))]
)
def test_wrapper_matches_keras(kwargs, reduction, shapes):
    rng = np.random.default_rng(0)
    y_true = rng.normal(size=shapes[0]).astype("float32")
    y_pred = rng.normal(size=shapes[1]).astype("float32")
    ours = LossFunctionWrapper(my_error, reduction=reduction, **kwargs)
    theirs = KerasWrapper(my_error, reduction=reduction, **kwargs)
    parity.assert_close(ours(y_true, y_pred), theirs(y_true, y_pred))


def test_wrapper_config_matches_keras():
    ours = LossFunctionWrapper(
        lamina.losses.huber, name="w", reduction="sum", delta=3.0
    )
    theirs = KerasWrapper(
        keras.losses.huber, name="w", reduction="sum", delta=3.0
    )
    assert ours.get_config() == theirs.get_config()
    ours_s = lamina.losses.serialize(ours)
    theirs_s = keras.losses.serialize(theirs)
    assert ours_s["config"] == theirs_s["config"]
    assert ours_s["module"] == theirs_s["module"]
    assert ours_s["class_name"] == theirs_s["class_name"]
    for config in (ours_s, theirs_s):
        rebuilt = lamina.losses.deserialize(config)
        assert type(rebuilt) is LossFunctionWrapper
        assert rebuilt.fn is lamina.losses.huber
        assert rebuilt.get_config() == ours.get_config()
    # Keras reads lamina's form back as well.
    assert keras.losses.deserialize(ours_s).get_config() == theirs.get_config()


def test_wrapper_nested_inputs():
    def pair_error(y_true, y_pred):
        return lamina.losses.mean_squared_error(
            y_true[0], y_pred[0]
        ) + lamina.losses.mean_squared_error(y_true[1], y_pred[1])

    loss = LossFunctionWrapper(pair_error)
    out = loss(
        [np.zeros(3), np.zeros((3, 1))], [np.ones((3, 1)), np.full((3,), 2.0)]
    )
    torch.testing.assert_close(out, torch.tensor(5.0))


def test_builtin_attributes_and_repr():
    loss = lamina.losses.BinaryCrossentropy(from_logits=True, axis=1)
    assert loss.from_logits is True and loss.axis == 1
    assert loss.label_smoothing == 0.0
    assert "BinaryCrossentropy" in repr(loss)
    assert "from_logits=True" in repr(loss)
    assert "LossFunctionWrapper" in repr(LossFunctionWrapper(my_error))
