"""Functional models against Keras 3: same graph, same weights, same
outputs; plus the graph errors."""

import json

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras, to_numpy


def _two_in_two_out(lib):
    a = lib.Input((4,), name="a")
    b = lib.Input((3,), name="b")
    shared = lib.layers.Dense(5, activation="tanh", name="shared")
    x = shared(a)
    y = lib.layers.Dense(5, name="proj")(b)
    merged = lib.ops.concatenate([x, y], axis=-1)
    out1 = lib.layers.Dense(2, activation="softmax", name="out1")(merged)
    out2 = lib.layers.Dense(1, name="out2")(x)
    return lib.Model([a, b], [out1, out2])


def test_multi_input_multi_output_matches_keras(rng):
    k_model, l_model = _two_in_two_out(keras), _two_in_two_out(lamina)
    l_model.set_weights(k_model.get_weights())
    xa = rng.normal(size=(6, 4)).astype("float32")
    xb = rng.normal(size=(6, 3)).astype("float32")
    k_out = k_model([xa, xb])
    l_out = l_model([xa, xb])
    for k, l_ in zip(k_out, l_out):
        np.testing.assert_allclose(
            l_.detach().numpy(), to_numpy(k), rtol=1e-5, atol=1e-6
        )
    assert l_model.count_params() == k_model.count_params()
    assert [l.name for l in l_model.layers] == [
        l.name
        for l in k_model.layers
        if l.name in {m.name for m in l_model.layers}
    ]


def test_dict_inputs_and_outputs():
    a = lamina.Input((2,), name="a")
    b = lamina.Input((2,), name="b")
    out = lamina.layers.Dense(1, name="o")(lamina.ops.add(a, b))
    model = lamina.Model({"a": a, "b": b}, {"o": out})
    res = model({"a": torch.ones(3, 2), "b": torch.zeros(3, 2)})
    assert set(res) == {"o"} and res["o"].shape == (3, 1)
    with pytest.raises(ValueError, match="missing"):
        model({"a": torch.ones(3, 2)})


def test_nested_model_as_layer(rng):
    def build(lib):
        inner_in = lib.Input((3,))
        inner = lib.Model(
            inner_in, lib.layers.Dense(4, name="i1")(inner_in), name="inner"
        )
        x = lib.Input((3,))
        y = lib.layers.Dense(2, name="head")(inner(x))
        return lib.Model(x, y)

    k_model, l_model = build(keras), build(lamina)
    l_model.set_weights(k_model.get_weights())
    x = rng.normal(size=(5, 3)).astype("float32")
    np.testing.assert_allclose(
        l_model(x).detach().numpy(), to_numpy(k_model(x)), rtol=1e-5, atol=1e-6
    )


def test_wrong_number_of_inputs():
    model = _two_in_two_out(lamina)
    with pytest.raises(ValueError, match="expects 2 input"):
        model(torch.ones(2, 4))


def test_wrong_input_shape():
    x = lamina.Input((4,))
    model = lamina.Model(x, lamina.layers.Dense(2)(x))
    with pytest.raises(ValueError, match="incompatible"):
        model(torch.ones(2, 5))


def test_disconnected_graph():
    a, b = lamina.Input((2,)), lamina.Input((2,))
    out = lamina.layers.Dense(1)(lamina.ops.add(a, b))
    with pytest.raises(ValueError, match="Graph disconnected"):
        lamina.Model(a, out)


def test_duplicate_layer_names():
    x = lamina.Input((2,))
    y = lamina.layers.Dense(2, name="same")(x)
    y = lamina.layers.Dense(2, name="same")(y)
    with pytest.raises(ValueError, match="'same' is used 2 times"):
        lamina.Model(x, y)


def test_summary_totals_match_keras(capsys):
    k_model, l_model = _two_in_two_out(keras), _two_in_two_out(lamina)
    l_model.summary()
    text = capsys.readouterr().out
    total = k_model.count_params()
    assert f"Total params: {total:,}" in text
    assert "Trainable params" in text and "shared (Dense)" in text


def _shared_twice(lib):
    a = lib.Input((4,), name="a")
    b = lib.Input((4,), name="b")
    shared = lib.layers.Dense(3, name="shared")
    head = lib.layers.Dense(2, name="head")
    return lib.Model([a, b], [head(shared(a)), shared(b)])


def test_config_round_trip_rebuilds_graph(rng):
    model = _shared_twice(lamina)
    clone = lamina.Model.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    xa = rng.normal(size=(2, 4)).astype("float32")
    xb = rng.normal(size=(2, 4)).astype("float32")
    for a, b in zip(model([xa, xb]), clone([xa, xb])):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy())


def test_shared_layer_config_matches_keras():
    # Compared as JSON, the form both write to files (tuples → lists).
    k_conf = json.loads(json.dumps(_shared_twice(keras).get_config()))
    l_conf = json.loads(json.dumps(_shared_twice(lamina).get_config()))
    assert l_conf["output_layers"] == k_conf["output_layers"]
    k_nodes = {e["name"]: e["inbound_nodes"] for e in k_conf["layers"]}
    l_nodes = {e["name"]: e["inbound_nodes"] for e in l_conf["layers"]}
    assert l_nodes == k_nodes


def test_config_matches_keras_structure():
    def build(lib):
        x = lib.Input((3,), name="x")
        return lib.Model(x, lib.layers.Dense(2, name="d")(x), name="m")

    k_conf = json.loads(json.dumps(build(keras).get_config()))
    l_conf = json.loads(json.dumps(build(lamina).get_config()))
    assert l_conf["input_layers"] == k_conf["input_layers"]
    assert l_conf["output_layers"] == k_conf["output_layers"]
    assert [e["class_name"] for e in l_conf["layers"]] == [
        e["class_name"] for e in k_conf["layers"]
    ]
    assert (
        l_conf["layers"][1]["inbound_nodes"]
        == k_conf["layers"][1]["inbound_nodes"]
    )


def test_keras_config_loads_in_lamina(rng):
    x = keras.Input((3,), name="x")
    h = keras.layers.Dense(4, activation="relu", name="h")(x)
    k_model = keras.Model(x, keras.layers.Dense(2, name="o")(h))
    l_model = lamina.Model.from_config(k_model.get_config())
    l_model.set_weights(k_model.get_weights())
    data = rng.normal(size=(3, 3)).astype("float32")
    np.testing.assert_allclose(
        l_model(data).detach().numpy(),
        to_numpy(k_model(data)),
        rtol=1e-5,
        atol=1e-6,
    )


def test_list_argument_config_matches_keras_and_round_trips(rng):
    def build(lib):
        a, b = lib.Input((3,), name="a"), lib.Input((3,), name="b")
        added = lib.layers.Add(name="add")([a, b])
        out = lib.layers.Concatenate(name="cat")([added, a])
        return lib.Model([a, b], out, name="m")

    k_conf = json.loads(json.dumps(build(keras).get_config()))
    l_conf = json.loads(json.dumps(build(lamina).get_config()))
    k_nodes = {e["name"]: e["inbound_nodes"] for e in k_conf["layers"]}
    l_nodes = {e["name"]: e["inbound_nodes"] for e in l_conf["layers"]}
    assert l_nodes == k_nodes
    x = [rng.normal(size=(2, 3)).astype("float32") for _ in range(2)]
    ours = lamina.Model.from_config(l_conf)
    theirs = keras.Model.from_config(l_conf)
    np.testing.assert_allclose(
        ours([torch.from_numpy(v) for v in x]).detach().numpy(),
        to_numpy(theirs(x)),
        rtol=1e-6,
    )


def test_single_output_list_is_unpacked_like_keras(rng):
    x = rng.normal(size=(2, 3)).astype("float32")
    kinds = []
    for lib in (keras, lamina):
        inputs = lib.Input((3,))
        model = lib.Model([inputs], [lib.layers.Dense(2)(inputs)])
        kinds.append(
            (
                type(model.predict(x, verbose=0)).__name__,
                isinstance(model(lib.Input((3,))), list),
                isinstance(model(x), list),
                isinstance(model.outputs, list),
            )
        )
    assert kinds[1] == kinds[0] == ("ndarray", True, False, True)


def _branches(lib):
    x = lib.Input((3,), name="x")
    y = lib.Input((3,), name="y")
    a = lib.layers.Dense(2, name="a")(x)
    c = lib.layers.Dense(2, name="c")(y)
    d = lib.layers.Dense(2, name="d")(a)
    shared = lib.layers.Dense(2, name="shared")
    return lib.Model([x, y], lib.layers.Add(name="add")([shared(d), shared(c)]))


def _nested_twice(lib):
    inner_in = lib.Input((3,), name="inner_in")
    inner = lib.Model(
        inner_in,
        lib.layers.Dense(2, name="inner_dense")(inner_in),
        name="inner",
    )
    x = lib.Input((3,), name="x")
    first = lib.layers.Dense(3, name="first")(x)
    second = lib.layers.Dense(3, name="second")(x)
    return lib.Model(x, [inner(first), inner(second)])


def _unused_input(lib):
    x = lib.Input((3,), name="x")
    unused = lib.Input((2,), name="unused")
    deep = lib.layers.Dense(3, name="deep2")(
        lib.layers.Dense(3, name="deep1")(x)
    )
    return lib.Model(
        [unused, x],
        lib.layers.Concatenate(name="cat")(
            [deep, lib.layers.Dense(3, name="shallow")(x)]
        ),
    )


@pytest.mark.parametrize("build", [_branches, _nested_twice, _unused_input])
def test_layer_and_weight_order_match_keras(build):
    k_model, l_model = build(keras), build(lamina)
    assert [l.name for l in l_model.layers] == [l.name for l in k_model.layers]
    assert [w.shape for w in l_model.get_weights()] == [
        tuple(w.shape) for w in k_model.get_weights()
    ]
    config = l_model.get_config()
    assert [e["name"] for e in config["layers"]] == [
        e["name"] for e in k_model.get_config()["layers"]
    ]
    rebuilt = lamina.Model.from_config(config)
    assert [l.name for l in rebuilt.layers] == [l.name for l in l_model.layers]


def _summary_lines(model):
    lines = []
    model.summary(print_fn=lambda line, **kwargs: lines.append(line))
    return "\n".join(lines).splitlines()


def test_summary_rows_of_a_layer_with_several_outputs_match_keras():
    rows = []
    for lib in (keras, lamina):
        tokens = lib.Input((None,))
        embedded = lib.layers.Embedding(10, 4, name="embed")(tokens)
        outputs, state_h, _ = lib.layers.LSTM(
            3, return_state=True, name="encoder"
        )(embedded)
        model = lib.Model(tokens, [outputs, state_h])
        rows.append(
            [
                line
                for line in _summary_lines(model)
                if "encoder" in line or "embed" in line
            ]
        )
    assert rows[1] == rows[0]


def _endpoint_model(lib):
    class LogisticEndpoint(lib.layers.Layer):
        def __init__(self, name=None):
            super().__init__(name=name)
            self.loss_fn = lib.losses.BinaryCrossentropy(from_logits=True)

        def call(self, targets, logits):
            self.add_loss(self.loss_fn(targets, logits))
            return lib.ops.softmax(logits)

    inputs = lib.Input(shape=(3,), name="inputs")
    targets = lib.Input(shape=(4,), name="targets")
    logits = lib.layers.Dense(4)(inputs)
    return lib.Model(
        [inputs, targets], LogisticEndpoint(name="predictions")(targets, logits)
    )


def test_model_trained_by_its_added_loss_alone_matches_keras(rng):
    """The guide's "endpoint layer": compile without a loss."""
    data = {
        "inputs": rng.random((8, 3)).astype("float32"),
        "targets": rng.random((8, 4)).astype("float32"),
    }
    k_model, l_model = _endpoint_model(keras), _endpoint_model(lamina)
    l_model.set_weights(k_model.get_weights())
    losses = []
    for lib, model in ((keras, k_model), (lamina, l_model)):
        model.compile(optimizer=lib.optimizers.SGD(0.1))
        history = model.fit(
            data, batch_size=4, epochs=2, shuffle=False, verbose=0
        )
        losses.append(history.history["loss"])
    np.testing.assert_allclose(losses[1], losses[0], rtol=1e-5)
    for a, b in zip(l_model.get_weights(), k_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    plain = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(1)])
    plain.compile(optimizer="sgd")
    with pytest.raises(ValueError, match="No loss to compute for model"):
        plain.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)


def test_model_of_inputs_and_outputs_is_a_functional_as_in_keras():
    x = lamina.Input((3,))
    model = lamina.Model(x, lamina.layers.Dense(2)(x))
    assert isinstance(model, lamina.Functional)
    assert isinstance(model, lamina.Model)
    keyword = lamina.Model(inputs=x, outputs=model.outputs)
    assert isinstance(keyword, lamina.Functional)
    assert not isinstance(lamina.Model(), lamina.Functional)
    k_in = keras.Input((3,))
    k_model = keras.Model(k_in, keras.layers.Dense(2)(k_in))
    assert type(k_model).__name__ == type(model).__name__ == "Functional"
