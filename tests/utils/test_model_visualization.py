"""plot_model / model_to_dot: Keras's arguments, files in each format
drawn without Graphviz, the graph's nodes and edges."""

import sys

import pytest

import lamina
from lamina import utils
from tests.api.signatures import assert_same_signature
from tests.keras_oracle import keras


def _functional():
    a, b = lamina.Input((4,), name="a"), lamina.Input((4,), name="b")
    x = lamina.layers.Dense(3, activation="relu", name="d1")(a)
    y = lamina.layers.Add(name="add")([x, lamina.layers.Dense(3, name="d2")(b)])
    head = lamina.Sequential(
        [lamina.Input((3,)), lamina.layers.Dense(1, name="out")], name="head"
    )
    return lamina.Model([a, b], head(y))


def test_signatures_match_keras():
    assert_same_signature(utils.plot_model, keras.utils.plot_model)
    assert_same_signature(utils.model_to_dot, keras.utils.model_to_dot)


@pytest.mark.parametrize(
    "ext,magic",
    [
        ("png", b"\x89PNG"),
        ("svg", b"<?xml"),
        ("pdf", b"%PDF"),
        ("jpg", b"\xff\xd8"),
    ],
)
def test_writes_each_format(tmp_path, ext, magic):
    path = tmp_path / f"model.{ext}"
    out = utils.plot_model(
        _functional(),
        str(path),
        show_shapes=True,
        show_dtype=True,
        show_layer_names=True,
        show_layer_activations=True,
        show_trainable=True,
        expand_nested=True,
        dpi=60,
    )
    assert out is None
    assert path.read_bytes().startswith(magic)


def test_rankdir_lr_and_dot_file(tmp_path):
    utils.plot_model(
        _functional(), str(tmp_path / "m.png"), rankdir="LR", dpi=50
    )
    assert (tmp_path / "m.png").stat().st_size > 1000
    utils.plot_model(_functional(), str(tmp_path / "m.dot"))
    assert (tmp_path / "m.dot").read_text().startswith("digraph G {")


def test_dot_graph_nodes_edges_and_labels(monkeypatch):
    monkeypatch.setitem(sys.modules, "pydot", None)  # the fallback object
    dot = utils.model_to_dot(
        _functional(), show_shapes=True, show_layer_activations=True
    )
    nodes = dict(dot.get_nodes())
    assert list(nodes) == ["a", "b", "d1", "d2", "add", "head"]
    assert nodes["d1"].split("\n") == [
        "d1 (Dense)",
        "Activation: relu",
        "Input shape: (None, 4)",
        "Output shape: (None, 3)",
    ]
    assert "Input shape: [(None, 3), (None, 3)]" in nodes["add"]
    assert dot.get_edges() == [
        ("a", "d1"),
        ("b", "d2"),
        ("d1", "add"),
        ("d2", "add"),
        ("add", "head"),
    ]
    nested = utils.model_to_dot(_functional(), expand_nested=True)
    assert ("add", "head/out") in nested.get_edges()
    names_off = utils.model_to_dot(_functional(), show_layer_names=False)
    assert dict(names_off.get_nodes())["d1"] == "Dense"


def test_pydot_object_when_pydot_is_installed():
    import pydot

    dot = utils.model_to_dot(_functional())
    assert isinstance(dot, pydot.Dot)
    assert {n.get_name().strip('"') for n in dot.get_nodes()} >= {"a", "add"}
    assert len(dot.get_edges()) == 5


def test_sequential_chain_and_errors():
    seq = lamina.Sequential(
        [
            lamina.Input((2,)),
            lamina.layers.Dense(2, name="x"),
            lamina.layers.Dense(1, name="y"),
        ]
    )
    assert [
        (e.get_source().strip('"'), e.get_destination().strip('"'))
        for e in utils.model_to_dot(seq).get_edges()
    ] == [("x", "y")]
    with pytest.raises(ValueError, match="built Sequential or functional"):
        utils.model_to_dot(lamina.Sequential([lamina.layers.Dense(1)]))
    with pytest.raises(ValueError, match="`rankdir` of plot_model"):
        utils.plot_model(seq, "x.png", rankdir="BT")
