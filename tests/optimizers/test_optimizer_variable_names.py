"""Optimizer variables are Keras's: named, with paths, of Keras's dtypes."""

import numpy as np
import pytest

from tests.keras_oracle import keras

import lamina


def _built_pair(name, **kwargs):
    def model(lib):
        return lib.Sequential(
            # Named: auto names depend on what else the process built.
            [
                lib.Input((3,)),
                lib.layers.Dense(4, name="hidden"),
                lib.layers.Dense(2, name="out"),
            ],
            name="seq",
        )

    ours, theirs = model(lamina), model(keras)
    opt = getattr(lamina.optimizers, name)(name="opt", **kwargs)
    kopt = getattr(keras.optimizers, name)(name="opt", **kwargs)
    opt.build(ours.trainable_weights)
    kopt.build(theirs.trainable_weights)
    return opt, kopt


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("Adam", {}),
        ("SGD", {"momentum": 0.9}),
        ("RMSprop", {"momentum": 0.5, "centered": True}),
        ("AdamW", {"use_ema": True}),
        ("Adam", {"gradient_accumulation_steps": 2}),
    ],
)
def test_names_paths_shapes_match_keras(name, kwargs):
    opt, kopt = _built_pair(name, **kwargs)
    ours = [(v.name, v.path, tuple(v.shape)) for v in opt.variables]
    theirs = [(v.name, v.path, tuple(v.shape)) for v in kopt.variables]
    assert ours == theirs
    assert all(isinstance(v, lamina.Variable) for v in opt.variables)
    assert not any(v.trainable for v in opt.variables)


def test_iterations_dtype_is_keras():
    opt, kopt = _built_pair("Adam")
    assert lamina.backend.standardize_dtype(opt.iterations.dtype) == (
        kopt.iterations.dtype
    )


def test_iterations_count_steps_after_fit():
    model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((8, 3), "float32"), np.ones((8, 1), "float32")
    model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    assert int(model.optimizer.iterations) == 4
    assert model.optimizer.iterations.numpy().dtype == np.int32
