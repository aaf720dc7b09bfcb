"""Bad arguments to compile/fit/evaluate/predict are refused before any
step (with Keras 3's error types), or, where Keras accepts them, warned
about (issue 19)."""

import numpy as np
import pytest
import torch

import lamina
from lamina.errors import LaminaWarning

X = np.ones((8, 4), "float32")
Y = np.ones((8, 2), "float32")


@pytest.fixture
def model():
    m = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(2)])
    m.compile("sgd", "mse")
    return m


def _unchanged(model, before):
    return all(
        np.array_equal(a, b) for a, b in zip(before, model.get_weights())
    )


# (fit keyword arguments, error type, text of the message); the types are
# Keras 3.15's for the same call.
FIT_ERRORS = [
    (
        {"batch_size": 2.5},
        ValueError,
        "`batch_size`.*Received: batch_size=2.5",
    ),
    ({"batch_size": True}, ValueError, "Received: batch_size=True"),
    ({"batch_size": -4}, ValueError, "positive integer.*batch_size=-4"),
    ({"batch_size": "4"}, ValueError, "batch_size='4'"),
    ({"epochs": 2.5}, TypeError, "`epochs`.*an integer.*epochs=2.5"),
    ({"epochs": "2"}, TypeError, "epochs='2'"),
    ({"initial_epoch": 2.5}, TypeError, "`initial_epoch`"),
    ({"validation_split": "a"}, TypeError, "`validation_split`"),
    ({"steps_per_epoch": 2.5}, TypeError, "`steps_per_epoch`"),
    ({"steps_per_epoch": -1}, ValueError, "steps_per_epoch=-1"),
    (
        {"validation_split": 0.25, "validation_freq": 0},
        ValueError,
        "`validation_freq`.*validation_freq=0",
    ),
    (
        {"validation_split": 0.25, "validation_freq": 1.5},
        ValueError,
        "validation_freq=1.5",
    ),
    (
        {"validation_split": 0.25, "validation_batch_size": 2.5},
        ValueError,
        "`validation_batch_size`",
    ),
    (
        {"validation_data": (X, Y), "validation_steps": -1},
        ValueError,
        "`validation_steps`",
    ),
    ({"class_weight": [1, 2]}, TypeError, "`class_weight`"),
    ({"verbose": 5}, ValueError, "`verbose`.*verbose=5"),
]


@pytest.mark.parametrize("kwargs,error,match", FIT_ERRORS)
def test_fit_refuses_before_any_step(model, kwargs, error, match):
    before = model.get_weights()
    with pytest.raises(error, match=match):
        model.fit(X, Y, **{"verbose": 0, **kwargs})
    assert _unchanged(model, before)


def test_x_none_is_refused(model):
    with pytest.raises(ValueError, match="`x` of Model.fit.*x=None"):
        model.fit(None, Y, verbose=0)
    with pytest.raises(ValueError, match="`x` of Model.evaluate"):
        model.evaluate(None, Y, verbose=0)
    with pytest.raises(ValueError, match="`x` of Model.predict"):
        model.predict(None, verbose=0)


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        ({"batch_size": 2.5}, ValueError, "`batch_size` of Model.evaluate"),
        ({"batch_size": True}, ValueError, "batch_size=True"),
        ({"steps": -1}, ValueError, "`steps`.*steps=-1"),
        ({"steps": 2.5}, TypeError, "`steps`"),
        ({"verbose": 7}, ValueError, "`verbose`"),
    ],
)
def test_evaluate_refuses(model, kwargs, error, match):
    with pytest.raises(error, match=match):
        model.evaluate(X, Y, **{"verbose": 0, **kwargs})


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        ({"batch_size": 2.5}, ValueError, "`batch_size` of Model.predict"),
        ({"batch_size": -1}, ValueError, "batch_size=-1"),
        ({"steps": 0}, ValueError, "`steps`.*steps=0"),
    ],
)
def test_predict_refuses(model, kwargs, error, match):
    with pytest.raises(error, match=match):
        model.predict(X, **{"verbose": 0, **kwargs})


def test_numpy_integer_batch_size_is_accepted(model):
    assert model.predict(X, batch_size=np.int64(4), verbose=0).shape == (8, 2)


@pytest.mark.parametrize("shape", [(2, 3, 4), (2, 5)])
def test_wrong_input_shape_is_refused_as_keras_does(model, shape):
    with pytest.raises(ValueError, match=r"expected shape=\(None, 4\)"):
        model.predict(np.ones(shape, "float32"), verbose=0)
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"expected shape=\(None, 4\)"):
        model.fit(
            np.ones(shape, "float32"), np.ones(shape[:-1] + (2,)), verbose=0
        )
    assert _unchanged(model, before)
    # The symbolic path is unchanged: a Sequential is still a layer.
    outer = lamina.Sequential([lamina.Input((4,)), model])
    assert outer(torch.ones(2, 4)).shape == (2, 2)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"epochs": -3}, "epochs=-3.*no epoch runs"),
        ({"epochs": 2, "initial_epoch": 5}, "no epoch runs"),
        ({"initial_epoch": -1, "epochs": 1}, "initial_epoch=-1"),
        ({"shuffle": "x"}, "shuffle='x'"),
    ],
)
def test_fit_warns_where_keras_is_silent(model, kwargs, match):
    with pytest.warns(LaminaWarning, match=match):
        model.fit(X, Y, verbose=0, **kwargs)


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        ({"metrics": 5}, ValueError, "`metrics` of Model.compile"),
        ({"metrics": "accuracy"}, ValueError, "metrics='accuracy'"),
        ({"weighted_metrics": 5}, ValueError, "`weighted_metrics`"),
        ({"loss_weights": "a"}, ValueError, "`loss_weights`"),
    ],
)
def test_compile_refuses(model, kwargs, error, match):
    with pytest.raises(error, match=match):
        model.compile("sgd", "mse", **kwargs)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"steps_per_execution": 0}, "steps_per_execution=0"),
        ({"steps_per_execution": 2.5}, "steps_per_execution=2.5"),
        ({"jit_compile": "x"}, "jit_compile='x'"),
        ({"run_eagerly": "x"}, "run_eagerly='x'"),
        ({"auto_scale_loss": "x"}, "auto_scale_loss='x'"),
    ],
)
def test_compile_warns_where_keras_is_silent(model, kwargs, match):
    with pytest.warns(LaminaWarning, match=match):
        model.compile("sgd", "mse", **kwargs)


def test_valid_arguments_still_train(model):
    history = model.fit(
        X,
        Y,
        batch_size=4,
        epochs=2,
        verbose=0,
        validation_split=0.25,
        validation_freq=[1, 2],
        shuffle="batch",
        class_weight=None,
    )
    assert len(history.history["loss"]) == 2
    assert model.evaluate(X, Y, batch_size=3, steps=2, verbose=0) >= 0


def test_warnings_point_at_the_callers_line(model):
    with pytest.warns(LaminaWarning) as record:
        model.fit(X, Y, epochs=0, verbose=0)
        model.compile("sgd", "mse", steps_per_execution=0)
    assert {w.filename for w in record} == {__file__}
