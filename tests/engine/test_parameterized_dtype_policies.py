"""Int4/GPTQ/AWQ dtype policies against Keras's: names, configs, dtypes,
lookup by name, and the errors for malformed modes."""

import pytest

import lamina
from tests.keras_oracle import keras

NAMES = [
    "int4/128_from_float32",
    "int4/-1_from_mixed_bfloat16",
    "gptq/4/-1_from_float32",
    "gptq/3/64_from_bfloat16",
    "awq/4/128_from_float32",
]


@pytest.mark.parametrize("name", NAMES)
def test_matches_keras(name):
    ours = lamina.dtype_policies.get(name)
    theirs = keras.dtype_policies.get(name)
    assert type(ours).__name__ == type(theirs).__name__
    assert repr(ours) == repr(theirs)
    for attr in (
        "name",
        "compute_dtype",
        "variable_dtype",
        "quantization_mode",
    ):
        assert getattr(ours, attr) == getattr(theirs, attr)
    config = lamina.dtype_policies.serialize(ours)
    assert config == keras.dtype_policies.serialize(theirs)
    assert lamina.dtype_policies.deserialize(config) == ours
    assert keras.dtype_policies.deserialize(config) == theirs


@pytest.mark.parametrize(
    "cls,mode,match",
    [
        ("Int4DTypePolicy", "int8/128", "Expected format 'int4/<block_size>'"),
        ("Int4DTypePolicy", "int4/x", "<block_size> must be an integer"),
        ("Int4DTypePolicy", "int4/0", "block_size in mode"),
        ("GPTQDTypePolicy", "gptq/4", "'gptq/<weight_bits>/<group_size>'"),
        ("GPTQDTypePolicy", "gptq/5/128", "2, 3, 4, and 8, but got 5"),
        ("GPTQDTypePolicy", "gptq/4/-2", "group_size in mode"),
        ("AWQDTypePolicy", "awq/8/128", "AWQ only supports 4-bit"),
        ("AWQDTypePolicy", "awq/4/a", "must be integers"),
    ],
)
def test_bad_modes(cls, mode, match):
    for module in (lamina.dtype_policies, keras.dtype_policies):
        with pytest.raises(ValueError, match=match):
            getattr(module, cls)(mode, "float32")
