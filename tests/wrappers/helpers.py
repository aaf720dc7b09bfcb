"""Identical lamina and Keras models for the wrapper parity tests: the
same layers, the same initial weights, SGD, no shuffling."""

import numpy as np

import lamina
from tests.keras_oracle import keras

FIT_KWARGS = {"epochs": 3, "batch_size": 8, "shuffle": False, "verbose": 0}


def builders(activation: str, loss: str, seed: int = 0):
    """`(lamina_build, keras_build)`: functions of `(X, y)` returning the
    same compiled model (weights drawn once, shared by both)."""
    rng = np.random.default_rng(seed)
    weights = {}

    def build_with(lib):
        def build(X, y, hidden=6):
            n_out = y.shape[1] if y.ndim > 1 else 1
            model = lib.Sequential(
                [
                    lib.Input((X.shape[1],)),
                    lib.layers.Dense(hidden, activation="tanh"),
                    lib.layers.Dense(n_out, activation=activation),
                ]
            )
            model.compile(optimizer=lib.optimizers.SGD(0.1), loss=loss)
            key = (X.shape[1], hidden, n_out)
            if key not in weights:
                weights[key] = [
                    rng.normal(size=w.shape).astype("float32") * 0.5
                    for w in model.get_weights()
                ]
            model.set_weights(weights[key])
            return model

        return build

    return build_with(lamina), build_with(keras)


def compiled_model(lib, n_in: int, n_out: int, activation=None, loss="mse"):
    model = lib.Sequential(
        [lib.Input((n_in,)), lib.layers.Dense(n_out, activation=activation)]
    )
    model.compile(optimizer="sgd", loss=loss)
    return model
