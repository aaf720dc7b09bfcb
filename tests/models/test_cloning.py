"""`clone_model`: same architecture, new layers and weights, as Keras 3."""

import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras, to_numpy


def sequential(lib):
    return lib.Sequential(
        [
            lib.Input((4,), name="seq_in"),
            lib.layers.Dense(5, activation="relu"),
            lib.layers.Dense(2),
        ],
        name="seq",
    )


def functional(lib):
    a = lib.Input((4,), name="a")
    b = lib.Input((4,), name="b")
    shared = lib.layers.Dense(3, name="shared")
    out1 = lib.layers.Dense(2, name="out1")(shared(a))
    out2 = lib.layers.Dense(1, name="out2")(shared(b))
    return lib.Model([a, b], [out1, out2], name="func")


def nested(lib):
    inner_in = lib.Input((4,))
    inner = lib.Model(
        inner_in,
        lib.layers.Dense(3, name="inner_dense")(inner_in),
        name="inner",
    )
    x = lib.Input((4,))
    return lib.Model(
        x, lib.layers.Dense(2, name="head")(inner(x)), name="outer"
    )


def _inputs(model, rng):
    x = rng.normal(size=(3, 4)).astype("float32")
    return [x, x + 1] if model.name == "func" else x


def _outputs(model, x):
    out = (
        model.predict(x, verbose=0)
        if isinstance(model, lamina.Model)
        else model(x)
    )
    out = out if isinstance(out, (list, tuple)) else [out]
    return [np.asarray(to_numpy(o)) for o in out]


@pytest.mark.parametrize("build", [sequential, functional, nested])
def test_clone_has_new_layers_and_same_architecture(build, rng):
    model = build(lamina)
    clone = lamina.models.clone_model(model)
    assert type(clone) is type(model)
    assert clone.name == model.name
    assert len(clone.layers) == len(model.layers)
    for old, new in zip(model.layers, clone.layers):
        assert old is not new
        # A nested `Model(inputs, outputs)` comes back as `Functional`, the
        # class Keras gives every graph model.
        assert isinstance(new, type(old)) or isinstance(old, type(new))
        assert new.get_config() == old.get_config()
    assert [w.shape for w in clone.get_weights()] == [
        w.shape for w in model.get_weights()
    ]
    assert not any(
        p is q for p in clone.parameters() for q in model.parameters()
    )
    clone.set_weights(model.get_weights())
    x = _inputs(model, rng)
    for a, b in zip(_outputs(clone, x), _outputs(model, x)):
        np.testing.assert_allclose(a, b, rtol=1e-6)


@pytest.mark.parametrize("build", [sequential, functional, nested])
def test_clone_matches_keras_structure(build):
    k_clone = keras.models.clone_model(build(keras))
    l_clone = lamina.models.clone_model(build(lamina))
    assert [type(x).__name__ for x in l_clone.layers] == [
        type(x).__name__ for x in k_clone.layers
    ]
    assert [w.shape for w in l_clone.get_weights()] == [
        tuple(w.shape) for w in k_clone.get_weights()
    ]
    assert l_clone.name == k_clone.name


def test_shared_layer_stays_shared(rng):
    clone = lamina.models.clone_model(functional(lamina))
    shared = clone.get_layer("shared")
    assert len([layer for layer in clone.layers if layer is shared]) == 1
    assert len(clone.get_weights()) == 6


def test_new_weights_are_fresh():
    model = sequential(lamina)
    clone = lamina.models.clone_model(model)
    assert not np.allclose(clone.get_weights()[0], model.get_weights()[0])


def test_clone_function_can_share_or_change_layers():
    model = sequential(lamina)
    same = lamina.models.clone_model(model, clone_function=lambda l: l)
    assert all(a is b for a, b in zip(same.layers, model.layers))

    def wider(layer):
        config = layer.get_config()
        if config.get("units") == 5:
            config["units"] = 7
        return layer.__class__.from_config(config)

    assert (
        lamina.models.clone_model(model, clone_function=wider).layers[0].units
        == 7
    )


def test_call_function_inserts_layers(rng):
    model = functional(lamina)

    def call_function(layer, *args, **kwargs):
        out = layer(*args, **kwargs)
        if layer.name == "shared":
            out = lamina.layers.Activation("relu")(out)
        return out

    clone = lamina.models.clone_model(
        model, clone_function=lambda l: l, call_function=call_function
    )
    x = _inputs(model, rng)
    relu = np.maximum(model.get_layer("shared")(x[0]).detach().numpy(), 0)
    expected = (
        relu @ model.get_layer("out1").get_weights()[0]
        + model.get_layer("out1").get_weights()[1]
    )
    np.testing.assert_allclose(
        _outputs(clone, x)[0], expected, rtol=1e-5, atol=1e-6
    )


def test_input_tensors():
    model = functional(lamina)
    a = lamina.Input((4,), name="new_a")
    b = lamina.Input((4,), name="new_b")
    clone = lamina.models.clone_model(model, input_tensors=[a, b])
    assert clone.inputs == [a, b]
    seq = lamina.models.clone_model(
        sequential(lamina), input_tensors=lamina.Input((4,), batch_size=8)
    )
    assert seq.output_shape == (8, 2)


def test_recursive_applies_clone_function_inside():
    model = nested(lamina)
    seen = []

    def record(layer):
        seen.append(layer.name)
        return layer.__class__.from_config(layer.get_config())

    lamina.models.clone_model(model, clone_function=record)
    assert "inner_dense" not in seen and "inner" in seen
    seen.clear()
    clone = lamina.models.clone_model(
        model, clone_function=record, recursive=True
    )
    assert "inner_dense" in seen and "inner" not in seen
    assert clone.get_layer("inner").get_layer(
        "inner_dense"
    ) is not model.get_layer("inner").get_layer("inner_dense")


def test_compiled_model_clone_is_compiled():
    model = sequential(lamina)
    model.compile(optimizer=lamina.optimizers.SGD(0.2), loss="mse")
    clone = lamina.models.clone_model(model)
    assert clone.compiled and clone.optimizer is not model.optimizer
    assert clone.optimizer.get_config()["learning_rate"] == pytest.approx(0.2)
    k_model = sequential(keras)
    k_model.compile(optimizer=keras.optimizers.SGD(0.2), loss="mse")
    assert keras.models.clone_model(k_model).compiled


@lamina.saving.register_keras_serializable(package="clone_test")
class Twice(lamina.Model):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = lamina.layers.Dense(units)

    def call(self, x, training=None):
        return self.dense(x) * 2.0

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_subclassed_model_clones_through_its_config():
    model = Twice(units=4)
    model(np.zeros((1, 2), "float32"))
    clone = lamina.models.clone_model(model)
    assert type(clone) is Twice and clone.units == 4 and clone is not model


def test_errors_match_keras():
    for lib in (keras, lamina):
        with pytest.raises(ValueError, match="call_function"):
            lib.models.clone_model(
                sequential(lib), call_function=lambda l, *a: l(*a)
            )
        with pytest.raises(ValueError, match="single tensor"):
            lib.models.clone_model(
                sequential(lib),
                input_tensors=[lib.Input((4,)), lib.Input((4,))],
            )
    with pytest.raises(ValueError, match="clone_function"):
        lamina.models.clone_model(Twice(), clone_function=lambda l: l)
    with pytest.raises(ValueError, match="unexpected keyword"):
        lamina.models.clone_model(sequential(lamina), deep=True)
    with pytest.raises(ValueError, match="expected a lamina Model"):
        lamina.models.clone_model(lamina.layers.Dense(2))
    with pytest.raises(ValueError, match="callable"):
        lamina.models.clone_model(sequential(lamina), clone_function=3)
    with pytest.raises(ValueError, match="symbolic tensor"):
        lamina.models.clone_model(
            functional(lamina),
            input_tensors=[np.zeros((1, 4)), np.zeros((1, 4))],
        )
    with pytest.raises(ValueError, match="structure"):
        lamina.models.clone_model(
            functional(lamina), input_tensors=[lamina.Input((4,))]
        )
