"""lamina.utils's small helpers against keras.utils, and every shared
name's signature."""

import inspect
import logging

import numpy as np
import pytest
import torch

import lamina
from lamina import utils
from tests.api.signatures import assert_same_signature
from tests.keras_oracle import keras


def _shared_callables(ours, theirs):
    for name in sorted(n for n in dir(theirs) if not n.startswith("_")):
        if not hasattr(ours, name):
            continue
        k, ours_obj = getattr(theirs, name), getattr(ours, name)
        if inspect.ismodule(k) or not callable(k):
            continue
        yield name, ours_obj, k


@pytest.mark.parametrize(
    "namespace",
    [
        "utils",
        "config",
        "backend",
        "tree",
        "preprocessing.image",
        "preprocessing.sequence",
    ],
)
def test_signatures_match_keras(namespace):
    ours = lamina
    theirs = keras
    for part in namespace.split("."):
        ours, theirs = getattr(ours, part), getattr(theirs, part)
    checked = 0
    for _, mine, k in _shared_callables(ours, theirs):
        target = (
            (mine.__init__, k.__init__) if inspect.isclass(k) else (mine, k)
        )
        assert_same_signature(*target)
        checked += 1
    assert checked == len(list(_shared_callables(ours, theirs))) > 0


def test_config_object_matches_keras():
    ours, theirs = utils.Config(a=1), keras.utils.Config(a=1)
    for c in (ours, theirs):
        c.b = [2]
        c["c"] = 3
        c.update(d=4)
        del c["d"]
    assert ours.as_dict() == theirs.as_dict()
    assert ours.to_json() == theirs.to_json()
    assert list(ours.items()) == list(theirs.items())
    assert ("a" in ours, len(ours)) == ("a" in theirs, len(theirs))
    ours.freeze()
    assert ours.frozen
    with pytest.raises(ValueError, match="frozen"):
        ours.e = 1
    with pytest.raises(ValueError, match="frozen"):
        ours.pop("a")
    ours.unfreeze()
    ours.e = 5
    assert ours.e == 5
    with pytest.raises(AttributeError, match="Unknown attribute: 'zzz'"):
        _ = ours.zzz


@pytest.mark.parametrize(
    "args",
    [
        (1,),
        ([1, 2],),
        ((1,),),
        (1, 2),
        (1, 2, 3),
        ({"a": 1}, None, 3),
    ],
)
def test_pack_unpack_match_keras(args):
    packed = utils.pack_x_y_sample_weight(*args)
    assert packed == keras.utils.pack_x_y_sample_weight(*args)
    assert utils.unpack_x_y_sample_weight(packed) == (
        keras.utils.unpack_x_y_sample_weight(packed)
    )


@pytest.mark.parametrize(
    "dtype",
    [
        None,
        "float32",
        "float64",
        "int8",
        "bool",
        np.float16,
        np.int64,
        torch.bfloat16,
        torch.uint8,
        float,
        int,
    ],
)
def test_standardize_dtype_matches_keras(dtype):
    assert utils.standardize_dtype(dtype) == keras.utils.standardize_dtype(
        dtype
    )


def test_source_inputs_and_keras_tensor():
    a, b = lamina.Input((2,)), lamina.Input((2,))
    y = lamina.layers.Add()([lamina.layers.Dense(2)(b), a])
    sources = utils.get_source_inputs(y)
    assert len(sources) == 2 and sources[0] is b and sources[1] is a
    assert utils.get_source_inputs(a) == [a]
    assert utils.is_keras_tensor(y) and not utils.is_keras_tensor(torch.ones(1))
    ka, kb = keras.Input((2,)), keras.Input((2,))
    ky = keras.layers.Add()([keras.layers.Dense(2)(kb), ka])
    assert [id(t) for t in keras.utils.get_source_inputs(ky)] == [
        id(kb),
        id(ka),
    ]


def test_registration_names_are_the_saving_ones():
    for name in (
        "register_keras_serializable",
        "get_registered_name",
        "get_registered_object",
        "custom_object_scope",
        "CustomObjectScope",
        "get_custom_objects",
        "serialize_keras_object",
        "deserialize_keras_object",
    ):
        assert getattr(utils, name) is getattr(lamina.saving, name)
    assert utils.Sequence is utils.PyDataset


def test_interactive_logging_sends_messages_to_logging(capsys, caplog):
    from lamina.utils.progbar import print_msg

    assert utils.is_interactive_logging_enabled()
    utils.disable_interactive_logging()
    try:
        assert not lamina.config.is_interactive_logging_enabled()
        with caplog.at_level(logging.INFO, logger="lamina"):
            print_msg("hello log")
        assert "hello log" in caplog.text
        assert "hello log" not in capsys.readouterr().out
    finally:
        utils.enable_interactive_logging()
    print_msg("hello out")
    assert "hello out" in capsys.readouterr().out


def test_clear_session_resets_names():
    lamina.layers.Dense(1)
    utils.clear_session(free_memory=False)
    assert lamina.layers.Dense(1).name == "dense"
    lamina.backend.clear_session()
    assert lamina.backend.get_uid("dense") == 1
    assert lamina.layers.Dense(1).name == "dense_1"
