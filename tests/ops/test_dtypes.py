import itertools

import numpy as np
import pytest
import torch

from lamina import config
from lamina.ops._dtypes import result_type
from lamina.ops._dtypes import standardize_dtype
from lamina.ops._dtypes import to_torch_dtype
from tests.keras_oracle import keras

NAMES = [
    "bool",
    "uint8",
    "uint16",
    "uint32",
    "int8",
    "int16",
    "int32",
    "int64",
    "bfloat16",
    "float16",
    "float32",
    "float64",
    int,
    float,
]


@pytest.mark.parametrize(
    "pair", list(itertools.combinations_with_replacement(NAMES, 2))
)
def test_result_type_of_pairs_matches_keras(pair):
    assert result_type(*pair) == keras.backend.result_type(*pair)


@pytest.mark.parametrize(
    "triple",
    [
        ("int8", "uint8", float),
        ("bool", int, float),
        (int, int, int),
        ("float16", "bfloat16", "int64"),
        ("float64",),
        (float,),
        (),
    ],
)
def test_result_type_of_other_arities_matches_keras(triple):
    assert result_type(*triple) == keras.backend.result_type(*triple)


@pytest.mark.parametrize("floatx", ["float16", "float64", "bfloat16"])
def test_weak_types_follow_floatx_like_keras(floatx):
    keras_floatx = keras.config.floatx()
    config.set_floatx(floatx)
    keras.config.set_floatx(floatx)
    try:
        for args in [
            (int,),
            (float,),
            (int, float),
            ("int8", float),
            ("bool", float),
        ]:
            assert result_type(*args) == keras.backend.result_type(*args)
    finally:
        config.set_floatx("float32")
        keras.config.set_floatx(keras_floatx)


@pytest.mark.parametrize(
    "spelling,name",
    [
        (int, "int32"),
        (float, "float32"),
        (bool, "bool"),
        ("int", "int32"),
        (torch.float16, "float16"),
        (np.int8, "int8"),
        (np.dtype("uint8"), "uint8"),
        ("torch.float64", "float64"),
        (None, "float32"),
    ],
)
def test_standardize_dtype_matches_keras(spelling, name):
    assert standardize_dtype(spelling) == name
    assert keras.backend.standardize_dtype(spelling) == name


def test_unsigned_types_map_like_keras_on_torch():
    assert to_torch_dtype("uint16") == torch.int32
    assert to_torch_dtype("uint32") == torch.int64
    with pytest.raises(
        ValueError,
        match=r"Unsupported dtype for PyTorch.*"
        r"uint64",
    ):
        to_torch_dtype("uint64")


def test_unknown_dtype_raises_with_the_received_value():
    with pytest.raises(ValueError, match=r"Invalid dtype.*dtype='int33'"):
        standardize_dtype("int33")
    with pytest.raises(ValueError, match=r"Invalid dtype.*dtype='string'"):
        result_type("float32", "string")
