"""Shared checks of the preprocessing tests: a model holding the layer is
saved as `.keras` by each library and loaded by the other."""

import numpy as np

import lamina
from tests.keras_oracle import keras, to_numpy


def archive_both_ways(make, shape, x, tmp_path, dtype="float32", prepare=None):
    """`make(lib)` builds the layer; `prepare(layer)` (e.g. adapt) runs on
    both; each library's archive loads in the other, same predictions."""
    models = {}
    for lib in (keras, lamina):
        inputs = lib.Input(shape, dtype=dtype)
        layer = make(lib)
        if prepare is not None:
            prepare(layer)
        models[lib] = lib.Model(inputs, layer(inputs))
    expected = np.asarray(to_numpy(models[keras].predict(x, verbose=0)))
    ours = models[lamina].predict(x, verbose=0)
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-6)
    models[lamina].save(str(tmp_path / "lamina.keras"))
    models[keras].save(str(tmp_path / "keras.keras"))
    in_keras = keras.saving.load_model(str(tmp_path / "lamina.keras"))
    in_lamina = lamina.saving.load_model(str(tmp_path / "keras.keras"))
    for model in (in_keras, in_lamina):
        np.testing.assert_allclose(
            np.asarray(to_numpy(model.predict(x, verbose=0))),
            expected,
            rtol=1e-5,
            atol=1e-6,
        )
