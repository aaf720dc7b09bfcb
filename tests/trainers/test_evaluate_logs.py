"""`evaluate`'s results as Keras returns them: the list order of a
multi-output model compiled with dicts, and a custom `test_step` that
returns the compiled metrics as one nested dict (Keras's guide)."""

import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras


def _two_outputs(lib):
    x = lib.Input((4,))
    model = lib.Model(
        x,
        {
            "out_b": lib.layers.Dense(2, name="out_b")(x),
            "out_a": lib.layers.Dense(1, name="out_a")(x),
        },
    )
    model.compile(
        "sgd",
        loss={"out_b": "mse", "out_a": "mae"},
        metrics={"out_a": ["mse"], "out_b": ["mae"]},
    )
    model.set_weights(
        [
            np.full(w.shape, 0.1 * (k + 1), "float32")
            for k, w in enumerate(model.get_weights())
        ]
    )
    return model


def _data():
    x = np.linspace(-1, 1, 32, dtype="float32").reshape(8, 4)
    return x, {
        "out_b": np.zeros((8, 2), "float32"),
        "out_a": np.ones((8, 1), "float32"),
    }


@pytest.mark.parametrize("return_dict", [False, True])
def test_multi_output_dict_losses_order_and_values_match_keras(return_dict):
    x, y = _data()
    mine = _two_outputs(lamina).evaluate(
        x, y, verbose=0, return_dict=return_dict
    )
    theirs = _two_outputs(keras).evaluate(
        x, y, verbose=0, return_dict=return_dict
    )
    if return_dict:
        assert list(mine) == list(theirs)
        mine, theirs = list(mine.values()), list(theirs.values())
    np.testing.assert_allclose(mine, theirs, rtol=1e-5)


def _guide_model(lib):
    class CustomModel(lib.Model):
        def test_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            for metric in self.metrics:
                if metric.name != "loss":
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    x = lib.Input((3,))
    model = CustomModel(x, lib.layers.Dense(1)(x))
    model.compile(loss="mse", metrics=["mae"])
    return model


@pytest.mark.parametrize("verbose", [0, 1, 2])
def test_custom_test_step_returning_the_metric_container(verbose):
    k_model, model = _guide_model(keras), _guide_model(lamina)
    model.set_weights(k_model.get_weights())
    x = np.linspace(0, 1, 30, dtype="float32").reshape(10, 3)
    y = np.ones((10, 1), "float32")
    mine = model.evaluate(x, y, verbose=verbose, return_dict=True)
    theirs = k_model.evaluate(x, y, verbose=verbose, return_dict=True)
    assert list(mine) == list(theirs)
    np.testing.assert_allclose(
        list(mine.values()), list(theirs.values()), rtol=1e-5
    )
