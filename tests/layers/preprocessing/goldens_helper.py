"""Run a case of `golden_cases.py` with lamina and compare with the output
Keras 3 + TensorFlow gave (`goldens/text_layers.json`, written by
`keras_tf_goldens.py`)."""

import json
import os

import numpy as np
import torch

import lamina
from tests.layers.preprocessing.golden_cases import CASES

_PATH = os.path.join(os.path.dirname(__file__), "goldens", "text_layers.json")
with open(_PATH) as _f:
    GOLDENS_FILE = json.load(_f)
GOLDENS = GOLDENS_FILE["cases"]
BY_ID = {case["id"]: case for case in CASES}


def case_ids(prefix):
    return [c["id"] for c in CASES if c["id"].startswith(prefix)]


def build(case):
    layer = getattr(lamina.layers, case["cls"])(**case["kwargs"])
    if case.get("adapt") is not None:
        data = case["adapt"]
        layer.adapt(
            np.array(data) if case.get("adapt_array") else data,
            **case.get("adapt_kwargs", {}),
        )
    return layer


def call(layer, case, as_numpy=True):
    inputs = case["input"]
    if case.get("input_tuple"):
        inputs = tuple(np.array(x) for x in inputs)
    elif case.get("input_dtype"):
        inputs = np.array(inputs, dtype=case["input_dtype"])
    elif as_numpy:
        inputs = np.array(inputs)
    return layer(inputs)


def check_case(case_id, as_numpy=True):
    """Output, vocabulary, idf weights and config equal Keras's."""
    case, expected = BY_ID[case_id], GOLDENS[case_id]
    layer = build(case)
    out = call(layer, case, as_numpy)
    if isinstance(out, torch.Tensor):
        want = np.asarray(expected["output"])
        assert tuple(out.shape) == want.shape, (out.shape, want.shape)
        np.testing.assert_allclose(out.numpy(), want, rtol=1e-6, atol=1e-7)
        assert str(out.dtype).replace("torch.", "") == _dtype(case, expected)
    else:
        assert out == expected["output"]
    if "vocabulary" in expected:
        assert layer.get_vocabulary() == expected["vocabulary"]
    if "idf_weights" in expected:
        np.testing.assert_allclose(
            _idf(layer), expected["idf_weights"], rtol=1e-6
        )
    config = layer.get_config()
    config.pop("name")
    assert json.loads(json.dumps(config)) == expected["config"]
    return layer


def _idf(layer):
    inner = getattr(layer, "_lookup_layer", layer)
    return np.asarray(inner.idf_weights)


def _dtype(case, expected):
    # lamina's lookups encode in float32, the dtype Keras declares for
    # these modes; Keras's TensorFlow lookup returns int64 (same values).
    encoded = case["kwargs"].get("output_mode") in (
        "one_hot",
        "multi_hot",
        "count",
    )
    if (
        case["cls"] in ("StringLookup", "IntegerLookup", "TextVectorization")
        and encoded
    ):
        assert expected["dtype"] == "int64"
        return "float32"
    return expected["dtype"]
