"""KerasFileEditor against Keras 3's, on files written by Keras and by
lamina: the same tree, summary, comparison, edits and resaved files."""

import re

import numpy as np
import pytest

import lamina
from tests.keras_oracle import keras


def _model(lib, extra=False):
    layers = [
        lib.Input((3,)),
        lib.layers.Dense(4, name="first"),
        lib.layers.BatchNormalization(name="norm"),
        lib.layers.Dense(2, name="last"),
    ]
    if extra:
        layers.append(lib.layers.Dense(5, name="extra"))
    return lib.Sequential(layers)


@pytest.fixture(params=["keras", "lamina"])
def saved(request, tmp_path, rng):
    """A compiled, trained model saved as `.keras` and `.weights.h5` by
    one library."""
    lib = keras if request.param == "keras" else lamina
    model = _model(lib)
    model.compile("adam", "mse")
    x = rng.standard_normal((8, 3)).astype("float32")
    model.fit(x, x[:, :2], epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    model.save_weights(tmp_path / "m.weights.h5")
    return tmp_path


def _same_tree(ours, theirs, ordered=True):
    if ordered:
        assert list(ours) == list(theirs)
    assert sorted(ours) == sorted(theirs)
    for key in theirs:
        if isinstance(theirs[key], dict):
            _same_tree(ours[key], theirs[key], ordered)
        else:
            np.testing.assert_array_equal(ours[key], theirs[key])


def _plain(text):
    # lamina also prints each object's saved name.
    return re.sub(r" \('[^']*'\)", "", text)


@pytest.mark.parametrize("name", ["m.keras", "m.weights.h5"])
def test_tree_and_summary_match_keras(saved, name, capsys):
    theirs = keras.saving.KerasFileEditor(str(saved / name))
    theirs.summary()
    k_out = capsys.readouterr().out
    ours = lamina.saving.KerasFileEditor(saved / name)
    ours.summary()
    m_out = capsys.readouterr().out
    _same_tree(ours.weights_dict, theirs.weights_dict)
    # (Keras's console wraps the long header lines: compare the tree.)
    tree_lines = _plain(m_out).split("Weights structure")[1].splitlines()
    assert tree_lines == k_out.split("Weights structure")[1].splitlines()
    assert "('first')" in m_out
    assert ours.config == theirs.config
    if name.endswith(".keras"):
        assert (
            ours.metadata["keras_version"] == theirs.metadata["keras_version"]
        )


@pytest.mark.parametrize("extra", [False, True])
def test_compare_matches_keras(saved, extra, capsys):
    theirs = keras.saving.KerasFileEditor(str(saved / "m.weights.h5"))
    k_model = _model(keras, extra)
    k_model.compile("adam", "mse")
    k_model.optimizer.build(k_model.trainable_variables)
    capsys.readouterr()
    k_result = theirs.compare(k_model)
    k_out = capsys.readouterr().out
    ours = lamina.saving.KerasFileEditor(saved / "m.weights.h5")
    m_model = _model(lamina, extra)
    m_model.compile("adam", "mse")
    m_model.optimizer.build(m_model.trainable_variables)
    capsys.readouterr()
    m_result = ours.compare(m_model)
    m_out = capsys.readouterr().out
    assert m_result == k_result
    assert m_result["status"] == ("error" if extra else "success")
    assert m_out == k_out


def _edit(editor, rng):
    # Full paths: Keras's editor miscounts a leaf name's occurrences
    # (here it finds "dense" twice); lamina's leaf names are tested below.
    editor.rename_object("layers/dense", "renamed")
    editor.delete_object("layers/dense_1")
    editor.add_object("layers/dense_9", {"0": np.ones((2, 2), "float32")})
    editor.delete_weight("layers/batch_normalization", "3")
    editor.add_weights("layers/batch_normalization", {"7": np.zeros(3)})


def test_edits_and_resave_match_keras(saved, tmp_path, rng):
    theirs = keras.saving.KerasFileEditor(str(saved / "m.weights.h5"))
    ours = lamina.saving.KerasFileEditor(saved / "m.weights.h5")
    for editor in (theirs, ours):
        _edit(editor, rng)
    _same_tree(ours.weights_dict, theirs.weights_dict)
    theirs.save(str(tmp_path / "k.weights.h5"))
    ours.resave_weights(tmp_path / "o.weights.h5")
    for path in ("k.weights.h5", "o.weights.h5"):
        again = [
            lib.saving.KerasFileEditor(
                tmp_path / path if lib is lamina else str(tmp_path / path)
            )
            for lib in (keras, lamina)
        ]
        _same_tree(again[1].weights_dict, again[0].weights_dict)
        # Files list their groups sorted; the edited dicts in edit order.
        _same_tree(again[1].weights_dict, theirs.weights_dict, False)


def test_resaved_weights_load_in_both(saved, tmp_path):
    ours = lamina.saving.KerasFileEditor(saved / "m.weights.h5")
    ours.delete_object("optimizer")
    ours.save(tmp_path / "plain.weights.h5")
    for lib in (keras, lamina):
        model = _model(lib)
        model.load_weights(tmp_path / "plain.weights.h5")
        np.testing.assert_array_equal(
            np.asarray(model.get_weights()[0]),
            ours.weights_dict["layers"]["dense"]["0"],
        )


def test_nested_objects_are_kept(tmp_path):
    q = lamina.Input((4, 6))
    out = lamina.layers.MultiHeadAttention(2, 3)(q, q)
    lamina.Model(q, out).save_weights(tmp_path / "a.weights.h5")
    editor = lamina.saving.KerasFileEditor(tmp_path / "a.weights.h5")
    mha = editor.weights_dict["layers"]["multi_head_attention"]
    assert (
        sorted(mha)
        == [
            "_key_dense",
            "_output_dense",
            "_query_dense",
            "_value_dense",
        ]
        or "query_dense" in mha
    )
    editor.save(tmp_path / "b.weights.h5")
    model = lamina.Model(q, lamina.layers.MultiHeadAttention(2, 3)(q, q))
    model.load_weights(tmp_path / "b.weights.h5")


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda e: e.rename_object("layers/dense", "a/b"), "leaf name"),
        (lambda e: e.delete_object("layers/nothing"), "not found"),
        (lambda e: e.delete_object("nothing"), "does not appear"),
        (lambda e: e.delete_weight("layers/dense", "9"), "Weight 9 not"),
        (lambda e: e.add_weights("layers/dense", [1]), "should be a dict"),
        (lambda e: e.add_object("nowhere/x", {}), "not found"),
        (lambda e: e.save("x.h5"), "weights.h5"),
    ],
)
def test_errors_like_keras(saved, call, match):
    for editor in (
        keras.saving.KerasFileEditor(str(saved / "m.weights.h5")),
        lamina.saving.KerasFileEditor(saved / "m.weights.h5"),
    ):
        with pytest.raises(ValueError, match=match):
            call(editor)


def test_leaf_names(saved):
    editor = lamina.saving.KerasFileEditor(saved / "m.weights.h5")
    editor.rename_object("dense_1", "head")
    editor.delete_weight("batch_normalization", "0")
    assert sorted(editor.weights_dict["layers"]) == [
        "batch_normalization",
        "dense",
        "head",
    ]
    assert sorted(editor.weights_dict["layers"]["batch_normalization"]) == [
        "1",
        "2",
        "3",
    ]


def test_ambiguous_name(tmp_path):
    model = lamina.Sequential(
        [lamina.Input((2,)), lamina.layers.Dense(2), lamina.layers.Dense(2)]
    )
    model.compile("sgd", "mse")
    model.optimizer.build(model.trainable_variables)
    model.save_weights(tmp_path / "w.weights.h5")
    editor = lamina.saving.KerasFileEditor(tmp_path / "w.weights.h5")
    editor.add_object("optimizer/dense", {"0": np.ones(1, "float32")})
    with pytest.raises(ValueError, match="more than once"):
        editor.delete_object("dense")


def test_bad_file_names(tmp_path):
    with pytest.raises(ValueError, match="Invalid filename"):
        lamina.saving.KerasFileEditor(tmp_path / "m.h5")
