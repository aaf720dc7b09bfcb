"""Encodings of tensors, arrays, bytes, slices, Ellipsis and lambdas."""

import numpy as np
import pytest
import torch

from lamina.saving import special_values
from tests.keras_oracle import keras


@pytest.mark.parametrize(
    "value",
    [
        np.zeros((2, 2), dtype="float16"),
        torch.arange(3),
        b"\xc3\xa9",
        slice(None, 4),
        Ellipsis,
        np.bool_(True),
    ],
)
def test_encode_matches_keras_and_decodes(value):
    encoded = special_values.encode(value)
    assert encoded == keras.saving.serialize_keras_object(value)
    if isinstance(encoded, dict):
        decoded = special_values.decode(
            encoded["class_name"], encoded["config"], safe_mode=True
        )
        np.testing.assert_array_equal(np.asarray(decoded), np.asarray(value))


def test_dtypes_encode_to_names():
    assert special_values.encode(torch.float16) == "float16"


@pytest.mark.parametrize("value", [1, "a", object(), [1], len])
def test_other_values_are_not_special(value):
    assert special_values.encode(value) is special_values.NOT_SPECIAL
    assert special_values.decode("Dense", {}, True) is (
        special_values.NOT_SPECIAL
    )


def test_lambda_with_defaults_round_trips_outside_safe_mode():
    fn = lambda x, k=2: x * k  # noqa: E731
    with pytest.warns(UserWarning, match="lambda"):
        encoded = special_values.encode(fn)
    decoded = special_values.decode(
        "__lambda__", encoded["config"], safe_mode=False
    )
    assert decoded(3) == 6
    with pytest.raises(ValueError, match="arbitrary code execution"):
        special_values.decode("__lambda__", encoded["config"], True)


def test_corrupt_lambda_raises():
    config = {"value": ["bm90IGNvZGU=\n", None, None]}
    with pytest.raises(ValueError, match="Could not load the serialized"):
        special_values.decode("__lambda__", config, safe_mode=False)
