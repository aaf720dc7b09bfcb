"""lamina.dtype_policies against keras.dtype_policies."""

import numpy as np
import pytest
import torch

import lamina
from lamina import dtype_policies as ours
from tests.api.signatures import assert_same_signature
from tests.keras_oracle import keras

theirs = keras.dtype_policies

POLICIES = [
    ("DTypePolicy", ("float16",)),
    ("DTypePolicy", ("mixed_bfloat16",)),
    ("FloatDTypePolicy", ("float64",)),
    ("QuantizedDTypePolicy", ("int8", "mixed_bfloat16")),
    ("QuantizedDTypePolicy", ("int4", "float32")),
    ("QuantizedFloat8DTypePolicy", ("float8", "float32")),
    ("QuantizedFloat8DTypePolicy", ("float8", "mixed_float16", 16)),
]


@pytest.mark.parametrize("cls,args", POLICIES)
def test_policy_matches_keras(cls, args):
    a, b = getattr(ours, cls)(*args), getattr(theirs, cls)(*args)
    for attr in (
        "name",
        "compute_dtype",
        "variable_dtype",
        "quantization_mode",
    ):
        assert getattr(a, attr) == getattr(b, attr), attr
    assert repr(a) == repr(b)
    assert ours.serialize(a) == theirs.serialize(b)
    assert ours.deserialize(theirs.serialize(b)) == a
    assert_same_signature(type(a).__init__, type(b).__init__)


@pytest.mark.parametrize(
    "name",
    [
        "float32",
        "mixed_float16",
        "int8_from_float32",
        "float8_from_bfloat16",
        "int4_from_mixed_bfloat16",
    ],
)
def test_get_matches_keras(name):
    a, b = ours.get(name), theirs.get(name)
    assert (type(a).__name__, a.name) == (type(b).__name__, b.name)


def test_errors_match_keras_types():
    for bad in (3, [1]):
        with pytest.raises(ValueError, match="Cannot interpret `dtype`"):
            ours.get(bad)
        with pytest.raises(ValueError):
            theirs.get(bad)
    with pytest.raises(ValueError, match="`mode` of QuantizedDTypePolicy"):
        ours.QuantizedDTypePolicy("int9", "float32")
    with pytest.raises(ValueError, match="float16"):
        ours.QuantizedDTypePolicy("int8", "float16")
    with pytest.raises(TypeError, match="amax_history_length"):
        ours.QuantizedFloat8DTypePolicy("float8", "float32", "long")
    with pytest.raises(ValueError, match="class_name"):
        ours.deserialize({"class_name": "Nope", "config": {}})


def test_policy_map_lookup_and_roundtrip():
    spec = {
        "dense": "float16",
        "conv.*": ("QuantizedDTypePolicy", ("int8", "float32")),
    }

    def build(ns):
        m = {
            k: v if isinstance(v, str) else getattr(ns, v[0])(*v[1])
            for k, v in spec.items()
        }
        return ns.DTypePolicyMap(default_policy="bfloat16", policy_map=m)

    a, b = build(ours), build(theirs)
    for key in ("dense", "conv2d/kernel", "other"):
        got, want = a[key], b[key]
        assert got.name == getattr(want, "name", want)
    assert (a.name, a.compute_dtype, len(a)) == (
        b.name,
        b.compute_dtype,
        len(b),
    )
    again = ours.deserialize(ours.serialize(a))
    assert again["conv1"].name == "int8_from_float32"
    assert again.default_policy.name == "bfloat16"
    c = ours.DTypePolicyMap(policy_map={"a.*": "float16", ".*b": "float64"})
    with pytest.raises(ValueError, match="matches several keys"):
        c["ab"]
    with pytest.raises(ValueError, match="already in the DTypePolicyMap"):
        c["a.*"] = "float32"
    del c["a.*"]
    assert list(c) == [".*b"]


def test_layer_takes_quantized_policy_and_convert_input():
    layer = lamina.layers.Dense(2, dtype="int8_from_mixed_bfloat16")
    assert layer.dtype_policy.quantization_mode == "int8"
    assert layer.compute_dtype == "bfloat16"
    p = ours.DTypePolicy("float16")
    x = torch.ones(2)
    assert p.convert_input(x, True, "float16").dtype == torch.float16
    assert p.convert_input(x, False, "float16").dtype == torch.float32
    n = np.ones(2, "int32")
    assert p.convert_input(n, True, "float16") is n


def test_namespace_is_complete_except_allowlisted():
    assert lamina.FloatDTypePolicy is ours.FloatDTypePolicy
    assert lamina.DTypePolicy is ours.DTypePolicy
