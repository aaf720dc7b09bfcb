"""The `.keras` archive both ways with Keras 3: configs, weights, compile
config and optimizer state (so training continues where it stopped)."""

import io
import json
import zipfile

import h5py
import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras, to_numpy


# -- the same models in both libraries ----------------------------------------


def sequential(lib):
    return lib.Sequential(
        [
            lib.Input((4,)),
            lib.layers.Dense(8, activation="relu"),
            lib.layers.Dropout(0.25),
            lib.layers.Dense(3),
        ],
        name="seq",
    )


def multi_io(lib):
    # Merge layers (a list of tensors as one argument) are left out: lamina's
    # functional config cannot write them yet (see the saving report).
    a = lib.Input((4,), name="a")
    b = lib.Input((4,), name="b")
    shared = lib.layers.Dense(5, activation="tanh", name="shared")
    out1 = lib.layers.Dense(2, name="out1")(shared(a))
    out2 = lib.layers.Dense(1, name="out2")(shared(b))
    return lib.Model([a, b], [out1, out2], name="multi")


def nested(lib):
    inner_in = lib.Input((4,), name="inner_in")
    inner = lib.Model(
        inner_in,
        lib.layers.Dense(6, name="inner_dense")(inner_in),
        name="inner",
    )
    stack = lib.Sequential(
        [lib.Input((6,)), lib.layers.Dense(3, activation="relu")], name="stack"
    )
    x = lib.Input((4,), name="x")
    return lib.Model(
        x, lib.layers.Dense(2, name="head")(stack(inner(x))), name="outer"
    )


def _register(lib):
    @lib.saving.register_keras_serializable(
        package="lamina_test", name="TwoDense"
    )
    class TwoDense(lib.Model):
        def __init__(self, units=5, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.hidden = lib.layers.Dense(units, activation="relu")
            self.out = lib.layers.Dense(2)

        # `training` is accepted because lamina's predict passes it even
        # when `call` does not take it (Keras checks the signature).
        def call(self, inputs, training=None):
            return self.out(self.hidden(inputs))

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    return TwoDense


_SUBCLASSES = {"keras": _register(keras), "lamina": _register(lamina)}


def _register_block(lib):
    @lib.saving.register_keras_serializable(package="lamina_test", name="Block")
    class Block(lib.layers.Layer):
        """Sublayers held publicly, privately and in a list: Keras saves
        each under the attribute path that reaches it first."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.proj = lib.layers.Dense(3)
            self._hidden = lib.layers.Dense(3)
            self.stack = [lib.layers.Dense(3), lib.layers.Dense(3)]

        def build(self, input_shape):
            shape = tuple(input_shape)
            for layer in (*self.stack, self.proj, self._hidden):
                layer.build(
                    shape[:-1] + (3,) if layer is not self.stack[0] else shape
                )

        def call(self, x):
            for layer in self.stack:
                x = layer(x)
            return self._hidden(self.proj(x))

    return Block


_BLOCKS = {"keras": _register_block(keras), "lamina": _register_block(lamina)}


def subclassed(lib):
    model = _SUBCLASSES[lib.__name__](units=5)
    model(np.zeros((2, 4), "float32"))
    return model


def custom_layer(lib):
    return lib.Sequential(
        [lib.Input((4,)), _BLOCKS[lib.__name__](), lib.layers.Dense(2)],
        name="custom",
    )


BUILDERS = [sequential, multi_io, nested, subclassed, custom_layer]


def inputs_for(model_name, rng, n=6):
    x = rng.normal(size=(n, 4)).astype("float32")
    if model_name == "multi":
        return [x, rng.normal(size=(n, 4)).astype("float32")]
    return x


_OUTPUT_SIZES = {"seq": [3], "multi": [2, 1], "outer": [2]}


def targets_for(model, rng, n=6):
    sizes = _OUTPUT_SIZES.get(model.name, [2])
    ys = [rng.normal(size=(n, s)).astype("float32") for s in sizes]
    return ys if len(ys) > 1 else ys[0]


def _flat(outputs):
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return [np.asarray(to_numpy(o)) for o in outputs]


def assert_same_outputs(a, b):
    for x, y in zip(_flat(a), _flat(b)):
        np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6)


def compile_both(model, lib, optimizer="adam"):
    opt = (
        lib.optimizers.Adam(learning_rate=0.01)
        if optimizer == "adam"
        else lib.optimizers.SGD(learning_rate=0.05, momentum=0.9)
    )
    multi = model.name == "multi"
    model.compile(
        optimizer=opt,
        loss="mse",
        metrics=[["mae"], ["mae"]] if multi else ["mae"],
    )


def train(model, x, y, epochs=1):
    model.fit(x, y, batch_size=3, epochs=epochs, shuffle=False, verbose=0)


def members(path):
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def h5_layout(data):
    names = {}
    with h5py.File(io.BytesIO(data), "r") as f:
        f.visititems(
            lambda n, o: names.__setitem__(n, getattr(o, "shape", None))
        )
    return names


# -- Keras writes, lamina reads -----------------------------------------------


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_keras_archive_loads_in_lamina(build, tmp_path, rng):
    k_model = build(keras)
    compile_both(k_model, keras)
    x = inputs_for(k_model.name, rng)
    train(k_model, x, targets_for(k_model, rng))
    path = str(tmp_path / "k.keras")
    k_model.save(path)
    l_model = lamina.models.load_model(path)
    assert l_model.compiled
    assert type(l_model.optimizer).__name__ == "Adam"
    assert l_model.name == k_model.name
    assert_same_outputs(l_model.predict(x, verbose=0), k_model(x))
    k_vars = [to_numpy(v) for v in k_model.optimizer.variables]
    l_vars = [v.numpy() for v in l_model.optimizer.variables]
    assert len(k_vars) == len(l_vars)
    for k, v in zip(k_vars, l_vars):
        np.testing.assert_allclose(v, k, rtol=1e-6)


# -- lamina writes, Keras reads -----------------------------------------------


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_lamina_archive_loads_in_keras(build, tmp_path, rng):
    l_model = build(lamina)
    compile_both(l_model, lamina, optimizer="sgd")
    x = inputs_for(l_model.name, rng)
    train(l_model, x, targets_for(l_model, rng))
    path = str(tmp_path / "l.keras")
    l_model.save(path)
    k_model = keras.saving.load_model(path)
    assert type(k_model.optimizer).__name__ == "SGD"
    assert k_model.get_compile_config()["loss"] == "mse"
    assert_same_outputs(k_model(x), l_model.predict(x, verbose=0))
    l_vars = [v.numpy() for v in l_model.optimizer.variables]
    k_vars = [to_numpy(v) for v in k_model.optimizer.variables]
    assert len(k_vars) == len(l_vars)
    for k, v in zip(k_vars, l_vars):
        np.testing.assert_allclose(k, v, rtol=1e-6)


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_weights_layout_is_keras(build, tmp_path):
    """The h5 inside the archive has exactly Keras's groups and shapes."""
    k_model, l_model = build(keras), build(lamina)
    compile_both(k_model, keras)
    compile_both(l_model, lamina)
    k_path, l_path = str(tmp_path / "k.keras"), str(tmp_path / "l.keras")
    k_model.save(k_path)
    l_model.save(l_path)
    k_members, l_members = members(k_path), members(l_path)
    assert (
        list(l_members)
        == list(k_members)
        == ["metadata.json", "config.json", "model.weights.h5"]
    )
    k_layout = h5_layout(k_members["model.weights.h5"])
    l_layout = h5_layout(l_members["model.weights.h5"])
    # Compiled, never trained: both keep only the step and learning rate.
    assert "optimizer/vars/1" in l_layout and "optimizer/vars/2" not in l_layout
    assert l_layout == k_layout


def test_archive_members_and_metadata(tmp_path):
    model = sequential(lamina)
    path = str(tmp_path / "m.keras")
    model.save(path)
    with zipfile.ZipFile(path) as zf:
        assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())
    found = members(path)
    metadata = json.loads(found["metadata.json"])
    assert metadata["keras_version"] == "3.15.1"
    assert set(metadata) >= {"keras_version", "date_saved"}
    config = json.loads(found["config.json"])
    assert (config["class_name"], config["module"]) == ("Sequential", "keras")


def test_functional_config_names_functional_class(tmp_path):
    k_model, l_model = nested(keras), nested(lamina)
    l_config = json.loads(l_model.to_json())
    k_config = json.loads(k_model.to_json())
    for config in (l_config, k_config):
        assert config["class_name"] == "Functional"
        assert config["module"] == "keras.src.models.functional"
    l_inner = l_config["config"]["layers"][1]
    k_inner = k_config["config"]["layers"][1]
    assert l_inner["class_name"] == k_inner["class_name"] == "Functional"


# -- training continues where it stopped --------------------------------------


def _data(rng, n=12):
    return (
        rng.normal(size=(n, 4)).astype("float32"),
        rng.normal(size=(n, 2)).astype("float32"),
    )


def _plain(lib):
    return lib.Sequential(
        [
            lib.Input((4,)),
            lib.layers.Dense(6, activation="tanh"),
            lib.layers.Dense(2),
        ]
    )


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_fit_resumes_after_load(optimizer, tmp_path, rng):
    x, y = _data(rng)
    straight = _plain(lamina)
    resumed = _plain(lamina)
    resumed.set_weights(straight.get_weights())
    for model in (straight, resumed):
        compile_both(model, lamina, optimizer)
    train(straight, x, y, epochs=5)
    train(resumed, x, y, epochs=2)
    path = str(tmp_path / "r.keras")
    resumed.save(path)
    reloaded = lamina.models.load_model(path)
    assert int(reloaded.optimizer.iterations) == 8
    train(reloaded, x, y, epochs=3)
    for a, b in zip(reloaded.get_weights(), straight.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(
        reloaded.optimizer.variables[2].numpy(),
        straight.optimizer.variables[2].numpy(),
        rtol=1e-5,
        atol=1e-7,
    )


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_keras_training_resumes_in_lamina(optimizer, tmp_path, rng):
    x, y = _data(rng)
    k_model = _plain(keras)
    compile_both(k_model, keras, optimizer)
    train(k_model, x, y, epochs=2)
    path = str(tmp_path / "k.keras")
    k_model.save(path)
    l_model = lamina.models.load_model(path)
    train(k_model, x, y, epochs=2)
    train(l_model, x, y, epochs=2)
    for a, b in zip(l_model.get_weights(), k_model.get_weights()):
        np.testing.assert_allclose(a, to_numpy(b), rtol=1e-5, atol=1e-6)


def test_compile_false_gives_uncompiled_model(tmp_path, rng):
    model = _plain(lamina)
    compile_both(model, lamina)
    x, y = _data(rng)
    train(model, x, y)
    path = str(tmp_path / "c.keras")
    model.save(path)
    loaded = lamina.models.load_model(path, compile=False)
    assert not loaded.compiled and loaded.optimizer is None
    assert_same_outputs(
        loaded.predict(x, verbose=0), model.predict(x, verbose=0)
    )


def test_loaded_model_saves_the_same_compile_config(tmp_path):
    k_model = _plain(keras)
    k_model.compile(
        optimizer=keras.optimizers.Adam(0.02),
        loss="mse",
        metrics=["mae", keras.metrics.MeanSquaredError()],
    )
    first = str(tmp_path / "first.keras")
    k_model.save(first)
    second = str(tmp_path / "second.keras")
    lamina.models.load_model(first).save(second)
    k_compile = json.loads(members(first)["config.json"])["compile_config"]
    l_compile = json.loads(members(second)["config.json"])["compile_config"]
    assert l_compile["metrics"] == k_compile["metrics"]
    assert l_compile["loss"] == k_compile["loss"]
    assert l_compile["optimizer"]["class_name"] == "Adam"
    assert l_compile["optimizer"]["config"]["learning_rate"] == pytest.approx(
        0.02
    )
    reloaded = keras.saving.load_model(second)
    assert reloaded.compiled
    assert reloaded.get_compile_config()["metrics"] == k_compile["metrics"]


def test_untrained_compiled_keras_model_loads_quietly(tmp_path, recwarn):
    """A compiled, never-trained model stores only the step count and the
    learning rate; lamina builds its optimizer and loads without a
    'skipping optimizer variables' warning."""
    k_model = _plain(keras)
    compile_both(k_model, keras)
    path = str(tmp_path / "fresh.keras")
    k_model.save(path)
    l_model = lamina.models.load_model(path)
    assert l_model.optimizer.built
    assert int(l_model.optimizer.iterations) == 0
    assert not [w for w in recwarn if "Skipping" in str(w.message)]


def test_mismatched_optimizer_state_is_skipped_with_a_warning(tmp_path, rng):
    model = _plain(lamina)
    compile_both(model, lamina, "adam")
    x, y = _data(rng)
    train(model, x, y)
    path = str(tmp_path / "opt.keras")
    model.save(path)
    other = _plain(lamina)
    compile_both(other, lamina, "sgd")
    train(other, x, y)
    with pytest.warns(UserWarning, match="Skipping variable loading"):
        lamina.saving.load_weights(other, path)
    for a, b in zip(other.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def _nested_outputs(lib, calls):
    inner_in = lib.Input((3,))
    inner = lib.Model(inner_in, lib.layers.Dense(2)(inner_in), name="inner")
    x = lib.Input((3,))
    hidden = [lib.layers.Dense(3, name=f"pre{i}")(x) for i in range(calls)]
    outputs = [inner(h) for h in hidden]
    return lib.Model(x, outputs if calls > 1 else outputs[0])


@pytest.mark.parametrize("calls", [1, 2])
def test_nested_functional_model_as_output_both_ways(tmp_path, rng, calls):
    """Keras numbers a nested functional model's nodes from 1 in
    `output_layers` (after its construction node)."""
    x = rng.normal(size=(2, 3)).astype("float32")
    k_model, l_model = (
        _nested_outputs(keras, calls),
        _nested_outputs(lamina, calls),
    )
    l_model.set_weights(k_model.get_weights())
    k_model.save(str(tmp_path / "k.keras"))
    l_model.save(str(tmp_path / "l.keras"))
    k_config = json.loads(members(str(tmp_path / "k.keras"))["config.json"])
    l_config = json.loads(members(str(tmp_path / "l.keras"))["config.json"])
    assert (
        l_config["config"]["output_layers"]
        == k_config["config"]["output_layers"]
    )
    from_keras = lamina.saving.load_model(str(tmp_path / "k.keras"))
    from_lamina = keras.saving.load_model(str(tmp_path / "l.keras"))
    for a, b in zip(
        _flat(from_keras.predict(x, verbose=0)),
        _flat(k_model.predict(x, verbose=0)),
    ):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    for a, b in zip(
        _flat(from_lamina.predict(x, verbose=0)),
        _flat(l_model.predict(x, verbose=0)),
    ):
        np.testing.assert_allclose(to_numpy(a), b, rtol=1e-5, atol=1e-6)
